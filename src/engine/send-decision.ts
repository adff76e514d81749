import type { Db } from '../db/database.js';
import { findAsk, findNextToAsk } from '../db/repositories/asks-repository.js';
import { findContact } from '../db/repositories/contacts-repository.js';
import { listAdviceItems } from '../db/repositories/debriefs-repository.js';
import {
  type ContactSubject,
  loadContactFacts,
  loadMeetingDelivery,
  loadMeetingFacts,
  type MeetingSubject,
} from '../db/repositories/reminders/reminder-facts-repository.js';
import type { ClaimedReminder } from '../db/repositories/reminders/reminders-repository.js';
import { composeFollowUpDraft } from '../domain/asks/asks-service.js';
import { formatDay } from '../domain/business-days.js';
import type { ReminderDelivery } from '../domain/ports.js';
import { planContact } from '../domain/reminders/contact-plan.js';
import {
  type ContactReminderKind,
  type MeetingReminderKind,
  planMeeting,
  type ReminderKind,
  type ReminderPlan,
} from '../domain/reminders/reminder-plan.js';
import type { Owner } from '../domain/types.js';
import { FALLBACK_TIME_ZONE } from '../lib/zoned-time.js';
import type { ReminderJobDeps } from './options.js';

// The send-time decision (docs/reminders.md, "First look" and "Its turn"): does the plan for the facts as they are
// now still call for this very delivery, and now? Made once here: from the batch's facts at the first look, again on
// fresh facts in the reminder's turn, and by a retry by hand (retry-failed.ts) before it reopens a failed row.

/** What the plan for the facts as they are now says of one delivery (its kind, under its key). */
export type PlanVerdict =
  | { type: 'dropped'; reason: string }
  | { type: 'superseded' }
  | { type: 'wanted'; dueAt: Date };

/** Whether `plan` still wants this delivery: dropped (with the planner's reason), superseded by a new key, or wanted. */
export function verdictOf(plan: ReminderPlan, reminder: { kind: ReminderKind; deliveryKey: string }): PlanVerdict {
  const wanted = plan.wanted.find((w) => w.kind === reminder.kind);
  if (wanted === undefined) return { type: 'dropped', reason: plan.dropped[reminder.kind] ?? 'no longer planned' };
  if (wanted.key !== reminder.deliveryKey) return { type: 'superseded' };
  return { type: 'wanted', dueAt: wanted.dueAt };
}

export type Decision =
  | { action: 'send'; delivery: ReminderDelivery }
  | { action: 'skip'; reason: string }
  | { action: 'defer'; until: Date };

type NotNow = Exclude<Decision, { action: 'send' }>;

/** The facts of a claimed batch, loaded at once. */
export interface Preloaded {
  meetings: Map<number, MeetingSubject>;
  contacts: Map<number, ContactSubject>;
}

/** The facts of a whole claimed batch in two queries (meetings, contacts): the first looks need none of their own. */
export async function preload(db: Db, claimed: ClaimedReminder[]): Promise<Preloaded> {
  const meetingIds = [...new Set(claimed.flatMap((r) => (r.meetingId === null ? [] : [r.meetingId])))];
  const contactIds = [...new Set(claimed.flatMap((r) => (r.contactId === null ? [] : [r.contactId])))];
  return {
    meetings: new Map((await loadMeetingFacts(db, meetingIds)).map((subject) => [subject.id, subject])),
    contacts: new Map(
      (await loadContactFacts(db, contactIds, FALLBACK_TIME_ZONE)).map((subject) => [subject.id, subject]),
    ),
  };
}

const MEETING_GONE = { action: 'skip', reason: 'meeting no longer exists' } as const;

const isContactKind = (kind: ReminderKind): kind is ContactReminderKind =>
  kind === 'keep_in_touch' || kind === 'ask_next' || kind === 'ask_follow_up';

/** Whether the plan for the facts as they are now still calls for this very delivery, and now. */
function judge(plan: ReminderPlan, reminder: ClaimedReminder, now: Date): NotNow | null {
  const verdict = verdictOf(plan, reminder);
  if (verdict.type === 'dropped') return { action: 'skip', reason: verdict.reason };
  if (verdict.type === 'superseded') return { action: 'skip', reason: 'superseded by a newer delivery' };
  if (verdict.dueAt.getTime() > now.getTime()) return { action: 'defer', until: verdict.dueAt };
  return null;
}

/**
 * The decision on a reminder's subject (its meeting or its contact, `undefined` when gone): skipped when it is gone
 * or no longer its owner's, else what the plan for its facts says; the subject itself when it is wanted now.
 */
