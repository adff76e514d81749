import type { CohortTable } from './centre/cohort-table.js';
import type { MeetingReminderKind } from './reminders/reminder-plan.js';
import type { AdviceItem, Ask, Contact, MeetingWithContact, Owner } from './types.js';

/** What the domain needs to know about a Slack user; implemented over users.info. */
export interface UserDirectory {
  /** The user's IANA zone as Slack has it, or null when Slack does not say. Throws on Web API failure. */
  timeZoneOf(owner: Owner): Promise<string | null>;
  /** The email Slack gave with the last `timeZoneOf` answer for this user (scope users:read.email), if any. */
  emailOf?(owner: Owner): string | null;
}

interface DeliveryBase {
  reminderId: number;
  /** Which delivery of the reminder this is: an earlier delivery's post is never taken for this one. */
  delivery: number;
  owner: Owner;
  /** The user's zone, for every time shown. */
  zone: string;
  now: Date;
  /** No earlier post of this reminder can be older than this (its first attempt, less a margin). */
  since: Date;
  /** The user's DM channel with the app as the facts read at send time had it (absent or null: not opened yet). */
  dmChannelId?: string | null;
}

/** A reminder about a meeting, with what its message needs (the report-back lists the advice items). */
export interface MeetingReminderDelivery extends DeliveryBase {
  kind: MeetingReminderKind;
  found: MeetingWithContact;
  adviceItems: AdviceItem[];
}

/** A keep-in-touch nudge about a contact. */
export interface KeepInTouchDelivery extends DeliveryBase {
  kind: 'keep_in_touch';
  contact: Contact;
  lastTouch: Date;
}

/** Business day 3 of an ask with no reply: who to ask next. */
export interface AskNextDelivery extends DeliveryBase {
  kind: 'ask_next';
  contact: Contact;
  ask: Ask;
  /** The next person worth asking (never asked, never met; referred people first), if any. */
  nextToAsk: Contact | null;
}

/** Business day 7 of an ask with no reply: follow up once, with a draft. */
export interface AskFollowUpDelivery extends DeliveryBase {
  kind: 'ask_follow_up';
  contact: Contact;
  ask: Ask;
  draft: string;
}

/** One reminder to deliver. */
export type ReminderDelivery = MeetingReminderDelivery | KeepInTouchDelivery | AskNextDelivery | AskFollowUpDelivery;

/**
 * Why a delivery failed, as the engine needs to know it: `rate_limited` (wait retryAfterMs; nothing was posted),
 * `transient` (nothing was posted; retry with backoff), `unknown_outcome` (it may have been posted; look before
 * retrying), `permanent` (retrying cannot help).
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    readonly kind: 'rate_limited' | 'transient' | 'unknown_outcome' | 'permanent',
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Posts reminder DMs; implemented over chat.postMessage with message metadata carrying the reminder id. */
export interface ReminderSender {
  /**
   * Posts the reminder; throws DeliveryError. `handOver` runs just before the post leaves (after the DM is opened):
   * the post goes out only if it resolves true, else `send` resolves null and nothing was posted.
   */
  send(delivery: ReminderDelivery, handOver: () => Promise<boolean>): Promise<{ channel: string; ts: string } | null>;
  /** The longest a post can take before the client gives up on it (its timeout): a claim must outlast it. */
  readonly postTimeoutMs: number;
  /** The reminder's earlier post found in the user's DM, or null when it is certainly not there; throws DeliveryError. */
  findDelivered(delivery: ReminderDelivery): Promise<{ channel: string; ts: string } | null>;
}

/** What the reminder engine reports as it works (implemented over prom-client); every method is optional to call. */
export interface EngineMetrics {
  /** One reminder handled: its outcome and, when sent, how long after its due time. */
  reminderHandled(
    kind: string,
    outcome: 'sent' | 'skipped' | 'deferred' | 'retried' | 'failed' | 'released',
    lagMs: number | null,
  ): void;
  /** One failed attempt, by Slack error code (or network cause). */
  deliveryFailed(code: string): void;
}

/**
 * Sends an advisor the Monday chart of their cohort table (implemented over files.getUploadURLExternal, the upload and
 * files.completeUploadExternal, into the advisor's DM).
 */
export interface AdvisorChartSender {
  /**
   * Draws the chart and shares it in the advisor's DM with the figures as text. `reserved(fileId)` runs as soon as
   * Slack has numbered the file and before it is shared: the chart is shared only if it resolves true. Throws
   * DeliveryError (`unknown_outcome`: it may have been shared).
   */
  send(owner: Owner, table: CohortTable, now: Date, reserved: (fileId: string) => Promise<boolean>): Promise<void>;
  /** True when the file is shared in the advisor's DM, false when it certainly is not; throws DeliveryError. */
  isShared(owner: Owner, fileId: string, now: Date): Promise<boolean>;
}
