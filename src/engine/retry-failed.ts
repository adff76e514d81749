import type { Db } from '../db/database.js';
import { findReminderForRetry, retryFailedReminder } from '../db/repositories/reminders/failed-reminders-repository.js';
import { loadContactFacts, loadMeetingFacts } from '../db/repositories/reminders/reminder-facts-repository.js';
import { planContact } from '../domain/reminders/contact-plan.js';
import type { ReminderRowState } from '../domain/reminders/reconcile-rows.js';
import { planMeeting, type ReminderKind, type ReminderPlan } from '../domain/reminders/reminder-plan.js';
import { FALLBACK_TIME_ZONE, toDbInstant } from '../lib/zoned-time.js';
import { verdictOf } from './send-decision.js';

// Retrying a failed reminder by hand (`npm run reminders -- --retry <id>`). A failed row is left alone by the
// reconciler ("that delivery failed for good"); a retry reopens it for the same delivery, and only when the facts
// still call for that delivery, so no hand can send what the planner would not (docs/reminders.md, "Failures").

export type RetryDecision =
  /** Pending again: due at `dueAt` (now, or the end of quiet hours), with `plannedDueAt` the plan's own moment. */
  { retry: true; dueAt: Date; plannedDueAt: Date } | { retry: false; reason: string };

/**
 * Whether a failed reminder may be retried, by the rules the engine applies at send time: the plan for the facts as
 * they are now must want its kind under the same delivery key. `plan` null: the meeting or contact is gone. Pure.
 */
export function decideRetry(
  reminder: { kind: ReminderKind; deliveryKey: string },
  plan: ReminderPlan | null,
  now: Date,
): RetryDecision {
  if (plan === null) return { retry: false, reason: 'what it is about no longer exists' };
  const verdict = verdictOf(plan, reminder);
  if (verdict.type === 'dropped') return { retry: false, reason: verdict.reason };
  if (verdict.type === 'superseded')
    return { retry: false, reason: 'superseded by a newer delivery (the facts changed since it failed)' };
  // Due now, unless the plan holds it later (quiet hours): the engine would only defer it to then.
  const dueAt = verdict.dueAt.getTime() > now.getTime() ? verdict.dueAt : now;
  return { retry: true, dueAt, plannedDueAt: verdict.dueAt };
}

export type RetryOutcome =
  /** `checkBeforeSend`: kept from the failed attempt; true, the engine looks in the DM before posting. */
  | { outcome: 'retried'; id: number; dueAt: Date; checkBeforeSend: boolean }
  | { outcome: 'not_found'; id: number }
  | { outcome: 'not_failed'; id: number; state: ReminderRowState }
  | { outcome: 'not_wanted'; id: number; reason: string };

/**
 * Makes failed reminder `id` pending again if its facts still call for it; otherwise changes nothing and says why.
 * One transaction: the facts read are the facts the write is guarded by. The engine sends it at its next tick.
 */
export async function retryReminder(db: Db, id: number, now: Date): Promise<RetryOutcome> {
  return db.transaction().execute(async (trx): Promise<RetryOutcome> => {
    const reminder = await findReminderForRetry(trx, id);
    if (reminder === undefined) return { outcome: 'not_found', id };
    if (reminder.state !== 'failed') return { outcome: 'not_failed', id, state: reminder.state };
    let plan: ReminderPlan | null = null;
    if (reminder.meetingId !== null) {
      const [subject] = await loadMeetingFacts(trx, [reminder.meetingId]);
      if (subject !== undefined) plan = planMeeting(subject.facts, subject.user, now);
    } else if (reminder.contactId !== null) {
      const [subject] = await loadContactFacts(trx, [reminder.contactId], FALLBACK_TIME_ZONE);
      if (subject !== undefined) plan = planContact(subject.facts, subject.user, now);
    }
    const decision = decideRetry(reminder, plan, now);
    if (!decision.retry) return { outcome: 'not_wanted', id, reason: decision.reason };
    const nowIso = toDbInstant(now);
    const done = await retryFailedReminder(
      trx,
      {
        id,
        deliveryKey: reminder.deliveryKey,
        dueIso: toDbInstant(decision.dueAt),
        plannedDueIso: toDbInstant(decision.plannedDueAt),
      },
      nowIso,
    );
    // Read and written in one transaction on one connection: the guard only fails if the row changed in between.
    if (!done) return { outcome: 'not_wanted', id, reason: 'the reminder changed while it was being retried' };
    return { outcome: 'retried', id, dueAt: decision.dueAt, checkBeforeSend: reminder.checkBeforeSend };
  });
}
