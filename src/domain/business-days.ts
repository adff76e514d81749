import { DateTime } from 'luxon';
import { inZone } from '../lib/zoned-time.js';

// Business days for the 3B7 rhythm of asks. Days are calendar dates ("YYYY-MM-DD"), read in the user's zone: the
// count is about dates, so a DST change or a year end cannot move it; only the moment a nudge comes on a day is an
// instant, and luxon builds that in the zone.

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date as "YYYY-MM-DD", or null when it is not a real date. */
export function parseDay(text: string): string | null {
  if (!DAY.test(text)) return null;
  const parsed = DateTime.fromISO(text, { zone: 'UTC' });
  return parsed.isValid && parsed.toISODate() === text ? text : null;
}

function dateOf(day: string): DateTime {
  return DateTime.fromISO(day, { zone: 'UTC' });
}

const DAY_MS = 86_400_000;

// Counting walks day by day with plain UTC dates, not luxon: a DateTime per day made the advisor's Home (hundreds of
// people's asks counted at each publish) spend most of its time here. Dates only, so UTC is exact.
function isWeekday(utcMidnightMs: number): boolean {
  const weekday = new Date(utcMidnightMs).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

export function isBusinessDay(day: string, holidays: ReadonlySet<string>): boolean {
  return isWeekday(Date.parse(`${day}T00:00:00Z`)) && !holidays.has(day);
}

/** The `count`th business day after `day` (a Friday and 3: the Wednesday after). */
export function addBusinessDays(day: string, count: number, holidays: ReadonlySet<string>): string {
  let date = dateOf(day);
  for (let left = count; left > 0; ) {
    date = date.plus({ days: 1 });
    if (isBusinessDay(date.toISODate() as string, holidays)) left -= 1;
  }
  return date.toISODate() as string;
}

/** How many business days after `from` have begun by `to` (0 on the day itself, 3 on the third business day). */
export function businessDaysSince(from: string, to: string, holidays: ReadonlySet<string>): number {
  let count = 0;
  let at = Date.parse(`${from}T00:00:00Z`);
  // Bounded: an ask older than a year counts as a year.
  for (let steps = 0; steps < 366; steps++) {
    at += DAY_MS;
    const day = new Date(at).toISOString().slice(0, 10);
    if (day > to) break;
    if (isWeekday(at) && !holidays.has(day)) count += 1;
  }
  return count;
}

/** The local calendar date of an instant in a zone. */
export function localDay(instant: Date, zone: string): string {
  return inZone(instant, zone).toISODate() as string;
}

/** The instant the local clock in `zone` shows `hhmm` on `day` (a time skipped by DST moves forward, as luxon does). */
export function atLocalTime(day: string, hhmm: string, zone: string): Date {
  const [hour, minute] = hhmm.split(':').map(Number);
  return DateTime.fromISO(day, { zone })
    .set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 })
    .toJSDate();
}

/** A day as people read it: "Fri 4 Dec 2026". */
export function formatDay(day: string): string {
  return DateTime.fromISO(day, { zone: 'UTC' }).toFormat('ccc d LLL yyyy');
}
