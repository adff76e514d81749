import type { Db } from '../../db/database.js';
import { loadProgressActivity } from '../../db/repositories/progress-repository.js';
import { releaseLeases, takeLeases } from '../../db/repositories/reminders/leases-repository.js';
import { toDbInstant } from '../../lib/zoned-time.js';
import type { Owner } from '../types.js';
import {
  addDays,
  countsBetween,
  endedWeeks,
  type MetricCounts,
  progressEvents,
  weekStartOf,
} from './progress-facts.js';

// "My progress": a person's own funnel, week by week. Their own view includes the week under way ("so far"): what
// they did this week is what they most want to see counted, and only they see it.

export const MY_PROGRESS_WEEKS = 8;

export interface MyProgressWeek {
  /** The Monday (UTC) the week starts on. */
  weekStart: string;
  values: MetricCounts;
}

/** The week starts of the person's chart: the seven weeks that ended, then the week under way, oldest first. */
export function myProgressWeekStarts(now: Date): string[] {
  return [...endedWeeks(now, MY_PROGRESS_WEEKS - 1), weekStartOf(now.toISOString().slice(0, 10))];
}

/** The person's weekly counts for the chart (their own activity only; the last week is the one under way). */
export async function myProgressWeeks(db: Db, owner: Owner, now: Date): Promise<MyProgressWeek[]> {
  const [activity] = await loadProgressActivity(db, owner.teamId, [owner.userId]);
  const events = activity === undefined ? [] : progressEvents(activity, now);
  return myProgressWeekStarts(now).map((weekStart) => ({
    weekStart,
    values: countsBetween(events, weekStart, addDays(weekStart, 7)),
  }));
}

/** A second press while the first chart is being made or just went out sends nothing (one chart a minute at most). */
export const MY_PROGRESS_GUARD_MS = 60_000;

const guardName = (owner: Owner) => `my-progress:${owner.teamId}/${owner.userId}`;

/**
 * Claims the person's chart for the press `pressId` (its trigger id): false when another press holds it (a double
 * press, or a chart sent less than a minute ago). A lease, so replicas agree.
 */
export async function claimMyProgress(db: Db, owner: Owner, pressId: string, now: Date): Promise<boolean> {
  const name = guardName(owner);
  const held = await takeLeases(
    db,
    [name],
    `press:${pressId}`,
    toDbInstant(now),
    toDbInstant(new Date(now.getTime() + MY_PROGRESS_GUARD_MS)),
  );
  return held.has(name);
}

/** Gives the claim back after a failure, so the person can try again at once. */
export async function releaseMyProgress(db: Db, owner: Owner, pressId: string): Promise<void> {
  await releaseLeases(db, [guardName(owner)], `press:${pressId}`);
}
