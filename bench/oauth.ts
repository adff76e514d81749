import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Installation, type InstallationQuery, InstallProvider } from '@slack/oauth';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createLogger } from '../src/lib/logger.js';
import { parseTokenKey, TokenCipher } from '../src/lib/token-cipher.js';
import { toDbInstant } from '../src/lib/zoned-time.js';
import { NoInstallationError, SealedInstallationStore } from '../src/slack/installs/installation-store.js';
import { TEAM_ID } from '../test/support/payloads.js';
import { type AppProcess, startProductionApp } from './harness/children.js';
import { loadInChild, makeDue, pickReminders, seededRandom, teamId as teamOf } from './harness/data.js';
import { FakeWebApi } from './harness/fake-web-api.js';
import { ROOT, waitQuiet } from './harness/machine.js';
import {
  appEnv,
  BOT_TOKEN,
  compareTargets,
  LoadTarget,
  runStep,
  STEP_HEADER,
  type StepResult,
  stepRow,
} from './harness/open-loop.js';
import { readOptions, writeResults } from './harness/options.js';
import { ms, summarize, table, verdict } from './harness/stats.js';

// `npm run bench:oauth` (bench/README.md): 1. a token's lookup in process through the sealed installation store and
// Bolt's InstallProvider (p99 < 0.2 ms; rotations and uninstalls seen at once); 2. `/infoview schedule` through the
// app with one bot token and with N OAuth installations, each views.open checked for its workspace's token, after a
// command from every workspace and a reminder delivered in each; their memory.

