import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { copyDatabase } from '../src/db/copy-database.js';
import { type Db, openDatabase } from '../src/db/database.js';
import { GroupCommit } from '../src/db/group-commit.js';
import { migrateToLatest } from '../src/db/migrate.js';
import {
  type ClaimedReminder,
  claimDueReminders,
  markReminderSent,
} from '../src/db/repositories/reminders-repository.js';
import type { Database } from '../src/db/schema.js';
import { toDbInstant } from '../src/lib/zoned-time.js';
// @ts-expect-error: a plain ES module without types (scripts/ are plain Node).
import { startPostgresCluster } from '../scripts/postgres-cluster.mjs';
import { type AppProcess, startProductionApp } from './harness/children.js';
import { sqliteClaimPlan } from './harness/claim-plan.js';
import { FakeWebApi } from './harness/fake-web-api.js';
import { gitTree, loadAverage, machineInfo, otherCoresDuring, ROOT, waitQuiet } from './harness/machine.js';
import { type LoadTarget, runStep, mergeSteps, type StepResult, type StepRun } from './harness/open-loop.js';
import { postgresCpu, roundRobinTarget } from './harness/replicas.js';
import { loadInChild, makeDue, pickReminders } from './harness/reminder-data.js';
import { seededRandom } from './harness/seeded-random.js';
import { ms, summarize, type Summary, table } from './harness/stats.js';

/*
 * `npm run bench:postgres` (`npx tsx bench/postgres.ts`) — PostgreSQL beside SQLite, and replicas (issue 15), in one run. See bench/README.md.
 *
 *   1. data: a SQLite file made by the app's migrations and bulk-loaded (bench/harness/reminder-data.ts, in a child
 *      process) with 1,000,000 pending reminders; a few thousand made due for phase 3; then copied with the app's
 *      copyDatabase into a throwaway PostgreSQL cluster (scripts/postgres-cluster.mjs, default durability: fsync on)
 *   2. idle tick: claimDueReminders at an instant before every due time, both dialects, interleaved; the claim's plans
 *   3. claim + record: a batch of 200 due claimed, each marked sent (markReminderSent), both dialects; also through
 *      the engine's group commit, one record at a time (a paced post) and all 200 at once (a burst)
 *   4. `/infoview schedule` to `views.open` through `node dist/main.js`: one replica on SQLite, one and two replicas
 *      on PostgreSQL (round-robin between their ports), the same rate, interleaved rounds
 *   5. highest passing rate (p99 of ack and views.open < 50 ms, no errors) of one replica on SQLite, and of one and
 *      three replicas on PostgreSQL
 *
 * Everything on loopback; the SQLite file and the cluster live in temp folders and are removed at the end.
 */

const SIGNING_SECRET = 'bench-signing-secret-5c1e0c2b7d9f4a1e';
const BOT_TOKEN = 'xoxb-1111-2222-benchtokenvalue';
const MB = 1024 * 1024;
const TARGET_NAMES = ['sqlite-1', 'pg-1', 'pg-2', 'pg-3'] as const;
type TargetName = (typeof TARGET_NAMES)[number];
/** Other processes using more than this many cores during a step make its figures suspect. */
const NOISY_CORES = 0.2;

const HELP = `npm run bench:postgres -- [options]       (or npx tsx bench/postgres.ts [options])

  data
  --pending N          pending reminders loaded                                     (1000000)
  --users N            users they belong to                                         (min(100000, pending/10))
  --workspaces N       workspaces                                                   (20)
  --seed N             data seed                                                    (1)
  idle tick (phase 2)
  --idle-ticks N       measured idle claims per dialect, in 5 rounds                (10000)
  --idle-max-seconds N stop a dialect's idle ticks after this long                  (120)
  claim + record (phase 3)
  --batch N            reminders claimed per batch                                  (200)
  --claim-batches N    batches per dialect and way of recording (3 ways)            (10)
  /infoview schedule through the app (phases 4 and 5)
  --rate N             main-phase rate, requests/s                                  (100)
  --seconds N          measured seconds per target in the main phase                (20)
  --rounds N           main phase split into N rounds, target order rotating        (4)
  --warmup N           seconds of warm-up per target, not measured                  (5)
  --lead-in N          seconds sent and discarded at the start of each step         (0.5)
  --main-targets LIST  targets of the main phase                                    (sqlite-1,pg-1,pg-2)
  --search-targets LIST targets of the rate search                                  (sqlite-1,pg-1,pg-3)
  --step-seconds N     measured seconds per step of the rate search                 (5)
  --rates LIST         rates tried in order, up to the first fail                   (100,200,400,800,1600,3200)
  --bisect N           bisection steps between the last pass and the first fail     (2)
  --limit N            p99 limit in ms for a passing step                           (50)
  --command-users N    distinct users sending commands; 0 = a new user each time    (0)
  --pool-size N        DATABASE_POOL_SIZE of each PostgreSQL replica                (the app's default)
  --max-minutes N      start no new search step after this long in phase 5          (8)
  --retries N          measure a noisy round or failed step again up to N times     (1)
  --no-search          skip phase 5
  --no-app             skip phases 4 and 5
  --wait-quiet N       before each phase, wait up to N s for other processes to use < ${NOISY_CORES} cores (30)
  --help

Targets: sqlite-1 = one replica on SQLite; pg-N = N replicas on one PostgreSQL database, requests round-robin.`;

interface Options {
  pending: number;
  users: number;
  workspaces: number;
  seed: number;
  idleTicks: number;
  idleMaxSeconds: number;
  batch: number;
  claimBatches: number;
  rate: number;
  seconds: number;
  rounds: number;
  warmup: number;
  leadIn: number;
  mainTargets: TargetName[];
  searchTargets: TargetName[];
  stepSeconds: number;
  rates: number[];
  bisect: number;
  limit: number;
  commandUsers: number;
  poolSize: number | null;
  maxMinutes: number;
  retries: number;
  search: boolean;
  app: boolean;
  waitQuiet: number;
}

