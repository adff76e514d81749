import { addBusinessDays, atLocalTime } from '../business-days.js';
import {
  ASK_REMINDER_KINDS,
  isEnabled,
  type KeepInTouchFacts,
  laterOutOfQuiet,
  PlanBuilder,
  planKeepInTouch,
  type ReminderPlan,
  type ReminderSettings,
  type UserFacts,
} from './reminder-plan.js';

// The planner's contact side (docs/reminders.md, "Facts, the planner and the reconciler"): the 3B7 nudges of a
// contact's latest ask, and `planContact`, which adds them to keep in touch (planned in reminder-plan.ts).

const DAY_MS = 86_400_000;

/** The facts of a contact's latest ask that decide its 3B7 nudges. */
export interface AskFacts {
  id: number;
  /** The local day it went out, "YYYY-MM-DD". */
  sentOn: string;
  status: 'waiting' | 'replied' | 'declined' | 'no_answer';
  followedUpAt: Date | null;
  /** The workspace's holidays ("YYYY-MM-DD"): not business days. */
  holidays: ReadonlySet<string>;
}

/** 3B7: no reply after 3 business days, ask the next person; after 7, follow up once. */
export const ASK_NEXT_BUSINESS_DAY = 3;
export const ASK_FOLLOW_UP_BUSINESS_DAY = 7;
/** The local time a 3B7 nudge comes on its business day, when it is not in quiet hours. */
export const ASK_NUDGE_TIME = '10:00';
/** A follow-up nudge not sent by then (the user was away, reminders were off) no longer helps. */
const ASK_FOLLOW_UP_USEFUL_DAYS = 14;

/** When a 3B7 nudge is due: its business day after the ask, at 10:00 local, or when quiet hours end. Pure. */
export function askNudgeDue(
  sentOn: string,
  businessDay: number,
  holidays: ReadonlySet<string>,
  zone: string,
  settings: ReminderSettings,
): Date {
  const day = addBusinessDays(sentOn, businessDay, holidays);
  return laterOutOfQuiet(atLocalTime(day, ASK_NUDGE_TIME, zone), zone, settings);
}

/**
 * The 3B7 nudges a contact's latest ask calls for. Pure. The delivery key is the ask and its day, so a new ask of
 * the same contact (or a corrected day) is a new delivery, while a row already sent for this ask is never re-sent.
 */
export function planAsk(ask: AskFacts | null, user: UserFacts, now: Date): ReminderPlan {
  const builder = new PlanBuilder(user, now);
  if (ask === null) {
    for (const kind of ASK_REMINDER_KINDS) builder.drop(kind, 'no ask sent');
    return builder.plan;
  }
  const key = `${ask.id}|${ask.sentOn}`;
  const followUpDue = askNudgeDue(ask.sentOn, ASK_FOLLOW_UP_BUSINESS_DAY, ask.holidays, user.zone, user.settings);
  for (const kind of ASK_REMINDER_KINDS) {
    const reason =
      user.stopped ??
      (ask.status !== 'waiting' ? `the ask is closed (${ask.status.replace('_', ' ')})` : null) ??
      (!isEnabled(kind, user.settings) ? 'turned off in settings' : null) ??
      (ask.followedUpAt !== null ? 'already followed up' : null);
    if (reason !== null) {
      builder.drop(kind, reason);
      continue;
    }
    if (kind === 'ask_next') {
      // Naming the next person helps until the follow-up is due; after that, the follow-up nudge says it all.
      builder.want(
        kind,
        key,
        askNudgeDue(ask.sentOn, ASK_NEXT_BUSINESS_DAY, ask.holidays, user.zone, user.settings),
        followUpDue.getTime(),
      );
    } else {
      builder.want(kind, key, followUpDue, followUpDue.getTime() + ASK_FOLLOW_UP_USEFUL_DAYS * DAY_MS);
    }
  }
  return builder.plan;
}

/** Everything about a contact that plans its reminders: keep-in-touch and its latest ask. */
export interface ContactFacts extends KeepInTouchFacts {
  ask: AskFacts | null;
}

/** The reminders a contact's facts call for: its keep-in-touch nudge and its latest ask's 3B7 nudges. Pure. */
export function planContact(contact: ContactFacts, user: UserFacts, now: Date): ReminderPlan {
  const keep = planKeepInTouch(contact, user, now);
  const ask = planAsk(contact.ask, user, now);
  return { wanted: [...keep.wanted, ...ask.wanted], dropped: { ...keep.dropped, ...ask.dropped } };
}