const o = readOptions('npm run bench:oauth -- [options]', {
  installations: [10_000, 'installations in the database, in both parts'],
  rounds: [3, 'in-process rounds over every workspace, each timed cold and warm'],
  rate: [100, 'commands per second, both apps'],
  seconds: [60, 'measured seconds per app (p99 on rate × seconds / 100 samples: under 60, GC pauses decide it)'],
  warmup: [5, 'seconds of warm-up per app, not measured'],
  'wait-quiet': [30, 'wait up to N s for other processes to use ≤ 0.2 cores'],
  env: [
    '',
    "NAME=value,… added to both apps' environment (NODE_OPTIONS, MALLOC_ARENA_MAX: an A/B before package.json)",
  ],
  'node-flags': ['', "node flags (space-separated) before `npm start`'s own, both apps: V8 flags NODE_OPTIONS refuses"],
  'heap-snapshot': [false, 'at the end, a heap snapshot of each app (bench/results/*.heapsnapshot; SIGUSR2)'],
});
const extraEnv: Record<string, string> = Object.fromEntries(
  o.env
    .split(',')
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
if (o['heap-snapshot'])
  extraEnv.NODE_OPTIONS =
    `${extraEnv.NODE_OPTIONS ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${join(ROOT, 'bench', 'results')}`.trim();
const nodeFlags = o['node-flags'].split(' ').filter(Boolean);
/** Where an app's memory is: /proc's smaps_rollup (kB → MB) and V8's heap and external memory from its /metrics. */
async function memoryParts(app: AppProcess) {
  const rollup = readFileSync(`/proc/${app.pid}/smaps_rollup`, 'utf8');
  const kB = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(rollup)?.[1] ?? 0) / 1024;
  const value = await metricsOf(app);
  const gauge = (name: string) => value(name) / 2 ** 20;
  const gcs = (kind: string, what: 'count' | 'sum') => value(`nodejs_gc_duration_seconds_${what}\\{kind="${kind}"\\}`);
  return {
    anonymous: kB('Anonymous'),
    file: kB('Rss') - kB('Anonymous'),
    heapTotal: gauge('nodejs_heap_size_total_bytes'),
    heapUsed: gauge('nodejs_heap_size_used_bytes'),
    external: gauge('nodejs_external_memory_bytes'),
    oldSpace: gauge('nodejs_heap_space_size_total_bytes\\{space="old"\\}'),
    newSpace: gauge('nodejs_heap_space_size_total_bytes\\{space="new"\\}'),
    // Not MB: full collections so far, and seconds of every kind of collection (the CPU a heap policy costs).
    majorGCs: gcs('major', 'count') || 0,
    gcSeconds: ['major', 'minor', 'incremental', 'weakcb'].reduce((sum, kind) => sum + (gcs(kind, 'sum') || 0), 0),
  };
}
/** An app's /metrics now, read by name (a regular expression, without the `infoview_` prefix): NaN when absent. */
async function metricsOf(app: AppProcess): Promise<(name: string) => number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  return (name) => Number(new RegExp(`^infoview_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
}
const GC_KINDS = ['major', 'minor', 'incremental'];
/** Collections since `since` (/metrics), of each of GC_KINDS: how many, how many over 1 ms, how many over 10 ms. */
async function gcTally(app: AppProcess, since: readonly number[] = []): Promise<number[]> {
  const value = await metricsOf(app);
  const le = (k: string, s: string) => value(`nodejs_gc_duration_seconds_bucket\\{le="${s}",kind="${k}"\\}`) || 0;
  const tally = (k: string) => [le(k, '\\+Inf'), ...['0.001', '0.01'].map((s) => le(k, '\\+Inf') - le(k, s))];
  return GC_KINDS.flatMap(tally).map((count, i) => count - (since[i] ?? 0));
}
const n = o.installations;
const [clientId, clientSecret, stateSecret] = ['1111.2222', 'bench-client-secret', 'bench-state-secret'];
const tokenOf = (i: number, generation = 0) => `xoxb-${7e9 + i}-${8e9 + i}-oauthbench${i}r${generation}`;
const queryOf = (i: number): InstallationQuery<false> => ({
  teamId: teamOf(i),
  enterpriseId: undefined,
  isEnterpriseInstall: false,
});
/** What Bolt's OAuth flow stores for a workspace install (oauth.v2.access, bot scopes only). */
const installation = (i: number, token = tokenOf(i)): Installation<'v2', false> => ({
  team: { id: teamOf(i), name: `Workspace ${i}` },
  enterprise: undefined,
  user: { id: `UINST${i}`, token: undefined, scopes: undefined },
  bot: { token, scopes: ['commands', 'chat:write', 'users:read'], id: `BB${i}`, userId: `UB${i}` },
  appId: 'A0BENCH0001',
  tokenType: 'bot',
  isEnterpriseInstall: false,
  authVersion: 'v2',
});
const keyText = randomBytes(32).toString('hex'); // as INFOVIEW_ENCRYPTION_KEY: 64 hex digits
const cipher = new TokenCipher(parseTokenKey(keyText));
const clock = { now: () => new Date() };
const random = seededRandom(16);
const shuffled = () => {
  const list = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j] as number, list[i] as number];
  }
  return list;
};
/** Times `run` for every workspace in a random order; `check` (untimed) throws on a wrong token. */
async function timeAll<T>(run: (i: number) => Promise<T>, token: (value: T) => string | undefined) {
  const times: number[] = [];
  for (const i of shuffled()) {
    const started = performance.now();
    const value = await run(i);
    times.push(performance.now() - started);
    if (token(value) !== tokenOf(i)) throw new Error(`${teamOf(i)} got the wrong token`);
  }
  return times;
}
async function filledDatabase(path: string) {
  const db = openDatabase(path);
  await migrateToLatest(db);
  const store = new SealedInstallationStore(db, cipher, clock);
  for (let i = 0; i < n; i++) await store.storeInstallation(installation(i));
  return db;
}

/** SIGUSR2 (--heapsnapshot-signal), then waits until the app's snapshot file stops growing. */
async function heapSnapshot(app: AppProcess) {
  const dir = join(ROOT, 'bench', 'results');
  const mine = () => readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot') && f.includes(`.${app.pid}.`));
  const before = mine().length;
  process.kill(app.pid, 'SIGUSR2');
  for (let size = -1; ; await sleep(2000)) {
    const file = mine()[before];
    if (file === undefined) continue;
    const now = statSync(join(dir, file)).size;
    if (now === size) return console.log(`heap snapshot: bench/results/${file}`);
    size = now;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'infoview-oauth-'));
try {
  // 1. The installation store in process; a new store per pass, so its first pass is cold.
  const db = await filledDatabase(join(dir, 'store.sqlite'));
  const samples = new Map<string, number[]>();
  const add = (label: string, times: number[]) => samples.set(label, [...(samples.get(label) ?? []), ...times]);
  await waitQuiet(o['wait-quiet']);
  for (let round = 0; round < o.rounds; round++) {
    let store = new SealedInstallationStore(db, cipher, clock);
    const fetch = (i: number) => store.fetchInstallation(queryOf(i));
    add('fetchInstallation, cold (row + JSON.parse + GCM)', await timeAll(fetch, (inst) => inst.bot?.token));
    add('fetchInstallation, warm', await timeAll(fetch, (inst) => inst.bot?.token));
    store = new SealedInstallationStore(db, cipher, clock);
    const logger = createLogger({ level: 'warn' });
    const provider = new InstallProvider({ clientId, clientSecret, stateSecret, installationStore: store, logger });
    const authorize = (i: number) => provider.authorize(queryOf(i));
    add("Bolt's InstallProvider.authorize, cold", await timeAll(authorize, (auth) => auth.botToken));
    add("Bolt's InstallProvider.authorize, warm", await timeAll(authorize, (auth) => auth.botToken));
  }
  // Rotations and uninstalls, every workspace cached: seen at once.
  const store = new SealedInstallationStore(db, cipher, clock);
  for (let i = 0; i < n; i++) await store.botTokenForTeam(teamOf(i));
  const changed = shuffled().slice(0, 200);
  const failures: string[] = [];
  for (const [k, i] of changed.entries()) {
    if (k % 2 === 0) {
      await store.storeInstallation(installation(i, tokenOf(i, 1)));
      const seen = [(await store.fetchInstallation(queryOf(i))).bot?.token, await store.botTokenForTeam(teamOf(i))];
      if (seen.some((token) => token !== tokenOf(i, 1))) failures.push(`${teamOf(i)}: old token after rotation`);
    } else {
      await store.deleteInstallation(queryOf(i));
      const refused = await store.fetchInstallation(queryOf(i)).then(
        () => false,
        (e) => e instanceof NoInstallationError,
      );
      if (!refused || (await store.botTokenForTeam(teamOf(i))) !== undefined)
        failures.push(`${teamOf(i)}: served after uninstall`);
    }
  }
  await db.destroy();
  const storeRows = [...samples].map(([label, times]) => ({ label, ...summarize(times) }));
  console.log(`\n1. Resolving a workspace's token in process, ${n} installations (target p99 < 0.2 ms), ms:\n`);
  console.log(
    table([
      ['path', 'n', 'p50', 'p99', 'max'],
      ...storeRows.map((r) => [r.label, String(r.n), r.p50.toFixed(3), r.p99.toFixed(3), ms(r.max)]),
    ]),
  );
  const fetchMet = storeRows.filter((r) => r.label.startsWith('fetch')).every((r) => r.p99 < 0.2);
  console.log(
    `target: ${verdict(fetchMet)}; rotations and uninstalls seen at once: ${failures.length ? failures.join('; ') : 'all 200'}`,
  );

  // 2. Through the app: one bot token beside OAuth, the same commands; a prep tip due now in every OAuth workspace but
  // the first (user i in workspace i; the engine runs in `npm start`).
  const appPath = join(dir, 'oauth-app.sqlite');
  await loadInChild(appPath, { users: n, workspaces: n, reminders: 8 * n, now: new Date(), seed: 16 });
  await (await filledDatabase(appPath)).destroy();
  const raw = new SQLite(appPath);
  const due = pickReminders(raw, n - 1, new Set(), random, true);
  makeDue(raw, due, () => new Date(Date.now() - 1000), toDbInstant(new Date()));
  raw.close();
  const fake = await FakeWebApi.start();
  const single = await startProductionApp(
    { ...appEnv(fake), ...extraEnv, DATABASE_URL: join(dir, 'single.sqlite') },
    'start',
    ROOT,
    nodeFlags,
  );
  const oauth = await startProductionApp(
    {
      ...appEnv(fake),
      ...extraEnv,
      SLACK_BOT_TOKEN: '', // empty counts as unset, and keeps a token in a .env file out
      SLACK_CLIENT_ID: clientId,
      SLACK_CLIENT_SECRET: clientSecret,
      SLACK_STATE_SECRET: stateSecret,
      INFOVIEW_ENCRYPTION_KEY: keyText,
      DATABASE_URL: appPath,
    },
    'start',
    ROOT,
    nodeFlags,
  );
  const targets = [new LoadTarget('one bot token', [single]), new LoadTarget(`OAuth, ${n} installations`, [oauth])];
  const sent = new Map<LoadTarget, number>();
  let user = 0;
  // Each target's first n commands from workspace 0, 1, 2…, then from a random one (the one-token app: its own).
  const sender = (_: number, target: LoadTarget) => {
    const [k, userId] = [sent.get(target) ?? 0, `UN${++user}`];
    sent.set(target, k + 1);
    if (target === targets[0]) return { teamId: TEAM_ID, userId, token: BOT_TOKEN };
    const team = k < n ? k : Math.floor(random() * n);
    return { teamId: teamOf(team), userId, token: tokenOf(team) };
  };
  try {
    for (const target of targets) await runStep(target, o.rate, n / o.rate, { fake, sender, leadIn: 0 });
    for (let s = 0; fake.count('chat.postMessage') < due.length && s < 300; s++) await sleep(1000);
    console.log(
      `\n2. every workspace sent a command; reminders delivered: ${fake.count('chat.postMessage')} of ${due.length}`,
    );
    await waitQuiet(o['wait-quiet']);
    const gcBefore = await Promise.all([single, oauth].map((app) => gcTally(app)));
    const main = await compareTargets(targets, { fake, sender, ...o, rounds: 4 });
    const gcs = await Promise.all([single, oauth].map((app, k) => gcTally(app, gcBefore[k])));
    const gcText = (t?: number[]) =>
      GC_KINDS.map((k, i) => `${k} ${t?.slice(3 * i, 3 * i + 3).join(' / ')}`).join(', ');
    console.log(`GCs while measured (all / > 1 ms / > 10 ms): one token ${gcText(gcs[0])}; OAuth ${gcText(gcs[1])}`);
    const [a, b] = [...main.values()] as [StepResult, StepResult];
    const [one, many, ratio] = [single.memoryMB(), oauth.memoryMB(), b.open.p99 / a.open.p99];
    const parts = { one: await memoryParts(single), many: await memoryParts(oauth) };
    console.log(`\n/infoview schedule at ${o.rate}/s, each from a new user (ms from the intended send):\n`);
    console.log(table([STEP_HEADER, stepRow(a), stepRow(b)]));
    console.log(
      `VmRSS (VmHWM), MB: one token ${one.rss.toFixed(0)} (${one.peak.toFixed(0)}), OAuth ${many.rss.toFixed(0)} (${many.peak.toFixed(0)}); OAuth < 200 MB: ${verdict(many.rss < 200)}; views.open p99 OAuth / one token ${ratio.toFixed(2)}×, ≤ 1.1×: ${verdict(ratio <= 1.1)}`,
    );
    console.log(
      table([
        ['MB (GCs: count, s)', ...Object.keys(parts.one)],
        ...Object.entries(parts).map(([app, p]) => [
          app === 'one' ? 'one token' : 'OAuth',
          ...Object.values(p).map((v) => v.toFixed(1)),
        ]),
      ]),
    );
    writeResults('oauth', o, {
      store: storeRows,
      failures,
      main: Object.fromEntries(main),
      memory: { one, many, parts, gcs },
      ratio,
    });
    if (o['heap-snapshot']) for (const app of [single, oauth]) await heapSnapshot(app);
  } finally {
    for (const target of targets) target.agent.destroy();
    await Promise.all([single.stop(), oauth.stop()]);
    await fake.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
