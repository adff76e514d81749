import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../src/config.js';
import { claimDueReminders } from '../src/db/repositories/reminders/reminders-repository.js';
import type { ReminderSender } from '../src/domain/ports.js';
import { pruneExpiredRows } from '../src/domain/retention/retention-service.js';
import { drainDueReminders } from '../src/engine/index.js';
import { createInfoview, type InfoviewOverrides } from '../src/infoview.js';
import { createLogger } from '../src/lib/logger.js';
import { toDbInstant } from '../src/lib/zoned-time.js';
import { startProductionApp } from './harness/children.js';
import { explainSqlite, loadInChild, makeDue, pickReminders, seededRandom } from './harness/data.js';
import { otherCoresDuring, waitQuiet } from './harness/machine.js';
import { readOptions, writeResults } from './harness/options.js';
import { RateLimitedFakeSlack } from './harness/rate-limited-fake-slack.js';
import { summarize, table } from './harness/stats.js';

// `npm run bench:reminders` (bench/README.md). Phases 2–3: the engine `createInfoview` builds, through
// `drainDueReminders` (what its trigger runs), on a fixed clock; 4–6: the production process against a fake Slack
// enforcing Slack's limits.

const o = readOptions('npm run bench:reminders -- [options]', {
  users: [100_000, 'users'],
  reminders: [1_000_000, 'pending reminders loaded'],
  'empty-ticks': [10_000, 'measured empty trigger runs, in 5 rounds'],
  'db-due': [20_000, 'reminders made due for the database cost'],
  deliver: [10_000, 'reminders delivered by the production process'],
  'lag-count': [300, 'reminders in the fire-lag run'],
  'lag-window': [60, "seconds the fire-lag run's due times are spread over"],
  'stall-count': [1000, 'reminders due in the stalled-workspace run'],
  'stall-seconds': [60, "how long one workspace's posts get no answer"],
  app: ['engine', 'the process that delivers: engine (`npm run start:engine`) or all (`npm start`)'],
  'wait-quiet': [30, 'before phases 2 and 3, wait up to N s for other processes to use < 0.5 cores'],
  'history-months': [0, 'months of past meetings of --history-users people (2 a month, sent and skipped reminders)'],
  'history-users': [10_000, 'people with a history'],
  prune: [false, 'before phase 2, retention passes as the housekeeping lease holder runs them, until none is left'],
});
const LIMITS = { channelPerSecond: 1, channelBurst: 2, workspacePerMinute: 300, workspaceBurst: 10 };
const PER_WORKSPACE_PER_MINUTE = 240; // the engine's own pace, under Slack's limit
const dir = mkdtempSync(join(tmpdir(), 'infoview-reminders-'));
const path = join(dir, 'infoview.sqlite');
const random = seededRandom(2);
const used = new Set<number>();
const results: Record<string, unknown> = {};

// 1. The database: the app's migrations, then the shared generator's rows (loadInChild).
const now = new Date();
const nowIso = toDbInstant(now);
const history = { historyMonths: o['history-months'], historyUsers: o['history-users'], workspaces: 20, seed: 1 };
const load = await loadInChild(path, { users: o.users, reminders: o.reminders, now, ...history });
console.log(`1. ${load.reminders} pending reminders of ${load.users} users, ${load.history} of history, loaded`);
const raw = new SQLite(path, { timeout: 5000 });
const fake = await RateLimitedFakeSlack.start(LIMITS);
const env = { DATABASE_URL: path, SLACK_API_URL: fake.apiUrl, SLACK_BOT_TOKEN: 'xoxb-b', SLACK_SIGNING_SECRET: 'b' };
const engineOf = (overrides: InfoviewOverrides = {}) =>
  createInfoview(loadConfig(env), {
    clock: { now: () => now },
    logger: createLogger({ level: 'warn' }),
    trigger: false,
    ...overrides,
  });

// 1b. Retention passes until none is left (each timed); then the reminder table's rows and bytes (dbstat).
let infoview = await engineOf();
const passes: number[] = [];
for (let more = o.prune, at = 0; more; passes.push(performance.now() - at)) {
  at = performance.now();
  more = (await pruneExpiredRows(infoview.engine.db, now, 'bench', infoview.engine.logger)).more;
}
const size = raw
  .prepare(
    "select count(*) as n, (select sum(pgsize) from dbstat where name like '%reminders%') as bytes from reminders",
  )
  .get() as { n: number; bytes: number };
