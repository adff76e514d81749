import {
  type ClaimedReminder,
  deferReminder,
  handOverReminder,
  markReminderSent,
  markReminderSkipped,
  releaseReminders,
} from '../db/repositories/reminders/reminders-repository.js';
import { toDbInstant } from '../lib/zoned-time.js';
import { recordFailure } from './failure-policy.js';
import type { Outcome } from './options.js';
import { afterRecord, type TickDeps } from './record.js';
import { type Decision, decide, firstLook, type Preloaded } from './send-decision.js';

// Delivering one reminder (docs/reminders.md, steps 2 to 7): the first look, the look in the DM before resending,
// its turn (decide again, hand over), the post, and the record of what came of it.

/** What the turn of a reminder came to: handed back, decided otherwise, or a post on its way. */
type Turn =
  | { type: 'released' }
  | { type: 'decided'; decision: Exclude<Decision, { action: 'send' }> }
  | { type: 'lease' }
  | { type: 'posting'; post: Promise<{ ok: { channel: string; ts: string } | null } | { error: unknown }> };

/** Beyond the client's timeout, the lease a post is handed over with: time to record it, and clocks a little apart. */
export const HAND_OVER_MARGIN_MS = 5_000;

/**
 * Hands the reminder's post to Slack under its claim, just before it leaves: with more lease left than the post can
 * take (the client's timeout and a margin), renewing the lease when less is left, and recording the hand-over, so a
 * claim that expires later is looked for in the DM and one that expires before is not. False when the claim is gone.
 */
async function handOver(deps: TickDeps, reminder: ClaimedReminder): Promise<boolean> {
  const now = deps.clock.now().getTime();
  const needed = deps.sender.postTimeoutMs + HAND_OVER_MARGIN_MS;
  const until =
    reminder.leaseUntil.getTime() - now > needed
      ? reminder.leaseUntil
      : new Date(now + Math.max(deps.leaseMs, needed + HAND_OVER_MARGIN_MS));
  // Through the group commit: the hand-overs and outcomes of one turn of the event loop share one transaction (a
  // write of its own per post added 0.10 ms to the database cost of a reminder in bench:reminders).
  const handedOver = await deps.records.run(
    (trx) => handOverReminder(trx, reminder, toDbInstant(new Date(now)), toDbInstant(until)),
    reminder.id,
  );
  if (!handedOver) return false;
  reminder.leaseUntil = until;
  return true;
}

/**
 * Delivers one claimed reminder. `turn` runs its argument when this reminder's DM may be posted to (the workspace's
 * and the channel's pace), one reminder of the workspace at a time: deciding again and handing the post to Slack
 * happen inside it, so nothing the user does between the two goes unseen; the post's round trip happens after it.
 */
export async function deliverOne(
  deps: TickDeps,
  reminder: ClaimedReminder,
  preloaded: Preloaded,
  turn: <T>(work: () => Promise<T>) => Promise<T>,
): Promise<Outcome> {
  const { clock, logger, records } = deps;
  try {
    const first = await firstLook(deps, reminder, preloaded);
    if (first.action === 'send' && first.delivery !== null) {
      // A previous attempt may have posted: Slack's DM history (message metadata) says whether it did.
      const earlier = await deps.sender.findDelivered(first.delivery);
      if (earlier !== null) {
        await afterRecord(
          deps,
          reminder,
          await records.run((trx) => markReminderSent(trx, reminder, earlier, toDbInstant(clock.now())), reminder.id),
        );
        logger.info(`reminder ${reminder.id} was already delivered (${earlier.ts}); not posting again`);
        return 'sent';
      }
    }
    const outcome: Turn =
      first.action !== 'send'
        ? { type: 'decided', decision: first }
        : await turn(async (): Promise<Turn> => {
            // A place among the posts in flight first: waiting for it comes before deciding, never between.
            await deps.posts.acquire();
            let handedOver = false;
            try {
              // Shutdown began while this one waited for its turn: handed back untried, for the next process.
              if (deps.stopping?.()) return { type: 'released' };
              // The facts may have changed while waiting (cancelled, moved, deleted): decide again just before posting.
              const decision = await decide(deps, reminder);
              if (decision.action !== 'send') return { type: 'decided', decision };
              // Past its lease another worker may have taken the reminder over: leave it to that one, not post twice.
              if (clock.now().getTime() >= reminder.leaseUntil.getTime()) return { type: 'lease' };
              const post = deps.sender
                .send(decision.delivery, () => handOver(deps, reminder))
                .then(
                  (ok) => ({ ok }),
                  (error: unknown) => ({ error }),
                )
                .finally(() => deps.posts.release());
              handedOver = true;
              return { type: 'posting', post };
            } finally {
              if (!handedOver) deps.posts.release();
            }
          });
    const nowIso = toDbInstant(clock.now());
    switch (outcome.type) {
      case 'released':
        await records.run((trx) => releaseReminders(trx, [reminder], nowIso), reminder.id);
        return 'released';
      case 'lease':
        logger.warn(`reminder ${reminder.id}: lease ran out before posting; left to the next claim`);
        return 'retried';
      case 'decided': {
        if (outcome.decision.action === 'skip') {
          logger.info(`reminder ${reminder.id} skipped: ${outcome.decision.reason}`);
          const reason = outcome.decision.reason;
          await afterRecord(
            deps,
            reminder,
            await records.run((trx) => markReminderSkipped(trx, reminder, reason, nowIso), reminder.id),
            true,
          );
          return 'skipped';
        }
        const until = toDbInstant(outcome.decision.until);
        await afterRecord(
          deps,
          reminder,
          await records.run((trx) => deferReminder(trx, reminder, until, nowIso), reminder.id),
        );
        return 'deferred';
      }
      case 'posting': {
        const result = await outcome.post;
        if ('error' in result) throw result.error;
        const posted = result.ok;
        if (posted === null) {
          logger.warn(`reminder ${reminder.id}: claim taken over before posting; left to the new claim`);
          return 'retried';
        }
        const sentAtIso = toDbInstant(clock.now());
        await afterRecord(deps, reminder, await deps.sent.record({ claim: reminder, ...posted, sentAtIso }));
        return 'sent';
      }
    }
  } catch (error) {
    return recordFailure(deps, reminder, error);
  }
}
