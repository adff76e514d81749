import { describe, expect, it } from 'vitest';
import { chartWeekDue } from '../../src/domain/centre/monday-charts.js';

describe('when the Monday chart is due', () => {
  it.each([
    // UTC when the zone is unknown or not a zone.
    ['2026-12-07T07:59:00Z', null, null],
    ['2026-12-07T08:00:00Z', null, '2026-12-07'],
    ['2026-12-07T08:00:00Z', 'Not/AZone', '2026-12-07'],
    // The rest of the week catches up a Monday missed; the next Monday before 08:00 is nothing (no late chart of the
    // week before, hours before the new one).
    ['2026-12-10T12:00:00Z', null, '2026-12-07'],
    ['2026-12-14T07:59:00Z', null, null],
    // New York: 08:00 is 13:00 UTC in winter, 12:00 UTC in summer.
    ['2026-12-07T12:59:00Z', 'America/New_York', null],
    ['2026-12-07T13:00:00Z', 'America/New_York', '2026-12-07'],
    ['2026-07-06T12:00:00Z', 'America/New_York', '2026-07-06'],
    // Auckland's Monday 08:00 is Sunday 19:00 UTC (UTC+13 in December): the UTC week has not ended, so the chart
    // waits for it (13:00 there), and has the week just ended.
    ['2026-12-06T18:59:00Z', 'Pacific/Auckland', null],
    ['2026-12-06T19:00:00Z', 'Pacific/Auckland', null],
    ['2026-12-06T23:59:00Z', 'Pacific/Auckland', null],
    ['2026-12-07T00:00:00Z', 'Pacific/Auckland', '2026-12-07'],
    // Kiritimati, UTC+14: the same.
    ['2026-12-06T23:59:00Z', 'Pacific/Kiritimati', null],
    ['2026-12-07T00:00:00Z', 'Pacific/Kiritimati', '2026-12-07'],
    // The day the clocks go back in Europe (Sunday 25 October 2026) changes nothing on the Monday after.
    ['2026-10-26T07:59:00Z', 'Europe/London', null],
    ['2026-10-26T08:00:00Z', 'Europe/London', '2026-10-26'],
  ])('at %s in %s: the week of %s', (now, zone, week) => {
    expect(chartWeekDue(new Date(now), zone)).toBe(week);
  });
});
