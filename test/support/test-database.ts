import pg from 'pg';
import { inject } from 'vitest';
import { type Db, type Dialect, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

// The suite runs twice (vitest.config.ts): once on SQLite, once on a throwaway PostgreSQL server
// (test/support/postgres-setup.ts). Tests ask here for a database instead of naming `:memory:` or a file.

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throwaway cluster's maintenance database, in the postgres project; '' in the sqlite project. */
    postgresAdminUrl: string;
  }
}

/** The template every test database of the postgres project is copied from: migrated once by the setup. */
export const TEMPLATE_DATABASE = 'infoview_template';

/** The database this run of the suite is on. */
export function testDialect(): Dialect {
  return inject('postgresAdminUrl') ? 'postgres' : 'sqlite';
}

let admin: pg.Pool | null = null;
let created = 0;

/**
 * A new, empty, migrated database for one test: SQLite in memory (or the file at `sqliteFile`, for a test that
 * opens it from another process too), or a new PostgreSQL database copied from the migrated template (`empty`: not
 * even migrated).
 */
export async function testDatabaseUrl(options: { sqliteFile?: string; empty?: boolean } = {}): Promise<string> {
  const adminUrl = inject('postgresAdminUrl');
  if (!adminUrl) return options.sqliteFile ?? ':memory:';
  admin ??= new pg.Pool({ connectionString: adminUrl, max: 1 });
  const name = `t_${process.pid}_${Date.now().toString(36)}_${created++}`;
  await admin.query(`create database ${name} template ${options.empty ? 'template0' : TEMPLATE_DATABASE}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** `testDatabaseUrl()` opened and migrated (a no-op on the template's copy). */
export async function openTestDatabase(options: { sqliteFile?: string } = {}): Promise<Db> {
  const db = openDatabase(await testDatabaseUrl(options));
  await migrateToLatest(db);
  return db;
}
