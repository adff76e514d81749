import { describe, expect, it } from 'vitest';
import {
  ADVISOR_PAGE_SIZE,
  clampPage,
  latestActivity,
  type SharerFigures,
  sharerFigures,
  sortSharers,
} from '../../src/domain/centre/advisor-figures.js';
import { myProgressWeekStarts } from '../../src/domain/centre/my-progress-service.js';
import type { ProgressActivity } from '../../src/domain/centre/progress-facts.js';
import {
  ADVISOR_SECTION_MAX_BLOCKS,
  advisorHomeBlocks,
  parseAdvisorPage,
  parseAdvisorSort,
} from '../../src/slack/ui/home/advisor-home-view.js';
import { buildAdvisorStagesModal } from '../../src/slack/ui/modals/advisor-stages-modal.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';

const NOW = new Date('2026-12-07T14:00:00Z');
/** Shares in these tests began long before any activity in them. */
const SINCE = '2025-01-01T00:00:00.000Z';
const empty = (userId: string): ProgressActivity => ({
  userId,
  timeZone: null,
  asks: [],
  meetings: [],
  referralsAt: [],
  lastContactAt: null,
});

describe("the advisor's figures", () => {
  it('counts the 28 days up to today apart from everything, with reply rates', () => {
    const activity: ProgressActivity = {
      ...empty('U1'),
      asks: [
        { status: 'replied', sentOn: '2026-11-10', followedUpAt: null, closedAt: new Date('2026-11-11T10:00:00Z') },
        { status: 'no_answer', sentOn: '2026-11-09', followedUpAt: null, closedAt: null },
      ],
    };
    const figures = sharerFigures({ ownerId: 'U1', level: 'counts', since: SINCE }, activity, NOW, new Set());
    expect(figures.recent.counts.asks).toBe(1);
    expect(figures.recent.replyRate).toBe(1);
    expect(figures.total.counts.asks).toBe(2);
    expect(figures.total.replyRate).toBe(0.5);
    expect(figures.idle).toBe(true); // the latest thing was the reply on 11 November
  });

  it('takes a conversation that has ended as activity, even before its debrief', () => {
    const meeting = {
      cancelled: false,
      startsAt: new Date('2026-12-05T10:00:00Z'),
      endsAt: new Date('2026-12-05T10:30:00Z'),
      debriefedAt: null,
      thankYouSentAt: null,
      reportedBackAt: null,
    };
    expect(latestActivity({ ...empty('U1'), meetings: [meeting] }, NOW)).toEqual(meeting.endsAt);
    expect(latestActivity({ ...empty('U1'), meetings: [{ ...meeting, cancelled: true }] }, NOW)).toBeNull();
    expect(latestActivity({ ...empty('U1'), meetings: [meeting] }, new Date('2026-12-05T10:00:00Z'))).toBeNull();
  });

  it('sorts by latest activity, or flags first with the longest quiet first; ties by user id', () => {
    const person = (ownerId: string, last: string | null, overdue = 0): SharerFigures => ({
      ...sharerFigures({ ownerId, level: 'counts', since: SINCE }, empty(ownerId), NOW, new Set()),
      lastActivity: last === null ? null : new Date(last),
      idle: last === null || NOW.getTime() - Date.parse(last) >= 14 * 86_400_000,
      overdueFollowUps: overdue,
    });
    const list = [
      person('U1', '2026-12-06T00:00:00Z'),
      person('U2', null),
      person('U3', '2026-11-01T00:00:00Z'),
      person('U4', '2026-12-05T00:00:00Z', 1),
      person('U5', '2026-12-06T00:00:00Z'),
    ];
    expect(sortSharers(list, 'recent').map((p) => p.ownerId)).toEqual(['U1', 'U5', 'U4', 'U3', 'U2']);
    expect(sortSharers(list, 'nudge').map((p) => p.ownerId)).toEqual(['U2', 'U3', 'U4', 'U1', 'U5']);
  });

  it.each([
    [0, 0, 0, 1],
    [5, 0, 0, 1],
    [3, 200, 3, 10],
    [99, 200, 9, 10],
    [-1, 41, 0, 3],
  ])('clamps page %i of %i people to %i of %i pages', (page, total, expected, pages) => {
    expect(clampPage(page, total)).toEqual({ page: expected, pages });
  });

  it('reads only the sorts and pages it offers', () => {
    expect(parseAdvisorSort('nudge')).toBe('nudge');
    expect(parseAdvisorSort('drop table')).toBeNull();
    expect(parseAdvisorPage('12')).toBe(12);
    expect(parseAdvisorPage('-1')).toBeNull();
    expect(parseAdvisorPage('1e9')).toBeNull();
  });
});

describe("the advisor's blocks", () => {
  it('stay within their budget and Block Kit for a full page, and mention only the sharer', () => {
    const sharers = Array.from({ length: ADVISOR_PAGE_SIZE }, (_, i) =>
      sharerFigures(
        { ownerId: `U${1000 + i}`, level: i % 2 ? 'stages' : 'counts', since: SINCE },
        empty(`U${i}`),
        NOW,
        new Set(),
      ),
    );
    const blocks = advisorHomeBlocks(
      { sharers, total: 200, nudges: 200, sort: 'recent', page: 3, pages: 10 },
      'Europe/London',
    );
    expect(blocks.length).toBe(ADVISOR_SECTION_MAX_BLOCKS);
    assertWithinBlockKitLimits('home', { type: 'home', blocks });
  });

  it('never puts anything but a Slack user id into a mention', () => {
    const odd = sharerFigures({ ownerId: '<!channel>', level: 'counts', since: SINCE }, empty('x'), NOW, new Set());
    const blocks = advisorHomeBlocks({ sharers: [odd], total: 1, nudges: 1, sort: 'recent', page: 0, pages: 1 }, 'UTC');
    expect(JSON.stringify(blocks)).not.toContain('<!channel>');
  });

  it('shows at most 60 stages in a modal within Block Kit limits', () => {
    const stages = Array.from({ length: 300 }, () => ({
      kind: 'ask' as const,
      stage: 'waiting' as const,
      day: '2026-12-01',
    }));
    const modal = buildAdvisorStagesModal('U1', stages);
    assertWithinBlockKitLimits('modal', modal);
    expect(JSON.stringify(modal)).toContain('and 240 earlier');
  });
});

describe('My progress weeks', () => {
  it('are the seven weeks that ended and the week under way', () => {
    expect(myProgressWeekStarts(NOW)).toEqual([
      '2026-10-19',
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
      '2026-11-30',
      '2026-12-07',
    ]);
    expect(myProgressWeekStarts(new Date('2026-12-13T23:59:00Z')).at(-1)).toBe('2026-12-07');
  });
});
