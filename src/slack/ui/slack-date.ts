import { atLocalTime, formatDay } from '../../domain/business-days.js';
import { formatDateTime } from '../../lib/zoned-time.js';
import { escapeMrkdwn } from './text.js';

/**
 * The token strings infoview writes in Slack's date formatting (docs.slack.dev "Formatting text for app surfaces",
 * dates): Slack shows each in the reader's own zone, locale and 12- or 24-hour clock.
 */
export const DATE_TOKENS = {
  /** A moment: "Today at 3:00 PM", "Nov 3, 2026 at 15:00". */
  dayAndTime: '{date_short_pretty} at {time}',
  /** The clock time alone, e.g. the end of a meeting: "3:30 PM" or "15:30". */
  time: '{time}',
  /** A day with no time that matters: "Tomorrow", "Friday, December 4th, 2026". */
  day: '{date_long_pretty}',
} as const;

export type DateTokens = (typeof DATE_TOKENS)[keyof typeof DATE_TOKENS];

/**
 * `<!date^SECONDS^TOKENS|fallback>`: the instant as each reader reads dates, for mrkdwn only (in plain_text it shows
 * as typed). `fallback` is infoview's own text, shown where Slack cannot format (older clients, some notifications);
 * it is escaped here, and a `|` (which would end the token's parts) becomes a `/`. Never use it in plain_text, labels,
 * buttons, option texts or a message's notification `text`.
 */
export function slackDate(instant: Date, tokens: DateTokens, fallback: string): string {
  const seconds = Math.floor(instant.getTime() / 1000);
  const text = fallback.replace(/\|/g, '/').trim();
  return `<!date^${seconds}^${tokens}|${escapeMrkdwn(text === '' ? instant.toISOString() : text)}>`;
}

/** A moment in mrkdwn: the reader's own day and time, with "Tue 3 Nov 2026, 15:00" in `zone` as the fallback. */
export function slackDateTime(instant: Date, zone: string): string {
  return slackDate(instant, DATE_TOKENS.dayAndTime, formatDateTime(instant, zone));
}

/**
 * A calendar day ("YYYY-MM-DD" in the user's `zone`) in mrkdwn, with "Fri 4 Dec 2026" as the fallback. Slack needs an
 * instant, so the day stands as its noon in `zone`: the user, whose zone it is, reads the same day.
 */
export function slackDay(day: string, zone: string): string {
  return slackDate(atLocalTime(day, '12:00', zone), DATE_TOKENS.day, formatDay(day));
}
