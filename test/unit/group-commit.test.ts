import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { GroupCommit } from '../../src/db/group-commit.js';
import { openTestDatabase } from '../support/test-database.js';

// The engine records outcomes through a group commit (issue 14): many small writes, one transaction.

let db: Db;
let commits: number;
beforeEach(async () => {
  commits = 0;
  db = await openTestDatabase();
});
afterEach(async () => {
  await db.destroy();
});

const insert = (teamId: string) => (trx: Parameters<Parameters<GroupCommit['run']>[0]>[0]) =>
  trx
    .insertInto('reminder_replans')
    .values({ team_id: teamId, owner_id: '', requested_at: '2026-12-03T00:00:00.000Z' })
    .execute();

describe('GroupCommit', () => {
  it('runs the writes of one turn of the event loop in one transaction, each with its own result', async () => {
    const group = new GroupCommit(db);
    const transaction = () => ({
      execute: async (work: (trx: unknown) => Promise<unknown>) =>
        db.transaction().execute(async (trx) => {
          commits += 1;
          return work(trx);
        }),
    });
    // The database, its transactions counted.
    const counted = new GroupCommit(
      new Proxy(db, {
        get: (target, key) => {
          if (key === 'transaction') return transaction;
          const value: unknown = Reflect.get(target, key);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }),
    );
    await Promise.all(['T1', 'T2', 'T3'].map((team) => counted.run(insert(team))));
    expect(commits).toBe(1);
    // A write alone in its turn is one statement: no transaction of its own.
    await counted.run(insert('T0'));
    expect(commits).toBe(1);
    expect(
      (await db.selectFrom('reminder_replans').select('team_id').orderBy('team_id').execute()).map((r) => r.team_id),
    ).toEqual(['T0', 'T1', 'T2', 'T3']);
    // One write failing (a duplicate key) fails alone; the others, run again without it, are written once.
    const results = await Promise.allSettled([
      group.run(insert('T4')),
      group.run(insert('T1')),
      group.run(insert('T5')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await sql<{ n: number }>`select count(*) as n from reminder_replans`.execute(db)).rows[0]?.n).toBe(6);
  });

  it('flushes at once when a batch is full', async () => {
    const group = new GroupCommit(db, 2);
    await Promise.all(['A', 'B', 'C', 'D', 'E'].map((team) => group.run(insert(team))));
    expect((await db.selectFrom('reminder_replans').select('team_id').execute()).length).toBe(5);
  });
});
