import type { HomeView, KnownBlock } from '@slack/types';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteShares, recordViews, replaceShares } from '../../src/db/repositories/centre-repository.js';
import { frozenWeeks } from '../../src/domain/centre/cohort-service.js';
import { deleteMyData } from '../../src/domain/your-data/delete-service.js';
import { COHORT_ACTIONS } from '../../src/slack/ui/home/cohort-section.js';
import { logAsks, openCentre, share, TEAM, weeksBefore } from '../support/cohort-seed.js';
import { type Harness, startHarness } from '../support/harness.js';
import { buttonPress } from '../support/payloads.js';

// Cohort figures on an advisor's Home and in the CSV: through the real receiver, on both databases.

const NOW = '2026-12-07T10:00:00Z';
const WEEKS = weeksBefore('2026-12-07', 8);
const ADVISOR = 'UADV1';
const COLLEAGUE = 'UADV2';
const people = (n: number) => Array.from({ length: n }, (_, i) => `UP${String(i + 1).padStart(2, '0')}`);

let h: Harness;

beforeEach(async () => {
  h = await startHarness({ now: NOW });
});

afterEach(async () => {
  await h.stop();
});

/** `count` people share with the colleague (so the advisor looking knows none of them), each with `asks` a week. */
async function cohort(count: number, asks = 2) {
  await openCentre(h.db, [ADVISOR, COLLEAGUE]);
  for (const person of people(count)) {
    await share(h.db, person, [COLLEAGUE]);
    for (const week of WEEKS) await logAsks(h.db, person, week, asks, '2026-10-01T00:00:00.000Z');
  }
}

function cohortText(view: HomeView): string {
  const start = view.blocks.findIndex((b) => b.type === 'header' && 'text' in b && b.text.text === 'Cohort figures');
  if (start < 0) return '';
  const blocks: KnownBlock[] = [];
  for (const block of view.blocks.slice(start + 1)) {
    if (block.type === 'header') break;
    blocks.push(block as KnownBlock);
  }
  return JSON.stringify(blocks);
}

function line(view: HomeView, label: string): string {
  const text = cohortText(view);
  const match = new RegExp(`\\*${label}\\*: ([^\\\\]*)`).exec(text);
  return match?.[1] ?? '';
}

async function pressCsv(userId: string, teamId = TEAM) {
  const res = await h.interact(
    buttonPress({
      actionId: COHORT_ACTIONS.downloadCsv,
      value: 'csv',
      responseUrl: h.fake.responseUrl(),
      userId,
      teamId,
    }),
  );
  expect(res.status).toBe(200);
  await h.settle();
}

