import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { zoneAbbreviation } from '../../src/lib/zoned-time.js';

// The zone caches keep the Intl formatter luxon would build for every zone name: the names must stay luxon's own.
describe('zoneAbbreviation', () => {
  const zones = ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Etc/GMT+5', 'UTC'];
  // Either side of 2026's DST changes in New York, London and Lord Howe (a half-hour shift).
  const instants = ['2026-03-08T06:59:00Z', '2026-03-08T07:00:00Z', '2026-03-29T00:59:00Z', '2026-03-29T01:00:00Z'];
  instants.push('2026-04-04T14:59:00Z', '2026-04-04T15:00:00Z', '2026-07-01T12:00:00Z', '2026-11-01T06:00:00Z');

  it("gives luxon's name for each zone, before and after its clocks change", () => {
    for (const zone of zones)
      for (const iso of instants) {
        const instant = new Date(iso);
        const luxon = DateTime.fromJSDate(instant, { zone }).toFormat('ZZZZ');
        expect(zoneAbbreviation(instant, zone), `${zone} at ${iso}`).toBe(luxon);
      }
  });

  it('says so for a zone that does not exist, as luxon does', () => {
    expect(zoneAbbreviation(new Date('2026-07-01T12:00:00Z'), 'Mars/Olympus')).toBe('Invalid DateTime');
  });
});
