import { isWebLink } from '../links.js';
import type { MeetingWithContact, Owner } from '../types.js';
import { calendarUid, meetingEventText } from './calendar-file.js';

/** The feed holds meetings that started up to this many days ago, and cancellations this many days old. */
export const FEED_DAYS = 30;

/** One meeting as the feed shows it: with when it last changed, and when it was cancelled (null while scheduled). */
export interface FeedMeeting extends Pick<MeetingWithContact, 'meeting' | 'contact'> {
  updatedAt: Date;
  cancelledAt: Date | null;
}

/** RFC 5545 3.3.5, UTC form: 20261203T150000Z. */
export function icsUtc(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Control characters but the tab: TEXT may not hold them. */
const CONTROL = /(?!\t)\p{Cc}/gu;

/**
 * RFC 5545 3.3.11 TEXT: backslash, semicolon and comma escaped, every line break written `\n`; other control
 * characters (which TEXT may not hold) dropped.
 */
export function escapeIcsText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(CONTROL, '');
}

const encoder = new TextEncoder();

/**
 * RFC 5545 3.1: a content line longer than 75 octets is folded (CRLF and one space), never inside a UTF-8 sequence;
 * each continuation line's leading space counts towards its 75 octets.
 */
export function foldIcsLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function eventLines(owner: Owner, entry: FeedMeeting): string[] {
  const { meeting } = entry;
  const { title, description } = meetingEventText(entry);
  const end = new Date(meeting.startsAt.getTime() + meeting.durationMinutes * 60_000);
  const cancelled = meeting.status === 'cancelled';
  return [
    'BEGIN:VEVENT',
    `UID:${calendarUid(owner, meeting.id)}`,
    // The last change: a feed read twice without a change in between is the same bytes (and the same ETag).
    `DTSTAMP:${icsUtc(entry.updatedAt)}`,
    `LAST-MODIFIED:${icsUtc(entry.updatedAt)}`,
    `SEQUENCE:${meeting.calendarSequence}`,
    `DTSTART:${icsUtc(meeting.startsAt)}`,
    `DTEND:${icsUtc(end)}`,
    `SUMMARY:${escapeIcsText(cancelled ? `Cancelled: ${title}` : title)}`,
    `DESCRIPTION:${escapeIcsText(description)}`,
    ...(meeting.location ? [`LOCATION:${escapeIcsText(meeting.location)}`] : []),
    // A URI value is not TEXT (no escaping); a link with a line break or a control character is left out.
    ...(meeting.location && isWebLink(meeting.location) && !/\p{Cc}/u.test(meeting.location)
      ? [`URL:${meeting.location}`]
      : []),
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
  ];
}

/**
 * The user's meetings as one iCalendar (RFC 5545) that calendar programs subscribe to: each meeting one VEVENT under
 * the UID its calendar file uses (calendar-file.ts), so a calendar that imported the file and subscribes to the feed
 * holds one event; a reschedule keeps the UID with a higher SEQUENCE; a cancelled meeting stays, STATUS:CANCELLED,
 * so calendars drop it. Times in UTC; CRLF line ends; lines folded at 75 octets. Pure: the same meetings give the
 * same bytes (no clock is read).
 */
export function calendarFeed(owner: Owner, entries: readonly FeedMeeting[]): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//infoview//calendar feed//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'X-WR-CALNAME:infoview',
    'NAME:infoview',
    // RFC 7986 and its older spelling: how often a calendar should read the feed again (many choose their own).
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
    ...entries.flatMap((entry) => eventLines(owner, entry)),
    'END:VCALENDAR',
  ];
  return `${lines.map(foldIcsLine).join('\r\n')}\r\n`;
}
