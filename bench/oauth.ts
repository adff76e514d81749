import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { type Installation, type InstallationQuery, InstallProvider } from '@slack/oauth';
import type { WebClient } from '@slack/web-api';
import { sql } from 'kysely';
import type { Config } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Clock } from '../src/lib/clock.js';
import { createLogger } from '../src/lib/logger.js';
import { parseTokenKey, TokenCipher } from '../src/lib/token-cipher.js';
import { backgroundClientOptions } from '../src/slack/web-api/client-options.js';
import { NoInstallationError, SealedInstallationStore } from '../src/slack/installs/installation-store.js';
import { BOT_SCOPES } from '../src/slack/installs/scopes.js';
import { InstalledTeamClients } from '../src/slack/installs/team-clients.js';
import { type AppProcess, quiesce, startProductionApp } from './harness/children.js';
import { FakeWebApi } from './harness/fake-web-api.js';
import { gitTree, machineInfo, otherCoresDuring, ROOT, waitQuiet } from './harness/machine.js';
import {
  keepAliveAgent,
  type LoadTarget,
  mergeSteps,
  runStep,
  type Sender,
  type SentCommand,
  type StepResult,
  type StepRun,
} from './harness/open-loop.js';
import { seededRandom } from './harness/seeded-random.js';
import { ms, type Summary, summarize, table } from './harness/stats.js';

/*
 * `npx tsx bench/oauth.ts` — OAuth installs (issue 16). See bench/README.md, "OAuth installs (issue 16)".
 *
 * 1. In process: a SQLite file made by the app's openDatabase + migrateToLatest is filled with N installations through
 *    SealedInstallationStore.storeInstallation (each token sealed, AES-256-GCM). Then, for every workspace in a random
 *    order, fetchInstallation is timed with the store's cache empty (a row read + JSON.parse + GCM open) and again
 *    with it warm; likewise botTokenForTeam (the reminder engine's path) and Bolt's own InstallProvider.authorize over
 *    the store (what a request runs). Target: p99 < 0.2 ms with 10,000 installations. Also checked, not a target: a
 *    rotated token and an uninstall are seen at once, and what a rotation and the engine's InstalledTeamClients cost.
 * 2. Through the app: `node dist/main.js` twice, HTTP mode, SLACK_API_URL at the loopback FakeWebApi: one with one bot
 *    token, one installed by OAuth with N installations made beforehand in its database by the same store and key.
 *    Signed `/infoview schedule` commands at one open-loop rate, each from a new user (as `npm run bench` does by
 *    default) or, with --users returning, from one known user per workspace; in OAuth mode each from a random one of
 *    the N workspaces, its views.open checked for that workspace's token. First one command from every workspace
 *    (what a restart costs each), then the measured rounds, the modes' order alternating. Each app's GC and memory
 *    are read from its /metrics and /proc.
 */

const SIGNING_SECRET = 'bench-signing-secret-5c1e0c2b7d9f4a1e';
const BOT_TOKEN = 'xoxb-1111-2222-benchtokenvalue';
const CLIENT_ID = '1111.2222';
const CLIENT_SECRET = 'bench-client-secret-8d1f';
const STATE_SECRET = 'bench-state-secret-3a9c2e7b';
/** The one workspace of single-token mode: what FakeWebApi's auth.test names. */
const SINGLE_TEAM = 'T0001';
/** SealedInstallationStore's CACHE_MS (not exported): how long it keeps an opened installation. */
const STORE_CACHE_MS = 30_000;
/** src/slack/app.ts ACTIVE_RECHECK_MS: a workspace's activity mark is written at most once a minute per process. */
const ACTIVE_RECHECK_MS = 60_000;
/** src/config.ts DEFAULT_SCHEDULER_CRON: the reminder engine's tick. */
const ENGINE_TICK_MS = 10_000;
const TARGET_MS = 0.2;
const NOISY_CORES = 0.2;
const MODES = ['single', 'oauth'] as const;
type Mode = (typeof MODES)[number];

const HELP = `npx tsx bench/oauth.ts [options]      (each option also reads BENCH_<NAME>, e.g. BENCH_INSTALLATIONS=1000)

  --installations N   installations in the database, in both parts          (10000)
  --store-rounds N    in-process rounds over every workspace, each timed cold and warm (3)
  --store-warmup N    unmeasured in-process rounds first                    (1)
  --page-cache N      cold fetches each after PRAGMA shrink_memory          (1000)
  --changes N         rotations and uninstalls timed and checked            (200)
  --rate N            commands per second, both modes                        (100)
  --seconds N         measured seconds per mode                              (20)
  --rounds N          the seconds split into N rounds per mode, order rotating (4)
  --warmup N          seconds of warm-up of single-token mode, not measured  (5)
  --first N           OAuth mode: first a command from N workspaces, once each, measured apart
                      (all of them by default; 0: a warm-up of --warmup seconds instead)
  --lead-in N         seconds sent and left out at the start of each step    (0.5)
  --users KIND        new: every command from a new user (users.info, the zone stored, a re-plan queued),
                      as \`npm run bench\` does; returning: one known user per workspace (new)
  --seed N            workspace order                                        (20261216)
  --no-store          skip part 1          --no-app   skip part 2
  --wait-quiet N      wait up to N s for other processes to use < ${NOISY_CORES} cores (30)
  --retries N         measure a round again (up to N times each) when other processes used > ${NOISY_CORES} cores (2)
  --keep              keep the SQLite files (their folder is printed)
  --help

A small run (about a minute): --installations 1000 --store-rounds 1 --seconds 8 --rounds 2 --warmup 2`;