results.history = { ...history, passes: summarize(passes), ...size };
console.log(`1b. ${passes.length} passes (${JSON.stringify(summarize(passes))} ms); ${size.n} rows, ${size.bytes} B`);

// 2. Empty tick: the trigger's run with nothing due, and the claim's query plan.
for (let i = 0; i < 200; i++) await drainDueReminders(infoview.engine);
await waitQuiet(o['wait-quiet'], 0.5);
const emptySamples: number[] = [];
const { otherCores } = await otherCoresDuring(async () => {
  for (let i = 0; i < o['empty-ticks']; i++) {
    const started = performance.now();
    await drainDueReminders(infoview.engine);
    emptySamples.push(performance.now() - started);
  }
});
await infoview.stop();
const empty = summarize(emptySamples);
const plan = await explainSqlite(path, (db) => claimDueReminders(db, nowIso, nowIso, 200));
const fullScans = plan.filter((line) => /^SCAN /.test(line));
console.log(
  `2. empty tick p50 ${empty.p50.toFixed(3)} ms, p99 ${empty.p99.toFixed(3)} ms; others ${otherCores.toFixed(2)} cores`,
);
console.log(plan.map((line) => `   ${line}`).join('\n'));
results.emptyTick = { ...empty, otherCores, plan };

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
const cost = await otherCoresDuring(async () => {
  const started = performance.now();
  for (let report = await drainDueReminders(infoview.engine); report.claimed > 0; ) {
    sent += report.sent;
    report = await drainDueReminders(infoview.engine);
  }
  return performance.now() - started;
});
await infoview.stop();
const perDelivered = cost.result / Math.max(1, sent);
console.log(
  `3. ${sent} sent: ${perDelivered.toFixed(3)} ms per delivered reminder; others ${cost.otherCores.toFixed(2)} cores`,
);
results.dbCost = { sent, perDelivered, otherCores: cost.otherCores };

// 4–6 run the production process against the rate-limited fake.
const script = o.app === 'all' ? 'start' : 'start:engine';
/**
 * Makes `count` reminders due `dueIn(i)` ms from now (the busiest workspace's posts unanswered for `stall` s), runs
 * the production process until every one is posted (or `waitMs`, plus 3 s per post of the busiest) and its row says
 * sent; counts the posts.
 */
async function deliver(count: number, dueIn: (i: number) => number, waitMs: number, onePerUser = false, stall = 0) {
  fake.reset();
  const picked = pickReminders(raw, count, used, random, onePerUser);
  const perTeam = new Map<string, number>();
  for (const r of picked) perTeam.set(r.teamId, (perTeam.get(r.teamId) ?? 0) + 1);
  const busiest = [...perTeam].sort((a, b) => b[1] - a[1])[0] as [string, number];
  const due = new Map(picked.map((r, i) => [r.id, Date.now() + dueIn(i)]));
  makeDue(raw, picked, (i) => new Date(due.get(picked[i]?.id as number) as number), nowIso);
  if (stall > 0) fake.hangTeam(busiest[0], Date.now() + stall * 1000);
  const app = await startProductionApp(env, script);
  const atStart = app.memoryMB().rss;
  let peak = atStart;
  const sampler = setInterval(() => (peak = Math.max(peak, app.memoryMB().rss)), 200);
  const started = Date.now();
  while (Date.now() < started + waitMs + busiest[1] * 3000 && new Set(fake.posts.map((p) => p.reminderId)).size < count)
    await sleep(500);
  const sent = raw.prepare(`select count(*) as n from reminders where state = 'sent' and id in (${[...due.keys()]})`);
  for (const end = Date.now() + 15_000; (sent.get() as { n: number }).n < count && Date.now() < end; ) await sleep(500);
  clearInterval(sampler);
  const memory = {
    rssAtStartMB: atStart,
    peakRssMB: Math.max(peak, app.memoryMB().peak),
    cpuSeconds: app.cpuSeconds(),
  };
  const code = await app.stop();
  if (code !== 0) throw new Error(`the app exited with code ${code}:\n${app.output}`);
  const byId = new Map<number, number>();
  for (const post of fake.posts) byId.set(post.reminderId, (byId.get(post.reminderId) ?? 0) + 1);
  const tally = {
    lost: [...due.keys()].filter((id) => !byId.has(id)).length,
    doubled: [...byId].filter(([, n]) => n > 1).length,
    strays: [...byId.keys()].filter((id) => !due.has(id)).length,
    limited: fake.rateLimited.length,
  };
  return { started, due, perTeam, busiest, tally, memory, clean: tally.lost + tally.doubled + tally.strays === 0 };
}

