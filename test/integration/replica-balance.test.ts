import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replicaLease, takeLeases } from '../../src/db/repositories/reminders/leases-repository.js';
import { DEFAULT_TICK_OPTIONS, drainDueReminders, type ReminderJobDeps } from '../../src/engine/index.js';
import { type EngineHarness, startEngine } from '../support/engine.js';

// How replicas share the workspaces when one began alone (issue 30: three engines took 56 s to deliver what one did in
// 42, workspaces waiting 2 to 10 s between two replicas): the one beyond its share hands workspaces over, and the
// others take them at once, no more than their share, and none is handed back twice.

// Meeting Tue 3 Nov 2026 15:00–15:30 EST, prep tip a day before.
const START = '2026-11-03T20:00:00Z';
const PREP_DUE = '2026-11-02T20:00:00.000Z';

let e: EngineHarness;
beforeEach(async () => {
  e = await startEngine('2026-10-29T14:00:00Z');
});
afterEach(async () => {
  await e.stop();
});

/** `count` prep tips due at PREP_DUE in each workspace, interleaved (a claim holds some of every workspace). */
async function wave(teams: readonly string[], count: number): Promise<void> {
  for (let i = 0; i < count; i++)
    for (const teamId of teams) await e.schedule({ teamId, userId: `U${teamId.slice(-1)}${i}` }, START);
  e.fake.on('conversations.open', (call) => ({ ok: true, channel: { id: `D${String(call.body.users)}` } }));
}

/**
 * The engine as replica `name`, noting who posted for which workspace; `onFirstPost` runs before the first post of
 * any replica goes out (the post waits for it).
 */
function replicas(onFirstPost: () => Promise<void>) {
  const posted: { replica: string; team: string }[] = [];
  let first: Promise<void> | null = null;
  const replica = (name: string): ReminderJobDeps => ({
    ...e.deps,
    replica: name,
    // The trigger's next firing is far away: what a drain does before it is what counts.
    nextTick: () => new Promise<void>(() => {}),
    sender: {
      findDelivered: e.deps.sender.findDelivered,
      postTimeoutMs: e.deps.sender.postTimeoutMs,
      send: async (...args: Parameters<typeof e.deps.sender.send>) => {
        first ??= onFirstPost();
        await first;
        posted.push({ replica: name, team: args[0].owner.teamId });
        return e.deps.sender.send(...args);
      },
    },
  });
  return { posted, replica };
}

/** Says replica `name` is alive for an hour (as one whose drain found nothing to claim would be). */
const alive = (name: string) =>
  takeLeases(e.db, [replicaLease(name)], name, e.clock.now().toISOString(), '2026-11-03T00:00:00.000Z');

describe('replicas sharing the workspaces of a wave', () => {
  it('a replica whose drain found every workspace held by one beyond its share takes those handed back in that drain, not at its next firing', async () => {
    const teams = ['T0001', 'T0002', 'T0003', 'T0004'];
    await wave(teams, 12);
    e.clock.set(PREP_DUE);
    let b: Promise<unknown> = Promise.resolve();
    const { posted, replica } = replicas(async () => {
      // A began alone and holds every workspace; B's trigger fires now: one drain, its next firing far away.
      // B's waits let the others go on without moving the clock (A's pace moves it): B's leases and A's stay live.
      const yieldOnly = () => new Promise<void>((resolve) => setImmediate(resolve));
      b = drainDueReminders({ ...replica('B'), sleep: yieldOnly }, { ...DEFAULT_TICK_OPTIONS, batchSize: 8 });
      await alive('B');
    });
    const fromA = await drainDueReminders(replica('A'), { ...DEFAULT_TICK_OPTIONS, batchSize: 8 });
    const fromB = (await b) as Awaited<typeof fromA>;
    expect(fromA.sent + fromB.sent).toBe(48);
    // B took A's hand-over within its one drain: half the workspaces, each posted by one replica after the switch.
    expect(new Set(posted.filter((p) => p.replica === 'B').map((p) => p.team)).size).toBe(2);
    for (const team of teams) {
      const order = posted.filter((p) => p.team === team).map((p) => p.replica);
      const switches = order.filter((name, i) => i > 0 && name !== order[i - 1]).length;
      expect(switches, `${team}: ${order.join('')}`).toBeLessThanOrEqual(1);
    }
  });

  it('a replica taking workspaces no one holds takes no more than its share, and leaves the rest to the others', async () => {
    const teams = ['T0001', 'T0002', 'T0003', 'T0004', 'T0005', 'T0006'];
    await wave(teams, 2);
    e.clock.set(PREP_DUE);
    await alive('B');
    await alive('C');
    const { posted, replica } = replicas(async () => {});
    // Three replicas live and every workspace is free: A's claim keeps two of them.
    expect(await drainDueReminders(replica('A'), DEFAULT_TICK_OPTIONS)).toMatchObject({ sent: 4 });
    expect(new Set(posted.map((p) => p.team)).size).toBe(2);
  });
});