interface Options {
  installations: number;
  storeRounds: number;
  storeWarmup: number;
  pageCache: number;
  changes: number;
  rate: number;
  seconds: number;
  rounds: number;
  warmup: number;
  first: number;
  leadIn: number;
  users: 'new' | 'returning';
  seed: number;
  store: boolean;
  app: boolean;
  waitQuiet: number;
  retries: number;
  keep: boolean;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      installations: { type: 'string' },
      'store-rounds': { type: 'string' },
      'store-warmup': { type: 'string' },
      'page-cache': { type: 'string' },
      changes: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      first: { type: 'string' },
      'lead-in': { type: 'string' },
      users: { type: 'string' },
      seed: { type: 'string' },
      'no-store': { type: 'boolean' },
      'no-app': { type: 'boolean' },
      'wait-quiet': { type: 'string' },
      retries: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const env = (name: string) => process.env[`BENCH_${name.toUpperCase().replaceAll('-', '_')}`];
  const num = (name: keyof typeof values, fallback: number, min = 0) => {
    const raw = values[name] ?? env(name);
    const value = typeof raw === 'string' ? Number(raw) : fallback;
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number >= ${min}`);
    return value;
  };
  const flag = (name: keyof typeof values) => values[name] === true || ['1', 'true', 'yes'].includes(env(name) ?? '');
  const installations = Math.round(num('installations', 10_000, 1));
  const users = values.users ?? env('users') ?? 'new';
  if (users !== 'new' && users !== 'returning') throw new Error('--users is new or returning');
  return {
    installations,
    storeRounds: Math.round(num('store-rounds', 3, 1)),
    storeWarmup: Math.round(num('store-warmup', 1)),
    pageCache: Math.round(num('page-cache', 1000)),
    changes: Math.round(num('changes', 200)),
    rate: num('rate', 100, 1),
    seconds: num('seconds', 20, 1),
    rounds: Math.max(1, Math.round(num('rounds', 4, 1))),
    warmup: num('warmup', 5),
    first: Math.min(installations, Math.round(num('first', installations))),
    leadIn: num('lead-in', 0.5),
    users,
    seed: Math.round(num('seed', 20261216)),
    store: !flag('no-store'),
    app: !flag('no-app'),
    waitQuiet: num('wait-quiet', 30),
    retries: Math.round(num('retries', 2)),
    keep: flag('keep'),
  };
}

// Workspaces of the OAuth installations: 0 … N-1.
const teamOf = (i: number) => `TW${String(i).padStart(7, '0')}`;
const tokenOf = (i: number, generation = 0) =>
  `xoxb-${7_000_000_000 + i}-${8_000_000_000 + i}-oauthbench${String(i).padStart(7, '0')}${generation > 0 ? `r${generation}` : ''}`;
const queryOf = (i: number): InstallationQuery<false> => ({
  teamId: teamOf(i),
  enterpriseId: undefined,
  isEnterpriseInstall: false,
});

/** What Bolt's OAuth flow stores for a workspace install (oauth.v2.access, bot scopes only). */
function fakeInstallation(i: number, token = tokenOf(i)): Installation<'v2', false> {
  return {
    team: { id: teamOf(i), name: `Workspace ${i}` },
    enterprise: undefined,
    user: { id: `UINST${String(i).padStart(6, '0')}`, token: undefined, scopes: undefined },
    bot: {
      token,
      scopes: [...BOT_SCOPES],
      id: `BB${String(i).padStart(7, '0')}`,
      userId: `UB${String(i).padStart(7, '0')}`,
    },
    appId: 'A0BENCH0001',
    tokenType: 'bot',
    isEnterpriseInstall: false,
    authVersion: 'v2',
  };
}

const systemClock: Clock = { now: () => new Date() };

/** Opens (creating and migrating) the SQLite file at `path` as the app does, and stores N installations through the store. */
async function fillInstallations(path: string, cipher: TokenCipher, count: number) {
  const db = openDatabase(path);
  await migrateToLatest(db);
  const store = new SealedInstallationStore(db, cipher, systemClock);
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await store.storeInstallation(fakeInstallation(i));
    times.push(performance.now() - t0);
  }
  const rows = await db
    .selectFrom('installations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(rows.n) !== count) throw new Error(`stored ${count} installations but the table has ${rows.n}`);
  return { db, seconds: (performance.now() - started) / 1000, store: summarize(times) };
}

function shuffled(count: number, random: () => number): number[] {
  const list = Array.from({ length: count }, (_, i) => i);
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j] as number, list[i] as number];
  }
  return list;
}

/** Times `run` for each item, one after another; `check` (untimed) throws on a wrong answer. */
async function timeEach<T>(
  items: readonly number[],
  run: (i: number) => Promise<T>,
  check: (i: number, value: T) => void,
): Promise<number[]> {
  const times: number[] = [];
  for (const i of items) {
    const t0 = performance.now();
    const value = await run(i);
    times.push(performance.now() - t0);
    check(i, value);
  }
  return times;
}

interface StoreRow {
  label: string;
  summary: Summary;
  /** Judged against the target. */
  target: boolean;
}

interface StoreResult {
  fill: { seconds: number; storeInstallation: Summary };
  rows: StoreRow[];
  otherCores: number[];
  checks: { rotationsSeenAtOnce: number; uninstallsSeenAtOnce: number; failures: string[] };
  teamClients: { newClientShare: number };
  verdict: { warm: boolean; cold: boolean };
}

/** Part 1: the installation store in process. */
async function measureStore(options: Options, cipher: TokenCipher, dir: string, log: (line: string) => void) {
  const n = options.installations;
  log(`store: filling ${n} installations through SealedInstallationStore.storeInstallation`);
  const { db, seconds, store: fillSummary } = await fillInstallations(join(dir, 'store.sqlite'), cipher, n);
  log(`store: filled in ${seconds.toFixed(1)} s (storeInstallation p50 ${ms(fillSummary.p50)} ms)`);
  const random = seededRandom(options.seed);
  const logger = createLogger({ level: 'warn' });
  const samples = new Map<string, number[]>();
  const add = (label: string, times: number[]) => samples.set(label, [...(samples.get(label) ?? []), ...times]);
  const expectToken = (i: number, token: string | undefined) => {
    if (token !== tokenOf(i)) throw new Error(`workspace ${teamOf(i)} got the wrong token`);
  };
  const otherCores: number[] = [];

  for (let round = 0; round < options.storeWarmup + options.storeRounds; round++) {
    const measured = round >= options.storeWarmup;
    const { otherCores: cores } = await otherCoresDuring(async () => {
      // A new store per path: its cache is empty, so the first pass over every workspace is cold.
      let store = new SealedInstallationStore(db, cipher, systemClock);
      const fetch = (i: number) => store.fetchInstallation(queryOf(i));
      const cold = await timeEach(shuffled(n, random), fetch, (i, inst) => expectToken(i, inst.bot?.token));
      const warm = await timeEach(shuffled(n, random), fetch, (i, inst) => expectToken(i, inst.bot?.token));

      store = new SealedInstallationStore(db, cipher, systemClock);
      const token = (i: number) => store.botTokenForTeam(teamOf(i));
      const tokenCold = await timeEach(shuffled(n, random), token, expectToken);
      const tokenWarm = await timeEach(shuffled(n, random), token, expectToken);

      // What a request runs: Bolt's InstallProvider.authorize over the store (as the HTTPReceiver builds it).
      store = new SealedInstallationStore(db, cipher, systemClock);
      const provider = new InstallProvider({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        stateSecret: STATE_SECRET,
        installationStore: store,
        logger,
      });
      const authorize = (i: number) => provider.authorize(queryOf(i));
      const authCold = await timeEach(shuffled(n, random), authorize, (i, auth) => expectToken(i, auth.botToken));
      const authWarm = await timeEach(shuffled(n, random), authorize, (i, auth) => expectToken(i, auth.botToken));
      if (measured) {
        add('fetchInstallation, cold: row read + JSON.parse + AES-GCM open', cold);
        add('fetchInstallation, warm (cached)', warm);
        add('botTokenForTeam, cold', tokenCold);
        add('botTokenForTeam, warm (cached)', tokenWarm);
        add("Bolt's InstallProvider.authorize, cold", authCold);
        add("Bolt's InstallProvider.authorize, warm", authWarm);
      }
    });
    if (measured) otherCores.push(cores);
    log(
      `store: round ${round + 1}/${options.storeWarmup + options.storeRounds}${measured ? '' : ' (warm-up)'}, other processes ${cores.toFixed(2)} cores`,
    );
  }

  // Cold with SQLite's page cache emptied first: the row's pages come from the operating system's cache.
  {
    const store = new SealedInstallationStore(db, cipher, systemClock);
    const times: number[] = [];
    for (const i of shuffled(n, random).slice(0, options.pageCache)) {
      await sql`pragma shrink_memory`.execute(db);
      const t0 = performance.now();
      const inst = await store.fetchInstallation(queryOf(i));
      times.push(performance.now() - t0);
      expectToken(i, inst.bot?.token);
    }
    add('fetchInstallation, cold, SQLite page cache emptied first', times);
  }

  // Rotation and uninstall: seen at once by this process, and what they cost with every workspace cached.
  const failures: string[] = [];
  let rotationsSeen = 0;
  let uninstallsSeen = 0;
  {
    const store = new SealedInstallationStore(db, cipher, systemClock);
    const picks = shuffled(n, random);
    const rotateEmpty = picks.slice(0, options.changes);
    add(
      'storeInstallation (a rotated token), nothing cached',
      await timeEach(
        rotateEmpty,
        (i) => store.storeInstallation(fakeInstallation(i, tokenOf(i, 1))),
        () => undefined,
      ),
    );
    // Every workspace's token looked up (the engine's path fills the by-team cache too), then rotations and uninstalls.
    for (let i = 0; i < n; i++) await store.botTokenForTeam(teamOf(i));
    const rotate = picks.slice(options.changes, 2 * options.changes);
    const rotateTimes = await timeEach(
      rotate,
      (i) => store.storeInstallation(fakeInstallation(i, tokenOf(i, 2))),
      () => undefined,
    );
    add(`storeInstallation (a rotated token), ${n} workspaces cached`, rotateTimes);
    for (const i of rotate) {
      const fetched = (await store.fetchInstallation(queryOf(i))).bot?.token;
      const forTeam = await store.botTokenForTeam(teamOf(i));
      if (fetched === tokenOf(i, 2) && forTeam === tokenOf(i, 2)) rotationsSeen++;
      else
        failures.push(
          `${teamOf(i)}: old token after rotation (${fetched === tokenOf(i, 2)}, ${forTeam === tokenOf(i, 2)})`,
        );
    }
    const uninstall = picks.slice(2 * options.changes, 3 * options.changes);
    const deleteTimes = await timeEach(
      uninstall,
      (i) => store.deleteInstallation(queryOf(i)),
      () => undefined,
    );
    add(`deleteInstallation (an uninstall), ${n} workspaces cached`, deleteTimes);
    for (const i of uninstall) {
      const refused = await store.fetchInstallation(queryOf(i)).then(
        () => false,
        (error: unknown) => error instanceof NoInstallationError,
      );
      const forTeam = await store.botTokenForTeam(teamOf(i));
      if (refused && forTeam === undefined) uninstallsSeen++;
      else failures.push(`${teamOf(i)}: still served after uninstall (${refused}, ${forTeam})`);
      await store.storeInstallation(fakeInstallation(i));
    }
    for (const i of [...rotateEmpty, ...rotate]) await store.storeInstallation(fakeInstallation(i));
  }

  // The reminder engine's clients (src/slack/team-clients.ts): a WebClient per token, at most 2,000 kept.
  let newClients = 0;
  {
    const store = new SealedInstallationStore(db, cipher, systemClock);
    for (let i = 0; i < n; i++) await store.botTokenForTeam(teamOf(i));
    const clients = new InstalledTeamClients(
      store,
      backgroundClientOptions({ slackApiUrl: 'http://127.0.0.1:9/api/' } as Config, logger),
    );
    // A first pass builds the clients (the last 2,000 stay); the second is timed, noting which calls built one anew.
    const last = new Map<number, WebClient>();
    const times: number[] = [];
    for (const pass of [0, 1]) {
      for (const i of shuffled(n, random)) {
        const t0 = performance.now();
        const client = await clients.forTeam(teamOf(i));
        const t = performance.now() - t0;
        if (pass === 1) {
          times.push(t);
          if (last.get(i) !== client) newClients++;
        }
        last.set(i, client);
      }
    }
    add(`InstalledTeamClients.forTeam, tokens cached, ${n} workspaces in turn`, times);
    newClients = newClients / n;
  }
  await db.destroy();

  const targets = new Set([
    'fetchInstallation, cold: row read + JSON.parse + AES-GCM open',
    'fetchInstallation, warm (cached)',
  ]);
  const rows: StoreRow[] = [...samples].map(([label, times]) => ({
    label,
    summary: summarize(times),
    target: targets.has(label),
  }));
  const p99 = (label: string) => rows.find((row) => row.label === label)?.summary.p99 ?? Number.NaN;
  return {
    fill: { seconds, storeInstallation: fillSummary },
    rows,
    otherCores,
    checks: {
      rotationsSeenAtOnce: rotationsSeen,
      uninstallsSeenAtOnce: uninstallsSeen,
      failures: failures.slice(0, 20),
    },
    teamClients: { newClientShare: newClients },
    verdict: {
      warm: p99('fetchInstallation, warm (cached)') < TARGET_MS,
      cold: p99('fetchInstallation, cold: row read + JSON.parse + AES-GCM open') < TARGET_MS,
    },
  } satisfies StoreResult;
}

interface GcTally {
  count: number;
  totalMs: number;
  over10ms: number;
  over100ms: number;
  majorCount: number;
  majorMs: number;
}

interface AppResult {
  main: Record<Mode, StepResult & { rounds: number }>;
  mainRounds: Record<Mode, StepResult[]>;
  first: StepResult | null;
  /** OAuth mode's measured commands split by whether the app still had the workspace's installation cached. */
  byCache: { cached: Summary; read: Summary };
  /** Share of OAuth mode's measured commands after which the app wrote the workspace's activity mark. */
  activityWrites: number;
  ratio: { p50: number; p99: number };
  addedMs: { p50: number; p99: number; cpuPerCommand: number };
  /** V8's garbage collections in each app during the measured rounds (from its /metrics): count, total, the long ones. */
  gc: Record<Mode, GcTally>;
  /** Each app's resident memory and V8 heap in use (MiB): once ready, after the first commands, at the end. */
  memory: Record<Mode, { at: string; rssMiB: number; heapUsedMiB: number }[]>;
  logs: Record<Mode, { errors: string[]; warnings: string[] }>;
}

/** Part 2: `/infoview schedule` through `node dist/main.js`, one bot token against OAuth installs. */
async function measureApps(options: Options, keyText: string, dir: string, log: (line: string) => void) {
  const n = options.installations;
  const oauthDb = join(dir, 'oauth-app.sqlite');
  log(`app: filling ${n} installations into the OAuth app's database before it starts`);
  const filled = await fillInstallations(oauthDb, new TokenCipher(parseTokenKey(keyText)), n);
  await filled.db.destroy();
  const fake = await FakeWebApi.start('America/New_York', SINGLE_TEAM);
  const common = { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl };
  const apps = new Map<Mode, AppProcess>();
  const targets = new Map<Mode, LoadTarget>();
  try {
    const [single, oauth] = await Promise.all([
      startProductionApp({ ...common, SLACK_BOT_TOKEN: BOT_TOKEN, DATABASE_URL: join(dir, 'single-app.sqlite') }),
      startProductionApp({
        ...common,
        // Empty counts as unset, and keeps a SLACK_BOT_TOKEN in a .env file out.
        SLACK_BOT_TOKEN: '',
        SLACK_CLIENT_ID: CLIENT_ID,
        SLACK_CLIENT_SECRET: CLIENT_SECRET,
        SLACK_STATE_SECRET: STATE_SECRET,
        INFOVIEW_ENCRYPTION_KEY: keyText,
        DATABASE_URL: oauthDb,
      }),
    ]);
    apps.set('single', single);
    apps.set('oauth', oauth);
    for (const [mode, app] of apps) {
      targets.set(mode, {
        name: mode,
        port: app.spec.port,
        path: '/slack/events',
        agent: keepAliveAgent(),
        cpuSeconds: () => app.cpuSeconds(),
        opensView: true,
      });
    }
    log(`app: started single (pid ${single.pid}) and oauth (pid ${oauth.pid}); fake Web API at ${fake.baseUrl}`);
    const memory: AppResult['memory'] = { single: [], oauth: [] };
    const noteMemory = async (at: string) => {
      for (const [mode, app] of apps) memory[mode].push({ at, ...(await memoryOf(app)) });
    };
    await noteMemory('ready');

    const benchCpuSeconds = () => {
      const own = process.cpuUsage();
      return (own.user + own.system) / 1e6 + [...apps.values()].reduce((sum, app) => sum + app.cpuSeconds(), 0);
    };
    const random = seededRandom(options.seed + 1);
    let user = 0;
    const senderOf =
      (mode: Mode, order?: readonly number[]) =>
      (i: number): Sender => {
        const userId = options.users === 'new' ? `UN${String(++user).padStart(8, '0')}` : 'URETURNS01';
        if (mode === 'single') return { teamId: SINGLE_TEAM, userId, token: BOT_TOKEN };
        const team = order?.[i] ?? Math.floor(random() * n);
        return { teamId: teamOf(team), userId, token: tokenOf(team) };
      };
    const sent: SentCommand[] = [];
    const step = async (mode: Mode, seconds: number, leadIn: number, order?: readonly number[]) => {
      const run = await runStep(targets.get(mode) as LoadTarget, {
        fake,
        signingSecret: SIGNING_SECRET,
        token: BOT_TOKEN,
        users: 0,
        rate: options.rate,
        seconds,
        leadInSeconds: leadIn,
        ...(order ? { count: order.length } : {}),
        text: 'schedule',
        sender: senderOf(mode, order),
        benchCpuSeconds,
      });
      if (mode === 'oauth') sent.push(...run.commands);
      await quiesce(apps.get(mode) as AppProcess, () => fake.count('views.open'));
      return run;
    };

    log(`app: warm-up of single for ${options.warmup} s at ${options.rate}/s`);
    if (options.warmup > 0) await step('single', options.warmup, 0);
    let first: StepResult | null = null;
    if (options.first > 0) {
      const order = shuffled(n, random).slice(0, options.first);
      log(`app: oauth, the first command of ${order.length} workspaces at ${options.rate}/s`);
      first = (await step('oauth', order.length / options.rate, options.leadIn, order)).result;
      log(`  views.open p50 ${ms(first.open.p50)} ms, p99 ${ms(first.open.p99)} ms, errors ${first.errors}`);
      // Each first command from a new user queued a re-plan of that user's reminders, which the engine runs at its
      // next tick (every 10 s): let it, so the measured rounds do not carry work left from this phase.
      await sleep(ENGINE_TICK_MS + 2000);
      await quiesce(oauth, () => fake.count('views.open'));
      await noteMemory(`after ${order.length} workspaces' first commands`);
    } else if (options.warmup > 0) {
      log(`app: warm-up of oauth for ${options.warmup} s at ${options.rate}/s`);
      await step('oauth', options.warmup, 0);
    }

    const runs = new Map<Mode, StepRun[]>(MODES.map((mode) => [mode, []]));
    const gc: Record<Mode, GcTally> = {
      single: { count: 0, totalMs: 0, over10ms: 0, over100ms: 0, majorCount: 0, majorMs: 0 },
      oauth: { count: 0, totalMs: 0, over10ms: 0, over100ms: 0, majorCount: 0, majorMs: 0 },
    };
    let retriesLeft = options.retries * options.rounds;
    for (let round = 0; round < options.rounds; round++) {
      for (const mode of round % 2 === 0 ? MODES : [...MODES].reverse()) {
        let best: StepRun | undefined;
        let bestGc: GcTally | undefined;
        for (let attempt = 0; ; attempt++) {
          const seconds = options.seconds / options.rounds;
          log(
            `app: ${mode} at ${options.rate}/s for ${seconds} s (round ${round + 1}/${options.rounds}${attempt > 0 ? ', again: the machine was busy' : ''})`,
          );
          const gcBefore = await gcOf(apps.get(mode) as AppProcess);
          const run = await step(mode, seconds, options.leadIn);
          const gcAfter = await gcOf(apps.get(mode) as AppProcess);
          if (!best || run.result.otherCpuCores < best.result.otherCpuCores) bestGc = diffGc(gcAfter, gcBefore);
          if (!best || run.result.otherCpuCores < best.result.otherCpuCores) best = run;
          if (!(run.result.otherCpuCores > NOISY_CORES) || retriesLeft <= 0) break;
          retriesLeft--;
          await sleep(1000);
        }
        runs.get(mode)?.push(best);
        if (bestGc) for (const key of Object.keys(gc[mode]) as (keyof GcTally)[]) gc[mode][key] += bestGc[key];
      }
    }
    const main = Object.fromEntries([...runs].map(([mode, list]) => [mode, mergeSteps(list)])) as AppResult['main'];
    await noteMemory('at the end');

    // Replays what the OAuth app saw, in send order, to tell which measured commands found their installation still
    // cached (fetched under 30 s earlier) and after which the app wrote the workspace's activity mark (once a minute).
    const kept = new Set([...(runs.get('oauth') ?? [])].flatMap((run) => run.commands.filter((c) => c.measured)));
    const fetchedAt = new Map<string, number>();
    const activeAt = new Map<string, number>();
    const cached: number[] = [];
    const read: number[] = [];
    let writes = 0;
    let measured = 0;
    for (const command of sent) {
      const hit = command.sent - (fetchedAt.get(command.teamId) ?? -Infinity) < STORE_CACHE_MS;
      if (!hit) fetchedAt.set(command.teamId, command.sent);
      const write = command.sent - (activeAt.get(command.teamId) ?? -Infinity) >= ACTIVE_RECHECK_MS;
      if (write) activeAt.set(command.teamId, command.sent);
      if (!kept.has(command) || Number.isNaN(command.openMs)) continue;
      measured++;
      if (write) writes++;
      (hit ? cached : read).push(command.openMs);
    }

    const singleMain = main.single;
    const oauthMain = main.oauth;
    return {
      main,
      mainRounds: Object.fromEntries(
        [...runs].map(([mode, list]) => [mode, list.map((r) => r.result)]),
      ) as AppResult['mainRounds'],
      first,
      byCache: { cached: summarize(cached), read: summarize(read) },
      activityWrites: writes / Math.max(1, measured),
      ratio: { p50: oauthMain.open.p50 / singleMain.open.p50, p99: oauthMain.open.p99 / singleMain.open.p99 },
      addedMs: {
        p50: oauthMain.open.p50 - singleMain.open.p50,
        p99: oauthMain.open.p99 - singleMain.open.p99,
        cpuPerCommand: oauthMain.appCpuMsPerRequest - singleMain.appCpuMsPerRequest,
      },
      memory,
      gc,
      logs: Object.fromEntries(
        [...apps].map(([mode, app]) => [mode, { errors: app.errorLines, warnings: app.warnLines }]),
      ) as AppResult['logs'],
    } satisfies AppResult;
  } finally {
    for (const target of targets.values()) target.agent.destroy();
    await Promise.all([...apps.values()].map((app) => app.stop()));
    await fake.stop();
  }
}

/** Resident memory of the app's process tree (/proc) and the V8 heap in use, from its own /metrics. */
async function memoryOf(app: AppProcess): Promise<{ rssMiB: number; heapUsedMiB: number }> {
  let rssKiB = 0;
  for (const pid of app.pids()) {
    try {
      rssKiB += Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
    } catch {
      rssKiB = Number.NaN;
    }
  }
  let heap = Number.NaN;
  try {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    heap = Number(/^infoview_nodejs_heap_size_used_bytes (\S+)/m.exec(text)?.[1] ?? Number.NaN);
  } catch {
    // No metrics: NaN says so.
  }
  return { rssMiB: rssKiB / 1024, heapUsedMiB: heap / 2 ** 20 };
}

/** The app's garbage collections so far, from prom-client's nodejs_gc_duration_seconds on its /metrics. */
async function gcOf(app: AppProcess): Promise<GcTally> {
  const tally = { count: 0, totalMs: 0, over10ms: 0, over100ms: 0, majorCount: 0, majorMs: 0 };
  const text = await (await fetch(`${app.url}/metrics`)).text();
  for (const line of text.split('\n')) {
    const match = /^infoview_nodejs_gc_duration_seconds_(sum|count|bucket)\{(.*)\} (\S+)$/.exec(line);
    if (!match) continue;
    const [, field, labels, raw] = match as unknown as [string, string, string, string];
    const value = Number(raw);
    const major = labels.includes('kind="major"');
    if (field === 'count') {
      tally.count += value;
      tally.over10ms += value;
      tally.over100ms += value;
      if (major) tally.majorCount += value;
    } else if (field === 'sum') {
      tally.totalMs += value * 1000;
      if (major) tally.majorMs += value * 1000;
    } else if (labels.includes('le="0.01"')) tally.over10ms -= value;
    else if (labels.includes('le="0.1"')) tally.over100ms -= value;
  }
  return tally;
}

function diffGc(after: GcTally, before: GcTally): GcTally {
  return {
    count: after.count - before.count,
    totalMs: after.totalMs - before.totalMs,
    over10ms: after.over10ms - before.over10ms,
    over100ms: after.over100ms - before.over100ms,
    majorCount: after.majorCount - before.majorCount,
    majorMs: after.majorMs - before.majorMs,
  };
}

/** The busiest other processes right now, for the record ("what else was running"). */
function busiestProcesses(): string[] {
  try {
    return execFileSync('ps', ['-eo', 'pcpu,etimes,args', '--sort=-pcpu'], { encoding: 'utf8' })
      .split('\n')
      .slice(1, 8)
      .map((line) => line.trim().slice(0, 160))
      .filter((line) => line !== '');
  } catch {
    return [];
  }
}

async function main() {
  const options = readOptions();
  const started = performance.now();
  const startedAt = new Date();
  const stamp = startedAt
    .toISOString()
    .replaceAll(':', '-')
    .replace(/\.\d+Z$/, 'Z');
  const argv = process.argv.slice(2);
  const command = `npx tsx bench/oauth.ts${argv.length > 0 ? ` ${argv.join(' ')}` : ''}`;
  const info = machineInfo();
  const log = (line: string) =>
    process.stderr.write(`[oauth ${((performance.now() - started) / 1000).toFixed(0).padStart(3)}s] ${line}\n`);
  log(`${info.cpu}, ${info.cores} cores, node ${info.node}; ${command}`);
  log(`waiting up to ${options.waitQuiet} s for other processes to use at most ${NOISY_CORES} cores`);
  const quiet = await waitQuiet(options.waitQuiet, NOISY_CORES);
  const othersAtStart = busiestProcesses();
  if (!quiet.quiet) log(`warning: other processes are using ${quiet.otherCores.toFixed(2)} cores`);

  // A fresh key per run, as INFOVIEW_ENCRYPTION_KEY would be: 32 random bytes, 64 hex digits.
  const keyText = randomBytes(32).toString('hex');
  const cipher = new TokenCipher(parseTokenKey(keyText));
  const dir = mkdtempSync(join(tmpdir(), 'infoview-oauth-bench-'));
  const out: string[] = [];
  let store: StoreResult | undefined;
  let apps: AppResult | undefined;
  try {
    if (options.store) store = await measureStore(options, cipher, dir, log);
    if (options.app) apps = await measureApps(options, keyText, dir, log);
  } finally {
    if (options.keep) log(`kept the SQLite files in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }

  const verdict = (met: boolean) => (met ? 'MET' : 'MISSED');
  if (store) {
    out.push('', `1. Resolving a workspace's token, in process, ${options.installations} installations (ms)`, '');
    out.push(
      table([
        ['path', 'n', 'p50', 'p95', 'p99', 'max'],
        ...store.rows.map((row) => [
          `${row.label}${row.target ? ' *' : ''}`,
          String(row.summary.n),
          ms3(row.summary.p50),
          ms3(row.summary.p95),
          ms3(row.summary.p99),
          ms3(row.summary.max),
        ]),
      ]),
    );
    out.push(
      `(* judged: p99 < ${TARGET_MS} ms) warm: ${verdict(store.verdict.warm)}, cold: ${verdict(store.verdict.cold)}`,
      `filled in ${store.fill.seconds.toFixed(1)} s; rotations seen at once ${store.checks.rotationsSeenAtOnce}/${options.changes}, ` +
        `uninstalls ${store.checks.uninstallsSeenAtOnce}/${options.changes}; InstalledTeamClients built a new WebClient for ` +
        `${(store.teamClients.newClientShare * 100).toFixed(0)}% of calls; other processes ${store.otherCores.map((c) => c.toFixed(2)).join(', ')} cores`,
    );
    for (const failure of store.checks.failures) out.push(`FAILED: ${failure}`);
  }
  if (apps) {
    const header = [
      'mode',
      'n',
      'ack p50',
      'p99',
      'views.open p50',
      'p95',
      'p99',
      'max',
      'errors',
      'app cpu ms/cmd',
      'other cpu',
    ];
    const row = (label: string, r: StepResult) => [
      label,
      String(r.measured),
      ms(r.ack.p50),
      ms(r.ack.p99),
      ms(r.open.p50),
      ms(r.open.p95),
      ms(r.open.p99),
      ms(r.open.max),
      String(r.errors),
      ms(r.appCpuMsPerRequest),
      Number.isFinite(r.otherCpuCores) ? Math.max(0, r.otherCpuCores).toFixed(2) : '-',
    ];
    const split = (label: string, s: Summary) => [
      label,
      String(s.n),
      '',
      '',
      ms(s.p50),
      ms(s.p95),
      ms(s.p99),
      ms(s.max),
      '',
      '',
      '',
    ];
    out.push(
      '',
      `2. /infoview schedule at ${options.rate}/s, each from a ${options.users === 'new' ? 'new' : 'returning'} user, ms from the intended send time`,
      '',
    );
    out.push(
      table([
        header,
        row('single token', apps.main.single),
        row(`oauth, ${options.installations} installations`, apps.main.oauth),
        split('  of which installation cached', apps.byCache.cached),
        split('  of which read and opened', apps.byCache.read),
        ...(apps.first ? [row("oauth, each workspace's first command", apps.first)] : []),
      ]),
    );
    out.push(
      `oauth / single views.open: p50 ${apps.ratio.p50.toFixed(2)}x (${signed(apps.addedMs.p50)} ms), p99 ${apps.ratio.p99.toFixed(2)}x (${signed(apps.addedMs.p99)} ms); ` +
        `app CPU ${signed(apps.addedMs.cpuPerCommand)} ms per command`,
      `oauth: the app wrote the workspace's activity mark after ${(apps.activityWrites * 100).toFixed(0)}% of the measured commands`,
    );
    for (const mode of MODES) {
      const g = apps.gc[mode];
      out.push(
        `${mode} GC in the measured rounds: ${g.count} collections, ${g.totalMs.toFixed(0)} ms (${g.over10ms} over 10 ms, ${g.over100ms} over 100 ms); major ${g.majorCount}, ${g.majorMs.toFixed(0)} ms`,
      );
    }
    for (const mode of MODES)
      out.push(
        `${mode} memory: ${apps.memory[mode].map((m) => `${m.at} RSS ${m.rssMiB.toFixed(0)} MiB, heap ${m.heapUsedMiB.toFixed(0)} MiB`).join('; ')}`,
      );
    for (const mode of MODES) {
      const r = apps.main[mode];
      const calls = Object.entries(r.webApiCallsPerRequest)
        .map(([m, c]) => `${m} ${c}`)
        .join(', ');
      out.push(`${mode}: Web API calls per command: ${calls || 'none'}`);
      if (r.errors > 0) out.push(`${mode}: errors ${JSON.stringify(r.errorKinds)}`);
      const logs = apps.logs[mode];
      if (logs.errors.length > 0 || logs.warnings.length > 0)
        out.push(
          `${mode} logged ${logs.errors.length} error and ${logs.warnings.length} warn lines, e.g. ${(logs.errors[0] ?? logs.warnings[0] ?? '').slice(0, 300)}`,
        );
    }
    const noisy = [...Object.values(apps.mainRounds).flat(), ...(apps.first ? [apps.first] : [])].filter(
      (r) => r.otherCpuCores > NOISY_CORES,
    );
    if (noisy.length > 0)
      out.push(
        `WARNING: other processes used more than ${NOISY_CORES} cores during ${noisy.length} step(s): those figures carry that noise`,
      );
  }
  console.log(out.join('\n'));

  const resultsDir = join(ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `oauth-${stamp}.json`);
  const json = {
    benchmark: 'oauth',
    startedAt: startedAt.toISOString(),
    durationSeconds: Math.round((performance.now() - started) / 1000),
    command,
    machine: { ...info, otherCpuCoresAtStart: quiet.otherCores, busiestProcessesAtStart: othersAtStart },
    tree: gitTree(),
    options,
    targetMs: TARGET_MS,
    store,
    apps,
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  log(`wrote ${relative(ROOT, file)}`);
}

/** Milliseconds with three decimals: these paths take microseconds. */
function ms3(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : '-';
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;
}

await main();
