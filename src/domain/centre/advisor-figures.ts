import type { ShareLevel } from '../../db/schema.js';
import {
  addDays,
  countsBetween,
  lastActivityAt,
  type MetricCounts,
  overdueFollowUps,
  type ProgressActivity,
  progressEvents,
  replyRate,
} from './progress-facts.js';

// What the advisor's Home shows of each person who shares with them: pure, from activity without any text.

/** "Nothing for this long" earns a gentle flag. */
export const IDLE_DAYS = 14;
/** The recent window: the 28 days up to and including today (UTC). */
export const RECENT_DAYS = 28;
/** People per page of the advisor's Home: with the person's own sections, Home stays within 100 blocks. */
export const ADVISOR_PAGE_SIZE = 20;

export type AdvisorSort = 'recent' | 'nudge';
export const ADVISOR_SORTS: readonly AdvisorSort[] = ['recent', 'nudge'];

export interface PeriodFigures {
  counts: MetricCounts;
  /** Share of the period's asks that got an answer; null with no ask. */
  replyRate: number | null;
}

/** Where a person stands: what sorting and the flags need. */
export interface SharerStanding {
  ownerId: string;
  level: ShareLevel;
  overdueFollowUps: number;
  lastActivity: Date | null;
  /** Nothing for IDLE_DAYS (or nothing ever). */
  idle: boolean;
}

export interface SharerFigures extends SharerStanding {
  recent: PeriodFigures;
  total: PeriodFigures;
}

const DAY_MS = 86_400_000;

/**
 * The latest thing the person did: lastActivityAt, and also a conversation that has ended (holding one is activity
 * even before its debrief).
 */
export function latestActivity(activity: ProgressActivity, now: Date): Date | null {
  let latest = lastActivityAt(activity)?.getTime() ?? Number.NEGATIVE_INFINITY;
  for (const meeting of activity.meetings)
    if (!meeting.cancelled && meeting.endsAt <= now) latest = Math.max(latest, meeting.endsAt.getTime());
  return Number.isFinite(latest) ? new Date(Math.min(latest, now.getTime())) : null;
}

/** One person's figures as the advisor sees them. */
export function sharerFigures(
  sharer: { ownerId: string; level: ShareLevel },
  activity: ProgressActivity,
  now: Date,
  holidays: ReadonlySet<string>,
): SharerFigures {
  const events = progressEvents(activity, now);
  const today = now.toISOString().slice(0, 10);
  const from = addDays(today, 1 - RECENT_DAYS);
  const lastActivity = latestActivity(activity, now);
  return {
    ownerId: sharer.ownerId,
    level: sharer.level,
    recent: { counts: countsBetween(events, from, null), replyRate: replyRate(activity, from, null) },
    total: { counts: countsBetween(events, null, null), replyRate: replyRate(activity, null, null) },
    overdueFollowUps: overdueFollowUps(activity, now, holidays),
    lastActivity,
    idle: lastActivity === null || now.getTime() - lastActivity.getTime() >= IDLE_DAYS * DAY_MS,
  };
}

/**
 * Where a person stands from their latest activity (as latestActivity reads it; a later one is taken as now) and the
 * days their asks waiting with no follow-up went out.
 */
export function sharerStanding(
  sharer: { ownerId: string; level: ShareLevel },
  latest: Date | null,
  waiting: { timeZone: string | null; sentOn: readonly string[] },
  now: Date,
  holidays: ReadonlySet<string>,
): SharerStanding {
  const lastActivity = latest === null ? null : new Date(Math.min(latest.getTime(), now.getTime()));
  const asks = waiting.sentOn.map((sentOn) => ({
    status: 'waiting' as const,
    sentOn,
    followedUpAt: null,
    closedAt: null,
  }));
  const activity = { userId: sharer.ownerId, timeZone: waiting.timeZone, asks, meetings: [], referralsAt: [] };
  return {
    ownerId: sharer.ownerId,
    level: sharer.level,
    overdueFollowUps: overdueFollowUps({ ...activity, lastContactAt: null }, now, holidays),
    lastActivity,
    idle: lastActivity === null || now.getTime() - lastActivity.getTime() >= IDLE_DAYS * DAY_MS,
  };
}

/** Whether the person could do with a nudge: nothing for 14 days or a follow-up overdue. */
export function needsNudge(standing: SharerStanding): boolean {
  return standing.idle || standing.overdueFollowUps > 0;
}

const recency = (standing: SharerStanding) => standing.lastActivity?.getTime() ?? Number.NEGATIVE_INFINITY;

/**
 * `recent`: latest activity first (no activity last). `nudge`: those with a flag first, the longest quiet first;
 * then the others, latest first. Ties by user id, so pages are stable.
 */
export function sortSharers<T extends SharerStanding>(list: readonly T[], sort: AdvisorSort): T[] {
  return [...list].sort((a, b) => {
    if (sort === 'nudge') {
      const flagged = Number(needsNudge(b)) - Number(needsNudge(a));
      if (flagged !== 0) return flagged;
      if (needsNudge(a) && recency(a) !== recency(b)) return recency(a) < recency(b) ? -1 : 1;
    }
    if (recency(a) !== recency(b)) return recency(a) > recency(b) ? -1 : 1;
    return a.ownerId < b.ownerId ? -1 : a.ownerId > b.ownerId ? 1 : 0;
  });
}

/** The page count for `total` people (at least one page) and `page` clamped into it. */
export function clampPage(page: number, total: number): { page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(total / ADVISOR_PAGE_SIZE));
  return { page: Math.min(Math.max(0, Math.trunc(page)), pages - 1), pages };
}