function readOptions(): Options {
  const names = [
    'pending',
    'users',
    'workspaces',
    'seed',
    'idle-ticks',
    'idle-max-seconds',
    'batch',
    'claim-batches',
    'rate',
    'seconds',
    'rounds',
    'warmup',
    'lead-in',
    'main-targets',
    'search-targets',
    'step-seconds',
    'rates',
    'bisect',
    'limit',
    'command-users',
    'pool-size',
    'max-minutes',
    'retries',
    'wait-quiet',
  ] as const;
  const { values } = parseArgs({
    options: {
      ...Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])),
      'no-search': { type: 'boolean' },
      'no-app': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const raw = values as Record<string, string | undefined>;
  const number = (name: (typeof names)[number], fallback: number, min = 0) => {
    const value = raw[name] === undefined ? fallback : Number(raw[name]);
    if (!Number.isFinite(value) || value < min)
      throw new Error(`--${name} must be a number >= ${min}, not ${raw[name]}`);
    return value;
  };
  const targets = (name: 'main-targets' | 'search-targets', fallback: string) => {
    const list = (raw[name] ?? fallback)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (list.some((t) => !(TARGET_NAMES as readonly string[]).includes(t)))
      throw new Error(`--${name} lists some of ${TARGET_NAMES.join(', ')}`);
    return list as TargetName[];
  };
  const rates = (raw.rates ?? '100,200,400,800,1600,3200').split(',').map(Number);
  if (rates.some((r) => !Number.isFinite(r) || r <= 0)) throw new Error('--rates must list positive numbers');
  const pending = Math.round(number('pending', 1_000_000, 1000));
  return {
    pending,
    users: Math.round(number('users', Math.min(100_000, Math.ceil(pending / 10)), 1)),
    workspaces: Math.round(number('workspaces', 20, 1)),
    seed: number('seed', 1),
    idleTicks: Math.round(number('idle-ticks', 10_000, 5)),
    idleMaxSeconds: number('idle-max-seconds', 120, 1),
    batch: Math.round(number('batch', 200, 1)),
    claimBatches: Math.round(number('claim-batches', 10, 1)),
    rate: number('rate', 100, 1),
    seconds: number('seconds', 20, 1),
    rounds: Math.max(1, Math.round(number('rounds', 4, 1))),
    warmup: number('warmup', 5),
    leadIn: number('lead-in', 0.5),
    mainTargets: targets('main-targets', 'sqlite-1,pg-1,pg-2'),
    searchTargets: targets('search-targets', 'sqlite-1,pg-1,pg-3'),
    stepSeconds: number('step-seconds', 5, 1),
    rates,
    bisect: Math.round(number('bisect', 2)),
    limit: number('limit', 50, 1),
    commandUsers: Math.round(number('command-users', 0)),
    poolSize: raw['pool-size'] === undefined ? null : Math.round(number('pool-size', 10, 1)),
    maxMinutes: number('max-minutes', 8, 0.5),
    retries: Math.round(number('retries', 1)),
    search: values['no-search'] !== true,
    app: values['no-app'] !== true,
    waitQuiet: number('wait-quiet', 30),
  };
}

