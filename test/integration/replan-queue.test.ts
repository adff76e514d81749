import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { takeLeases } from '../../src/db/repositories/reminders/leases-repository.js';
import {
  REPLAN_REQUESTS_AT_ONCE,
  requestRemindersReplan,
  runPendingReplans,
} from '../../src/domain/reminders/reconciler.js';
import { createLogger } from '../../src/lib/logger.js';
import { openTestDatabase } from '../support/test-database.js';

// Found by bench:reconcile: 200 new users' zones each asked for a re-plan of that user, and a run took 20 requests
// and stopped, so the rest waited for the engine's ticks, 20 every 10 s (a new user's reminders planned in the wrong
// zone for up to a minute and a half).

const NOW = new Date('2026-11-02T14:00:00.000Z');
const quiet = createLogger({ level: 'error' });
let db: Db;

beforeEach(async () => {
  db = await openTestDatabase();
});
afterEach(async () => {
  await db.destroy();
});

const queued = async () => (await db.selectFrom('reminder_replans').select('owner_id').execute()).length;

describe('the re-plan queue', () => {
  it('one run works through every request waiting, not just the first batch', async () => {
    const users = REPLAN_REQUESTS_AT_ONCE * 2 + 5;
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < users; i++) await requestRemindersReplan(trx, 'T0001', `U${i}`, NOW);
    });
    expect(await queued()).toBe(users);
    expect(await runPendingReplans(db, NOW, quiet)).toBe(users);
    expect(await queued()).toBe(0);
  });

  it('a caller who joins a run with a later time extends its lease from that time', async () => {
    const users = REPLAN_REQUESTS_AT_ONCE * 2 + 5;
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < users; i++) await requestRemindersReplan(trx, 'T0001', `U${i}`, NOW);
    });
    const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
    const untilQueued = async (atMost: number) => {
      while ((await queued()) > atMost) await nextTurn();
    };
    const run = runPendingReplans(db, NOW, quiet);
    await untilQueued(users - 1);
    const later = new Date(NOW.getTime() + 10 * 60_000);
    const joined = runPendingReplans(db, later, quiet);
    // Two more requests done after the join (counted from a read made after it): the first request to finish after
    // the join renews the lease before the next one starts.
    await untilQueued((await queued()) - 2);
    // Past the first caller's lease (5 minutes), within the joiner's: another replica cannot take it.
    const other = await takeLeases(
      db,
      ['housekeeping:replans'],
      'another-replica',
      new Date(later.getTime() + 60_000).toISOString(),
      new Date(later.getTime() + 6 * 60_000).toISOString(),
    );
    expect(other.size).toBe(0);
    expect(await run).toBe(users);
    expect(await joined).toBe(users);
  });
});
