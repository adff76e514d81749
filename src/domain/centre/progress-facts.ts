import { businessDaysSince, localDay } from '../business-days.js';
import { ASK_FOLLOW_UP_BUSINESS_DAY } from '../reminders/contact-plan.js';
import type { AskStatus } from '../types.js';

// What an advisor may learn about a person's progress, and nothing more: counts and stages with their dates. The
// activity below is built by a query that reads no text column at all (no names, notes, drafts, questions, contact
// details), so no figure can carry them.

export const PROGRESS_METRICS = [
  'asks',
  'replies',
  'conversations',
  'thank_yous',
  'report_backs',
  'referrals',
] as const;
export type ProgressMetric = (typeof PROGRESS_METRICS)[number];
export type MetricCounts = Record<ProgressMetric, number>;

export const METRIC_LABELS: Record<ProgressMetric, string> = {
  asks: 'Asks sent',
  replies: 'Replies',
  conversations: 'Conversations held',
  thank_yous: 'Thank-yous within 24 h',
  report_backs: 'Report-backs',
  referrals: 'Referrals gained',
};

/** One person's activity without any text: what the progress figures are computed from. */
export interface ProgressActivity {
  userId: string;
  /** Their zone (for "today" in the 3B7 count); UTC when unknown. */
  timeZone: string | null;
  asks: { status: AskStatus; sentOn: string; followedUpAt: Date | null; closedAt: Date | null }[];
  meetings: {
    cancelled: boolean;
    startsAt: Date;
    endsAt: Date;
    debriefedAt: Date | null;
    thankYouSentAt: Date | null;
    reportedBackAt: Date | null;
  }[];
  /** When each contact someone referred them to was logged. */
  referralsAt: Date[];
  /** The latest contact logged or edited, if any. */
  lastContactAt: Date | null;
}

/** One counted thing on its day ("YYYY-MM-DD", UTC; an ask on the day the person said it went out). */
export interface ProgressEvent {
  metric: ProgressMetric;
  day: string;
}

const DAY_MS = 86_400_000;

function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Every counted event of a person up to `now`: a meeting counts as a conversation once it has ended. */
export function progressEvents(activity: ProgressActivity, now: Date): ProgressEvent[] {
  const events: ProgressEvent[] = [];
  for (const ask of activity.asks) {
    events.push({ metric: 'asks', day: ask.sentOn });
    if (ask.status === 'replied' || ask.status === 'declined')
      events.push({ metric: 'replies', day: ask.closedAt === null ? ask.sentOn : utcDay(ask.closedAt) });
  }
  for (const meeting of activity.meetings) {
    if (meeting.cancelled || meeting.endsAt > now) continue;
    events.push({ metric: 'conversations', day: utcDay(meeting.startsAt) });
    const thanked = meeting.thankYouSentAt;
    if (thanked !== null && thanked.getTime() - meeting.endsAt.getTime() <= DAY_MS)
      events.push({ metric: 'thank_yous', day: utcDay(thanked) });
    if (meeting.reportedBackAt !== null) events.push({ metric: 'report_backs', day: utcDay(meeting.reportedBackAt) });
  }
  for (const at of activity.referralsAt) events.push({ metric: 'referrals', day: utcDay(at) });
  return events;
}

export function zeroCounts(): MetricCounts {
  return { asks: 0, replies: 0, conversations: 0, thank_yous: 0, report_backs: 0, referrals: 0 };
}

/** Counts of the events on days from `fromDay` (inclusive) to `toDay` (exclusive); null bounds are open. */
export function countsBetween(
  events: readonly ProgressEvent[],
  fromDay: string | null,
  toDay: string | null,
): MetricCounts {
  const counts = zeroCounts();
  for (const event of events) {
    if (fromDay !== null && event.day < fromDay) continue;
    if (toDay !== null && event.day >= toDay) continue;
    counts[event.metric] += 1;
  }
  return counts;
}

/** The share of asks sent in the period that got an answer (a yes or a no), or null with no ask. */
export function replyRate(activity: ProgressActivity, fromDay: string | null, toDay: string | null): number | null {
  const sent = activity.asks.filter(
    (ask) => (fromDay === null || ask.sentOn >= fromDay) && (toDay === null || ask.sentOn < toDay),
  );
  if (sent.length === 0) return null;
  return sent.filter((ask) => ask.status === 'replied' || ask.status === 'declined').length / sent.length;
}

