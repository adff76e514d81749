import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { claimDueReminders } from '../src/db/repositories/reminders-repository.js';
import type { Database } from '../src/db/schema.js';
import type { ReminderSender } from '../src/domain/ports.js';
import { drainDueReminders } from '../src/engine/index.js';
import { createInfoview, type InfoviewOverrides } from '../src/infoview.js';
import { createLogger } from '../src/lib/logger.js';
import { toDbInstant } from '../src/lib/zoned-time.js';
import { startProductionApp } from './harness/children.js';
import { loadInChild, makeDue, pickReminders, seededRandom } from './harness/data.js';
import { otherCoresDuring, waitQuiet } from './harness/machine.js';
import { readOptions, writeResults } from './harness/options.js';
import { type PostRecord, RateLimitedFakeSlack } from './harness/rate-limited-fake-slack.js';
import { summarize, table } from './harness/stats.js';

// `npm run bench:reminders` (bench/README.md). Phases 2–3: the engine `createInfoview` builds, through `drainDueReminders` (what the trigger runs)
// (its trigger's run), on a fixed clock; 4–6: the production process against a fake Slack enforcing Slack's limits.

const o = readOptions('npm run bench:reminders -- [options]', {
  users: [100_000, 'users'],
  reminders: [1_000_000, 'pending reminders loaded'],
  workspaces: [20, 'workspaces the users are spread over'],
  'empty-ticks': [10_000, 'measured empty trigger runs, in 5 rounds'],
  'db-due': [20_000, 'reminders made due for the database cost'],
  deliver: [10_000, 'reminders delivered by the production process'],
  'lag-count': [300, 'reminders in the fire-lag run'],
  'lag-window': [60, "seconds the fire-lag run's due times are spread over"],
  'stall-count': [1000, 'reminders due in the stalled-workspace run'],
  'stall-seconds': [60, "how long one workspace's posts get no answer"],
  app: ['engine', 'the process that delivers: engine (`npm run start:engine`) or all (`npm start`)'],
  seed: [1, 'data seed'],
  'wait-quiet': [30, 'before phases 2 and 3, wait up to N s for other processes to use < 0.5 cores'],
  'keep-db': [false, 'keep the database file'],
});
const MB = 1024 * 1024;
const LIMITS = { channelPerSecond: 1, channelBurst: 2, workspacePerMinute: 300, workspaceBurst: 10 };
const PER_WORKSPACE_PER_MINUTE = 240; // the engine's own pace, under Slack's limit
const dir = mkdtempSync(join(tmpdir(), 'infoview-reminders-'));
const path = join(dir, 'infoview.sqlite');
const random = seededRandom(o.seed + 1);
const used = new Set<number>();
const results: Record<string, unknown> = {};

// 1. The database, by the app's migrations, then the shared generator's rows.
const migrating = openDatabase(path);
await migrateToLatest(migrating);
await migrating.destroy();
const now = new Date();
const nowIso = toDbInstant(now);
const { users, reminders, workspaces, seed } = o;
const load = await loadInChild(path, { users, reminders, workspaces, now, seed });
console.log(
  `1. ${load.reminders} pending reminders of ${load.users} users, ${(statSync(path).size / MB).toFixed(0)} MB in ${load.seconds.toFixed(0)} s`,
);
const raw = new SQLite(path, { timeout: 5000 });
const fake = await RateLimitedFakeSlack.start(LIMITS);
const env = { DATABASE_URL: path, SLACK_API_URL: fake.apiUrl, SLACK_BOT_TOKEN: 'xoxb-b', SLACK_SIGNING_SECRET: 'b' };
const config = loadConfig(env);
const engineOf = (overrides: InfoviewOverrides = {}) =>
  createInfoview(config, {
    clock: { now: () => now },
    logger: createLogger({ level: 'warn' }),
    trigger: false,
    ...overrides,
  });

