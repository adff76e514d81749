import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from '../../migrations/index.js';
import type { Db } from './database.js';

const providerOf = (list: Record<string, Migration>): MigrationProvider => ({ getMigrations: async () => list });

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

function describe(result: MigrationResultSet): string[] {
  return (result.results ?? []).map((r) => `${r.migrationName}: ${r.status}`);
}

/**
 * Brings the schema up to date; throws MigrationError (Kysely's migrator itself never throws). All pending migrations
 * run in one transaction (a failure halfway leaves the schema as it was), and on PostgreSQL under an advisory lock,
 * so replicas starting together migrate once: the others wait, then find nothing to do.
 */
export async function migrateToLatest(db: Db, list: Record<string, Migration> = migrations): Promise<string[]> {
  const result = await new Migrator({ db, provider: providerOf(list) }).migrateToLatest();
  if (result.error) {
    throw new MigrationError(`database migration failed (${describe(result).join(', ')})`, { cause: result.error });
  }
  return describe(result);
}

/** Undoes the latest migration; for the up-down-up test and manual recovery. */
export async function migrateDown(db: Db): Promise<string[]> {
  const result = await new Migrator({ db, provider: providerOf(migrations) }).migrateDown();
  if (result.error) throw new MigrationError('database migration down failed', { cause: result.error });
  return describe(result);
}
