import { loadDatabaseUrl } from '../config.js';
import { loadEnvFile } from '../lib/env-file.js';
import { describeDatabaseUrl, openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';

loadEnvFile();
// `npm run migrate`: needs only DATABASE_URL, so it works before the Slack tokens are set.
const path = loadDatabaseUrl(process.env);
const db = openDatabase(path);
try {
  const applied = await migrateToLatest(db);
  const name = describeDatabaseUrl(path);
  console.log(applied.length === 0 ? `${name}: already up to date` : `${name}: ${applied.join(', ')}`);
} catch (error) {
  console.error(error instanceof Error ? `${error.message}\n${String(error.cause ?? '')}` : error);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
