import type { ReminderKind } from './reminder-plan.js';
import type { MeetingWithContact, Owner } from './types.js';

/** What the domain needs to know about a Slack user; implemented over users.info. */
export interface UserDirectory {
  /** The user's IANA zone as Slack has it, or null when Slack does not say. Throws on Web API failure. */
  timeZoneOf(owner: Owner): Promise<string | null>;
}

/** One reminder to deliver, with what its message needs. */
export interface ReminderDelivery {
  reminderId: number;
  kind: ReminderKind;
  owner: Owner;
  found: MeetingWithContact;
  /** The user's zone, for every time shown. */
  zone: string;
  now: Date;
  /** No earlier post of this reminder can be older than this (its first due time, less a margin). */
  since: Date;
}

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
  /** Posts the reminder; throws DeliveryError. */
  send(delivery: ReminderDelivery): Promise<{ channel: string; ts: string }>;
  /** The reminder's earlier post found in the user's DM, or null when it is certainly not there; throws DeliveryError. */
  findDelivered(delivery: ReminderDelivery): Promise<{ channel: string; ts: string } | null>;
}