// 2. Empty tick: the trigger's run with nothing due, and the claim's query plan.
let infoview = await engineOf();
for (let i = 0; i < 200; i++) await drainDueReminders(infoview.engine);
await waitQuiet(o['wait-quiet'], 0.5);
const rounds: { p99: number; otherCores: number }[] = [];
const emptySamples: number[] = [];
for (let round = 0; round < 5; round++) {
  const samples: number[] = [];
  const { otherCores } = await otherCoresDuring(async () => {
    for (let i = 0; i < o['empty-ticks'] / 5; i++) {
      const started = performance.now();
      await drainDueReminders(infoview.engine);
      samples.push(performance.now() - started);
    }
  });
  emptySamples.push(...samples);
  rounds.push({ p99: summarize(samples).p99, otherCores });
}
await infoview.stop();
const empty = summarize(emptySamples);
const plan = await claimPlan();
const fullScans = plan.filter((line) => /^\s*SCAN /.test(line));
console.log(
  `2. empty tick p50 ${empty.p50.toFixed(3)} ms, p99 ${empty.p99.toFixed(3)} ms; rounds' p99 ${rounds.map((r) => `${r.p99.toFixed(2)} (others ${r.otherCores.toFixed(2)} cores)`).join(', ')}`,
);
console.log(plan.map((line) => `   ${line}`).join('\n'));
results.emptyTick = { ...empty, rounds, plan };

// 3. Database cost per delivered reminder: the engine's runs with a sender that answers at once.
const instantSender: ReminderSender = {
  send: async (delivery, handOver) => ((await handOver()) ? { channel: 'D000', ts: `1.${delivery.reminderId}` } : null),
  postTimeoutMs: 10_000,
  findDelivered: async () => null,
};
const costPicked = pickReminders(raw, o['db-due'], used, random, false);
makeDue(raw, costPicked, () => new Date(now.getTime() - 1000 - Math.floor(random() * 60_000)), nowIso);
infoview = await engineOf({ wrapSender: () => instantSender, sleep: async () => undefined });
await waitQuiet(o['wait-quiet'], 0.5);
let sent = 0;
const cpuBefore = process.cpuUsage();
const cost = await otherCoresDuring(async () => {
  const started = performance.now();
  for (;;) {
    const report = await drainDueReminders(infoview.engine);
    if (report.claimed === 0) break;
    sent += report.sent;
  }
  return performance.now() - started;
});
const cpu = process.cpuUsage(cpuBefore);
await infoview.stop();
const perDelivered = cost.result / Math.max(1, sent);
const cpuPerDelivered = (cpu.user + cpu.system) / 1000 / Math.max(1, sent);
console.log(
  `3. ${sent} sent: ${perDelivered.toFixed(3)} ms per delivered reminder (CPU ${cpuPerDelivered.toFixed(3)}); others ${cost.otherCores.toFixed(2)} cores`,
);
results.dbCost = { sent, perDelivered, cpuPerDelivered, otherCores: cost.otherCores };

// 4–6 run the production process against the rate-limited fake.
const script = o.app === 'all' ? 'start' : 'start:engine';
const statusBytes = (pid: number, field: string) =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) *
  1024;
