import { fork } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
// @ts-expect-error: a plain ES module without types (scripts/ are plain Node).
import { startPostgresCluster } from '../scripts/postgres-cluster.mjs';
import { copyDatabase } from '../src/db/copy-database.js';
import { type Db, openDatabase } from '../src/db/database.js';
import { claimDueReminders, markReminderSent } from '../src/db/repositories/reminders/reminders-repository.js';
import type { Database } from '../src/db/schema.js';
import { runPendingReplans } from '../src/domain/reminders/reconciler.js';
import { toDbInstant } from '../src/lib/zoned-time.js';
import { type AppProcess, quiesce, startProductionApp, treeCpuSeconds } from './harness/children.js';
import { explainSqlite, loadInChild, makeDue, pickReminders, seededRandom } from './harness/data.js';
import { FakeWebApi } from './harness/fake-web-api.js';
import { waitQuiet } from './harness/machine.js';
import { appEnv, BOT_TOKEN, compareTargets, LoadTarget, perCmd, STEP_HEADER, stepRow } from './harness/open-loop.js';
import { readOptions, writeResults } from './harness/options.js';
import { NO_LIMITS, RateLimitedFakeSlack } from './harness/rate-limited-fake-slack.js';
import { ms, summarize, table, verdict } from './harness/stats.js';

// `npm run bench:postgres` (bench/README.md): PostgreSQL beside SQLite on one data set, copied into a throwaway
// cluster (scripts/postgres-cluster.mjs); the web role as one SQLite replica and one to three PostgreSQL replicas; the
// engine's CPU per delivered reminder, on SQLite and by one and three engines on PostgreSQL, beside its floor.

const o = readOptions('npm run bench:postgres -- [options]', {
  pending: [1_000_000, 'pending reminders loaded'],
  'idle-ticks': [10_000, 'measured idle claims per dialect'],
  'claim-batches': [10, 'batches of 200 claimed and recorded per dialect'],
  rate: [100, 'main-phase rate, commands/s'],
  seconds: [20, 'measured seconds per target in the main phase'],
  rounds: [4, 'main phase split into rounds, the order of the targets rotating'],
  warmup: [5, 'seconds of warm-up per target, not measured'],
  deliver: [2000, 'due reminders delivered on SQLite, and on PostgreSQL by 1 and by 3 engines'],
  idle: [20, 'seconds the engines are watched idle after delivering (their ticks)'],
  'wait-quiet': [30, 'before each phase, wait up to N s for other processes to use ≤ 0.2 cores'],
  'skip-web': [false, 'skip phase 4 (the web role), so phase 5 runs on its own'],
});
const BATCH = 200;
const each = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([name, v]) => `${name} ${ms(v)}`)
    .join(', ');
const dir = mkdtempSync(join(tmpdir(), 'infoview-postgres-'));
const path = join(dir, 'infoview.sqlite');
const cluster = startPostgresCluster({ database: 'infoview' }) as Promise<{
  url: string;
  pid: number;
  stop(): Promise<void>;
}>;
cluster.catch(() => undefined); // awaited below; a failure meanwhile must not end the process unhandled
const apps: AppProcess[] = [];
const targets: LoadTarget[] = [];
let fake: FakeWebApi | undefined;
let slack: RateLimitedFakeSlack | undefined;

