import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateDown, migrateToLatest } from '../../src/db/migrate.js';

async function tableNames(db: ReturnType<typeof openDatabase>): Promise<string[]> {
  const result = await sql<{
    name: string;
  }>`select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%' order by name`.execute(
    db,
  );
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
    const db = openDatabase(':memory:');
    await migrateToLatest(db);
    const tables = await tableNames(db);
    expect(tables).toEqual(expect.arrayContaining(['contacts', 'meetings', 'slack_users']));
    for (let i = 0; i < Object.keys(migrations).length; i++) await migrateDown(db);
    expect(await tableNames(db)).toEqual([]);
    await migrateToLatest(db);
    expect(await tableNames(db)).toEqual(tables);
    await db.destroy();
  });

  it('open the file database with WAL, foreign keys and a busy timeout', async () => {
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
    const db = openDatabase(':memory:');
    await migrateToLatest(db);
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
    ).rejects.toThrow(/FOREIGN KEY/);
    await db.deleteFrom('contacts').where('id', '=', contact.id).execute();
    expect(await db.selectFrom('meetings').selectAll().execute()).toEqual([]);
    await db.destroy();
  });
});
