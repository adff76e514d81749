import { describe, expect, it } from 'vitest';
import {
  checkAdvisorPicks,
  droppedByAdvisorChange,
  MAX_ADVISORS,
  parseMinCohort,
  shareChange,
  shareChoiceProblem,
} from '../../src/domain/centre/consent-rules.js';
import { buildCentreModal, parseCentreSubmission } from '../../src/slack/ui/consent/centre-modal.js';
import { mentions } from '../../src/slack/ui/consent/consent-text.js';
import { buildShareModal, parseShareSubmission, SHARE_MODAL } from '../../src/slack/ui/consent/share-modal.js';
import { buildStopReceipt } from '../../src/slack/ui/consent/sharing-messages.js';
import { buildWhoSeesModal } from '../../src/slack/ui/consent/who-sees-modal.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { stateFor } from '../support/payloads.js';

const on = { enabled: true, advisorIds: ['UA', 'UB', 'UME'] };

describe('k, the fewest people a cohort figure needs', () => {
  it.each([
    ['10', { value: 10 }],
    [' 5 ', { value: 5 }],
    ['1000', { value: 1000 }],
    ['4', { problem: expect.stringContaining('At least 5 people') }],
    ['0', { problem: expect.stringContaining('At least 5 people') }],
    ['1001', { problem: expect.stringContaining('from 5 to 1000') }],
    ['-6', { problem: expect.stringContaining('from 5 to 1000') }],
    ['6.0', { problem: expect.stringContaining('from 5 to 1000') }],
    ['1e3', { problem: expect.stringContaining('from 5 to 1000') }],
    ['', { problem: expect.stringContaining('Give the fewest people') }],
    [null, { problem: expect.stringContaining('Give the fewest people') }],
  ])('%j -> %j', (raw, expected) => {
    expect(parseMinCohort(raw)).toEqual(expected);
  });
});

describe('advisor picks', () => {
  it('drops repeats and sorts; more than a centre can name is a problem', () => {
    expect(checkAdvisorPicks(['UB', 'UA', 'UB'])).toEqual({ advisorIds: ['UA', 'UB'] });
    const many = Array.from({ length: MAX_ADVISORS + 1 }, (_, i) => `U${i}`);
    expect(checkAdvisorPicks(many)).toEqual({ problem: expect.stringContaining(`at most ${MAX_ADVISORS}`) });
  });
});

describe("a person's choice", () => {
  it.each([
    ['a current advisor at a level', { advisorIds: ['UA'], level: 'counts' }, on, null],
    ['two advisors, stages', { advisorIds: ['UA', 'UB'], level: 'stages' }, on, null],
    ['a centre that is off', { advisorIds: ['UA'], level: 'counts' }, { ...on, enabled: false }, 'centre_off'],
    ['a centre never set', { advisorIds: ['UA'], level: 'counts' }, null, 'centre_off'],
    ['nobody', { advisorIds: [], level: 'counts' }, on, 'no_advisor'],
    ['someone not an advisor', { advisorIds: ['UA', 'UX'], level: 'counts' }, on, 'not_an_advisor'],
    ['themselves', { advisorIds: ['UME'], level: 'counts' }, on, 'self'],
    ['no level', { advisorIds: ['UA'], level: null }, on, 'no_level'],
    ['a level that is not one', { advisorIds: ['UA'], level: 'notes' }, on, 'no_level'],
  ] as const)('%s', (_what, choice, centre, problem) => {
    expect(shareChoiceProblem({ advisorIds: [...choice.advisorIds], level: choice.level }, centre, 'UME')).toBe(
      problem,
    );
  });

  it('says who sees what now and whom the person stopped sharing with', () => {
    expect(
      shareChange(
        [
          { advisorId: 'UA', level: 'counts' },
          { advisorId: 'UB', level: 'counts' },
        ],
        [
          { advisorId: 'UB', level: 'stages' },
          { advisorId: 'UC', level: 'stages' },
        ],
      ),
    ).toEqual({
      now: [
        { advisorId: 'UB', level: 'stages' },
        { advisorId: 'UC', level: 'stages' },
      ],
      stopped: ['UA'],
    });
  });

  it('lists, per person, the advisors a new advisor list drops', () => {
    const dropped = droppedByAdvisorChange(
      [
        { ownerId: 'U1', advisorId: 'UA' },
        { ownerId: 'U1', advisorId: 'UB' },
        { ownerId: 'U2', advisorId: 'UB' },
        { ownerId: 'U3', advisorId: 'UC' },
      ],
      ['UC'],
    );
    expect([...dropped]).toEqual([
      ['U1', ['UA', 'UB']],
      ['U2', ['UB']],
    ]);
  });
});

