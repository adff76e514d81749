import { readdirSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { type Db, dialectOf, openDatabase } from '../../src/db/database.js';
import { MigrationError, migrateDown, migrateToLatest } from '../../src/db/migrate.js';
import { openTestDatabase, testDatabaseUrl, testDialect } from '../support/test-database.js';

async function tableNames(db: Db): Promise<string[]> {
  const result =
    dialectOf(db) === 'postgres'
      ? await sql<{ name: string }>`select tablename as name from pg_tables
          where schemaname = 'public' and tablename not like 'kysely_%' order by name`.execute(db)
      : await sql<{ name: string }>`select name from sqlite_master
          where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%' order by name`.execute(db);
  return result.rows.map((row) => row.name);
}

describe('migrations', () => {
  it('the registry lists every migration file, in file-name order', () => {
    const files = readdirSync(new URL('../../migrations/', import.meta.url))
      .filter((file) => file !== 'index.ts' && file.endsWith('.ts'))
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    expect(Object.keys(migrations)).toEqual(files);
  });

  it('go up, all the way down and up again', async () => {
    const db = openDatabase(await testDatabaseUrl({ empty: true }));
    await migrateToLatest(db);
    const tables = await tableNames(db);
    expect(tables).toEqual(expect.arrayContaining(['contacts', 'meetings', 'slack_users']));
    for (let i = 0; i < Object.keys(migrations).length; i++) await migrateDown(db);
    expect(await tableNames(db)).toEqual([]);
    await migrateToLatest(db);
    expect(await tableNames(db)).toEqual(tables);
    await db.destroy();
  });

  it('a migration that fails halfway leaves nothing of itself, nor of those before it in the same run', async () => {
    const db = openDatabase(await testDatabaseUrl({ empty: true }));
    const failing = {
      ...migrations,
      '2099-01-01T00-00-00_broken': {
        up: async (trx: Kysely<unknown>) => {
          await trx.schema.createTable('half_made').addColumn('id', 'integer').execute();
          await sql`insert into no_such_table values (1)`.execute(trx);
        },
      },
    };
    await expect(migrateToLatest(db, failing)).rejects.toThrow(MigrationError);
    // The whole run was one transaction: not even the earlier migrations of the run were applied.
    expect(await tableNames(db)).toEqual([]);
    expect(await migrateToLatest(db)).toHaveLength(Object.keys(migrations).length);
    expect(await tableNames(db)).not.toContain('half_made');
    await db.destroy();
  });

  it.runIf(testDialect() === 'postgres')(
    'five processes migrating one empty database at once migrate it once',
    async () => {
      const url = await testDatabaseUrl({ empty: true });
      const replicas = Array.from({ length: 5 }, () => openDatabase(url));
      const applied = await Promise.all(replicas.map((db) => migrateToLatest(db)));
      // One of them applied every migration; the others waited for its lock and found nothing to do.
      expect(applied.map((names) => names.length).sort()).toEqual([0, 0, 0, 0, Object.keys(migrations).length]);
      const [first] = replicas as [Db];
      const recorded = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(first);
      expect(recorded.rows[0]?.n).toBe(Object.keys(migrations).length);
      await Promise.all(replicas.map((db) => db.destroy()));
    },
  );

  it.runIf(testDialect() === 'sqlite')('open the file database with WAL, foreign keys and a busy timeout', async () => {
    const path = `${process.env.TMPDIR ?? '/tmp'}/infoview-pragmas-${process.pid}-${Date.now()}/db.sqlite`;
    const db = openDatabase(path);
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
    await db.destroy();
  });

  it('deleting a contact deletes its meetings (foreign keys are enforced)', async () => {
    const db = await openTestDatabase();
    const now = new Date().toISOString();
    const contact = await db
      .insertInto('contacts')
      .values({
        team_id: 'T',
        owner_id: 'U',
        name: 'A',
        name_key: 'a|',
        search_text: 'a',
        last_activity_at: now,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('meetings')
      .values({
        team_id: 'T',
        owner_id: 'U',
        contact_id: contact.id,
        starts_at: now,
        ends_at: now,
        duration_minutes: 30,
        time_zone: 'UTC',
        location: null,
        goal: null,
        questions: null,
        status: 'scheduled',
        source_view_id: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await expect(
      db
        .insertInto('meetings')
        .values({
          team_id: 'T',
          owner_id: 'U',
          contact_id: 999,
          starts_at: now,
          ends_at: now,
          duration_minutes: 30,
          time_zone: 'UTC',
          location: null,
          goal: null,
          questions: null,
          status: 'scheduled',
          source_view_id: null,
          created_at: now,
          updated_at: now,
        })
        .execute(),
    ).rejects.toThrow(/FOREIGN KEY|foreign key/);
    await db.deleteFrom('contacts').where('id', '=', contact.id).execute();
    expect(await db.selectFrom('meetings').selectAll().execute()).toEqual([]);
    await db.destroy();
  });
});
