import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { takeLeases } from '../../src/db/repositories/reminders/leases-repository.js';
import { rescheduleMeeting } from '../../src/domain/meetings/meetings-service.js';
import { runPendingReplans } from '../../src/domain/reminders/reconciler.js';
import { DEFAULT_REMINDER_SETTINGS } from '../../src/domain/reminders/reminder-plan.js';
import { updateReminderSettings } from '../../src/domain/reminders/reminder-settings-service.js';
import { DEFAULT_TICK_OPTIONS, drainDueReminders } from '../../src/engine/index.js';
import { holdAt } from '../../src/lib/pause-points.js';
import { type EngineHarness, startEngine } from '../support/engine.js';
import { testDialect } from '../support/test-database.js';

// Races between replicas and the requests beside them, made deterministic: a pause point holds one side at its race
// window (or a row lock lines both up), the other side runs, then the first goes on. The PostgreSQL-only ones are
// interleavings SQLite cannot have (its writers take the one write lock at `begin`).

const ADA = { teamId: 'T0001', userId: 'U0001' };
// Meeting Tue 3 Nov 2026 15:00–15:30 EST, prep tip a day before; moved a day later.
const START = '2026-11-03T20:00:00Z';
const PREP_DUE = '2026-11-02T20:00:00.000Z';
const MOVED_START = '2026-11-04T20:00:00Z';
const MOVED_PREP_DUE = '2026-11-03T20:00:00.000Z';
const onPostgres = testDialect() === 'postgres';

let e: EngineHarness;
beforeEach(async () => {
  e = await startEngine('2026-10-29T14:00:00Z');
});
afterEach(async () => {
  await e.stop();
});

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** Backends of this database waiting for a lock (PostgreSQL). */
async function lockWaiters(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
  return rows[0]?.n ?? 0;
}

/** Waits until `count` statements wait for a lock, or `done()` says the race went the other way. */
async function untilWaiting(count: number, done: () => Promise<boolean> = async () => false): Promise<void> {
  while ((await lockWaiters(e.db)) < count && !(await done())) await nextTurn();
}

function moveMeeting(meetingId: number, startsAt: string) {
  return rescheduleMeeting(
    e.db,
    ADA,
    meetingId,
    {
      contactId: null,
      contact: { name: 'Ada Lovelace', pronunciation: null, title: null, company: null },
      plan: { startsAt: new Date(startsAt), durationMinutes: 30, location: null, goal: null, questions: null },
    },
    { now: e.clock.now(), timeZone: 'America/New_York' },
  );
}

const prepOf = async (meetingId: number) => {
  const rows = await e.reminders(meetingId);
  return rows.find((row) => row.kind === 'prep');
};