describe('the consent surfaces', () => {
  it('mention only what looks like a Slack user id', () => {
    expect(mentions(['UA1', 'U<!channel>', 'WB2', 'UC3'])).toBe('<@UA1>, <@WB2> and <@UC3>');
    expect(mentions([])).toBe('');
  });

  it('list fifty advisors in groups of ten ticks within Block Kit limits, and read every group back', () => {
    const advisors = Array.from({ length: 50 }, (_, i) => `UADV${String(i).padStart(2, '0')}`);
    const view = buildShareModal({ advisors, shares: [], zone: 'Europe/London' });
    assertWithinBlockKitLimits('modal', view);
    const values = stateFor(view, {
      [`${SHARE_MODAL.advisorsPrefix}0`]: ['UADV03'],
      [`${SHARE_MODAL.advisorsPrefix}4`]: ['UADV41', 'UADV49'],
      [SHARE_MODAL.blocks.level]: 'stages',
    });
    expect(parseShareSubmission({ state: { values } })).toEqual({
      advisorIds: ['UADV03', 'UADV41', 'UADV49'],
      level: 'stages',
    });
    expect(parseShareSubmission({ state: 'nonsense' })).toBeNull();
  });

  it('reads the admin form, refusing user ids that are not ids', () => {
    const view = buildCentreModal({ enabled: false, minCohort: 10, advisorIds: [] });
    assertWithinBlockKitLimits('modal', view);
    const read = (inputs: Record<string, string | string[]>) =>
      parseCentreSubmission({ state: { values: stateFor(view, inputs) } });
    expect(read({ centre_enabled: ['on'], centre_advisors: ['UB', 'UA'], centre_min_cohort: '25' })).toEqual({
      ok: true,
      settings: { enabled: true, advisorIds: ['UA', 'UB'], minCohort: 25 },
    });
    expect(read({ centre_advisors: ['U<!here>'] })).toEqual({
      ok: false,
      errors: { centre_advisors: 'Pick the advisors from the list.' },
    });
    expect(parseCentreSubmission(null)).toMatchObject({ ok: false });
  });

  it('show fifty shares and twenty looks within Block Kit limits', () => {
    const shares = Array.from({ length: 50 }, (_, i) => ({
      advisorId: `UADV${String(i).padStart(2, '0')}`,
      level: i % 2 === 0 ? ('counts' as const) : ('stages' as const),
      since: '2026-12-07T15:00:00.000Z',
    }));
    const views = Array.from({ length: 20 }, (_, i) => ({
      advisorId: `UADV${String(i).padStart(2, '0')}`,
      surface: 'chart' as const,
      viewedAt: '2026-12-07T16:00:00.000Z',
    }));
    assertWithinBlockKitLimits('modal', buildWhoSeesModal({ centreOn: true, shares, views, zone: 'Asia/Tokyo' }));
    assertWithinBlockKitLimits('modal', buildWhoSeesModal({ centreOn: false, shares, views: [], zone: 'UTC' }));
  });

  it('write the stop receipt with plain words in the notification and a date token in the blocks', () => {
    const receipt = buildStopReceipt({ advisors: ['UA', 'UB'], at: new Date('2026-12-07T15:00:00Z'), zone: 'UTC' });
    expect(receipt.text).toBe(
      'You stopped sharing with <@UA> and <@UB> at Mon 7 Dec 2026, 15:00. They no longer see your figures.',
    );
    expect(JSON.stringify(receipt.blocks)).toContain('<!date^1796655600^');
    assertWithinBlockKitLimits('message', receipt);
  });
});
