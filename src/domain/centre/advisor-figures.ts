import type { ShareLevel } from '../../db/schema.js';
import {
  activitySince,
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
  /** When the share began: nothing from before that day is shown. */
  since: string;
  overdueFollowUps: number;
  lastActivity: Date | null;
  /** Nothing for IDLE_DAYS since the later of their last activity and the day sharing began. */
  idle: boolean;
}

/** A share as the figures need it: `since` is when it began (the advisor sees nothing from before that day). */
export interface ShareSeen {
  ownerId: string;
  level: ShareLevel;
  since: string;
}

/** The day (UTC) a share began: the advisor's view of the person starts there. */
export function shareDay(share: ShareSeen): string {
  return share.since.slice(0, 10);
}

function isIdle(lastActivity: Date | null, share: ShareSeen, now: Date): boolean {
  const from = Math.max(lastActivity?.getTime() ?? Number.NEGATIVE_INFINITY, new Date(share.since).getTime());
  return now.getTime() - from >= IDLE_DAYS * DAY_MS;
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

/** One person's figures as the advisor sees them: from the day the share began. */
export function sharerFigures(
  sharer: ShareSeen,
  all: ProgressActivity,
  now: Date,
  holidays: ReadonlySet<string>,
): SharerFigures {
  const activity = activitySince(all, shareDay(sharer));
  const events = progressEvents(activity, now);
  const today = now.toISOString().slice(0, 10);
  const from = addDays(today, 1 - RECENT_DAYS);
  const lastActivity = latestActivity(activity, now);
  return {
    ownerId: sharer.ownerId,
    level: sharer.level,
    since: sharer.since,
    recent: { counts: countsBetween(events, from, null), replyRate: replyRate(activity, from, null) },
    total: { counts: countsBetween(events, null, null), replyRate: replyRate(activity, null, null) },
    overdueFollowUps: overdueFollowUps(activity, now, holidays),
    lastActivity,
    idle: isIdle(lastActivity, sharer, now),
  };
}

/**
 * Where a person stands from their latest activity (as latestActivity reads it; a later one is taken as now) and the
 * days their asks waiting with no follow-up went out.
 */
export function sharerStanding(
  sharer: ShareSeen,
  latest: Date | null,
  waiting: { timeZone: string | null; sentOn: readonly string[] },
  now: Date,
  holidays: ReadonlySet<string>,
): SharerStanding {
  const from = shareDay(sharer);
  const seen = latest !== null && latest.toISOString().slice(0, 10) >= from ? latest : null;
  const lastActivity = seen === null ? null : new Date(Math.min(seen.getTime(), now.getTime()));
  const asks = waiting.sentOn
    .filter((sentOn) => sentOn >= from)
    .map((sentOn) => ({
      status: 'waiting' as const,
      sentOn,
      followedUpAt: null,
      closedAt: null,
    }));
  const activity = { userId: sharer.ownerId, timeZone: waiting.timeZone, asks, meetings: [], referralsAt: [] };
  return {
    ownerId: sharer.ownerId,
    level: sharer.level,
    since: sharer.since,
    overdueFollowUps: overdueFollowUps({ ...activity, lastContactAt: null }, now, holidays),
    lastActivity,
    idle: isIdle(lastActivity, sharer, now),
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
