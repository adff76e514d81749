import { describe, expect, it } from 'vitest';
import { funnelChartText, renderFunnelChart } from '../../src/charts/funnel-chart.js';
import {
  countsBetween,
  endedWeeks,
  lastActivityAt,
  overdueFollowUps,
  type ProgressActivity,
  progressEvents,
  progressStages,
  replyRate,
  weekStartOf,
} from '../../src/domain/centre/progress-facts.js';

const at = (iso: string) => new Date(iso);
const now = at('2026-12-07T12:00:00Z'); // a Monday

function activity(parts: Partial<ProgressActivity> = {}): ProgressActivity {
  return { userId: 'U1', timeZone: 'UTC', asks: [], meetings: [], referralsAt: [], lastContactAt: null, ...parts };
}

const meeting = (startsAt: string, extra: Partial<ProgressActivity['meetings'][number]> = {}) => ({
  cancelled: false,
  startsAt: at(startsAt),
  endsAt: new Date(at(startsAt).getTime() + 30 * 60_000),
  debriefedAt: null,
  thankYouSentAt: null,
  reportedBackAt: null,
  ...extra,
});

describe('progress facts', () => {
  it('counts a conversation only once it has ended, and a thank-you only within 24 hours of its end', () => {
    const person = activity({
      meetings: [
        meeting('2026-12-01T10:00:00Z', { thankYouSentAt: at('2026-12-02T10:00:00Z') }),
        meeting('2026-12-02T10:00:00Z', { thankYouSentAt: at('2026-12-03T10:31:00Z') }),
        meeting('2026-12-07T12:00:00Z'),
        meeting('2026-11-30T10:00:00Z', { cancelled: true }),
      ],
    });
    const counts = countsBetween(progressEvents(person, now), null, null);
    expect(counts.conversations).toBe(2);
    expect(counts.thank_yous).toBe(1);
  });

  it('reads a reply rate from the asks sent in the period: a no is an answer, silence is not', () => {
    const person = activity({
      asks: [
        { status: 'replied', sentOn: '2026-11-20', followedUpAt: null, closedAt: at('2026-11-23T09:00:00Z') },
        { status: 'declined', sentOn: '2026-11-21', followedUpAt: null, closedAt: at('2026-11-22T09:00:00Z') },
        { status: 'no_answer', sentOn: '2026-11-24', followedUpAt: null, closedAt: at('2026-12-04T09:00:00Z') },
        { status: 'waiting', sentOn: '2026-12-01', followedUpAt: null, closedAt: null },
      ],
    });
    expect(replyRate(person, null, null)).toBe(0.5);
    expect(replyRate(person, '2026-11-24', null)).toBe(0);
    expect(replyRate(activity(), null, null)).toBeNull();
    const counts = countsBetween(progressEvents(person, now), '2026-11-23', null);
    expect(counts).toMatchObject({ asks: 2, replies: 1 });
  });

  it('finds follow-ups overdue after 7 business days, not before, and not once sent', () => {
    const ask = (sentOn: string, followedUpAt: Date | null = null) => ({
      status: 'waiting' as const,
      sentOn,
      followedUpAt,
      closedAt: null,
    });
    const person = activity({
      asks: [ask('2026-11-26'), ask('2026-11-27'), ask('2026-11-20', at('2026-12-01T09:00:00Z'))],
    });
    expect(overdueFollowUps(person, now, new Set())).toBe(1);
    expect(overdueFollowUps(person, now, new Set(['2026-12-01']))).toBe(0);
  });

  it('puts weeks on Mondays in UTC and leaves out the week under way', () => {
    expect(weekStartOf('2026-12-06')).toBe('2026-11-30');
    expect(weekStartOf('2026-12-07')).toBe('2026-12-07');
    expect(endedWeeks(now, 2)).toEqual(['2026-11-23', '2026-11-30']);
  });

  it('gives stages and the last activity without anything but dates', () => {
    const person = activity({
      asks: [{ status: 'waiting', sentOn: '2026-12-01', followedUpAt: at('2026-12-04T09:00:00Z'), closedAt: null }],
      meetings: [meeting('2026-12-03T10:00:00Z', { debriefedAt: at('2026-12-03T11:00:00Z') })],
      lastContactAt: at('2026-11-01T00:00:00Z'),
    });
    expect(progressStages(person, now)).toEqual([
      { kind: 'conversation', stage: 'debriefed', day: '2026-12-03' },
      { kind: 'ask', stage: 'followed_up', day: '2026-12-01' },
    ]);
    expect(lastActivityAt(person)?.toISOString()).toBe('2026-12-04T09:00:00.000Z');
  });
});

describe('funnel chart', () => {
  it('draws SVG and PNG, a figure not shown as a gap, and says the same in text', () => {
    const weeks = [
      {
        weekStart: '2026-11-23',
        values: { asks: 15, replies: 5, conversations: 5, thank_yous: null, report_backs: 0, referrals: 0 },
      },
      {
        weekStart: '2026-11-30',
        values: { asks: 20, replies: 10, conversations: 5, thank_yous: 5, report_backs: 0, referrals: 5 },
      },
    ];
    const chart = renderFunnelChart('Cohort funnel', weeks);
    expect(chart.svg).toMatch(/^<svg/);
    expect(chart.png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(funnelChartText(weeks)[0]).toBe(
      'Week of 23 Nov: asks sent 15, replies 5, conversations held 5, thank-yous within 24 h not shown, referrals gained 0',
    );
  });
});