const started = performance.now();
const log = (line: string) =>
  process.stderr.write(`[postgres ${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);
const fixed = (value: number, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

type DialectName = 'sqlite' | 'postgres';

interface Cluster {
  url: string;
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

/** Waits for a quiet machine (other processes under NOISY_CORES) and says how it went. */
async function quietFirst(seconds: number, what: string) {
  const quiet = await waitQuiet(seconds, NOISY_CORES);
  log(
    `${what}: ${quiet.quiet ? 'quiet' : `NOT quiet after ${quiet.waitedSeconds.toFixed(0)} s`} (other processes ${quiet.otherCores.toFixed(2)} cores)`,
  );
  return quiet;
}

/** A statement and its parameters, as Kysely's log gives it. */
type Statement = { sql: string; parameters: readonly unknown[] };

/**
 * The claim's statements as the repository issues them on PostgreSQL (its two picks: reminders taken over, then due
 * ones), captured from Kysely's log.
 */
async function postgresClaimStatements(
  url: string,
  nowIso: string,
  leaseIso: string,
  batch: number,
): Promise<Statement[]> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const captured: { sql: string; parameters: readonly unknown[] }[] = [];
  const spy = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => void captured.push({ sql: event.query.sql, parameters: event.query.parameters }),
  });
  // Inside a transaction rolled back: the capture must not claim anything, whatever is due.
  await spy
    .transaction()
    .execute(async (trx) => {
      await claimDueReminders(trx as unknown as Db, nowIso, leaseIso, batch);
      throw new RollBack();
    })
    .catch((error) => {
      if (!(error instanceof RollBack)) throw error;
    });
  await spy.destroy();
  const statements = captured.filter((c) => /^update "reminders"/i.test(c.sql));
  if (statements.length === 0) throw new Error('claimDueReminders issued no update');
  return statements;
}

class RollBack extends Error {}

/**
 * EXPLAIN of statements on PostgreSQL, one plan after the other, with ANALYZE and BUFFERS when `analyze` (run inside
 * a transaction that is rolled back, so an UPDATE changes nothing).
 */
async function postgresExplain(url: string, statements: Statement[], analyze: boolean): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    const options = analyze ? '(analyze, buffers, costs off)' : '(costs on)';
    const lines: string[] = [];
    for (const statement of statements) {
      const result = await client.query<{ 'QUERY PLAN': string }>(
        `explain ${options} ${statement.sql}`,
        statement.parameters as unknown[],
      );
      lines.push(...result.rows.map((row) => row['QUERY PLAN']));
    }
    await client.query('rollback');
    return lines;
  } finally {
    await client.end();
  }
}

/**
 * A diagnosis, not the app's code: a claim pick with its `"id" in (select … for update skip locked)` written as
 * `"id" = any(array(select …))`. The subquery then runs once, as an init plan, and the condition can use the primary
 * key; written with `in`, PostgreSQL checked a hashed subplan against every row (Seq Scan). The app has written its
 * picks this way since 0298f63, so today the candidate is the app's statement itself.
 */
function anyArrayCandidate(statement: Statement): Statement {
  const candidate = statement.sql.replace(
    /"id" in \((select "id" from "reminders" where .*? for update skip locked)\)/g,
    '"id" = any(array($1))',
  );
  if ((candidate.match(/= any\(array\(/g) ?? []).length !== 1)
    throw new Error(`the claim statement no longer has the shape the candidate rewrites:\n${statement.sql}`);
  return { sql: candidate, parameters: statement.parameters };
}

/**
 * Times statements sent one after the other, `count` times, on one raw connection (after 20 unmeasured), stopping
 * after `maxSeconds`; with the rows they returned in all (an idle claim must return none).
 */
async function timeStatements(
  url: string,
  statements: Statement[],
  count: number,
  maxSeconds: number,
): Promise<Summary & { rowsReturned: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const samples: number[] = [];
    let rowsReturned = 0;
    const started = performance.now();
    for (let i = 0; i < count + 20 && performance.now() - started < maxSeconds * 1000; i++) {
      const t0 = performance.now();
      for (const statement of statements)
        rowsReturned += (await client.query(statement.sql, statement.parameters as unknown[])).rowCount ?? 0;
      if (i >= 20) samples.push(performance.now() - t0);
    }
    return { ...summarize(samples), rowsReturned };
  } finally {
    await client.end();
  }
}

async function postgresSettings(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const names = [
      'server_version',
      'fsync',
      'synchronous_commit',
      'wal_sync_method',
      'full_page_writes',
      'shared_buffers',
      'max_connections',
    ];
    const settings: Record<string, string> = {};
    for (const name of names) settings[name] = (await client.query(`show ${name}`)).rows[0]?.[name] ?? '';
    return settings;
  } finally {
    await client.end();
  }
}

interface IdleResult {
  dialect: DialectName;
  summary: Summary;
  rounds: (Summary & { otherCores: number })[];
  claimed: number;
  stoppedEarly: boolean;
}

/** Phase 2: the claim with nothing due, `count` times per dialect in 5 rounds, the dialects taking turns. */
async function idleTicks(
  dbs: { dialect: DialectName; db: Db }[],
  count: number,
  maxSeconds: number,
  nowIso: string,
  leaseIso: string,
  batch: number,
  ownCpuSeconds: () => number,
): Promise<IdleResult[]> {
  const results = new Map<DialectName, { samples: number[]; rounds: IdleResult['rounds']; claimed: number }>();
  for (const { dialect, db } of dbs) {
    results.set(dialect, { samples: [], rounds: [], claimed: 0 });
    // Warm-up: the statement cache, the JIT, the pool's connection.
    for (let i = 0; i < 200; i++) await claimDueReminders(db, nowIso, leaseIso, batch);
  }
  const perRound = Math.ceil(count / 5);
  const roundBudgetMs = (maxSeconds * 1000) / 5;
  let stoppedEarly = false;
  for (let round = 0; round < 5; round++) {
    const order = round % 2 === 0 ? dbs : [...dbs].reverse();
    for (const { dialect, db } of order) {
      const entry = results.get(dialect) as { samples: number[]; rounds: IdleResult['rounds']; claimed: number };
      const samples: number[] = [];
      const { otherCores } = await otherCoresDuring(async () => {
        const roundStart = performance.now();
        for (let i = 0; i < perRound; i++) {
          const t0 = performance.now();
          const claimed = await claimDueReminders(db, nowIso, leaseIso, batch);
          samples.push(performance.now() - t0);
          entry.claimed += claimed.length;
          if (performance.now() - roundStart > roundBudgetMs) {
            stoppedEarly = true;
            break;
          }
        }
      }, ownCpuSeconds);
      entry.samples.push(...samples);
      entry.rounds.push({ ...summarize(samples), otherCores });
    }
  }
  return dbs.map(({ dialect }) => {
    const entry = results.get(dialect) as { samples: number[]; rounds: IdleResult['rounds']; claimed: number };
    return {
      dialect,
      summary: summarize(entry.samples),
      rounds: entry.rounds,
      claimed: entry.claimed,
      stoppedEarly,
    };
  });
}

const RECORD_MODES = ['direct', 'group-each', 'group-burst'] as const;
type RecordMode = (typeof RECORD_MODES)[number];

interface BatchSample {
  claimed: number;
  claimMs: number;
  recordMs: number;
  perReminderMs: number;
  recordEachMs: number[];
}

/** Records a batch of claims as sent, the way `mode` says; returns the time of each record (ms). */
async function recordBatch(db: Db, claimed: ClaimedReminder[], mode: RecordMode, nowIso: string): Promise<number[]> {
  const post = (reminder: ClaimedReminder) => ({ channel: 'D000', ts: `1.${reminder.id}` });
  const times: number[] = [];
  let notRecorded = 0;
  if (mode === 'direct') {
    for (const reminder of claimed) {
      const t0 = performance.now();
      const recorded = await markReminderSent(db, reminder, post(reminder), nowIso);
      times.push(performance.now() - t0);
      if (!recorded.recorded) notRecorded++;
    }
  } else if (mode === 'group-each') {
    // As the engine records a post paced on its own: a transaction of one, under its savepoint.
    const records = new GroupCommit(db);
    for (const reminder of claimed) {
      const t0 = performance.now();
      const recorded = await records.run((trx) => markReminderSent(trx, reminder, post(reminder), nowIso));
      times.push(performance.now() - t0);
      if (!recorded.recorded) notRecorded++;
    }
  } else {
    // A burst: every record handed in at once, committed in groups of up to 64.
    const records = new GroupCommit(db);
    const t0 = performance.now();
    const outcomes = await Promise.all(
      claimed.map((reminder) => records.run((trx) => markReminderSent(trx, reminder, post(reminder), nowIso))),
    );
    const each = (performance.now() - t0) / Math.max(1, claimed.length);
    for (const outcome of outcomes) {
      times.push(each);
      if (!outcome.recorded) notRecorded++;
    }
  }
  // A claim left unrecorded would come back as an expired claim in a later batch (or in the apps' engines).
  if (notRecorded > 0)
    throw new Error(`${notRecorded} of ${claimed.length} claims were not recorded as sent (${mode})`);
  return times;
}

/** Phase 3: claim a batch of due reminders, then record each as sent; both dialects and every way of recording. */
async function claimAndRecord(
  dbs: { dialect: DialectName; db: Db }[],
  batches: number,
  batch: number,
  nowIso: string,
  leaseIso: string,
  ownCpuSeconds: () => number,
) {
  const samples = new Map<string, BatchSample[]>();
  const key = (dialect: DialectName, mode: RecordMode) => `${dialect}/${mode}`;
  for (const { dialect } of dbs) for (const mode of RECORD_MODES) samples.set(key(dialect, mode), []);
  const { otherCores } = await otherCoresDuring(async () => {
    for (let b = 0; b < batches; b++) {
      for (const mode of RECORD_MODES) {
        const order = (b + RECORD_MODES.indexOf(mode)) % 2 === 0 ? dbs : [...dbs].reverse();
        for (const { dialect, db } of order) {
          const t0 = performance.now();
          const claimed = await claimDueReminders(db, nowIso, leaseIso, batch);
          const claimMs = performance.now() - t0;
          if (claimed.length === 0) throw new Error(`${dialect}: a claim found nothing due (batch ${b + 1}, ${mode})`);
          const t1 = performance.now();
          const recordEachMs = await recordBatch(db, claimed, mode, nowIso);
          const recordMs = performance.now() - t1;
          samples.get(key(dialect, mode))?.push({
            claimed: claimed.length,
            claimMs,
            recordMs,
            perReminderMs: (claimMs + recordMs) / claimed.length,
            recordEachMs,
          });
        }
      }
    }
  }, ownCpuSeconds);
  const rows = dbs.flatMap(({ dialect }) =>
    RECORD_MODES.map((mode) => {
      const list = samples.get(key(dialect, mode)) as BatchSample[];
      const claimedTotal = list.reduce((a, s) => a + s.claimed, 0);
      const claimTotal = list.reduce((a, s) => a + s.claimMs, 0);
      const recordTotal = list.reduce((a, s) => a + s.recordMs, 0);
      return {
        dialect,
        mode,
        batches: list.length,
        claimed: claimedTotal,
        perReminderMs: (claimTotal + recordTotal) / Math.max(1, claimedTotal),
        claimPerReminderMs: claimTotal / Math.max(1, claimedTotal),
        recordPerReminderMs: recordTotal / Math.max(1, claimedTotal),
        claimBatchMs: summarize(list.map((s) => s.claimMs)),
        perReminderByBatchMs: summarize(list.map((s) => s.perReminderMs)),
        recordEachMs: summarize(list.flatMap((s) => s.recordEachMs)),
      };
    }),
  );
  return { rows, otherCores };
}

interface SearchStep {
  rate: number;
  pass: boolean;
  result: ExtendedStep;
}

/** A step's figures, with the PostgreSQL server's and this process's CPU per command. */
type ExtendedStep = StepResult & { pgCpuMsPerRequest: number; benchCpuMsPerRequest: number };

async function main(): Promise<void> {
  const options = readOptions();
  const startedAt = new Date();
  const stamp = startedAt
    .toISOString()
    .replaceAll(':', '-')
    .replace(/\.\d+Z$/, 'Z');
  const info = machineInfo();
  const git = gitTree();
  const argv = process.argv.slice(2);
  const command = `npx tsx bench/postgres.ts${argv.length > 0 ? ` ${argv.join(' ')}` : ''}`;
  log(`${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB, node ${info.node}; load average ${loadAverage()}`);
  log(`git ${git.commit}${git.srcChanged ? ' (src/ or migrations/ changed, uncommitted)' : ''}; ${command}`);

  // Production runs the compiled build: build it when dist/ is missing or stale.
  execFileSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'infoview-postgres-bench-'));
  const dbPath = join(dir, 'infoview.sqlite');
  let cluster: Cluster | undefined;
  let fake: FakeWebApi | undefined;
  const apps: AppProcess[] = [];
  const targets = new Map<TargetName, LoadTarget>();
  const out: string[] = [];
  try {
    // 1. Data: the SQLite file by the app's migrations and the bulk loader; the cluster starts meanwhile.
    const clusterStarting = startPostgresCluster({ database: 'infoview' }) as Promise<Cluster>;
    // Awaited once the data is loaded; a failure meanwhile must not end the process as an unhandled rejection.
    clusterStarting.catch(() => undefined);
    const migrating = openDatabase(dbPath);
    await migrateToLatest(migrating);
    await migrating.destroy();
    const dataNow = new Date();
    const dataNowIso = toDbInstant(dataNow);
    log(
      `1. loading ${options.pending.toLocaleString('en')} pending reminders of ${options.users.toLocaleString('en')} users in ${options.workspaces} workspaces into SQLite…`,
    );
    const load = await loadInChild(dbPath, {
      users: options.users,
      reminders: options.pending,
      workspaces: options.workspaces,
      now: dataNow,
      seed: options.seed,
    });
    log(
      `   ${load.meetings.toLocaleString('en')} meetings, ${load.reminders.toLocaleString('en')} reminders due ${load.dueFirst} … ${load.dueLast}; ${(statSync(dbPath).size / MB).toFixed(0)} MB in ${load.seconds.toFixed(1)} s`,
    );
    // Due reminders for phase 3, one a meeting (makeDue moves the meeting so the plan itself wants it then).
    const maxBatches = Math.floor(load.meetings / 3 / (options.batch * RECORD_MODES.length));
    const claimBatches = Math.min(options.claimBatches, Math.max(1, maxBatches));
    if (claimBatches < options.claimBatches)
      log(`   (--claim-batches ${options.claimBatches} needs more meetings than loaded: ${claimBatches} batches)`);
    const dueCount = claimBatches * options.batch * RECORD_MODES.length;
    const raw = new SQLite(dbPath, { timeout: 5000 });
    const random = seededRandom(options.seed + 1);
    const picked = pickReminders(raw, dueCount, new Set<number>(), random, false);
    makeDue(raw, picked, () => new Date(dataNow.getTime() - 1000 - Math.floor(random() * 60_000)), dataNowIso);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    log(`   ${dueCount} of them made due (for phase 3)`);

    cluster = await clusterStarting;
    const pgCpu = postgresCpu(cluster.port);
    const settings = await postgresSettings(cluster.url);
    log(
      `   PostgreSQL ${settings.server_version} on port ${cluster.port} (pid ${pgCpu.pid}; fsync ${settings.fsync}, synchronous_commit ${settings.synchronous_commit}, wal_sync_method ${settings.wal_sync_method}, shared_buffers ${settings.shared_buffers})`,
    );
    const sqliteDb = openDatabase(dbPath);
    const pgDb = openDatabase(cluster.url);
    const copyStart = performance.now();
    const copied = await copyDatabase(sqliteDb, pgDb);
    const copySeconds = (performance.now() - copyStart) / 1000;
    log(
      `   copied into PostgreSQL with copyDatabase in ${copySeconds.toFixed(1)} s (${copied.map((t) => `${t.table} ${t.rows}`).join(', ')}; counts and checksums match)`,
    );
    const idleNow = new Date(dataNow.getTime() - 3_600_000);
    const idleNowIso = toDbInstant(idleNow);
    const idleLeaseIso = toDbInstant(new Date(idleNow.getTime() + 60_000));
    const claimNowIso = dataNowIso;
    const claimLeaseIso = toDbInstant(new Date(dataNow.getTime() + 60_000));
    // The plan before PostgreSQL has statistics of the new rows (autovacuum gathers them within a minute or so).
    const idleStatements = await postgresClaimStatements(cluster.url, idleNowIso, idleLeaseIso, options.batch);
    const planBeforeAnalyze = await postgresExplain(cluster.url, idleStatements, false);
    const vacuumStart = performance.now();
    await sql`vacuum analyze`.execute(pgDb);
    const vacuumSeconds = (performance.now() - vacuumStart) / 1000;
    const pgSize = Number(
      (await sql<{ n: string }>`select pg_database_size(current_database()) as n`.execute(pgDb)).rows[0]?.n ?? 0,
    );
    log(
      `   VACUUM ANALYZE in ${vacuumSeconds.toFixed(1)} s (as autovacuum would soon); database ${(pgSize / MB).toFixed(0)} MB`,
    );

    // 2. Idle tick.
    const dbs: { dialect: DialectName; db: Db }[] = [
      { dialect: 'sqlite', db: sqliteDb },
      { dialect: 'postgres', db: pgDb },
    ];
    log(`2. idle tick: ${options.idleTicks} claims per dialect with nothing due, 5 rounds, dialects taking turns…`);
    const quietIdle = await quietFirst(options.waitQuiet, '   before the idle ticks');
    const idle = await idleTicks(
      dbs,
      options.idleTicks,
      options.idleMaxSeconds,
      idleNowIso,
      idleLeaseIso,
      options.batch,
      pgCpu.cpuSeconds,
    );
    const sqlitePlan = await sqliteClaimPlan(dbPath, idleNowIso, options.batch);
    const pgIdlePlan = await postgresExplain(cluster.url, idleStatements, true);
    const busyStatements = await postgresClaimStatements(cluster.url, claimNowIso, claimLeaseIso, options.batch);
    const pgBusyPlan = await postgresExplain(cluster.url, busyStatements, true);
    const pgSeqScan = (lines: string[]) => lines.some((line) => /Seq Scan on reminders/.test(line));
    for (const r of idle)
      log(
        `   ${r.dialect}: p50 ${fixed(r.summary.p50)} ms, p99 ${fixed(r.summary.p99)} ms, max ${fixed(r.summary.max)} ms (n ${r.summary.n}, claimed ${r.claimed}; rounds p99 ${r.rounds.map((x) => fixed(x.p99)).join(' / ')}, other processes ${r.rounds.map((x) => x.otherCores.toFixed(2)).join(' / ')} cores)`,
      );
    log(`   SQLite plan:\n${sqlitePlan.plan.map((line) => `     ${line}`).join('\n')}`);
    log(`   PostgreSQL plan (EXPLAIN ANALYZE, idle):\n${pgIdlePlan.map((line) => `     ${line}`).join('\n')}`);
    // Diagnosis: the same claim written with = any(array(…)), beside the app's, on one raw connection.
    const candidateIdle = idleStatements.map(anyArrayCandidate);
    const candidateIdlePlan = await postgresExplain(cluster.url, candidateIdle, true);
    const candidateBusyPlan = await postgresExplain(cluster.url, busyStatements.map(anyArrayCandidate), true);
    // One after the other, not taking turns: the app's Seq Scan would leave its mark on the candidate's figures.
    const candidateTimes = {
      candidate: await timeStatements(cluster.url, candidateIdle, options.idleTicks, options.idleMaxSeconds / 4),
      app: await timeStatements(
        cluster.url,
        idleStatements,
        Math.min(1000, options.idleTicks),
        options.idleMaxSeconds / 4,
      ),
    };
    if (candidateTimes.app.rowsReturned + candidateTimes.candidate.rowsReturned > 0)
      throw new Error('an idle claim of the candidate comparison claimed reminders');
    log(
      `   PostgreSQL, raw connection: the app's claim p50 ${fixed(candidateTimes.app.p50)} p99 ${fixed(candidateTimes.app.p99)} ms; written with = any(array(…)) p50 ${fixed(candidateTimes.candidate.p50)} p99 ${fixed(candidateTimes.candidate.p99)} ms (${pgSeqScan(candidateIdlePlan) ? 'Seq Scan' : 'no Seq Scan'})`,
    );
    // The claim's statements together: the sum of their execution times.
    const executionMs = (plan: string[]) =>
      plan.reduce((sum, line) => sum + Number(/^Execution Time: ([\d.]+) ms/.exec(line)?.[1] ?? 0), 0);
    log(
      `   a claim of ${options.batch} due, EXPLAIN ANALYZE (rolled back): the app's ${fixed(executionMs(pgBusyPlan), 1)} ms, = any(array(…)) ${fixed(executionMs(candidateBusyPlan), 1)} ms`,
    );
    log(`   its plan (EXPLAIN ANALYZE, idle):\n${candidateIdlePlan.map((line) => `     ${line}`).join('\n')}`);

    // 3. Claim + record.
    log(
      `3. claim + record: ${claimBatches} batches of ${options.batch} per dialect for each of ${RECORD_MODES.join(', ')}…`,
    );
    const quietClaim = await quietFirst(options.waitQuiet, '   before claim + record');
    const claimRecord = await claimAndRecord(
      dbs,
      claimBatches,
      options.batch,
      claimNowIso,
      claimLeaseIso,
      pgCpu.cpuSeconds,
    );
    for (const r of claimRecord.rows)
      log(
        `   ${r.dialect} ${r.mode}: ${fixed(r.perReminderMs)} ms per reminder (claim ${fixed(r.claimPerReminderMs)} + record ${fixed(r.recordPerReminderMs)}; claim of a batch p50 ${ms(r.claimBatchMs.p50)} ms; one record p50 ${fixed(r.recordEachMs.p50)} p99 ${fixed(r.recordEachMs.p99)} ms; worst batch ${fixed(r.perReminderByBatchMs.max)} ms per reminder)`,
      );
    log(`   other processes used ${claimRecord.otherCores.toFixed(2)} cores meanwhile`);
    const unrecorded = await Promise.all(
      dbs.map(async ({ dialect, db }) => {
        const row = await db
          .selectFrom('reminders')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('state', 'in', ['claimed'])
          .executeTakeFirstOrThrow();
        return `${dialect} ${Number(row.n)}`;
      }),
    );
    log(`   claimed rows left unrecorded: ${unrecorded.join(', ')}`);
    await sqliteDb.destroy();
    await pgDb.destroy();

    // 4 and 5. The app as production runs it.
    const main = new Map<
      TargetName,
      StepResult & { rounds: number; pgCpuMsPerRequest: number; benchCpuMsPerRequest: number }
    >();
    const search = new Map<
      TargetName,
      { steps: SearchStep[]; maxRate: number | null; firstFail: number | null; note: string }
    >();
    const startupSeconds: Record<string, number> = {};
    const idleCores = { apps: [] as number[], postgres: Number.NaN };
    if (options.app) {
      fake = await FakeWebApi.start();
      const env = (url: string): Record<string, string> => ({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: (fake as FakeWebApi).apiUrl,
        DATABASE_URL: url,
        ...(options.poolSize !== null && url.startsWith('postgres')
          ? { DATABASE_POOL_SIZE: String(options.poolSize) }
          : {}),
      });
      const needed = new Set([...options.mainTargets, ...(options.search ? options.searchTargets : [])]);
      const pgReplicas = Math.max(0, ...[...needed].map((t) => (t.startsWith('pg-') ? Number(t.slice(3)) : 0)));
      log(
        `4. starting node dist/main.js: ${needed.has('sqlite-1') ? 'one on SQLite, ' : ''}${pgReplicas} on PostgreSQL (one database)…`,
      );
      const t0 = performance.now();
      const sqliteApp = needed.has('sqlite-1') ? await startProductionApp(env(dbPath)) : undefined;
      startupSeconds.sqlite = (performance.now() - t0) / 1000;
      const pgApps: AppProcess[] = [];
      for (let i = 0; i < pgReplicas; i++) {
        const t1 = performance.now();
        pgApps.push(await startProductionApp(env(cluster.url)));
        startupSeconds[`postgres-${i + 1}`] = (performance.now() - t1) / 1000;
      }
      if (sqliteApp) apps.push(sqliteApp);
      apps.push(...pgApps);
      log(`   ready: ${apps.map((app) => `pid ${app.pid} ${app.url}`).join(', ')}; fake Web API ${fake.baseUrl}`);

      if (sqliteApp) targets.set('sqlite-1', roundRobinTarget('sqlite-1', [sqliteApp]));
      for (let n = 1; n <= pgReplicas; n++)
        targets.set(`pg-${n}` as TargetName, roundRobinTarget(`pg-${n}`, pgApps.slice(0, n)));
      const benchCpuSeconds = () => {
        const own = process.cpuUsage();
        return (
          (own.user + own.system) / 1e6 + apps.reduce((total, app) => total + app.cpuSeconds(), 0) + pgCpu.cpuSeconds()
        );
      };
      const step = async (name: TargetName, rate: number, seconds: number, leadIn: number) => {
        const pgBefore = pgCpu.cpuSeconds();
        const ownBefore = process.cpuUsage();
        const run = await runStep(targets.get(name) as LoadTarget, {
          fake: fake as FakeWebApi,
          signingSecret: SIGNING_SECRET,
          token: BOT_TOKEN,
          rate,
          seconds,
          leadInSeconds: leadIn,
          text: 'schedule',
          users: options.commandUsers,
          benchCpuSeconds,
        });
        const own = process.cpuUsage(ownBefore);
        const requests = Math.round(rate * leadIn) + Math.round(rate * seconds);
        const extended = {
          ...run.result,
          pgCpuMsPerRequest: ((pgCpu.cpuSeconds() - pgBefore) * 1000) / requests,
          benchCpuMsPerRequest: (own.user + own.system) / 1000 / requests,
        };
        return { run, extended };
      };
      // Lets the apps finish any backlog of an overloaded step before the next one.
      const quiesce = async () => {
        const deadline = performance.now() + 15_000;
        let calls = fake?.count('views.open') ?? 0;
        let cpu = benchCpuSeconds();
        while (performance.now() < deadline) {
          await sleep(300);
          const nextCalls = fake?.count('views.open') ?? 0;
          const nextCpu = benchCpuSeconds();
          const idleNow = nextCalls === calls && (Number.isNaN(nextCpu) || nextCpu - cpu < 0.06);
          calls = nextCalls;
          cpu = nextCpu;
          if (idleNow) return;
        }
      };
      const warm = [...new Set<TargetName>([...options.mainTargets, ...(options.search ? options.searchTargets : [])])]
        // Warming the largest PostgreSQL target warms every replica.
        .filter((t) => t === 'sqlite-1' || t === `pg-${pgReplicas}`);
      for (const name of warm) {
        if (options.warmup <= 0) break;
        log(`   warm-up: ${name} at ${options.rate}/s for ${options.warmup} s`);
        const { extended } = await step(name, options.rate, options.warmup, 0);
        if (extended.errors > 0) log(`   warm-up errors: ${JSON.stringify(extended.errorKinds)}`);
        await quiesce();
      }

      // What the replicas and the server use with no load (their engines' ticks every 10 s, housekeeping): the
      // share of a command's CPU that is not the command's.
      const idleBefore = { apps: apps.map((app) => app.cpuSeconds()), pg: pgCpu.cpuSeconds(), at: performance.now() };
      await sleep(10_000);
      const idleSeconds = (performance.now() - idleBefore.at) / 1000;
      idleCores.apps = apps.map((app, i) => (app.cpuSeconds() - (idleBefore.apps[i] as number)) / idleSeconds);
      idleCores.postgres = (pgCpu.cpuSeconds() - idleBefore.pg) / idleSeconds;
      log(
        `   with no load, over ${idleSeconds.toFixed(0)} s: the apps used ${idleCores.apps.map((c) => c.toFixed(3)).join(', ')} cores, PostgreSQL ${idleCores.postgres.toFixed(3)}`,
      );

      // 4. Main phase: rounds rotate the order of the targets, so drift on the machine hits them alike.
      log(
        `4. /infoview schedule at ${options.rate}/s, ${options.seconds} s per target in ${options.rounds} rounds: ${options.mainTargets.join(', ')}`,
      );
      await quietFirst(options.waitQuiet, '   before the main phase');
      const runs = new Map<TargetName, { run: StepRun; extended: ExtendedStep }[]>(
        options.mainTargets.map((name) => [name, []]),
      );
      let retriesLeft = options.retries * options.rounds;
      for (let round = 0; round < options.rounds; round++) {
        const names = options.mainTargets;
        for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
          let best: { run: StepRun; extended: ExtendedStep } | undefined;
          for (let attempt = 0; ; attempt++) {
            const measured = await step(name, options.rate, options.seconds / options.rounds, options.leadIn);
            await quiesce();
            log(
              `   round ${round + 1} ${name}${attempt > 0 ? ' (again)' : ''}: views.open p99 ${ms(measured.extended.open.p99)} ms, ack p99 ${ms(measured.extended.ack.p99)} ms, errors ${measured.extended.errors}, other processes ${measured.extended.otherCpuCores.toFixed(2)} cores`,
            );
            if (!best || measured.extended.otherCpuCores < best.extended.otherCpuCores) best = measured;
            if (!(measured.extended.otherCpuCores > NOISY_CORES) || retriesLeft <= 0) break;
            retriesLeft--;
            await sleep(1000);
          }
          runs.get(name)?.push(best);
        }
      }
      for (const [name, list] of runs) {
        const merged = mergeSteps(list.map((x) => x.run));
        const mean = (f: (s: ExtendedStep) => number) => list.reduce((a, x) => a + f(x.extended), 0) / list.length;
        main.set(name, {
          ...merged,
          pgCpuMsPerRequest: mean((s) => s.pgCpuMsPerRequest),
          benchCpuMsPerRequest: mean((s) => s.benchCpuMsPerRequest),
        });
      }

      // 5. Rate search: each target's turn at every rate before any moves on; then bisection.
      if (options.search) {
        log(
          `5. rate search: ${options.searchTargets.join(', ')}; ${options.stepSeconds} s steps at ${options.rates.join(', ')}/s; pass = p99 < ${options.limit} ms, no errors`,
        );
        await quietFirst(options.waitQuiet, '   before the rate search');
        const searchStart = performance.now();
        const overBudget = () => performance.now() - searchStart > options.maxMinutes * 60_000;
        const passes = (r: StepResult) => r.errors === 0 && r.ack.p99 < options.limit && r.open.p99 < options.limit;
        const runAt = async (name: TargetName, rate: number, attempt = 0): Promise<SearchStep> => {
          const { extended } = await step(name, rate, options.stepSeconds, options.leadIn);
          await quiesce();
          const pass = passes(extended);
          log(
            `   ${name} at ${rate}/s: ${pass ? 'pass' : 'FAIL'} (views.open p99 ${ms(extended.open.p99)} ms, ack p99 ${ms(extended.ack.p99)} ms, errors ${extended.errors}; CPU per command: apps ${ms(extended.appCpuMsPerRequest)}, PostgreSQL ${ms(extended.pgCpuMsPerRequest)}, bench ${ms(extended.benchCpuMsPerRequest)} ms; other processes ${extended.otherCpuCores.toFixed(2)} cores)`,
          );
          if (!pass && attempt < options.retries && extended.otherCpuCores > NOISY_CORES) {
            await sleep(2000);
            return runAt(name, rate, attempt + 1);
          }
          return { rate, pass, result: extended };
        };
        for (const name of options.searchTargets)
          search.set(name, { steps: [], maxRate: null, firstFail: null, note: '' });
        for (const rate of options.rates) {
          for (const name of options.searchTargets) {
            const s = search.get(name) as NonNullable<ReturnType<typeof search.get>>;
            if (s.firstFail !== null) continue;
            if (overBudget()) {
              s.note ||= `stopped at the ${options.maxMinutes}-minute budget`;
              continue;
            }
            const outcome = await runAt(name, rate);
            s.steps.push(outcome);
            if (outcome.pass) s.maxRate = rate;
            else s.firstFail = rate;
          }
        }
        for (const name of options.searchTargets) {
          const s = search.get(name) as NonNullable<ReturnType<typeof search.get>>;
          for (let i = 0; i < options.bisect && s.firstFail !== null && !overBudget(); i++) {
            const low = s.maxRate ?? 0;
            const mid = Math.round((low + s.firstFail) / 2 / 10) * 10;
            if (mid <= low || mid >= s.firstFail) break;
            const outcome = await runAt(name, mid);
            s.steps.push(outcome);
            if (outcome.pass) s.maxRate = mid;
            else s.firstFail = mid;
          }
          if (s.firstFail === null && !s.note) s.note = 'never failed: the limit is above the highest rate tried';
        }
      }
    }

    // Report.
    const sqliteIdle = idle.find((r) => r.dialect === 'sqlite') as IdleResult;
    const pgIdle = idle.find((r) => r.dialect === 'postgres') as IdleResult;
    const cr = (dialect: DialectName, mode: RecordMode) =>
      claimRecord.rows.find((r) => r.dialect === dialect && r.mode === mode) as (typeof claimRecord.rows)[number];
    out.push('', `Idle tick: claimDueReminders(db, now before every due time, lease, ${options.batch}), ms`, '');
    out.push(
      table([
        ['dialect', 'n', 'p50', 'p95', 'p99', 'max', 'claimed', 'full scan'],
        ...idle.map((r) => [
          r.dialect,
          String(r.summary.n),
          fixed(r.summary.p50),
          fixed(r.summary.p95),
          fixed(r.summary.p99),
          fixed(r.summary.max),
          String(r.claimed),
          r.dialect === 'sqlite'
            ? sqlitePlan.fullScans.length > 0
              ? 'yes'
              : 'no'
            : pgSeqScan(pgIdlePlan)
              ? 'yes'
              : 'no',
        ]),
        ...(['app', 'candidate'] as const)
          .map((name) => [candidateTimes[name], name] as const)
          .map(([r, name]) => [
            name === 'app' ? 'postgres, raw connection' : 'postgres, = any(array(…))',
            String(r.n),
            fixed(r.p50),
            fixed(r.p95),
            fixed(r.p99),
            fixed(r.max),
            String(r.rowsReturned),
            pgSeqScan(name === 'app' ? pgIdlePlan : candidateIdlePlan) ? 'yes' : 'no',
          ]),
      ]),
    );
    out.push('(the last two rows: a diagnosis on one pg connection; "= any(array(…))" is not the app\'s code)');
    out.push(
      '',
      `Claim + record: a batch of ${options.batch} claimed, each marked sent; ${claimBatches} batches each, ms per reminder`,
      '',
    );
    out.push(
      table([
        [
          'dialect',
          'records',
          'per reminder',
          'claim',
          'record',
          'claim batch p50',
          'p99',
          'one record p50',
          'p99',
          'worst batch',
        ],
        ...claimRecord.rows.map((r) => [
          r.dialect,
          r.mode,
          fixed(r.perReminderMs),
          fixed(r.claimPerReminderMs),
          fixed(r.recordPerReminderMs),
          ms(r.claimBatchMs.p50),
          ms(r.claimBatchMs.p99),
          fixed(r.recordEachMs.p50),
          fixed(r.recordEachMs.p99),
          fixed(r.perReminderByBatchMs.max),
        ]),
      ]),
    );
    out.push(
      "(records: direct = markReminderSent on the pool, autocommit; group-each = through the engine's GroupCommit one at a time; group-burst = all handed in at once)",
    );
    const stepHeader = [
      'target',
      'rate/s',
      'n',
      'ack p50',
      'p99',
      'views.open p50',
      'p95',
      'p99',
      'max',
      'errors',
      'apps cpu ms/cmd',
      'pg cpu ms/cmd',
      'bench cpu ms/cmd',
      'other cpu',
    ];
    const stepRow = (name: string, r: ExtendedStep) => [
      name,
      String(r.rate),
      String(r.measured),
      ms(r.ack.p50),
      ms(r.ack.p99),
      ms(r.open.p50),
      ms(r.open.p95),
      ms(r.open.p99),
      ms(r.open.max),
      String(r.errors),
      ms(r.appCpuMsPerRequest),
      ms(r.pgCpuMsPerRequest),
      ms(r.benchCpuMsPerRequest),
      Number.isFinite(r.otherCpuCores) ? Math.max(0, r.otherCpuCores).toFixed(2) : '-',
    ];
    if (main.size > 0) {
      out.push(
        '',
        `/infoview schedule at ${options.rate}/s, ${options.seconds} s per target (ms from intended send)`,
        '',
      );
      out.push(table([stepHeader, ...[...main].map(([name, r]) => stepRow(name, r))]));
      for (const [name, r] of main) if (r.errors > 0) out.push(`${name}: errors ${JSON.stringify(r.errorKinds)}`);
    }
    if (search.size > 0) {
      out.push(
        '',
        `Rate search: ${options.stepSeconds} s steps; pass = p99 of ack and views.open < ${options.limit} ms, no errors`,
        '',
      );
      const rows = [[...stepHeader, 'verdict']];
      for (const [name, s] of search)
        for (const st of [...s.steps].sort((a, b) => a.rate - b.rate))
          rows.push([...stepRow(name, st.result), st.pass ? 'pass' : 'FAIL']);
      out.push(table(rows), '');
      for (const [name, s] of search)
        out.push(
          `${name}: highest passing rate ${s.maxRate ?? 'none'}/s${s.firstFail !== null ? `, first failing ${s.firstFail}/s` : ''}${s.note ? ` (${s.note})` : ''}`,
        );
    }

    const sqliteMain = main.get('sqlite-1');
    const pg2Main = main.get('pg-2');
    const pg1Max = search.get('pg-1')?.maxRate ?? null;
    const pg3Max = search.get('pg-3')?.maxRate ?? null;
    const verdicts = {
      idleTick: {
        limitMs: 5,
        postgresP99Ms: pgIdle.summary.p99,
        sqliteP99Ms: sqliteIdle.summary.p99,
        postgresSeqScan: pgSeqScan(pgIdlePlan),
        met: pgIdle.summary.p99 < 5 && !pgSeqScan(pgIdlePlan),
      },
      claimRecord: {
        limitMs: 1,
        postgresPerReminderMs: cr('postgres', 'direct').perReminderMs,
        sqlitePerReminderMs: cr('sqlite', 'direct').perReminderMs,
        postgresEngineEachMs: cr('postgres', 'group-each').perReminderMs,
        met: cr('postgres', 'direct').perReminderMs < 1,
      },
      twoReplicas:
        sqliteMain && pg2Main
          ? {
              limitRatio: 1.5,
              rate: options.rate,
              postgresTwoP99Ms: pg2Main.open.p99,
              sqliteOneP99Ms: sqliteMain.open.p99,
              ratio: pg2Main.open.p99 / sqliteMain.open.p99,
              met: pg2Main.errors === 0 && pg2Main.open.p99 / sqliteMain.open.p99 <= 1.5,
            }
          : null,
      threeReplicas:
        pg1Max !== null || pg3Max !== null
          ? {
              limitRatio: 2.5,
              postgresOneMaxRate: pg1Max,
              postgresThreeMaxRate: pg3Max,
              sqliteOneMaxRate: search.get('sqlite-1')?.maxRate ?? null,
              ratio: pg1Max && pg3Max ? pg3Max / pg1Max : null,
              met: pg1Max !== null && pg3Max !== null && pg3Max / pg1Max >= 2.5,
            }
          : null,
    };
    const yes = (met: boolean) => (met ? 'MET' : 'NOT MET');
    out.push('', 'Targets (issue 15)', '');
    out.push(
      table([
        ['target', 'limit', 'measured', 'verdict'],
        [
          `idle tick p99, PostgreSQL, ${options.pending.toLocaleString('en')} pending`,
          '< 5 ms',
          `${fixed(pgIdle.summary.p99)} ms${verdicts.idleTick.postgresSeqScan ? ' (Seq Scan on reminders)' : ' (index)'}; SQLite ${fixed(sqliteIdle.summary.p99)} ms`,
          yes(verdicts.idleTick.met),
        ],
        [
          'claim + record per reminder, PostgreSQL',
          '< 1 ms',
          `${fixed(verdicts.claimRecord.postgresPerReminderMs)} ms; SQLite ${fixed(verdicts.claimRecord.sqlitePerReminderMs)} ms`,
          yes(verdicts.claimRecord.met),
        ],
        [
          `views.open p99, 2 replicas PG / 1 SQLite, ${options.rate}/s`,
          '<= 1.5x',
          verdicts.twoReplicas
            ? `${ms(verdicts.twoReplicas.postgresTwoP99Ms)} / ${ms(verdicts.twoReplicas.sqliteOneP99Ms)} ms = ${verdicts.twoReplicas.ratio.toFixed(2)}x${verdicts.twoReplicas.sqliteOneP99Ms > options.limit ? ` (the SQLite baseline itself is over ${options.limit} ms)` : ''}`
            : 'not measured',
          verdicts.twoReplicas ? yes(verdicts.twoReplicas.met) : '-',
        ],
        [
          'highest passing rate, 3 replicas PG / 1 PG',
          '>= 2.5x',
          verdicts.threeReplicas
            ? `${pg3Max ?? 'none'} / ${pg1Max ?? 'none'} per s${verdicts.threeReplicas.ratio !== null ? ` = ${verdicts.threeReplicas.ratio.toFixed(2)}x` : ''}`
            : 'not measured',
          verdicts.threeReplicas ? yes(verdicts.threeReplicas.met) : '-',
        ],
      ]),
    );
    const noisy = [...main.values(), ...[...search.values()].flatMap((s) => s.steps.map((st) => st.result))].filter(
      (r) => r.otherCpuCores > NOISY_CORES,
    );
    if (noisy.length > 0)
      out.push(
        `WARNING: other processes used more than ${NOISY_CORES} cores during ${noisy.length} step(s) (${[...new Set(noisy.map((r) => `${r.target}@${r.rate}`))].join(', ')})`,
      );
    for (const app of apps)
      if (app.errorLines.length > 0 || app.warnLines.length > 0)
        out.push(
          `app pid ${app.pid} logged ${app.errorLines.length} error and ${app.warnLines.length} warn lines, e.g.: ${(app.errorLines[0] ?? app.warnLines[0] ?? '').slice(0, 300)}`,
        );
    console.log(out.join('\n'));

    const resultsDir = join(ROOT, 'bench', 'results');
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `postgres-${stamp}.json`);
    const json = {
      benchmark: 'postgres',
      startedAt: startedAt.toISOString(),
      durationSeconds: Math.round((performance.now() - started) / 1000),
      command,
      machine: { ...info, loadAverageAtEnd: loadAverage() },
      tree: git,
      options,
      postgres: settings,
      data: {
        load,
        sqliteMB: statSync(dbPath).size / MB,
        postgresMB: pgSize / MB,
        copySeconds,
        copied,
        vacuumAnalyzeSeconds: vacuumSeconds,
        madeDue: dueCount,
      },
      idleTick: {
        quietBefore: quietIdle,
        results: idle,
        sqlitePlan,
        postgresSql: idleStatements.map((statement) => statement.sql),
        postgresPlanBeforeAnalyze: planBeforeAnalyze,
        postgresPlan: pgIdlePlan,
        postgresBusyPlan: pgBusyPlan,
        candidate: {
          what: 'the claim with each "id" in (select … for update skip locked) written as "id" = any(array(select …)); the app\'s own form since 0298f63',
          sql: candidateIdle.map((statement) => statement.sql),
          times: candidateTimes,
          idlePlan: candidateIdlePlan,
          busyPlan: candidateBusyPlan,
        },
      },
      claimRecord: { quietBefore: quietClaim, batches: claimBatches, ...claimRecord },
      app: {
        startupSeconds,
        idleCores,
        main: Object.fromEntries(main),
        search: Object.fromEntries(
          [...search].map(([name, s]) => [
            name,
            { ...s, steps: s.steps.map((st) => ({ pass: st.pass, ...st.result })) },
          ]),
        ),
        logs: apps.map((app) => ({ pid: app.pid, errors: app.errorLines, warnings: app.warnLines })),
      },
      targets: verdicts,
    };
    writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
    log(`wrote ${relative(ROOT, file)}`);
  } finally {
    // Close the keep-alive connections first, so each app's server.close() has nothing to wait for.
    for (const target of targets.values()) target.agent.destroy();
    const codes = await Promise.all(apps.map((app) => app.stop()));
    if (apps.length > 0) log(`stopped the apps (exit codes ${codes.join(', ')})`);
    await fake?.stop();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
    log('done');
  }
}

await main();
