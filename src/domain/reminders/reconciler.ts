import type { Transaction } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { lockSubjects } from '../../db/dialect.js';
import { releaseLeases, takeLeases } from '../../db/repositories/reminders/leases-repository.js';
import {
  contactIdsToReplan,
  finishReplan,
  loadContactFacts,
  loadMeetingFacts,
  loadReminderRows,
  meetingIdsToReplan,
  pendingReplans,
  requestReplan,
} from '../../db/repositories/reminders/reminder-facts-repository.js';
import { applyReminderChanges, clearReplanFlags } from '../../db/repositories/reminders/reminder-plans-repository.js';
import type { Database } from '../../db/schema.js';
import type { LogSink } from '../../lib/logger.js';
import { pausePoint } from '../../lib/pause-points.js';
import { THIS_REPLICA } from '../../lib/replica.js';
import { FALLBACK_TIME_ZONE, toDbInstant } from '../../lib/zoned-time.js';
import { planContact } from './contact-plan.js';
import { type ReminderRow, reconcileRows } from './reconcile-rows.js';
import { CONTACT_REMINDER_KINDS, MEETING_REMINDER_KINDS, planMeeting } from './reminder-plan.js';

// The reconciler: reminder rows follow the facts (docs/reminders.md). Every change of facts calls it; nothing else
// writes reminder rows but the engine's claim and record.

/** Rows flagged while claimed and claimed no more: this reconcile is the one their flag asked for. */
function flaggedRows(rows: Map<number, ReminderRow[]>): number[] {
  return [...rows.values()]
    .flat()
    .filter((row) => row.replan && row.state !== 'claimed')
    .map((row) => row.id);
}

/** Runs `work` in the caller's transaction, or in a new one: a reconcile reads and writes as one. */
function inTransaction<T>(db: Executor, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
}

/**
 * Makes the meetings' reminder rows match what their facts call for now (the reconciler; with the engine's claim
 * and record, the only writer of reminder rows). Call it inside the transaction that changed the facts.
 */
export async function reconcileMeetings(db: Executor, meetingIds: number[], now: Date): Promise<void> {
  if (meetingIds.length === 0) return;
  await inTransaction(db, async (trx) => {
    await lockSubjects(trx, 'meetings', meetingIds);
    const subjects = await loadMeetingFacts(trx, meetingIds);
    const rows = await loadReminderRows(trx, 'meeting_id', meetingIds);
    await pausePoint('reconcile:after-read', { meetingIds });
    const changes = subjects.map((subject) => ({
      subject: { owner: subject.owner, meetingId: subject.id },
      changes: reconcileRows(
        rows.get(subject.id) ?? [],
        planMeeting(subject.facts, subject.user, now),
        MEETING_REMINDER_KINDS,
        now,
      ),
    }));
    await applyReminderChanges(trx, changes, toDbInstant(now));
    await clearReplanFlags(trx, flaggedRows(rows));
  });
}

/** The same for contacts: keep-in-touch nudges and the 3B7 nudges of their latest ask. */
export async function reconcileContacts(db: Executor, contactIds: number[], now: Date): Promise<void> {
  if (contactIds.length === 0) return;
  await inTransaction(db, async (trx) => {
    await lockSubjects(trx, 'contacts', contactIds);
    const subjects = await loadContactFacts(trx, contactIds, FALLBACK_TIME_ZONE);
    const rows = await loadReminderRows(trx, 'contact_id', contactIds);
    await pausePoint('reconcile:after-read', { contactIds });
    const changes = subjects.map((subject) => ({
      subject: { owner: subject.owner, contactId: subject.id },
      changes: reconcileRows(
        rows.get(subject.id) ?? [],
        planContact(subject.facts, subject.user, now),
        CONTACT_REMINDER_KINDS,
        now,
      ),
    }));
    await applyReminderChanges(trx, changes, toDbInstant(now));
    await clearReplanFlags(trx, flaggedRows(rows));
  });
}

/**
 * How many meetings or contacts one transaction of a large re-plan covers (about 5 ms of work); the event loop turns
 * between batches, so requests are served meanwhile.
 */
export const REPLAN_BATCH = 20;
/** Meetings older than this have nothing left to remind of (a report-back is useful until 30 days after). */
const REPLAN_HORIZON_MS = 31 * 86_400_000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function inBatches(
  next: (afterId: number) => Promise<number[]>,
  reconcile: (ids: number[]) => Promise<void>,
): Promise<void> {
  for (let afterId = 0; ; ) {
    const ids = await next(afterId);
    if (ids.length === 0) return;
    await reconcile(ids);
    afterId = ids[ids.length - 1] as number;
    await nextTurn();
  }
}

