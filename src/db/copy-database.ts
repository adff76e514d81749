import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql, type Transaction } from 'kysely';
import { type Db, dialectOf, type Executor } from './database.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';

// Copies every row of one database into another, empty one, of either dialect (SQLite to PostgreSQL to move to
// replicas, and back), and verifies the copy: the same count and the same checksum in every table.

type Table = keyof Database;

/**
 * The tables seen as plain rows of named columns: the copy reads and writes every table alike, by a name known only
 * at run time, so the schema's per-table types cannot follow it.
 */
type AnyRows = Record<string, Record<string, unknown>>;

/** The database as rows of named columns: the copy walks every table by a name chosen at run time. */
function asRows(db: Executor): Kysely<AnyRows> {
  // Kysely's builder is typed by the schema and cannot take a table name from a list: the one place the copy
  // steps outside it, and only to read and write rows as they are.
  return db as unknown as Kysely<AnyRows>;
}

/**
 * Every table, parents before children, with the key its rows are read in. A table the schema has and this list
 * lacks stops the copy (nothing is ever left behind silently).
 */
const TABLES: readonly { name: Table; key: readonly string[] }[] = [
  { name: 'slack_users', key: ['team_id', 'user_id'] },
  { name: 'workspaces', key: ['team_id'] },
  { name: 'contacts', key: ['id'] },
  { name: 'meetings', key: ['id'] },
  { name: 'debriefs', key: ['id'] },
  { name: 'advice_items', key: ['id'] },
  { name: 'reminders', key: ['id'] },
  { name: 'asks', key: ['id'] },
  { name: 'reminder_settings', key: ['team_id', 'user_id'] },
  { name: 'saved_questions', key: ['id'] },
  { name: 'reminder_replans', key: ['team_id', 'owner_id'] },
  { name: 'workspace_holidays', key: ['team_id', 'day'] },
  { name: 'leases', key: ['name'] },
  { name: 'installations', key: ['install_key'] },
  { name: 'oauth_states', key: ['state'] },
  { name: 'calendar_feeds', key: ['team_id', 'owner_id'] },
  { name: 'centre_settings', key: ['team_id'] },
  { name: 'centre_advisors', key: ['team_id', 'advisor_id'] },
  { name: 'progress_shares', key: ['team_id', 'owner_id', 'advisor_id'] },
  { name: 'advisor_views', key: ['id'] },
  { name: 'cohort_weeks', key: ['team_id', 'week_start', 'metric'] },
  { name: 'advisor_charts', key: ['team_id', 'advisor_id', 'week_start'] },
  { name: 'advisor_home_prefs', key: ['team_id', 'advisor_id'] },
  { name: 'advisor_departed', key: ['team_id', 'advisor_id'] },
  { name: 'processed_events', key: ['team_id', 'event_id'] },
];

/** Columns that point at a row of their own table: copied as null, then set once every row is there. */
const SELF_REFERENCES: Partial<Record<Table, string>> = { contacts: 'referred_by_id' };

/** Rows read (and written) at a time. */
const PAGE = 2_000;

export interface TableCopy {
  table: string;
  rows: number;
  /** Of every row's values, whatever order the rows are in: equal on both sides. */
  checksum: string;
}

export class CopyError extends Error {
  override readonly name = 'CopyError';
}

/**
 * Copies every row of `from` into `to` in one transaction of `to` (a failure leaves it empty), then reads both again
 * and compares counts and checksums table by table. Both are migrated to the latest schema first; `to` must hold no
 * rows. PostgreSQL's id sequences go on after the largest id copied.
 */