async function production() {
  const app = await startProductionApp(env, script);
  const rssAtStart = statusBytes(app.pid, 'VmRSS');
  const cpuAtStart = app.cpuSeconds();
  let peak = rssAtStart;
  const sampler = setInterval(() => (peak = Math.max(peak, statusBytes(app.pid, 'VmRSS'))), 200);
  return {
    async stop() {
      clearInterval(sampler);
      const peakRssMB = Math.max(peak, statusBytes(app.pid, 'VmHWM')) / MB;
      const summary = { rssAtStartMB: rssAtStart / MB, peakRssMB, cpuSeconds: app.cpuSeconds() - cpuAtStart };
      const code = await app.stop();
      if (code !== 0) throw new Error(`the app exited with code ${code}:\n${app.output}`);
      return summary;
    },
  };
}
/** Waits until every id was posted (or the deadline), then for their rows to say sent. */
async function allPosted(ids: number[], deadline: number) {
  const want = new Set(ids);
  for (let have = new Set<number>(); Date.now() < deadline && !ids.every((id) => have.has(id)); await sleep(500))
    have = new Set(fake.posts.map((p) => p.reminderId));
  const sentRows = raw.prepare(`select count(*) as n from reminders where state = 'sent' and id in (${ids.join()})`);
  const states = () => sentRows.get() as { n: number };
  for (const end = Date.now() + 15_000; states().n < ids.length && Date.now() < end; ) await sleep(500);
  const byId = new Map<number, number>();
  for (const post of fake.posts) byId.set(post.reminderId, (byId.get(post.reminderId) ?? 0) + 1);
  return {
    lost: ids.filter((id) => !byId.has(id)).length,
    doubled: [...byId].filter(([id, n]) => want.has(id) && n > 1).length,
    strays: [...byId.keys()].filter((id) => !want.has(id)).length,
    limited: fake.rateLimited.length,
  };
}
const lagOf = (posts: PostRecord[], due: Map<number, number>) =>
  summarize(posts.filter((p) => due.has(p.reminderId)).map((p) => p.at - (due.get(p.reminderId) as number)));

// 4. Delivery of N due reminders.
fake.reset();
const deliver = pickReminders(raw, o.deliver, used, random, false);
const perTeam = new Map<string, number>();
for (const r of deliver) perTeam.set(r.teamId, (perTeam.get(r.teamId) ?? 0) + 1);
const bound = (Math.max(...perTeam.values()) / PER_WORKSPACE_PER_MINUTE) * 60;
const dueAt = Date.now();
makeDue(raw, deliver, () => new Date(dueAt), nowIso);
let app = await production();
const started = Date.now();
const tally = await allPosted(
  deliver.map((r) => r.id),
  started + Math.max(120_000, bound * 3000 + 60_000),
);
const seconds = ((fake.posts.at(-1)?.at ?? Date.now()) - started) / 1000;
const memory = await app.stop();
console.log(
  `4. ${o.deliver} delivered in ${seconds.toFixed(1)} s (bound ${bound.toFixed(1)} s: ${(seconds / bound).toFixed(2)}×); lost ${tally.lost}, doubled ${tally.doubled}, strays ${tally.strays}, 429s ${tally.limited}`,
);
console.log(
  `   ${script}: RSS when ready ${memory.rssAtStartMB.toFixed(0)} MB, peak ${memory.peakRssMB.toFixed(0)} MB; CPU ${memory.cpuSeconds.toFixed(1)} s`,
);
results.delivery = { ...tally, seconds, boundSeconds: bound, ...memory };

// 5. Fire lag when not rate-bound: due times staggered over the window, one reminder a user.
fake.reset();
const lagPicked = pickReminders(raw, o['lag-count'], used, random, true);
app = await production();
const lagStart = Date.now() + 5000;
const lagDue = new Map(
  lagPicked.map((r, i) => [r.id, Math.round(lagStart + (i * o['lag-window'] * 1000) / o['lag-count'])]),
);
makeDue(raw, lagPicked, (i) => new Date(lagDue.get((lagPicked[i] as { id: number }).id) as number), nowIso);
const lagTally = await allPosted([...lagDue.keys()], lagStart + o['lag-window'] * 1000 + 45_000);
await app.stop();
const lag = lagOf(fake.posts, lagDue);
console.log(
  `5. fire lag p50 ${(lag.p50 / 1000).toFixed(2)} s, p99 ${(lag.p99 / 1000).toFixed(2)} s; lost ${lagTally.lost}, doubled ${lagTally.doubled}`,
);
results.fireLag = { ...lag, ...lagTally };

