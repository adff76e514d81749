import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen in time, like the migrations that use it: what must be written differently for SQLite and PostgreSQL.
// Both get the same tables, columns and indexes; instants are ISO-8601 UTC text and booleans 0 | 1 on both.

export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An integer primary key the database numbers: SQLite's AUTOINCREMENT, PostgreSQL's identity column. */
export function generatedId(db: Kysely<unknown>): (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return isPostgres(db)
    ? (col) => col.primaryKey().generatedByDefaultAsIdentity()
    : (col) => col.primaryKey().autoIncrement();
}

/** After rows were copied with their ids: PostgreSQL's identity goes on after the largest (SQLite's does itself). */
export async function continueIdsAfterCopy(db: Kysely<unknown>, table: string): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce(max(id), 0) + 1, false) from ${sql.table(table)}`.execute(
    db,
  );
}
