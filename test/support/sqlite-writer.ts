// One of several processes writing to one SQLite file, as a web process and an engine process do: opens and
// migrates the file (the processes race there too), says "ready", waits for "go" on stdin, then runs ROUNDS
// read-then-write transactions on a counter, and prints how many failed.
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

const db = openDatabase(process.env.DATABASE_URL ?? '');
await migrateToLatest(db);
await sql`create table if not exists test_counter (id integer primary key, n integer not null)`.execute(db);
await sql`insert or ignore into test_counter (id, n) values (1, 0)`.execute(db);
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));

let failed = 0;
const errors = new Set<string>();
for (let round = 0; round < Number(process.env.ROUNDS); round++) {
  try {
    await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ n: number }>`select n from test_counter where id = 1`.execute(trx);
      await sql`update test_counter set n = ${(rows[0]?.n ?? 0) + 1} where id = 1`.execute(trx);
    });
  } catch (error) {
    failed += 1;
    errors.add((error as Error).message);
  }
}
await db.destroy();
process.stdout.write(`${JSON.stringify({ failed, errors: [...errors] })}\n`);
