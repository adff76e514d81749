import { Migrator, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { migrations } from '../../migrations/index.js';
import type { Db } from './database.js';

const provider: MigrationProvider = { getMigrations: async () => migrations };

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

function describe(result: MigrationResultSet): string[] {
  return (result.results ?? []).map((r) => `${r.migrationName}: ${r.status}`);
}

/** Brings the schema up to date; throws MigrationError (Kysely's migrator itself never throws). */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const result = await new Migrator({ db, provider }).migrateToLatest();
  if (result.error) {
    throw new MigrationError(`database migration failed (${describe(result).join(', ')})`, { cause: result.error });
  }
  return describe(result);
}

/** Undoes the latest migration; for the up-down-up test and manual recovery. */
export async function migrateDown(db: Db): Promise<string[]> {
  const result = await new Migrator({ db, provider }).migrateDown();
  if (result.error) throw new MigrationError('database migration down failed', { cause: result.error });
  return describe(result);
}
