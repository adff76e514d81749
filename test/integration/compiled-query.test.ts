import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledQuery } from '../../src/db/compiled-query.js';
import type { Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openTestDatabase, testDialect } from '../support/test-database.js';

// A compiled query takes each parameter once: the first build of a shape learns where each goes, later calls run the
// same SQL with their own values (docs/performance.md, "Compiled queries").

let db: Db;
const NOW = '2026-11-02T14:00:00.000Z';

beforeAll(async () => {
  db = await openTestDatabase();
  await migrateToLatest(db);
  await db
    .insertInto('slack_users')
    .values(
      ['U1', 'U2', 'U3', 'U4'].map((userId, i) => ({
        team_id: 'T1',
        user_id: userId,
        time_zone: `Zone/${i + 1}`,
        created_at: NOW,
      })),
    )
    .execute();
});

afterAll(async () => {
  await db.destroy();
});

const zonesOf = compiledQuery('zones of users', (db, p: { teamId: string; userIds: readonly string[] }) =>
  db
    .selectFrom('slack_users')
    .select(['user_id', 'time_zone'])
    .where('team_id', '=', p.teamId)
    .where('user_id', 'in', p.userIds)
    // A value written in the query stays as it is.
    .where('time_zone', '!=', 'Nowhere')
    .orderBy('user_id'),
);

describe('compiledQuery', () => {
  it('runs each call with its own values, a list of each length being a shape of its own', async () => {
    expect(await zonesOf(db, { teamId: 'T1', userIds: ['U1', 'U2'] })).toEqual([
      { user_id: 'U1', time_zone: 'Zone/1' },
      { user_id: 'U2', time_zone: 'Zone/2' },
    ]);
    expect(await zonesOf(db, { teamId: 'T1', userIds: ['U3', 'U4'] })).toEqual([
      { user_id: 'U3', time_zone: 'Zone/3' },
      { user_id: 'U4', time_zone: 'Zone/4' },
    ]);
    expect(await zonesOf(db, { teamId: 'T1', userIds: ['U4'] })).toEqual([{ user_id: 'U4', time_zone: 'Zone/4' }]);
    expect(await zonesOf(db, { teamId: 'T2', userIds: ['U1', 'U2', 'U3'] })).toEqual([]);
  });

  it('places a parameter used twice in both places', async () => {
    const upsert = compiledQuery('save zone', (db, p: { userId: string; zone: string }) =>
      db
        .insertInto('slack_users')
        .values({ team_id: 'T1', user_id: p.userId, time_zone: p.zone, created_at: NOW })
        .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ time_zone: p.zone })),
    );
    await upsert(db, { userId: 'U9', zone: 'Europe/Paris' });
    await upsert(db, { userId: 'U9', zone: 'Asia/Tokyo' });
    expect(await zonesOf(db, { teamId: 'T1', userIds: ['U9'] })).toEqual([{ user_id: 'U9', time_zone: 'Asia/Tokyo' }]);
  });

  it('refuses a query that depends on a value rather than only placing it', async () => {
    const branching = compiledQuery('branching', (db, p: { userId: string }) => {
      const query = db.selectFrom('slack_users').select('user_id');
      return p.userId === '' ? query : query.where('user_id', '=', p.userId);
    });
    await expect(branching(db, { userId: '' })).rejects.toThrow(/depends on its parameters' values/);
    const computing = compiledQuery('computing', (db, p: { limit: number }) =>
      db
        .selectFrom('slack_users')
        .select('user_id')
        .limit(p.limit + 1),
    );
    await expect(computing(db, { limit: 1 })).rejects.toThrow(/depends on its parameters' values/);
  });
});

// On PostgreSQL a compiled query is a named prepared statement on each connection: parsed and planned once there
// (docs/performance.md, "Prepared statements on PostgreSQL"); SQL built per call is not kept.
describe.runIf(testDialect() === 'postgres')('on PostgreSQL', () => {
  const prepared = async (trx: Parameters<typeof zonesOf>[0]) =>
    (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(trx)).rows.map(
      (row) => row.statement,
    );

  it('runs a compiled query as a statement prepared once on its connection, and nothing else', async () => {
    await db.transaction().execute(async (trx) => {
      const before = await prepared(trx);
      // A list of a length no test ran before: a shape new to every connection.
      expect(await zonesOf(trx, { teamId: 'T1', userIds: ['U1', 'U2', 'U3', 'U4', 'U5'] })).toHaveLength(4);
      await trx.selectFrom('slack_users').select('user_id').where('team_id', '=', 'T9').execute();
      const added = (await prepared(trx)).filter((text) => !before.includes(text));
      expect(added).toHaveLength(1);
      expect(added[0]).toMatch(/from "slack_users" where "team_id" = \$1 and "user_id" in \(\$2, \$3, \$4, \$5, \$6\)/);
      // Run again with other values: the same statement, its own rows.
      expect(await zonesOf(trx, { teamId: 'T1', userIds: ['U2', 'U3', 'U4', 'U6', 'U7'] })).toEqual([
        { user_id: 'U2', time_zone: 'Zone/2' },
        { user_id: 'U3', time_zone: 'Zone/3' },
        { user_id: 'U4', time_zone: 'Zone/4' },
      ]);
      expect((await prepared(trx)).filter((text) => !before.includes(text))).toHaveLength(1);
    });
  });

  it('never keeps a select of every column prepared: a column a later release adds would break it', async () => {
    const everything = compiledQuery('every column', (db, p: { teamId: string }) =>
      db.selectFrom('slack_users').selectAll().where('team_id', '=', p.teamId),
    );
    await db.transaction().execute(async (trx) => {
      const before = await prepared(trx);
      expect((await everything(trx, { teamId: 'T1' })).length).toBeGreaterThan(0);
      expect((await prepared(trx)).filter((text) => !before.includes(text))).toEqual([]);
    });
  });
});
