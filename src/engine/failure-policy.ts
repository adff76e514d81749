import {
  type ClaimedReminder,
  markReminderFailed,
  retryReminderAt,
} from '../db/repositories/reminders/reminders-repository.js';
import { DeliveryError } from '../domain/ports.js';
import type { LogSink } from '../lib/logger.js';
import { toDbInstant } from '../lib/zoned-time.js';
import type { Outcome } from './options.js';
import { afterRecord, type TickDeps } from './record.js';

// The failure policy (docs/reminders.md, "Failures"): what the engine does with a delivery that failed, by what Slack
// said (slack/reminder-sender.ts turns Slack's answer into a DeliveryError): wait out a rate limit, retry with backoff
// (looking in the DM first when the post may have gone out), or fail for good, logged once.

/** Retries after a transient failure: exponential from 30 s, capped at 30 min, with ±20% jitter; null = give up. */
export const MAX_ATTEMPTS = 6;
export function retryDelayMs(attempts: number, random: number): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const base = Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
  return Math.round(base * (0.8 + 0.4 * random));
}

/** Records a failed delivery by the policy above, under the claim (a claim taken over records nothing). */
export async function recordFailure(deps: TickDeps, reminder: ClaimedReminder, error: unknown): Promise<Outcome> {
  const { db, clock, logger } = deps;
  const now = clock.now();
  const nowIso = toDbInstant(now);
  const failure = error instanceof DeliveryError ? error : new DeliveryError('unknown_outcome', String(error));
  // Slack's codes and network causes are a small set; anything else (a bug) is one label, not one per message.
  deps.metrics?.deliveryFailed(error instanceof DeliveryError ? failure.message : 'internal');
  if (failure.kind === 'permanent') {
    const recorded = await markReminderFailed(db, reminder, failure.message, nowIso);
    if (recorded.recorded) logFailed(logger, reminder, `reminder ${reminder.id} failed for good`, failure.message);
    await afterRecord(deps, reminder, recorded);
    return 'failed';
  }
  if (failure.kind === 'rate_limited') {
    const wait = failure.retryAfterMs ?? 30_000;
    const recorded = await retryReminderAt(
      db,
      reminder,
      toDbInstant(new Date(now.getTime() + wait)),
      { error: failure.message, checkBeforeSend: reminder.checkBeforeSend, countAttempt: false },
      nowIso,
    );
    await afterRecord(deps, reminder, recorded);
    return 'retried';
  }
  const delay = retryDelayMs(reminder.attempts, (deps.random ?? Math.random)());
  // An unknown outcome (timeout, dropped connection) may have posted: the next attempt looks before posting.
  const checkBeforeSend = reminder.checkBeforeSend || failure.kind === 'unknown_outcome';
  if (delay === null) {
    const recorded = await markReminderFailed(
      db,
      reminder,
      `gave up after ${reminder.attempts} attempts: ${failure.message}`,
      nowIso,
    );
    if (recorded.recorded)
      logFailed(
        logger,
        reminder,
        `reminder ${reminder.id} failed after ${reminder.attempts} attempts`,
        failure.message,
      );
    await afterRecord(deps, reminder, recorded);
    return 'failed';
  }
  const recorded = await retryReminderAt(
    db,
    reminder,
    toDbInstant(new Date(now.getTime() + delay)),
    { error: failure.message, checkBeforeSend, countAttempt: true },
    nowIso,
  );
  await afterRecord(deps, reminder, recorded);
  return 'retried';
}

/**
 * The one line a failed reminder gets, once its failure is recorded (a worker whose claim was taken over logs
 * nothing): which reminder, whose, and the Slack error code (or the reason) it failed with.
 */
function logFailed(logger: LogSink, reminder: ClaimedReminder, message: string, code: string): void {
  const { id, kind, attempts, owner } = reminder;
  logger.warn(message, { reminder: id, kind, team: owner.teamId, user: owner.userId, code, attempts });
}
