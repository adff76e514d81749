import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
// @ts-expect-error: a plain ES module without types (scripts/ are plain Node).
import { startPostgresCluster } from '../scripts/postgres-cluster.mjs';
import { copyDatabase } from '../src/db/copy-database.js';
import { type Db, openDatabase } from '../src/db/database.js';
import { claimDueReminders, markReminderSent } from '../src/db/repositories/reminders/reminders-repository.js';
import type { Database } from '../src/db/schema.js';
import { toDbInstant } from '../src/lib/zoned-time.js';
import { type AppProcess, startProductionApp } from './harness/children.js';
import { explainSqlite, loadInChild, makeDue, pickReminders, seededRandom } from './harness/data.js';
import { FakeWebApi } from './harness/fake-web-api.js';
import { waitQuiet } from './harness/machine.js';
import { appEnv, compareTargets, highestPassingRate, LoadTarget, STEP_HEADER, stepRow } from './harness/open-loop.js';
import { readOptions, writeResults } from './harness/options.js';
import { ms, summarize, table, verdict } from './harness/stats.js';

// `npm run bench:postgres` (bench/README.md): PostgreSQL beside SQLite on one data set, copied into a throwaway
// cluster (scripts/postgres-cluster.mjs), and the app as one SQLite replica and one to three PostgreSQL replicas.

const o = readOptions('npm run bench:postgres -- [options]', {
  pending: [1_000_000, 'pending reminders loaded'],
  'idle-ticks': [10_000, 'measured idle claims per dialect'],
  'claim-batches': [10, 'batches of 200 claimed and recorded per dialect'],
  rate: [100, 'main-phase rate, commands/s'],
  seconds: [20, 'measured seconds per target in the main phase'],
  rounds: [4, 'main phase split into rounds, the order of the targets rotating'],
  warmup: [5, 'seconds of warm-up per target, not measured'],
  search: [true, 'the rate search of 1 and 3 PostgreSQL replicas (--no-search: skip it)'],
  'wait-quiet': [30, 'before each phase, wait up to N s for other processes to use ≤ 0.2 cores'],
});
const BATCH = 200;
const each = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([name, v]) => `${name} ${ms(v)}`)
    .join(', ');
const dir = mkdtempSync(join(tmpdir(), 'infoview-postgres-'));
const path = join(dir, 'infoview.sqlite');
const cluster = startPostgresCluster({ database: 'infoview' }) as Promise<{ url: string; stop(): Promise<void> }>;
cluster.catch(() => undefined); // awaited below; a failure meanwhile must not end the process unhandled
const apps: AppProcess[] = [];
const targets: LoadTarget[] = [];
let fake: FakeWebApi | undefined;

