import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { testDialect } from '../support/test-database.js';

// A web process and an engine process on one SQLite file (README "Running it in production"): every transaction
// of one waits for the other's instead of failing, from the migrations on.
const ROOT = new URL('../../', import.meta.url).pathname;
const ROUNDS = 3000;

function startWriter(path: string): { child: ChildProcessWithoutNullStreams; lines: string[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/support/sqlite-writer.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: path, ROUNDS: String(ROUNDS) },
  });
  const lines: string[] = [];
  let partial = '';
  child.stdout.on('data', (chunk) => {
    const parts = (partial + String(chunk)).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.on('data', (chunk) => lines.push(String(chunk)));
  return { child, lines };
}

async function lineFrom(writer: ReturnType<typeof startWriter>, matches: (line: string) => boolean): Promise<string> {
  for (;;) {
    const line = writer.lines.find(matches);
    if (line !== undefined) return line;
    if (writer.child.exitCode !== null) throw new Error(`the writer exited: ${writer.lines.join('\n')}`);
    await Promise.race([once(writer.child.stdout, 'data'), once(writer.child, 'exit')]);
  }
}

async function runWriters(path: string) {
  const writers = [startWriter(path), startWriter(path)];
  for (const writer of writers) await lineFrom(writer, (line) => line === 'ready');
  for (const writer of writers) writer.child.stdin.write('go\n');
  const results = await Promise.all(
    writers.map(async (writer) => JSON.parse(await lineFrom(writer, (line) => line.startsWith('{')))),
  );
  const db = openDatabase(path);
  const { rows } = await sql<{ n: number }>`select n from test_counter`.execute(db);
  await db.destroy();
  return { results, counter: rows };
}

const newFile = () => join(mkdtempSync(join(tmpdir(), 'infoview-processes-')), 'shared.sqlite');

describe.runIf(testDialect() === 'sqlite')('several processes on one SQLite file', () => {
  it('start together on a new file: one migrates, the other waits and finds nothing to do', async () => {
    const { results } = await runWriters(newFile());
    expect(results.map((result) => result.failed)).toEqual([0, 0]);
  }, 120_000);

  it('interleave read-then-write transactions without one SQLITE_BUSY or lost write', async () => {
    const path = newFile();
    const db = openDatabase(path);
    await migrateToLatest(db);
    await db.destroy();
    const { results, counter } = await runWriters(path);
    expect(results).toEqual([
      { failed: 0, errors: [] },
      { failed: 0, errors: [] },
    ]);
    expect(counter).toEqual([{ n: 2 * ROUNDS }]);
  }, 120_000);

  it('copies the write-ahead log into the file on its own commits, so the log stays small', async () => {
    const path = newFile();
    const db = openDatabase(path);
    await sql`create table filler (id integer primary key, text text not null)`.execute(db);
    const row = 'x'.repeat(4000);
    // About 20 MB in 5,000 commits: with no checkpoint at all the log would hold all of it.
    for (let i = 0; i < 5000; i++) await sql`insert into filler (text) values (${row})`.execute(db);
    expect(statSync(`${path}-wal`).size).toBeLessThan(8 * 1024 * 1024);
    expect(statSync(path).size).toBeGreaterThan(16 * 1024 * 1024);
    await db.destroy();
  });
});