/** Re-plans every reminder of one user, or of a whole workspace (`ownerId` ''), in short batches. */
async function replan(db: Db, teamId: string, ownerId: string, now: Date): Promise<void> {
  const since = toDbInstant(new Date(now.getTime() - REPLAN_HORIZON_MS));
  const scope = { teamId, ownerId };
  await inBatches(
    (after) => meetingIdsToReplan(db, scope, since, after, REPLAN_BATCH),
    (ids) => reconcileMeetings(db, ids, now),
  );
  await inBatches(
    (after) => contactIdsToReplan(db, scope, after, REPLAN_BATCH),
    (ids) => reconcileContacts(db, ids, now),
  );
}

/**
 * Asks for a re-plan of a user's reminders (`ownerId` '' for the whole workspace) after a change that covers many
 * rows. Call inside the change's transaction, then `runPendingReplans` after it commits: the request is durable, so
 * one interrupted by a crash is done by the engine's next tick.
 */
export function requestRemindersReplan(trx: Executor, teamId: string, ownerId: string, now: Date): Promise<void> {
  return requestReplan(trx, teamId, ownerId, toDbInstant(now));
}

const REPLAN_LEASE = 'housekeeping:replans';
const REPLAN_LEASE_MS = 5 * 60_000;

/** Re-plan requests read from the queue at a time. */
export const REPLAN_REQUESTS_AT_ONCE = 20;

/** A run of the re-plan queue under way on a database, so a second caller joins it instead of doing it twice. */
const runs = new WeakMap<Db, { again: boolean; now: Date; done: Promise<number> }>();

/**
 * Runs the re-plans asked for, oldest first, each in short batches. One run at a time per database in this process:
 * a caller who comes while one runs (the trigger, another request) joins it, and the queue is read again before it
 * ends, so a request made meanwhile is not left for later. Never throws: a failure is left for the next tick.
 */
export function runPendingReplans(db: Db, now: Date, logger: Pick<LogSink, 'warn'>): Promise<number> {
  const current = runs.get(db);
  if (current !== undefined) {
    current.again = true;
    current.now = now;
    return current.done;
  }
  const run = { again: true, now, done: Promise.resolve(0) };
  run.done = (async () => {
    let done = 0;
    // One replica at a time works through the queue (another one's run reads it again before it ends, and what it
    // leaves is taken at the next tick); the lease is renewed from the latest caller's time, and runs out if this
    // one dies. Renewing it from the time it was last renewed from would write the same row again: skipped.
    let heldFrom = run.now;
    const hold = (at: Date) => {
      heldFrom = at;
      return takeLeases(
        db,
        [REPLAN_LEASE],
        THIS_REPLICA,
        toDbInstant(at),
        toDbInstant(new Date(at.getTime() + REPLAN_LEASE_MS)),
      );
    };
    try {
      // An empty queue (every idle tick of every engine) takes no lease: a look instead of two writes. A request
      // committed during the look joins this run (`again`), so the queue is read once more, under the lease.
      run.again = false;
      if ((await pendingReplans(db, 1)).length === 0 && !run.again) return 0;
      run.again = true;
      if (!(await hold(run.now)).has(REPLAN_LEASE)) return 0;
      while (run.again) {
        run.again = false;
        const requests = await pendingReplans(db, REPLAN_REQUESTS_AT_ONCE);
        const doneBefore = done;
        for (const request of requests) {
          try {
            await replan(db, request.teamId, request.ownerId, run.now);
            await finishReplan(db, request.teamId, request.ownerId, request.requestedAt);
            done += 1;
            if (run.now !== heldFrom) await hold(run.now);
            // A turn of the event loop between requests: a queue of a thousand new users' zones must not hold up
            // the requests being served (on SQLite every statement runs on this thread).
            await nextTurn();
          } catch (error) {
            logger.warn(`re-plan of ${request.teamId}/${request.ownerId || '*'} failed; left for the next tick`, error);
          }
        }
        // A full batch: more may be waiting (200 new users' zones, say); go on while the batch made progress, so
        // requests that keep failing are left for the next tick instead of being tried for ever.
        if (requests.length === REPLAN_REQUESTS_AT_ONCE && done > doneBefore) run.again = true;
      }
      await releaseLeases(db, [REPLAN_LEASE], THIS_REPLICA);
    } catch (error) {
      logger.warn('the re-plan queue could not be run; left for the next tick', error);
    } finally {
      runs.delete(db);
    }
    return done;
  })();
  runs.set(db, run);
  return run.done;
}