export async function copyDatabase(
  from: Db,
  to: Db,
  progress: (line: string) => void = () => {},
): Promise<TableCopy[]> {
  await migrateToLatest(from);
  await migrateToLatest(to);
  await checkTablesKnown(from);
  for (const { name } of TABLES) {
    if ((await countRows(to, name)) > 0)
      throw new CopyError(`the target already holds rows (in ${name}): copy into an empty database`);
  }
  await to.transaction().execute(async (trx) => {
    for (const table of TABLES) {
      const copied = await copyTable(from, trx, table);
      progress(`${table.name}: ${copied} rows`);
    }
    if (dialectOf(trx) === 'postgres') {
      for (const { name, key } of TABLES) {
        if (key[0] !== 'id') continue;
        await sql`select setval(pg_get_serial_sequence(${name}, 'id'), coalesce(max(id), 0) + 1, false) from ${sql.table(name)}`.execute(
          trx,
        );
      }
    }
  });
  const source = await summarize(from);
  const target = await summarize(to);
  for (const [i, expected] of source.entries()) {
    const actual = target[i] as TableCopy;
    if (actual.rows !== expected.rows || actual.checksum !== expected.checksum)
      throw new CopyError(
        `${expected.table} differs after the copy: ${expected.rows} rows (${expected.checksum.slice(0, 12)}) in the source, ${actual.rows} (${actual.checksum.slice(0, 12)}) in the target`,
      );
  }
  return source;
}

/** Every table's count and checksum. */
export async function summarize(db: Db): Promise<TableCopy[]> {
  const result: TableCopy[] = [];
  for (const table of TABLES) {
    const digest = Buffer.alloc(32);
    let rows = 0;
    for await (const page of pages(db, table)) {
      for (const row of page) {
        const hash = createHash('sha256').update(canonical(row)).digest();
        for (let i = 0; i < 32; i++) digest[i] = (digest[i] as number) ^ (hash[i] as number);
        rows += 1;
      }
    }
    result.push({ table: table.name, rows, checksum: digest.toString('hex') });
  }
  return result;
}

async function checkTablesKnown(db: Db): Promise<void> {
  const known = new Set<string>(TABLES.map((t) => t.name));
  const unknown = (await db.introspection.getTables())
    .map((t) => t.name)
    .filter((name) => !name.startsWith('kysely_') && !known.has(name));
  if (unknown.length > 0) throw new CopyError(`tables the copy does not know: ${unknown.join(', ')}`);
}

async function countRows(db: Executor, table: Table): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A row as text: its columns by name, numbers and text as they are (both dialects read them alike). */
function canonical(row: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(row)
      .sort()
      .map((column) => [column, row[column]]),
  );
}

/** The table's rows, a page at a time, in key order: each page after the last key read (never by offset). */
async function* pages(
  db: Db,
  table: { name: Table; key: readonly string[] },
): AsyncGenerator<Record<string, unknown>[]> {
  let last: unknown[] | null = null;
  for (;;) {
    let query = asRows(db).selectFrom(table.name).selectAll();
    if (last !== null) {
      // The key after the last one read; (a, b) > (x, y) compares row values in order, on both dialects.
      const keys = sql.join(table.key.map((column) => sql.ref(column)));
      query = query.where(sql<boolean>`(${keys}) > (${sql.join(last)})`);
    }
    for (const column of table.key) query = query.orderBy(column);
    const rows = await query.limit(PAGE).execute();
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < PAGE) return;
    const end = rows[rows.length - 1] as Record<string, unknown>;
    last = table.key.map((column) => end[column]);
  }
}

async function copyTable(
  from: Db,
  to: Transaction<Database>,
  table: { name: Table; key: readonly string[] },
): Promise<number> {
  const selfReference = SELF_REFERENCES[table.name];
  const links: [number, unknown][] = [];
  let copied = 0;
  for await (const page of pages(from, table)) {
    const rows = page.map((row) => {
      if (selfReference === undefined || row[selfReference] === null) return row;
      links.push([row.id as number, row[selfReference]]);
      return { ...row, [selfReference]: null };
    });
    // Within both dialects' limit on bound values per statement.
    const columns = Object.keys(rows[0] ?? {}).length || 1;
    const perInsert = Math.max(1, Math.floor(30_000 / columns));
    for (let i = 0; i < rows.length; i += perInsert) {
      await asRows(to)
        .insertInto(table.name)
        .values(rows.slice(i, i + perInsert))
        .execute();
    }
    copied += rows.length;
  }
  if (selfReference !== undefined) {
    for (const [id, target] of links)
      await sql`update ${sql.table(table.name)} set ${sql.ref(selfReference)} = ${target} where id = ${id}`.execute(to);
  }
  return copied;
}
