import { existsSync } from 'node:fs';
import { loadDatabaseUrl } from '../config.js';
import { isPostgresUrl, openDatabase } from '../db/database.js';
import { systemClock } from '../lib/clock.js';
import { loadEnvFile } from '../lib/env-file.js';
import { parseRemindersArgs, REMINDERS_USAGE, runRemindersCommand, usageError } from './reminders-command.js';

// `npm run reminders -- --failed | --retry <id> | --help` (usage in reminders-command.ts). Needs only DATABASE_URL,
// like `npm run migrate`, and runs beside the app: SQLite in WAL mode lets both use the file (or PostgreSQL).
loadEnvFile();
const args = parseRemindersArgs(process.argv.slice(2));
const io = { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };
if (args.command === 'help') {
  io.out(REMINDERS_USAGE);
} else if (args.command === 'invalid') {
  io.err(usageError(args.message));
  process.exitCode = 2;
} else {
  const path = loadDatabaseUrl(process.env);
  // Opening a path that does not exist would create an empty database: a wrong DATABASE_URL must not look like "no failures".
  if (!isPostgresUrl(path) && (path === ':memory:' || !existsSync(path))) {
    console.error(`reminders: no database at ${path} (set DATABASE_URL to the app's database file)`);
    process.exitCode = 1;
  } else {
    const db = openDatabase(path);
    try {
      process.exitCode = await runRemindersCommand(db, args, systemClock.now(), io);
    } catch (error) {
      console.error(`reminders: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    } finally {
      await db.destroy();
    }
  }
}