try {
  // 1. Data: the app's migrations, the shared generator, some made due for phase 3, then copied to PostgreSQL.
  const now = new Date();
  const users = Math.min(100_000, Math.ceil(o.pending / 10));
  const load = await loadInChild(path, { users, reminders: o.pending, workspaces: 20, now, seed: 1 });
  const raw = new SQLite(path, { timeout: 5000 });
  const random = seededRandom(2);
  const picked = pickReminders(raw, o['claim-batches'] * BATCH, new Set(), random, false);
  makeDue(raw, picked, () => new Date(now.getTime() - 1000 - Math.floor(random() * 60_000)), toDbInstant(now));
  raw.close();
  const { url } = await cluster;
  const sqliteDb = openDatabase(path);
  const pgDb = openDatabase(url);
  const copyStarted = performance.now();
  await copyDatabase(sqliteDb, pgDb);
  await sql`vacuum analyze`.execute(pgDb); // as autovacuum soon would
  const version = (await sql<{ v: string }>`show server_version`.execute(pgDb)).rows[0];
  console.log(
    `1. ${load.reminders} pending reminders loaded in ${load.seconds.toFixed(0)} s, copied to PostgreSQL ${Object.values(version ?? {})} in ${((performance.now() - copyStarted) / 1000).toFixed(0)} s`,
  );
  const dbs: [string, Db][] = [
    ['sqlite', sqliteDb],
    ['postgres', pgDb],
  ];

  // 2. The idle claim: an instant before every due time, 5 rounds, the dialects taking turns; and its plans.
  const idleIso = toDbInstant(new Date(now.getTime() - 3_600_000));
  const leaseIso = toDbInstant(new Date(now.getTime() + 60_000));
  const idle = new Map<string, number[]>(dbs.map(([name]) => [name, []]));
  for (const [, db] of dbs) for (let i = 0; i < 200; i++) await claimDueReminders(db, idleIso, leaseIso, BATCH);
  await waitQuiet(o['wait-quiet']);
  for (let round = 0; round < 5; round++)
    for (const [name, db] of round % 2 ? [...dbs].reverse() : dbs)
      for (let i = 0; i < o['idle-ticks'] / 5; i++) {
        const started = performance.now();
        if ((await claimDueReminders(db, idleIso, leaseIso, BATCH)).length > 0)
          throw new Error('an idle claim claimed');
        idle.get(name)?.push(performance.now() - started);
      }
  const sqlitePlan = await explainSqlite(path, (spy) => claimDueReminders(spy, idleIso, leaseIso, BATCH));
  const pgPlan = await explainPostgres(url, (spy) => claimDueReminders(spy, idleIso, leaseIso, BATCH));
  const seqScan = pgPlan.some((line) => /Seq Scan on reminders/.test(line));
  const idleP99 = Object.fromEntries([...idle].map(([name, list]) => [name, summarize(list).p99]));
  console.log(`2. idle claim p99, ms: ${each(idleP99)}`);
  console.log(`   SQLite: ${sqlitePlan.join('; ')}`);
  console.log(`   PostgreSQL:\n${pgPlan.map((line) => `     ${line}`).join('\n')}`);

  // 3. Claim + record: a batch of due reminders claimed, each marked sent on its own (autocommit).
  await waitQuiet(o['wait-quiet']);
  const claimRecord: Record<string, number> = {};
  for (const [name, db] of dbs) {
    const [nowIso, started] = [toDbInstant(now), performance.now()];
    let count = 0;
    for (let b = 0; b < o['claim-batches']; b++) {
      const claimed = await claimDueReminders(db, nowIso, leaseIso, BATCH);
      for (const r of claimed)
        if (!(await markReminderSent(db, r, { channel: 'D0', ts: `1.${r.id}` }, nowIso)).recorded)
          throw new Error('not recorded');
      count += claimed.length;
    }
    claimRecord[name] = (performance.now() - started) / Math.max(1, count);
  }
  console.log(`3. claim + record per reminder, ms: ${each(claimRecord)}`);
  await sqliteDb.destroy();
  await pgDb.destroy();

  // 4. and 5. The app as production runs it: one replica on SQLite, up to three on PostgreSQL.
  fake = await FakeWebApi.start();
  apps.push(await startProductionApp({ ...appEnv(fake), DATABASE_URL: path }));
  for (let i = 0; i < (o.search ? 3 : 2); i++)
    apps.push(await startProductionApp({ ...appEnv(fake), DATABASE_URL: url }));
  targets.push(new LoadTarget('sqlite-1', apps.slice(0, 1)));
  for (let n = 1; n < apps.length; n++) targets.push(new LoadTarget(`pg-${n}`, apps.slice(1, n + 1)));
  console.log(`4. /infoview schedule at ${o.rate}/s, ${o.seconds} s per target in ${o.rounds} rounds`);
  await waitQuiet(o['wait-quiet']);
  const main = await compareTargets(targets.slice(0, 3), { fake, ...o });
  const best = new Map<string, number>();
  for (const target of o.search ? [targets[1], targets[3]] : [])
    if (target) best.set(target.name, await highestPassingRate(target, { fake }));

  console.log(`\n${table([STEP_HEADER, ...[...main.values()].map(stepRow)])}\n`);
  const [sqlite1, pg2] = [main.get('sqlite-1'), main.get('pg-2')];
  const openRatio = (pg2?.open.p99 ?? Number.NaN) / (sqlite1?.open.p99 ?? Number.NaN);
  const rateRatio = (best.get('pg-3') ?? Number.NaN) / (best.get('pg-1') ?? Number.NaN);
  const rows = [
    [
      'idle claim p99, PostgreSQL',
      '< 5 ms',
      `${ms(idleP99.postgres ?? Number.NaN)} ms${seqScan ? ' (Seq Scan)' : ''}; SQLite ${ms(idleP99.sqlite ?? Number.NaN)}`,
      verdict((idleP99.postgres ?? Infinity) < 5 && !seqScan),
    ],
    [
      'claim + record per reminder, PostgreSQL',
      '< 1 ms',
      `${ms(claimRecord.postgres ?? Number.NaN)} ms; SQLite ${ms(claimRecord.sqlite ?? Number.NaN)}`,
      verdict((claimRecord.postgres ?? Infinity) < 1),
    ],
    [
      `views.open p99, 2 PG replicas / 1 SQLite`,
      '≤ 1.5×',
      `${ms(pg2?.open.p99 ?? Number.NaN)} / ${ms(sqlite1?.open.p99 ?? Number.NaN)} ms = ${openRatio.toFixed(2)}×`,
      verdict(openRatio <= 1.5 && pg2?.errors === 0),
    ],
    [
      'highest passing rate, 3 PG replicas / 1',
      '≥ 2.5×',
      `${best.get('pg-3') ?? '-'} / ${best.get('pg-1') ?? '-'} per s = ${rateRatio.toFixed(2)}×`,
      verdict(rateRatio >= 2.5),
    ],
  ];
  console.log(table([['target', 'limit', 'measured', 'verdict'], ...rows]));
  writeResults('postgres', o, {
    load,
    idleP99,
    sqlitePlan,
    pgPlan,
    claimRecord,
    main: Object.fromEntries(main),
    highestRate: Object.fromEntries(best),
  });
} finally {
  for (const target of targets) target.agent.destroy();
  await Promise.all(apps.map((app) => app.stop()));
  await fake?.stop();
  await (await cluster.catch(() => undefined))?.stop();
  rmSync(dir, { recursive: true, force: true });
}

/** The UPDATE statements `call` issues on PostgreSQL (captured from Kysely's log), and their plans (EXPLAIN). */
async function explainPostgres(url: string, call: (db: Db) => Promise<unknown>): Promise<string[]> {
  const captured: CompiledQuery[] = [];
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const spy = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: (e) => void captured.push(e.query) });
  try {
    await call(spy);
    const lines: string[] = [];
    for (const q of captured.filter((c) => /^update/i.test(c.sql))) {
      const result = await pool.query<{ 'QUERY PLAN': string }>(`explain ${q.sql}`, q.parameters as unknown[]);
      lines.push(...result.rows.map((row) => row['QUERY PLAN']));
    }
    return lines;
  } finally {
    await spy.destroy();
  }
}