// 4. Delivery of N due reminders.
const d = await deliver(o.deliver, () => 0, 60_000);
const bound = (d.busiest[1] / PER_WORKSPACE_PER_MINUTE) * 60;
const seconds = ((fake.posts.at(-1)?.at ?? Date.now()) - d.started) / 1000;
console.log(
  `4. ${o.deliver} delivered in ${seconds.toFixed(1)} s (bound ${bound.toFixed(1)} s); ${JSON.stringify(d.tally)}`,
);
results.delivery = { ...d.tally, seconds, boundSeconds: bound, ...d.memory };

// 5. Fire lag when not rate-bound: due times staggered over the window (after the process is up), one a user.
const window = o['lag-window'] * 1000;
const l = await deliver(o['lag-count'], (i) => 10_000 + (i * window) / o['lag-count'], window + 55_000, true);
const lag = summarize(
  fake.posts.filter((p) => l.due.has(p.reminderId)).map((p) => p.at - (l.due.get(p.reminderId) ?? 0)),
);
console.log(
  `5. fire lag p50 ${(lag.p50 / 1000).toFixed(2)} s, p99 ${(lag.p99 / 1000).toFixed(2)} s; ${JSON.stringify(l.tally)}`,
);
results.fireLag = { ...lag, ...l.tally };

// 6. A stalled workspace: every post of the busiest gets no answer for a while; the others keep their own pace.
const st = await deliver(o['stall-count'], () => 0, o['stall-seconds'] * 1000 + 600_000, false, o['stall-seconds']);
const lastPost = (team: string) => Math.max(...fake.posts.filter((p) => p.team === team).map((p) => p.at));
const worst = Math.max(
  ...[...st.perTeam]
    .filter(([team]) => team !== st.busiest[0])
    .map(([team, count]) => lastPost(team) - st.started - ((count - 1) * 60_000) / PER_WORKSPACE_PER_MINUTE),
);
console.log(
  `6. stalled ${st.busiest[0]} (${fake.hung} posts unanswered): others at most ${(worst / 1000).toFixed(2)} s late`,
);
results.stalled = { team: st.busiest[0], unanswered: fake.hung, worstOtherDelayMs: worst, ...st.tally };

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const scans = fullScans.length ? ` ${fullScans}` : ' (index only)';
const rows: [string, string, string, boolean][] = [
  ['empty tick p99', '< 2 ms', `${empty.p99.toFixed(3)} ms${scans}`, empty.p99 < 2 && !fullScans.length],
  ['database cost per delivered reminder', '< 0.5 ms', `${perDelivered.toFixed(3)} ms`, perDelivered < 0.5],
  [
    `lost / doubled / 429s`,
    '0 / 0 / 0',
    `${d.tally.lost} / ${d.tally.doubled} / ${d.tally.limited}`,
    d.clean && !d.tally.limited,
  ],
  [
    `${o.deliver} delivered, against Slack's bound`,
    '≤ 1.1×',
    `${seconds.toFixed(1)} s (${(seconds / bound).toFixed(2)}×)`,
    seconds <= bound * 1.1,
  ],
  [`peak RSS of ${script}`, '< 150 MB', `${d.memory.peakRssMB.toFixed(0)} MB`, d.memory.peakRssMB < 150],
  ['others delayed by a stalled workspace', '< 2 s', s(worst), worst < 2000 && st.clean],
  ['fire lag p99, not rate-bound', '< 12 s', s(lag.p99), lag.p99 < 12_000 && l.clean],
];
const verdicts = rows.map(([a, b, c, met]) => [a, b, c, met ? 'yes' : 'NO']);
console.log(`\n${table([['target', 'limit', 'measured', 'met'], ...verdicts])}`);
raw.close();
await fake.stop();
writeResults('reminders', o, results);
rmSync(dir, { recursive: true, force: true });
