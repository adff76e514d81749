import { DateTime } from 'luxon';
import { foldForSearch } from '../contacts/contact-text.js';

// Every IANA zone the runtime knows, plus UTC (which Intl lists only under Etc/ on some versions).
const ALL_ZONES: readonly string[] = [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])];
const SEARCHABLE = ALL_ZONES.map((zone) => ({ zone, folded: foldForSearch(zone.replace(/[/_]/g, ' ')) }));

/** "America/New_York" at `now` -> "America/New York (UTC-05:00)": what the zone picker shows. */
export function timeZoneLabel(zone: string, now: Date): string {
  return `${zone.replace(/_/g, ' ')} (UTC${DateTime.fromJSDate(now, { zone }).toFormat('ZZ')})`;
}

/** Zones whose name contains every word of `query` ("new york", "berlin", "kolkata"), at most `limit`. */
export function searchTimeZones(query: string, limit: number): string[] {
  const words = foldForSearch(query.replace(/[/_]/g, ' ')).split(' ').filter(Boolean);
  const matches = SEARCHABLE.filter(({ folded }) => words.every((word) => folded.includes(word)));
  // Zones whose city starts with the query come first: "par" should offer Paris before Paramaribo's region.
  const city = (zone: string) => foldForSearch(zone.split('/').at(-1)?.replace(/_/g, ' ') ?? zone);
  const first = words[0] ?? '';
  return matches
    .sort((a, b) => Number(!city(a.zone).startsWith(first)) - Number(!city(b.zone).startsWith(first)))
    .slice(0, limit)
    .map(({ zone }) => zone);
}

const OFFERED = new Set(ALL_ZONES);

/** Whether the zone picker offers this exact zone (a Slack `tz` such as a legacy alias may not be among them). */
export function isOfferedTimeZone(zone: string): boolean {
  return OFFERED.has(zone);
}
