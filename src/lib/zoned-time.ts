import { DateTime, IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';

/** The zone used until Slack tells us the user's own (users.info `tz`). */
export const FALLBACK_TIME_ZONE = 'UTC';

/** The one way an instant becomes a stored string: fixed-width ISO-8601 UTC, so text order is time order. */
export function toDbInstant(instant: Date): string {
  return instant.toISOString();
}

export function fromDbInstant(text: string): Date {
  return new Date(text);
}

// The zone caches below are a speed mechanism: their ledger entry is "The zone caches" in docs/performance.md.

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

/**
 * An IANA zone whose UTC offsets are remembered per quarter hour. luxon asks Intl for every offset it needs (tens of
 * µs each, the largest cost of planning reminders); a modern zone's offset only changes on a quarter hour, so the
 * offset found for one instant holds for its whole quarter.
 */
class RememberingZone extends Zone {
  private readonly offsets = new Map<number, number>();
  private readonly names = new Map<string, Intl.DateTimeFormat>();
  constructor(private readonly iana: IANAZone) {
    super();
  }
  override get type(): string {
    return 'iana';
  }
  override get name(): string {
    return this.iana.name;
  }
  override get isUniversal(): boolean {
    return false;
  }
  override get isValid(): boolean {
    return this.iana.isValid;
  }
  /** luxon builds an Intl.DateTimeFormat for every name (about 0.4 ms, most of rendering a reminder): kept here. */
  override offsetName(ts: number, options: ZoneOffsetOptions): string | null {
    if (options.format === undefined) return this.iana.offsetName(ts, options);
    const key = `${options.format}|${options.locale}`;
    let names = this.names.get(key);
    if (names === undefined) {
      // luxon's own options (parseZoneInfo), so the name is the one it gives.
      const parts = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' } as const;
      const timeZoneName = options.format;
      names = new Intl.DateTimeFormat(options.locale, {
        timeZoneName,
        hourCycle: 'h23',
        ...parts,
        timeZone: this.name,
      });
      this.names.set(key, names);
    }
    return names.formatToParts(ts).find((part) => part.type.toLowerCase() === 'timezonename')?.value ?? null;
  }
  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.iana.formatOffset(ts, format);
  }
  override offset(ts: number): number {
    const quarter = Math.floor(ts / 900_000);
    let offset = this.offsets.get(quarter);
    if (offset === undefined) {
      offset = this.iana.offset(ts);
      if (this.offsets.size >= 50_000) this.offsets.clear();
      this.offsets.set(quarter, offset);
    }
    return offset;
  }
  override equals(other: Zone): boolean {
    return other.type === 'iana' && other.name === this.name;
  }
}

const rememberingZones = new Map<string, RememberingZone>();

function rememberingZone(zone: string): RememberingZone {
  let remembering = rememberingZones.get(zone);
  if (remembering === undefined) {
    remembering = new RememberingZone(IANAZone.create(zone));
    if (rememberingZones.size < 1_000) rememberingZones.set(zone, remembering);
  }
  return remembering;
}

/** `instant` as a luxon DateTime in the IANA `zone`, with offsets remembered (for hot paths such as planning). */
export function inZone(instant: Date, zone: string): DateTime {
  return DateTime.fromJSDate(instant, { zone: rememberingZone(zone) });
}

/** The local wall-clock minute of the day (0–1439) at `instant` in `zone`, with no DateTime made. */
export function localMinuteOfDay(instant: Date, zone: string): number {
  const localMinutes = Math.floor(instant.getTime() / 60_000) + rememberingZone(zone).offset(instant.getTime());
  return ((localMinutes % 1440) + 1440) % 1440;
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
  return inZone(instant, zone).offset;
}

/** "Tue 3 Nov 2026, 15:00" in `zone`. */
export function formatDateTime(instant: Date, zone: string): string {
  return inZone(instant, zone).toFormat('ccc d LLL yyyy, HH:mm');
}

/** "Tue" in `zone`. */
export function formatWeekday(instant: Date, zone: string): string {
  return inZone(instant, zone).toFormat('ccc');
}

/** "15:30" in `zone`. */
export function formatTime(instant: Date, zone: string): string {
  return inZone(instant, zone).toFormat('HH:mm');
}

/** A short label for the zone at that instant, e.g. "EST" or "GMT+1", for lists where a full name is too long. */
export function zoneAbbreviation(instant: Date, zone: string): string {
  return inZone(instant, zone).toFormat('ZZZZ');
}

export function addMinutes(instant: Date, minutes: number): Date {
  return new Date(instant.getTime() + minutes * 60_000);
}
