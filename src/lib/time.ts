import { DateTime, IANAZone } from 'luxon';

/** The zone used until Slack tells us the user's own (users.info `tz`). */
export const FALLBACK_TIME_ZONE = 'UTC';

/** The one way an instant becomes a stored string: fixed-width ISO-8601 UTC, so text order is time order. */
export function toDbInstant(instant: Date): string {
  return instant.toISOString();
}

export function fromDbInstant(text: string): Date {
  return new Date(text);
}

// luxon builds an Intl.DateTimeFormat on every check (~60 µs); zone names are a small fixed set, so remember them.
const zoneValidity = new Map<string, boolean>();

export function isValidTimeZone(zone: string): boolean {
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (zoneValidity.size < 10_000) zoneValidity.set(zone, valid);
  }
  return valid;
}

/** Local wall-clock parts -> the instant it is in `zone`; a time in a DST gap moves forward, as clocks do. */
export function wallTimeToInstant(
  parts: { year: number; month: number; day: number; hour: number; minute: number },
  zone: string,
): Date {
  return DateTime.fromObject(parts, { zone }).toJSDate();
}

/** The zone's UTC offset in minutes at `instant` (e.g. -300 for New York in winter). */
export function offsetMinutesAt(instant: Date, zone: string): number {
  return DateTime.fromJSDate(instant, { zone }).offset;
}

/** "Tue 3 Nov 2026, 15:00" in `zone`. */
export function formatDateTime(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('ccc d LLL yyyy, HH:mm');
}

/** "Tue" in `zone`. */
export function formatWeekday(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('ccc');
}

/** "15:30" in `zone`. */
export function formatTime(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('HH:mm');
}

/** A short label for the zone at that instant, e.g. "EST" or "GMT+1", for lists where a full name is too long. */
export function zoneAbbreviation(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('ZZZZ');
}

export function addMinutes(instant: Date, minutes: number): Date {
  return new Date(instant.getTime() + minutes * 60_000);
}