// 6. A stalled workspace: every post of the busiest gets no answer for a while; the others keep their own pace.
fake.reset();
const stall = pickReminders(raw, o['stall-count'], used, random, false);
const stallTeams = new Map<string, number>();
for (const r of stall) stallTeams.set(r.teamId, (stallTeams.get(r.teamId) ?? 0) + 1);
const stalled = [...stallTeams].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
const stallAt = Date.now();
makeDue(raw, stall, () => new Date(stallAt), nowIso);
fake.hangTeam(stalled, stallAt + o['stall-seconds'] * 1000);
app = await production();
const stallStarted = Date.now();
const stallTally = await allPosted(
  stall.map((r) => r.id),
  stallStarted + o['stall-seconds'] * 1000 + 600_000,
);
await app.stop();
const delays = [...stallTeams]
  .filter(([team]) => team !== stalled)
  .map(
    ([team, count]) =>
      Math.max(...fake.posts.filter((p) => p.team === team).map((p) => p.at)) -
      stallStarted -
      ((count - 1) * 60_000) / PER_WORKSPACE_PER_MINUTE,
  );
const worst = Math.max(...delays);
console.log(
  `6. stalled ${stalled} (${fake.hung} posts unanswered): others at most ${(worst / 1000).toFixed(2)} s late; lost ${stallTally.lost}, doubled ${stallTally.doubled}`,
);
results.stalled = { team: stalled, unanswered: fake.hung, worstOtherDelayMs: worst, ...stallTally };

const clean = (t: typeof tally) => t.lost + t.doubled + t.strays + t.limited === 0;
const s1 = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const scans = fullScans.length ? ` SCAN: ${fullScans.join('; ')}` : ' (index only)';
const rows: [string, string, string, boolean][] = [
  ['empty tick p99', '< 2 ms', `${empty.p99.toFixed(3)} ms${scans}`, empty.p99 < 2 && !fullScans.length],
  ['database cost per delivered reminder', '< 0.5 ms', `${perDelivered.toFixed(3)} ms`, perDelivered < 0.5],
  [
    `${o.deliver} delivered: lost / doubled / 429s`,
    '0 / 0 / 0',
    `${tally.lost} / ${tally.doubled} / ${tally.limited}`,
    clean(tally),
  ],
  [
    `… in, against Slack's bound ${bound.toFixed(1)} s`,
    '≤ 1.1×',
    `${seconds.toFixed(1)} s (${(seconds / bound).toFixed(2)}×)`,
    seconds <= bound * 1.1,
  ],
  [`peak RSS of ${script}`, '< 150 MB', `${memory.peakRssMB.toFixed(0)} MB`, memory.peakRssMB < 150],
  ['others delayed by a stalled workspace', '< 2 s', s1(worst), worst < 2000 && clean({ ...stallTally, limited: 0 })],
  ['fire lag p99, not rate-bound', '< 12 s', s1(lag.p99), lag.p99 < 12_000 && clean({ ...lagTally, limited: 0 })],
];
console.log(
  `\n${table([['target', 'limit', 'measured', 'met'], ...rows.map(([a, b, c, met]) => [a, b, c, met ? 'yes' : 'NO'])])}`,
);
raw.close();
await fake.stop();
console.log(`results: ${writeResults('reminders', o, results)}`);
if (o['keep-db']) console.log(`database kept: ${path}`);
else rmSync(dir, { recursive: true, force: true });

/** The claim's statements as the repository issues them on SQLite (captured from Kysely's log), explained. */
async function claimPlan(): Promise<string[]> {
  const sqlite = new SQLite(path, { timeout: 5000 });
  const captured: { sql: string; parameters: readonly unknown[] }[] = [];
  const spy = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (e) => void captured.push(e.query),
  });
  await claimDueReminders(spy, nowIso, nowIso, 200);
  const lines = captured.flatMap((q) =>
    (sqlite.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[]).map(
      (row) => row.detail,
    ),
  );
  await spy.destroy();
  return lines;
}
