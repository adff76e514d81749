import type { Db } from '../../db/database.js';
import {
  deleteExpiredMeetingReminders,
  deleteExpiredOauthStates,
  deleteLapsedLeases,
  deleteOldAdvisorCharts,
  deleteOldAdvisorViews,
  deleteOldCohortWeeks,
  deleteOldProcessedEvents,
} from '../../db/repositories/housekeeping/retention-repository.js';
import { releaseLeases, takeLeases } from '../../db/repositories/reminders/leases-repository.js';
import type { LogSink } from '../../lib/logger.js';
import { toDbInstant } from '../../lib/zoned-time.js';

// How long rows nothing reads any more are kept (README, "Data retention"), in one place, and the housekeeping pass
// that deletes them in bounded batches on the one replica holding its lease.

const DAY_MS = 86_400_000;

/**
 * A meeting's reminder that was sent, skipped or cancelled, counted from its due time. Safe once the planner can never
 * call for that delivery again (docs/reminders.md, "Data retention"): its key is the meeting's start, a reminder is
 * never due more than 4 days before the start it names (a 48-hour prep lead, held to the evening before or the day
 * before that), and no kind is wanted more than 30 days after it (the late report-back). 45 > 4 + 30, with a margin.
 */
export const DONE_REMINDER_DAYS = 45;
/** A failed reminder: listed by `npm run reminders -- --failed` (and retried by hand while still useful) for 90 days. */
export const FAILED_REMINDER_DAYS = 90;
/** A used OAuth state is refused by its age after 10 minutes; kept a minute more for a replica whose clock is behind. */
export const OAUTH_STATE_MS = 11 * 60_000;
/** An event id: Slack redelivers an event up to 3 times within about 6 minutes; kept an hour. */
export const PROCESSED_EVENT_MS = 60 * 60_000;
/** A lease that ran out an hour ago: free to every reader already, so its row goes (crashed replicas leave them). */
export const LAPSED_LEASE_MS = 60 * 60_000;
/** An advisor's looks at a person's figures, kept a year (each advisor's latest look at each person is kept always). */
export const ADVISOR_VIEW_DAYS = 365;
/** Frozen cohort weeks and Monday charts: the tables and charts read the last 8 ended weeks; 12 are kept. */
export const CENTRE_WEEKS = 12;

/**
 * Rows one statement deletes at most, and statements per table in one pass: a pass stays a few short statements.
 * On SQLite a statement runs on the event loop: 1,000 reminder rows took about 115 ms to delete (bench:reminders,
 * 2026-12-07), 250 about a quarter of that. Housekeeping runs the next pass at the next firing while rows are left.
 */
export const RETENTION_BATCH = 250;
export const RETENTION_BATCHES_PER_PASS = 4;

/** After a pass that left nothing past its time, the next one is this much later (its statements scan some tables). */
export const RETENTION_IDLE_MS = 60 * 60_000;

const RETENTION_LEASE = 'housekeeping:retention';
const RETENTION_LEASE_MS = 5 * 60_000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What a pass deleted: rows, except cohort_weeks (workspace-weeks, 9 rows each). */
export type Deleted = Record<
  'reminders' | 'oauth_states' | 'processed_events' | 'leases' | 'advisor_views' | 'cohort_weeks' | 'advisor_charts',
  number
>;

export interface RetentionPass {
  /** Null when another replica holds the lease. */
  deleted: Deleted | null;
  /** A table still had rows past their time when the pass stopped: run again soon. */
  more: boolean;
}

/**
 * One housekeeping pass: on the replica that holds the retention lease (`holder`), deletes up to
 * `batches` × `batchSize` rows per table that are past their retention, a turn of the event loop between statements
 * (on SQLite every statement runs on the event loop). Never throws: what is left is for the next pass.
 */
export async function pruneExpiredRows(
  db: Db,
  now: Date,
  holder: string,
  logger: Pick<LogSink, 'info' | 'warn'>,
  bounds: { batchSize: number; batches: number } = { batchSize: RETENTION_BATCH, batches: RETENTION_BATCHES_PER_PASS },
): Promise<RetentionPass> {
  const nowIso = toDbInstant(now);
  const until = toDbInstant(new Date(now.getTime() + RETENTION_LEASE_MS));
  try {
    if (!(await takeLeases(db, [RETENTION_LEASE], holder, nowIso, until)).has(RETENTION_LEASE))
      return { deleted: null, more: false };
  } catch (error) {
    logger.warn('could not take the retention lease; left for the next run', error);
    return { deleted: null, more: false };
  }
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const weeksAgo = ago(CENTRE_WEEKS * 7)
    .toISOString()
    .slice(0, 10);
  const reminderCutoffs = {
    doneBeforeIso: toDbInstant(ago(DONE_REMINDER_DAYS)),
    failedBeforeIso: toDbInstant(ago(FAILED_REMINDER_DAYS)),
  };
  const statesBefore = toDbInstant(new Date(now.getTime() - OAUTH_STATE_MS));
  const eventsBefore = toDbInstant(new Date(now.getTime() - PROCESSED_EVENT_MS));
  const leasesBefore = toDbInstant(new Date(now.getTime() - LAPSED_LEASE_MS));
  const { batchSize } = bounds;
  // Per table: at most how many units one statement deletes, and the statement (it returns the units deleted).
  const tables: [keyof Deleted, number, (limit: number) => Promise<number>][] = [
    ['reminders', batchSize, (limit) => deleteExpiredMeetingReminders(db, reminderCutoffs, limit)],
    ['oauth_states', batchSize, (limit) => deleteExpiredOauthStates(db, statesBefore, limit)],
    ['processed_events', batchSize, (limit) => deleteOldProcessedEvents(db, eventsBefore, limit)],
    ['leases', batchSize, (limit) => deleteLapsedLeases(db, leasesBefore, limit)],
    ['advisor_views', batchSize, (limit) => deleteOldAdvisorViews(db, toDbInstant(ago(ADVISOR_VIEW_DAYS)), limit)],
    // Workspace-weeks (9 rows each) and charts.
    ['cohort_weeks', Math.ceil(batchSize / 10), (limit) => deleteOldCohortWeeks(db, weeksAgo, limit)],
    ['advisor_charts', Math.ceil(batchSize / 5), (limit) => deleteOldAdvisorCharts(db, weeksAgo, limit)],
  ];
  const deleted: Deleted = {
    reminders: 0,
    oauth_states: 0,
    processed_events: 0,
    leases: 0,
    advisor_views: 0,
    cohort_weeks: 0,
    advisor_charts: 0,
  };
  let more = false;
  try {
    for (const [table, limit, prune] of tables) {
      for (let batch = 0; batch < bounds.batches; batch++) {
        const gone = await prune(limit);
        deleted[table] += gone;
        await nextTurn();
        // A short batch: nothing more of this table is past its time.
        if (gone < limit) break;
        if (batch === bounds.batches - 1) more = true;
      }
    }
    await releaseLeases(db, [RETENTION_LEASE], holder);
  } catch (error) {
    logger.warn('a retention pass failed; left for the next run', error);
    return { deleted, more: true };
  }
  const total = Object.values(deleted).reduce((sum, n) => sum + n, 0);
  if (total > 0) logger.info(`deleted rows past their retention: ${JSON.stringify(deleted)}`);
  return { deleted, more };
}
