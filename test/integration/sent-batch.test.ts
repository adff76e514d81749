import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ClaimedReminder,
  claimDueReminders,
  handOverReminder,
} from '../../src/db/repositories/reminders/reminders-repository.js';
import { DEFAULT_TICK_OPTIONS } from '../../src/engine/index.js';
import { SentBatch } from '../../src/engine/record.js';
import { type EngineHarness, startEngine } from '../support/engine.js';

// Posts recorded as sent together (docs/performance.md, "Batched outcomes"): each under its own claim, with its own
// channel and ts, in one statement; a claim taken over meanwhile records nothing, as when recorded alone.

const START = '2026-11-03T20:00:00Z';
const PREP_DUE = '2026-11-02T20:00:00.000Z';
const OWNERS = ['U0001', 'U0002', 'U0003'].map((userId) => ({ teamId: 'T0001', userId }));

let e: EngineHarness;
beforeEach(async () => {
  e = await startEngine('2026-10-29T14:00:00Z');
});
afterEach(async () => {
  await e.stop();
});

/** Three prep tips claimed and handed over, as the engine does just before posting them. */
async function threeHandedOver(): Promise<ClaimedReminder[]> {
  for (const owner of OWNERS) await e.schedule(owner, START);
  e.clock.set(PREP_DUE);
  const now = e.clock.now().getTime();
  const until = new Date(now + DEFAULT_TICK_OPTIONS.leaseMs).toISOString();
  const claimed = await claimDueReminders(e.db, new Date(now).toISOString(), until, 10);
  expect(claimed.map((reminder) => reminder.kind)).toEqual(['prep', 'prep', 'prep']);
  for (const reminder of claimed)
    expect(await handOverReminder(e.db, reminder, new Date(now).toISOString(), until)).toBe(true);
  return claimed;
}

const sentRows = () =>
  e.db
    .selectFrom('reminders')
    .select(['id', 'state', 'channel_id', 'message_ts', 'sent_at', 'lease_until'])
    .where('kind', '=', 'prep')
    .orderBy('id')
    .execute();

describe('posts recorded as sent together', () => {
  it('each gets its own channel and ts; one whose claim was taken over meanwhile is not recorded', async () => {
    const [a, b, c] = (await threeHandedOver()) as [ClaimedReminder, ClaimedReminder, ClaimedReminder];
    // Another worker took `b` over (its claim count moved on): this worker's outcome for it must be dropped.
    await e.db
      .updateTable('reminders')
      .set((eb) => ({ claims: eb('claims', '+', 1) }))
      .where('id', '=', b.id)
      .execute();
    // A window no test waits for: the third post is the last being worked on, so the batch is written at once, by one statement (seen
    // here with the rows it returned: the two still held).
    const returned: number[] = [];
    const watched = e.db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        returned.push(args.result.rows.length);
        return args.result;
      },
    });
    const batch = new SentBatch(watched, 60_000, () => 3);
    const at = (s: number) => `2026-11-02T20:00:0${s}.000Z`;
    const recorded = await Promise.all(
      [a, b, c].map((claim, i) =>
        batch.record({ claim, channel: `D000${i + 1}`, ts: `1700000000.00000${i + 1}`, sentAtIso: at(i + 1) }),
      ),
    );
    expect(recorded.map((r) => r.recorded)).toEqual([true, false, true]);
    expect(returned).toEqual([2]);
    expect(await sentRows()).toEqual([
      {
        id: a.id,
        state: 'sent',
        channel_id: 'D0001',
        message_ts: '1700000000.000001',
        sent_at: at(1),
        lease_until: null,
      },
      expect.objectContaining({ id: b.id, state: 'claimed', channel_id: null, message_ts: null, sent_at: null }),
      {
        id: c.id,
        state: 'sent',
        channel_id: 'D0003',
        message_ts: '1700000000.000003',
        sent_at: at(3),
        lease_until: null,
      },
    ]);
  });

  it('when the batch statement fails, each post is recorded on its own', async () => {
    const claimed = await threeHandedOver();
    // A database on which the batch's statement (its `case id … end`) fails; one post's statement alone does not.
    const failing = e.db.withPlugin({
      transformQuery: (args) => {
        if (JSON.stringify(args.node).includes('case id ')) throw new Error('disk I/O error');
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const batch = new SentBatch(failing, 60_000, () => 3);
    const recorded = await Promise.all(
      claimed.map((claim, i) =>
        batch.record({ claim, channel: `D000${i + 1}`, ts: `1.${i}`, sentAtIso: '2026-11-02T20:00:01.000Z' }),
      ),
    );
    expect(recorded.map((r) => r.recorded)).toEqual([true, true, true]);
    expect((await sentRows()).map((row) => [row.state, row.channel_id])).toEqual([
      ['sent', 'D0001'],
      ['sent', 'D0002'],
      ['sent', 'D0003'],
    ]);
  });
});