describe('cohort figures', () => {
  it('a cohort of 9 shows no figure at all, and freezes nothing until a tenth person shares', async () => {
    await cohort(9);
    const view = await h.openHome(ADVISOR);
    // What the open does after its publish ends before the tenth person's rows go in (else it could freeze half of them).
    await h.settle();
    expect(cohortText(view)).toContain('Fewer than 10 people share their progress');
    expect(cohortText(view)).not.toMatch(/\d+ · /);
    expect(await h.db.selectFrom('cohort_weeks').selectAll().execute()).toEqual([]);
    // The tenth: the same weeks now freeze over ten people and show.
    await share(h.db, 'UP10', [COLLEAGUE]);
    for (const week of WEEKS) await logAsks(h.db, 'UP10', week, 2, '2026-10-01T00:00:00.000Z');
    expect(line(await h.openHome(ADVISOR), 'Asks sent')).toBe('20 · 20 · 20 · 20 · 20 · 20 · 20 · 20 · total 160');
  });

  it('a cohort of 10 shows figures rounded to 5, oldest week first, with their total', async () => {
    await cohort(10);
    // One more ask in the last week: 21 is shown as 20.
    await logAsks(h.db, 'UP01', WEEKS[7] as string, 1, '2026-12-01T00:00:00.000Z');
    const view = await h.openHome(ADVISOR);
    expect(line(view, 'Asks sent')).toBe('20 · 20 · 20 · 20 · 20 · 20 · 20 · 20 · total 160');
    expect(line(view, 'Replies')).toBe('20 · 20 · 20 · 20 · 20 · 20 · 20 · 20 · total 160');
    // Nobody logged a conversation: hidden, never a zero.
    expect(line(view, 'Conversations held')).toBe('– · – · – · – · – · – · – · – · total –');
    // Someone who is not an advisor sees no cohort section; and nothing was logged as a look at anyone.
    expect(cohortText(await h.openHome('UP01'))).toBe('');
    expect(await h.db.selectFrom('advisor_views').selectAll().execute()).toEqual([]);
  });

  it('a cell with fewer than k contributors is hidden, and so is its column total', async () => {
    await cohort(10);
    // Two of the ten sent nothing in the sixth week: 8 people are behind it.
    await h.db
      .deleteFrom('asks')
      .where('owner_id', 'in', ['UP01', 'UP02'])
      .where('sent_on', '=', '2026-11-18')
      .execute();
    const view = await h.openHome(ADVISOR);
    expect(line(view, 'Asks sent')).toBe('20 · 20 · 20 · 20 · 20 · – · 20 · 20 · total –');
  });

  it('an advisor who could subtract the people they see sees only what leaves k others', async () => {
    await cohort(10);
    // The colleague sees all ten one by one, and they shared before any week froze: nothing to single out.
    const colleague = await h.openHome(COLLEAGUE);
    expect(line(colleague, 'Asks sent')).toBe('20 · 20 · 20 · 20 · 20 · 20 · 20 · 20 · total 160');
    // An advisor who has looked at two of them (and knows none of the others) would leave only 8 unknown.
    await recordViews(h.db, TEAM, ADVISOR, ['UP01', 'UP02'], 'home', '2026-11-01T00:00:00.000Z');
    expect(line(await h.openHome(ADVISOR), 'Asks sent')).toBe('– · – · – · – · – · – · – · – · total –');
  });

  it('frozen weeks do not change after people stop sharing, delete their data or log late', async () => {
    await cohort(12);
    const before = await h.openHome(ADVISOR);
    expect(line(before, 'Asks sent')).toBe('25 · 25 · 25 · 25 · 25 · 25 · 25 · 25 · total 190');
    const frozen = await h.db.selectFrom('cohort_weeks').selectAll().orderBy('week_start').orderBy('metric').execute();
    await h.db.transaction().execute((trx) => replaceShares(trx, { teamId: TEAM, userId: 'UP01' }, [], NOW));
    await deleteMyData(h.db, { teamId: TEAM, userId: 'UP02' });
    // What delete-my-data does to the person's shares (the consent flow's part).
    await deleteShares(h.db, { teamId: TEAM, userId: 'UP02' });
    await logAsks(h.db, 'UP03', WEEKS[0] as string, 5, NOW);
    const after = await h.openHome(ADVISOR);
    expect(line(after, 'Asks sent')).toBe(line(before, 'Asks sent'));
    expect(await h.db.selectFrom('cohort_weeks').selectAll().orderBy('week_start').orderBy('metric').execute()).toEqual(
      frozen,
    );
    // The week that ends next is frozen over the ten who still share: the two who left are not in it.
    for (const person of people(12).slice(2)) await logAsks(h.db, person, '2026-12-07', 1, NOW);
    h.clock.set('2026-12-14T10:00:00Z');
    const next = await h.openHome(ADVISOR);
    expect(line(next, 'Asks sent')).toMatch(/ · 10 · total /);
    const members = await h.db
      .selectFrom('cohort_weeks')
      .select(['value'])
      .where('week_start', '=', '2026-12-07')
      .where('metric', '=', 'members')
      .executeTakeFirstOrThrow();
    expect(members.value).toBe(10);
  });

  it('two replicas freezing the same weeks at once both get the one stored week', async () => {
    await cohort(10);
    const [one, two] = await Promise.all([
      frozenWeeks(h.db, TEAM, WEEKS, new Date(NOW)),
      frozenWeeks(h.db, TEAM, WEEKS, new Date('2026-12-07T10:00:01Z')),
    ]);
    expect(two).toEqual(one);
    expect(await h.db.selectFrom('cohort_weeks').select('frozen_at').distinct().execute()).toHaveLength(1);
  });

  it('the CSV holds the same table as Home, empty where hidden, and goes to the advisor DM only', async () => {
    await cohort(10);
    await h.db.deleteFrom('asks').where('owner_id', '=', 'UP01').where('sent_on', '=', '2026-11-18').execute();
    await pressCsv(ADVISOR);
    const files = h.fake.filesIn('DADV1');
    expect(files).toHaveLength(1);
    const file = files[0];
    expect(file?.filename).toBe('cohort-2026-10-12-to-2026-11-30.csv');
    const rows = parse(file?.content ?? '', { relax_column_count: true }) as string[][];
    expect(rows[0]).toEqual([
      'Week starting (Monday, UTC)',
      'Asks sent',
      'Replies',
      'Conversations held',
      'Thank-yous within 24 h',
      'Report-backs',
      'Referrals gained',
    ]);
    expect(rows.slice(1, 9)).toEqual(
      WEEKS.map((week) =>
        week === '2026-11-16' ? [week, '', '', '', '', '', ''] : [week, '20', '20', '', '', '', ''],
      ),
    );
    expect(rows[9]).toEqual(['Total (8 weeks)', '', '', '', '', '', '']);
    expect(rows.at(-1)?.[0]).toContain('rounded to the nearest 5');
    expect(file?.content).not.toContain('MARKER');
    expect(file?.comment).not.toContain('MARKER');
    expect(h.fake.callsTo('chat.postMessage').filter((c) => String(c.body.channel).startsWith('C'))).toEqual([]);
  });

  it('a forged CSV press (another workspace, someone who is no advisor, a withdrawn advisor) does nothing', async () => {
    await cohort(10);
    await pressCsv(ADVISOR, 'T0999');
    await pressCsv('UP01');
    await openCentre(h.db, [COLLEAGUE]);
    await pressCsv(ADVISOR);
    expect(h.fake.callsTo('files.getUploadURLExternal')).toEqual([]);
    expect(h.fake.callsTo('chat.postMessage')).toEqual([]);
    expect(h.fake.callsTo('response_url')).toEqual([]);
  });
});