try {
  // 1. Data: the app's migrations, the shared generator, some made due for phase 3, then copied to PostgreSQL.
  const now = new Date();
  const users = Math.min(100_000, Math.ceil(o.pending / 10));
  const load = await loadInChild(path, { users, reminders: o.pending, workspaces: 20, now, seed: 1 });
  const raw = new SQLite(path, { timeout: 5000 });
  const random = seededRandom(2);
  const used = new Set<number>();
  const picked = pickReminders(raw, o['claim-batches'] * BATCH, used, random, false);
  makeDue(raw, picked, () => new Date(now.getTime() - 1000 - Math.floor(random() * 60_000)), toDbInstant(now));
  const due = pickReminders(raw, o.deliver, used, random, false); // phase 5's: due after phase 3's claims
  makeDue(raw, due, () => new Date(now.getTime() + 1000), toDbInstant(now));
  raw.close();
  const { url, pid } = await cluster;
  const sqliteDb = openDatabase(path);
  const pgDb = openDatabase(url);
  const copyStarted = performance.now();
  await copyDatabase(sqliteDb, pgDb);
  await sql`vacuum analyze`.execute(pgDb); // as autovacuum soon would
  const version = (await sql<{ v: string }>`show server_version`.execute(pgDb)).rows[0];
  console.log(
    `1. ${load.reminders} pending reminders loaded in ${load.seconds.toFixed(0)} s, copied to PostgreSQL ${Object.values(version ?? {})} in ${((performance.now() - copyStarted) / 1000).toFixed(0)} s`,
  );
  // Bytes per row with the table's indexes, on each database (docs/scale.md sizes PostgreSQL from these).
  const bytesPerRow: Record<string, string> = {};
  for (const table of ['reminders', 'meetings', 'contacts'] as const) {
    const rows =
      (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(pgDb)).rows[0]?.n ?? 0;
    const pg = await sql<{ b: number }>`select pg_total_relation_size(${table}::regclass) as b`.execute(pgDb);
    const lite = await sql<{ b: number }>`select sum(pgsize) as b from dbstat d join sqlite_schema s on s.name = d.name
      where s.tbl_name = ${table}`.execute(sqliteDb);
    bytesPerRow[table] = [pg, lite].map((r) => ((r.rows[0]?.b ?? 0) / Math.max(1, rows)).toFixed(0)).join(' / ');
  }
  console.log(`   bytes per row with indexes, PostgreSQL / SQLite: ${JSON.stringify(bytesPerRow)}`);
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
  copyFileSync(path, join(dir, 'engine.sqlite')); // phase 5's, as PostgreSQL's

  // 4. `/infoview schedule` through the web role as production runs it (`npm run start:web`, no engine: phase 5's
  // reminders are due): one replica on SQLite, one to three on PostgreSQL, each with the server's CPU beside its own.
  const web = await FakeWebApi.start();
  fake = web;
  const pgCpu = () => treeCpuSeconds(pid);
  for (const db of o['skip-web'] ? [] : [path, url, url, url])
    apps.push(await startProductionApp({ ...appEnv(web), DATABASE_URL: db }, 'start:web'));
  targets.push(...(o['skip-web'] ? [] : [new LoadTarget('sqlite-1', apps.slice(0, 1))]));
  for (let n = 1; n <= 3 && !o['skip-web']; n++) targets.push(new LoadTarget(`pg-${n}`, apps.slice(1, n + 1), pgCpu));
  console.log(`4. /infoview schedule at ${o.rate}/s, ${o.seconds} s per target in ${o.rounds} rounds`);
  await waitQuiet(o['wait-quiet']);
  const main = o['skip-web'] ? new Map<string, never>() : await compareTargets(targets, { fake: web, ...o });
  await Promise.all(apps.splice(0).map((app) => app.stop()));
  console.log(`\n${table([STEP_HEADER, ...[...main.values()].map(stepRow)])}\n`);
  // The re-plans of phase 4's new users (their zones) left queued are run now, not by phase 5's engines in its cost.
  const replanDb = openDatabase(url);
  let replanned = 0;
  for (let n = 1; n > 0; replanned += n) n = await runPendingReplans(replanDb, new Date(), console);
  await replanDb.destroy();

  // 5. The reminders made due in 1., delivered by the engine's process (`npm run start:engine`) against a fake Slack
  // answering at once: on SQLite, on PostgreSQL by one engine and by three (on a clone: they deliver the same); CPU
  // while delivering, then idle (its ticks). The floor: the SQLite run's posts sent again by harness/floor-poster.ts.
  const admin = new pg.Client({ connectionString: url.replace(/infoview$/, 'postgres') });
  admin.on('error', () => undefined); // the cluster's stop ends it
  await admin.connect();
  await admin.query('create database replicas template infoview');
  const fakeSlack = await RateLimitedFakeSlack.start(NO_LIMITS);
  slack = fakeSlack;
  const engines = async (name: string, DATABASE_URL: string, count: number, dbCpu = () => 0) => {
    fakeSlack.reset();
    const env = { ...appEnv(fakeSlack), DATABASE_URL, NODE_OPTIONS: process.env.ENGINE_NODE_OPTIONS ?? '' };
    const run = await Promise.all(Array.from({ length: count }, () => startProductionApp(env, 'start:engine')));
    apps.push(...run);
    const cpu = () => [run.reduce((total, app) => total + app.cpuSeconds(), 0), dbCpu()] as const;
    const [before, started] = [cpu(), performance.now()];
    const ids = () => new Set(fakeSlack.posts.map((p) => p.reminderId));
    while (ids().size < due.length && performance.now() - started < 60_000 + due.length * 100) await sleep(200);
    for (const app of run) await quiesce(app, () => fakeSlack.posts.length);
    await sleep(15_000); // what delivering left (GC, autovacuum) counts in its cost, not in the idle ticks'
    const [after, seconds] = [cpu(), (performance.now() - started) / 1000];
    await sleep(o.idle * 1000);
    const idle = cpu();
    const conns = (await admin.query("select from pg_stat_activity where backend_type = 'client backend'")).rowCount;
    const metrics = await Promise.all(run.map(async (app) => (await fetch(`${app.url}/metrics`)).text()));
    const statements = metrics.map((text) => Number(/^infoview_db_query_seconds_count\S* (\d+)/m.exec(text)?.[1]));
    await Promise.all(run.map((app) => app.stop()));
    const [delivered, posts] = [ids().size, [...fakeSlack.posts]];
    const [engineMs, dbMs] = ([0, 1] as const).map((i) => ((after[i] - before[i]) * 1000) / delivered) as [
      number,
      number,
    ];
    const [idleEngine, idleDb] = ([0, 1] as const).map((i) => ((idle[i] - after[i]) * 1000) / o.idle / count) as [
      number,
      number,
    ];
    const idleShare = ((idleEngine + idleDb) * count * seconds) / ((engineMs + dbMs) * delivered);
    const [lost, doubled] = [due.filter((d) => !ids().has(d.id)).length, posts.length - delivered];
    console.log(
      `   ${name}: ${delivered} delivered in ${seconds.toFixed(0)} s (${lost} lost, ${doubled} doubled), CPU per reminder: engine ${ms(engineMs)} + PG ${ms(dbMs)} ms; idle, per replica: engine ${ms(idleEngine)} + PG ${ms(idleDb)} ms/s (${(idleShare * 100).toFixed(0)}% of the cost); ${conns} PG connections (this one's too); statements per engine ${statements.join(', ')}`,
    );
    return { name, delivered, lost, doubled, seconds, engineMs, dbMs, idleEngine, idleDb, idleShare, conns, posts };
  };
  console.log(
    `5. ${due.length} due reminders delivered by the engine's process (${replanned} re-plans run before); the floor`,
  );
  await waitQuiet(o['wait-quiet']);
  const onSqlite = await engines('sqlite, 1 engine', join(dir, 'engine.sqlite'), 1);
  fakeSlack.reset();
  const child = fork(join(import.meta.dirname, 'harness', 'floor-poster.ts'), [], { execArgv: ['--import', 'tsx'] });
  child.on('error', () => undefined); // a last message to a poster that has exited (EPIPE) ends nothing
  child.send({ apiUrl: fakeSlack.apiUrl, token: BOT_TOKEN, posts: onSqlite.posts });
  const cpuOfChild = async (message?: string) =>
    [await once(child, 'message'), treeCpuSeconds(child.pid as number), child.send(message ?? '')][1] as number;
  const floorMs = ((-(await cpuOfChild('go')) + (await cpuOfChild())) * 1000) / onSqlite.posts.length;
  const floorPosted = fakeSlack.posts.length;
  child.kill();
  console.log(`   floor: ${floorPosted} posted, CPU per post ${ms(floorMs)} ms`);
  const pg1 = await engines('postgres, 1 engine', url, 1, pgCpu);
  const pg3 = await engines('postgres, 3 engines', url.replace(/infoview$/, 'replicas'), 3, pgCpu);
  await admin.end();
  const runs = [onSqlite, pg1, pg3].map(({ posts: _, ...run }) => run);

  const [sqlite1, pg1w, pg2, pg3w] = ['sqlite-1', 'pg-1', 'pg-2', 'pg-3'].map((name) => main.get(name));
  const openRatio = (pg2?.open.p99 ?? Number.NaN) / (sqlite1?.open.p99 ?? Number.NaN);
  const total = (r: { engineMs: number; dbMs: number }) => r.engineMs + r.dbMs;
  const clean = runs.every((r) => r.lost + r.doubled === 0) && floorPosted === onSqlite.posts.length;
  const ratio = (label: string, a: number, b: number, limit: number, ok = true) => [
    label,
    `≤ ${limit}×`,
    `${ms(a)} / ${ms(b)} ms = ${(a / b).toFixed(2)}×`,
    verdict(a / b <= limit && ok),
  ];
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
    ratio(`CPU/command, 3 PG web / 1 (+ PG), ${o.rate}/s`, perCmd(pg3w), perCmd(pg1w), 1.15, pg3w?.errors === 0),
    ratio('CPU/reminder, 3 PG engines / 1 (+ PG)', total(pg3), total(pg1), 1.15, clean),
    ratio('CPU/reminder, SQLite engine / floor', total(onSqlite), floorMs, 2, clean),
    ratio('CPU/reminder, PG engine + PG / floor', total(pg1), floorMs, 2, clean),
  ];
  console.log(table([['target', 'limit', 'measured', 'verdict'], ...rows]));
  writeResults('postgres', o, {
    load,
    bytesPerRow,
    idleP99,
    sqlitePlan,
    pgPlan,
    claimRecord,
    main: Object.fromEntries(main),
    engines: runs,
    floor: { floorMs, floorPosted },
  });
} finally {
  for (const target of targets) target.agent.destroy();
  await Promise.all(apps.map((app) => app.stop()));
  await fake?.stop();
  await slack?.stop();
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