function look<S extends MeetingSubject | ContactSubject>(
  reminder: ClaimedReminder,
  subject: S | undefined,
  now: Date,
): { verdict: NotNow } | { subject: S } {
  const owner = reminder.owner;
  const contactKind = isContactKind(reminder.kind);
  if (subject === undefined || subject.owner.teamId !== owner.teamId || subject.owner.userId !== owner.userId)
    return {
      verdict: { action: 'skip', reason: contactKind ? 'contact no longer exists' : 'meeting no longer exists' },
    };
  const plan = contactKind
    ? planContact((subject as ContactSubject).facts, subject.user, now)
    : planMeeting((subject as MeetingSubject).facts, subject.user, now);
  const verdict = judge(plan, reminder, now);
  return verdict === null ? { subject } : { verdict };
}

/**
 * A first look from the batch's facts: skip or defer now, or go for a turn. The delivery itself is only built here
 * when an earlier attempt may have posted (the DM history is read before any turn); otherwise in the turn.
 */
export async function firstLook(
  deps: ReminderJobDeps,
  reminder: ClaimedReminder,
  preloaded: Preloaded,
): Promise<NotNow | { action: 'send'; delivery: ReminderDelivery | null }> {
  const now = deps.clock.now();
  const subject = isContactKind(reminder.kind)
    ? preloaded.contacts.get(reminder.contactId ?? -1)
    : preloaded.meetings.get(reminder.meetingId ?? -1);
  const looked = look(reminder, subject, now);
  if ('verdict' in looked) return looked.verdict;
  if (!reminder.checkBeforeSend) return { action: 'send', delivery: null };
  return decide(deps, reminder);
}

/** Loads the facts the reminder is about and decides, at send time, whether the plan still calls for it. */
export async function decide(deps: ReminderJobDeps, reminder: ClaimedReminder): Promise<Decision> {
  const { db, clock } = deps;
  const owner: Owner = reminder.owner;
  const now = clock.now();
  const base = {
    reminderId: reminder.id,
    delivery: reminder.delivery,
    owner,
    now,
    since: new Date(reminder.firstAttemptAt.getTime() - 60_000),
  };
  if (isContactKind(reminder.kind)) {
    const [loaded] =
      reminder.contactId === null ? [] : await loadContactFacts(db, [reminder.contactId], FALLBACK_TIME_ZONE);
    const looked = look(reminder, loaded, now);
    if ('verdict' in looked) return looked.verdict;
    const { subject } = looked;
    // The DM channel read with the facts: the sender needs no query of its own for it.
    const known = { ...base, dmChannelId: subject.dmChannelId };
    const contact = await findContact(db, owner, subject.id);
    if (contact === undefined) return { action: 'skip', reason: 'contact no longer exists' };
    const zone = subject.user.zone;
    if (reminder.kind === 'keep_in_touch') {
      if (subject.facts.lastTouch === null) return { action: 'skip', reason: 'no touch logged' };
      return {
        action: 'send',
        delivery: { ...known, kind: 'keep_in_touch', contact, lastTouch: subject.facts.lastTouch, zone },
      };
    }
    const ask = subject.facts.ask === null ? undefined : await findAsk(db, owner, subject.facts.ask.id);
    if (ask === undefined) return { action: 'skip', reason: 'ask no longer exists' };
    if (reminder.kind === 'ask_next') {
      return {
        action: 'send',
        delivery: {
          ...known,
          kind: 'ask_next',
          contact,
          ask,
          nextToAsk: (await findNextToAsk(db, owner, contact.id)) ?? null,
          zone,
        },
      };
    }
    return {
      action: 'send',
      delivery: {
        ...known,
        kind: 'ask_follow_up',
        contact,
        ask,
        draft: composeFollowUpDraft(contact.name, formatDay(ask.sentOn)),
        zone,
      },
    };
  }
  // The facts and the meeting with its contact in one query (gone when either is).
  const loaded = reminder.meetingId === null ? undefined : await loadMeetingDelivery(db, reminder.meetingId);
  const looked = look(reminder, loaded?.subject, now);
  if ('verdict' in looked || loaded === undefined) return 'verdict' in looked ? looked.verdict : MEETING_GONE;
  const { subject } = looked;
  const known = { ...base, dmChannelId: subject.dmChannelId };
  const { found } = loaded;
  const adviceItems = reminder.kind === 'report_back' ? await listAdviceItems(db, owner, subject.id) : [];
  return {
    action: 'send',
    delivery: { ...known, kind: reminder.kind as MeetingReminderKind, found, adviceItems, zone: subject.user.zone },
  };
}