/**
 * The activity from `sinceDay` on (asks sent, conversations begun, referrals logged that day or later): all an
 * advisor sees of a person who began sharing with them that day. Earlier activity stays out because an advisor who
 * gained a sharer could otherwise take that person's past weeks away from cohort tables they already hold and single
 * out whoever is left (the cohort property test finds it within a few hundred runs).
 */
export function activitySince(activity: ProgressActivity, sinceDay: string): ProgressActivity {
  return {
    ...activity,
    asks: activity.asks.filter((ask) => ask.sentOn >= sinceDay),
    meetings: activity.meetings.filter((meeting) => utcDay(meeting.startsAt) >= sinceDay),
    referralsAt: activity.referralsAt.filter((at) => utcDay(at) >= sinceDay),
    lastContactAt:
      activity.lastContactAt !== null && utcDay(activity.lastContactAt) >= sinceDay ? activity.lastContactAt : null,
  };
}

/** The Monday (UTC) of the week a day falls in. */
export function weekStartOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const back = (date.getUTCDay() + 6) % 7;
  return utcDay(new Date(date.getTime() - back * DAY_MS));
}

/** The Mondays of the `count` weeks that have ended by `now`, oldest first (the week under way is not one). */
export function endedWeeks(now: Date, count: number): string[] {
  const current = weekStartOf(utcDay(now));
  const first = new Date(`${current}T00:00:00Z`).getTime() - count * 7 * DAY_MS;
  return Array.from({ length: count }, (_, index) => utcDay(new Date(first + index * 7 * DAY_MS)));
}

/** The day `days` after `day`. */
export function addDays(day: string, days: number): string {
  return utcDay(new Date(new Date(`${day}T00:00:00Z`).getTime() + days * DAY_MS));
}

/** Waiting asks whose 7th-business-day follow-up has come and was not sent. */
export function overdueFollowUps(activity: ProgressActivity, now: Date, holidays: ReadonlySet<string>): number {
  const today = localDay(now, activity.timeZone ?? 'UTC');
  return activity.asks.filter(
    (ask) =>
      ask.status === 'waiting' &&
      ask.followedUpAt === null &&
      businessDaysSince(ask.sentOn, today, holidays) >= ASK_FOLLOW_UP_BUSINESS_DAY,
  ).length;
}

/** The latest thing the person did that the figures know of, or null. */
export function lastActivityAt(activity: ProgressActivity): Date | null {
  const instants: Date[] = [];
  if (activity.lastContactAt !== null) instants.push(activity.lastContactAt);
  for (const ask of activity.asks) {
    instants.push(new Date(`${ask.sentOn}T00:00:00Z`));
    if (ask.followedUpAt !== null) instants.push(ask.followedUpAt);
    if (ask.closedAt !== null) instants.push(ask.closedAt);
  }
  for (const meeting of activity.meetings)
    for (const at of [meeting.debriefedAt, meeting.thankYouSentAt, meeting.reportedBackAt])
      if (at !== null) instants.push(at);
  for (const at of activity.referralsAt) instants.push(at);
  if (instants.length === 0) return null;
  return new Date(Math.max(...instants.map((at) => at.getTime())));
}

export type AskStage = 'waiting' | 'followed_up' | 'replied' | 'declined' | 'no_answer';
export type ConversationStage = 'planned' | 'held' | 'debriefed' | 'thanked' | 'reported_back' | 'cancelled';

/** One ask's or meeting's stage and date, without the other person: the "counts and stages" level. */
export type ProgressStage =
  | { kind: 'ask'; stage: AskStage; day: string }
  | { kind: 'conversation'; stage: ConversationStage; day: string };

export function progressStages(activity: ProgressActivity, now: Date): ProgressStage[] {
  const stages: ProgressStage[] = [];
  for (const ask of activity.asks) {
    const stage: AskStage =
      ask.status === 'waiting' ? (ask.followedUpAt === null ? 'waiting' : 'followed_up') : ask.status;
    stages.push({ kind: 'ask', stage, day: ask.sentOn });
  }
  for (const meeting of activity.meetings) {
    const stage: ConversationStage = meeting.cancelled
      ? 'cancelled'
      : meeting.reportedBackAt !== null
        ? 'reported_back'
        : meeting.thankYouSentAt !== null
          ? 'thanked'
          : meeting.debriefedAt !== null
            ? 'debriefed'
            : meeting.endsAt <= now
              ? 'held'
              : 'planned';
    stages.push({ kind: 'conversation', stage, day: utcDay(meeting.startsAt) });
  }
  return stages.sort((a, b) => b.day.localeCompare(a.day));
}
