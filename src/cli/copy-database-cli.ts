import { parseArgs } from 'node:util';
import { CopyError, copyDatabase } from '../db/copy-database.js';
import { describeDatabaseUrl, isPostgresUrl, openDatabase } from '../db/database.js';
import { MigrationError } from '../db/migrate.js';

// `npm run copy-database -- --from <url> --to <url>`: copies every row of one database into another, empty one
// (SQLite to PostgreSQL to scale out, README.md "Scaling out"; or back), then checks counts and checksums.

const USAGE = `Usage:
  npm run copy-database -- --from <database> --to <database>

  <database>   a SQLite file (./data/infoview.sqlite) or a PostgreSQL URL (postgres://user:password@host/db)

Copies every row (ids, times, states, leases) into the target, which must be empty (it is migrated first), in one
transaction, then compares the row count and a checksum of every table. Stop the app first: rows written during the
copy would be missed.`;

const { values } = parseArgs({
  options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean' } },
  strict: false,
});
if (values.help) {
  console.log(USAGE);
} else if (
  !values.from ||
  !values.to ||
  typeof values.from !== 'string' ||
  typeof values.to !== 'string' ||
  values.from === values.to
) {
  console.error(`copy-database: give --from and --to, two different databases\n\n${USAGE}`);
  process.exitCode = 2;
} else if (values.from === ':memory:' || values.to === ':memory:') {
  console.error('copy-database: an in-memory database cannot be copied from or to');
  process.exitCode = 2;
} else {
  const from = openDatabase(values.from);
  const to = openDatabase(values.to);
  const name = (url: string) => describeDatabaseUrl(url) + (isPostgresUrl(url) ? '' : ' (SQLite)');
  console.log(`copying ${name(values.from)} -> ${name(values.to)}`);
  try {
    const tables = await copyDatabase(from, to, (line) => console.log(`  ${line}`));
    const rows = tables.reduce((sum, t) => sum + t.rows, 0);
    console.log(`verified: ${tables.length} tables, ${rows} rows; every count and checksum matches`);
  } catch (error) {
    const known = error instanceof CopyError || error instanceof MigrationError;
    console.error(`copy-database: ${known ? (error as Error).message : String((error as Error).stack ?? error)}`);
    process.exitCode = 1;
  } finally {
    await Promise.all([from.destroy(), to.destroy()]);
  }
}