describe('sender leases between replicas', () => {
  it.runIf(onPostgres)(
    'two replicas taking the same leases in opposite orders both get an answer (no deadlock)',
    async () => {
      const nowIso = '2026-10-29T14:00:00.000Z';
      const untilIso = '2026-10-29T14:00:45.000Z';
      // Both leases free (a replica that held them died).
      await e.db
        .insertInto('leases')
        .values(
          ['send:T1', 'send:T2'].map((name) => ({ name, holder: 'gone', lease_until: '2026-10-29T13:00:00.000Z' })),
        )
        .execute();
      // A third transaction holds send:T1, so both replicas line up behind it before either goes on.
      let unblock!: () => void;
      const blocker = new Promise<void>((resolve) => (unblock = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holding = e.db.transaction().execute(async (trx) => {
        await sql`select name from leases where name = 'send:T1' for update`.execute(trx);
        locked();
        await blocker;
      });
      await isLocked;
      // One replica in due-time order, the other in lane order.
      const one = takeLeases(e.db, ['send:T1', 'send:T2'], 'one', nowIso, untilIso);
      await untilWaiting(1);
      const two = takeLeases(e.db, ['send:T2', 'send:T1'], 'two', nowIso, untilIso);
      await untilWaiting(2);
      unblock();
      await holding;
      const [first, second] = await Promise.allSettled([one, two]);
      expect(first).toEqual({ status: 'fulfilled', value: new Set(['send:T1', 'send:T2']) });
      expect(second).toEqual({ status: 'fulfilled', value: new Set() });
    },
  );

  it('a claim whose follow-up fails hands back every row it took, and the leases it took', async () => {
    for (let i = 0; i < 3; i++) await e.schedule({ teamId: `T000${i}`, userId: `U00${i}` }, START);
    // The database refuses the sender leases' upsert, after the claim has committed.
    const failing = e.db.withPlugin({
      transformQuery: ({ node }) => {
        if (node.kind === 'InsertQueryNode' && JSON.stringify(node).includes('send:T'))
          throw new Error('disk I/O error');
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    e.clock.set(PREP_DUE);
    await expect(drainDueReminders({ ...e.deps, db: failing }, DEFAULT_TICK_OPTIONS)).rejects.toThrow('disk I/O error');
    const preps = (await e.reminders()).filter((row) => row.kind === 'prep');
    expect(preps.map((row) => [row.state, row.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
      ['pending', 0],
    ]);
    // So the next drain sends them at once, each once, without looking in any DM first.
    expect(await drainDueReminders(e.deps, DEFAULT_TICK_OPTIONS)).toMatchObject({ claimed: 3, sent: 3 });
    expect(e.fake.callsTo('conversations.history')).toHaveLength(0);
    expect(e.fake.callsTo('chat.postMessage')).toHaveLength(3);
  });
});

describe.runIf(onPostgres)('a reschedule racing with the engine', () => {
  it('a claim between the reconcile’s read and its writes: the moved meeting still gets its prep tip at the new time', async () => {
    const meetingId = await e.schedule(ADA, START);
    e.clock.set(PREP_DUE);
    // The reschedule's reconcile has read the prep tip (pending, due now) and is about to move it.
    const held = holdAt('reconcile:after-read');
    const move = moveMeeting(meetingId, MOVED_START);
    await held.reached;
    // A claim now: it must not take the row the reconcile is deciding on.
    await e.tick();
    held.release();
    await move;
    e.clock.set(MOVED_PREP_DUE);
    await e.tick();
    const prep = await prepOf(meetingId);
    expect(prep).toMatchObject({ state: 'sent', due_at: MOVED_PREP_DUE });
    // Only the prep tip for the new time was posted.
    expect(e.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('an outcome recorded between the reconcile’s read and its writes: the moved meeting still gets its prep tip at the new time', async () => {
    const meetingId = await e.schedule(ADA, START);
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    let posting!: () => void;
    const posted = new Promise<void>((resolve) => (posting = resolve));
    e.fake.on('chat.postMessage', async (call) => {
      posting();
      await answered;
      return { ok: true, channel: call.body.channel, ts: '1793131200.000100' };
    });
    e.clock.set(PREP_DUE);
    const tick = e.tick();
    await posted;
    // The prep tip is being posted (claimed) when the meeting moves: the reconcile read it claimed, and will flag it.
    const held = holdAt('reconcile:after-read');
    const move = moveMeeting(meetingId, MOVED_START);
    await held.reached;
    // Slack answers; the engine records the post (or waits for the reconcile to finish, if it must).
    answer();
    await untilWaiting(1, async () => (await prepOf(meetingId))?.state === 'sent');
    held.release();
    await move;
    await tick;
    e.fake.on('chat.postMessage', (call) => ({ ok: true, channel: call.body.channel, ts: '1793217600.000100' }));
    e.clock.set(MOVED_PREP_DUE);
    await e.tick();
    expect(await prepOf(meetingId)).toMatchObject({ state: 'sent', due_at: MOVED_PREP_DUE });
    expect(e.fake.callsTo('chat.postMessage')).toHaveLength(2);
  });
});

describe.runIf(onPostgres)('outcomes recorded together while a reconcile locks the same rows', () => {
  it('a group commit recording outcomes in due order and a re-plan locking rows in id order both finish (no deadlock)', async () => {
    // Meeting A is scheduled first (its rows have the lower ids) but starts later than meeting B: due order is
    // B's prep tip, then A's; id order is A's, then B's.
    const a = await e.schedule(ADA, '2026-11-05T20:00:00Z');
    const b = await e.schedule(ADA, '2026-11-05T16:00:00Z');
    const prepA = (await prepOf(a))?.id as number;
    const prepB = (await prepOf(b))?.id as number;
    expect(prepA).toBeLessThan(prepB);
    e.clock.set('2026-11-04T20:00:00Z');
    // Both prep tips are due; the user shortens the prep lead (a re-plan request, not run yet), so the engine's first
    // look defers both, and records both deferrals in one group commit, B's first.
    await updateReminderSettings(e.db, ADA, { ...DEFAULT_REMINDER_SETTINGS, prepLeadMinutes: 120 }, e.clock.now());
    // A drain runs pending re-plans before it claims: keep this one back until the claim is made, as when the user
    // changes the settings just after the drain began.
    const requested = await e.db.selectFrom('reminder_replans').selectAll().execute();
    await e.db.deleteFrom('reminder_replans').execute();
    // A third transaction holds B's prep tip once the engine has claimed it, so the group commit waits there.
    const claimed = holdAt('claim:after-claim');
    const tick = e.tick();
    await claimed.reached;
    let unblock!: () => void;
    const blocker = new Promise<void>((resolve) => (unblock = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = e.db.transaction().execute(async (trx) => {
      await sql`select id from reminders where id = ${prepB} for update`.execute(trx);
      locked();
      await blocker;
    });
    await isLocked;
    claimed.release();
    await untilWaiting(1);
    // The re-plan of both meetings (one transaction) locks their rows in id order meanwhile.
    await e.db.insertInto('reminder_replans').values(requested).execute();
    const replans = runPendingReplans(e.db, e.clock.now(), e.deps.logger);
    await untilWaiting(2);
    unblock();
    await holding;
    const [ticked, replanned] = await Promise.all([tick, replans]);
    expect(e.logs.filter((line) => line.includes('deadlock'))).toEqual([]);
    expect(ticked).toMatchObject({ claimed: 2, deferred: 2, retried: 0 });
    expect(replanned).toBe(1);
    // Both deferred to the new lead, as recorded: no unknown outcome to look for in the DM.
    for (const [meetingId, due] of [
      [a, '2026-11-05T18:00:00.000Z'],
      [b, '2026-11-05T14:00:00.000Z'],
    ] as const)
      expect(await prepOf(meetingId)).toMatchObject({
        state: 'pending',
        due_at: due,
        check_before_send: 0,
        attempts: 0,
      });
  });
});
