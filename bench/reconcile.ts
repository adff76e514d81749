import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { reconcileMeetings } from '../src/domain/reminders/reconciler.js';
import { workspaceUninstalled } from '../src/domain/installs/workspaces-service.js';
import { createLogger } from '../src/lib/logger.js';
import { startProductionApp } from './harness/children.js';
import { FakeWebApi } from './harness/fake-web-api.js';
import { ROOT } from './harness/machine.js';
import { keepAliveAgent, runStep, type StepResult } from './harness/open-loop.js';
import { loadInChild, seededRandom, teamId } from './harness/data.js';
import { readOptions, writeResults } from './harness/options.js';
import { ms, summarize, type Summary, table } from './harness/stats.js';

/*
 * npm run bench:reconcile — the reconciler's two speed targets (issue 10):
 *  A. reconciling one meeting with 1,000,000 reminder rows in the table: < 1 ms p99, for a meeting whose facts did
 *     not change (every save of an unrelated field) and one that moved (six new deliveries written);
 *  B. a reinstall re-plans a workspace of 10,000 meetings while /infoview schedule commands of its users arrive at a
 *     steady rate: their ack stays under 50 ms p99 (against the same app with no re-plan running).
 */

const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
const BOT_TOKEN = 'xoxb-bench-reconcile';
const log = (line: string) => console.log(line);
const o = readOptions('npm run bench:reconcile -- [options]', {
  reminders: [1_000_000, 'A: reminder rows in the table'],
  meetings: [10_000, 'B: meetings of the reinstalled workspace'],
  rate: [50, 'B: /infoview schedule commands a second'],
  a: [true, 'part A (--no-a: part B only)'],
});

async function freshDatabase(path: string): Promise<void> {
  const db = openDatabase(path);
  await migrateToLatest(db);
  await db.destroy();
}

/** A: one meeting reconciled, its facts unchanged or moved by 30 minutes, with the whole table loaded. */
async function reconcileOne(dir: string, reminders: number) {
  const path = join(dir, 'reconcile.sqlite');
  await freshDatabase(path);
  const now = new Date();
  const load = await loadInChild(path, { users: Math.ceil(reminders / 10), reminders, workspaces: 20, now, seed: 10 });
  log(`A: loaded ${load.reminders} reminders of ${load.meetings} meetings in ${load.seconds.toFixed(1)} s`);
  const db = openDatabase(path);
  const random = seededRandom(11);
  const pick = () => 1 + Math.floor(random() * load.meetings);
  // As the app does it: inside the transaction of the change (reconcileMeetings joins it); its commit is timed too.
  const unchanged: number[] = [];
  const moved: number[] = [];
  const movedWithCommit: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const id = pick();
    const measured = i >= 500;
    await db.transaction().execute(async (trx) => {
      const started = performance.now();
      await reconcileMeetings(trx, [id], now);
      if (measured) unchanged.push(performance.now() - started);
    });
    // The meeting moves half an hour: six new deliveries.
    const row = await db
      .selectFrom('meetings')
      .select(['starts_at', 'duration_minutes'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const startsAt = new Date(Date.parse(row.starts_at) + 30 * 60_000);
    const began = performance.now();
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('meetings')
        .set({
          starts_at: startsAt.toISOString(),
          ends_at: new Date(startsAt.getTime() + row.duration_minutes * 60_000).toISOString(),
        })
        .where('id', '=', id)
        .execute();
      const started = performance.now();
      await reconcileMeetings(trx, [id], now);
      if (measured) moved.push(performance.now() - started);
    });
    if (measured) movedWithCommit.push(performance.now() - began);
  }
  const rows = await db
    .selectFrom('reminders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await db.destroy();
  return {
    load,
    rowsAfter: rows.n,
    unchanged: summarize(unchanged),
    moved: summarize(moved),
    movedWithCommit: summarize(movedWithCommit),
  };
}

/** B: the app (as `npm start` runs it) re-plans a reinstalled workspace of `meetings` meetings while serving commands. */
async function reinstallUnderLoad(dir: string, meetings: number, rate: number) {
  const path = join(dir, 'reinstall.sqlite');
  await freshDatabase(path);
  const now = new Date();
  const load = await loadInChild(path, {
    users: Math.ceil(meetings / 5),
    reminders: meetings * 6,
    workspaces: 1,
    now,
    seed: 12,
  });
  // The app serves only the workspace its token belongs to (the fake's auth.test says T0001): the data is that one's.
  const team = 'T0001';
  {
    const db = openDatabase(path);
    for (const table of ['meetings', 'contacts', 'reminders', 'slack_users'] as const) {
      await db.updateTable(table).set({ team_id: team }).where('team_id', '=', teamId(0)).execute();
    }
    await workspaceUninstalled(db, team, now, 30, createLogger({ level: 'error' }));
    await db.destroy();
  }
  log(
    `B: ${load.meetings} meetings (${load.reminders} reminders) in workspace ${team}, uninstalled: every reminder cancelled`,
  );

  const fake = await FakeWebApi.start();
  const app = await startProductionApp({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: path,
  });
  const port = app.spec.port;
  const target = {
    name: 'infoview',
    port,
    path: '/slack/events',
    agent: keepAliveAgent(),
    cpuSeconds: () => app.cpuSeconds(),
    opensView: true,
  };
  const step = (seconds: number) =>
    runStep(target, {
      fake,
      signingSecret: SIGNING_SECRET,
      token: BOT_TOKEN,
      rate,
      seconds,
      leadInSeconds: 0.5,
      text: 'schedule',
      users: 200,
      benchCpuSeconds: () => app.cpuSeconds(),
    });
  const db = openDatabase(path);
  const replanLeft = async () => (await db.selectFrom('reminder_replans').select('team_id').execute()).length;
  try {
    // The first command (of the lead-in) is the workspace using the app again: the re-plan starts after its ack, and
    // the commands go on at the same rate while it runs. The app is cold then (no warm-up: any request would start it).
    const started = performance.now();
    const during = step(10);
    let replanSeconds = Number.NaN;
    while ((await replanLeft()) > 0 || performance.now() - started < 1000)
      await new Promise((resolve) => setTimeout(resolve, 20));
    replanSeconds = (performance.now() - started) / 1000;
    const result = (await during).result;
    // Then the baseline: the same commands, warm, with no re-plan running.
    const baseline = (await step(10)).result;
    const pending = await db
      .selectFrom('reminders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('team_id', '=', team)
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    return { load, replanSeconds, pendingAfter: pending.n, baseline, during: result };
  } finally {
    await db.destroy();
    target.agent.destroy();
    await app.stop();
    await fake.stop();
  }
}

const row = (name: string, s: Summary) => [name, String(s.n), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max)];

async function main() {
  const { reminders, rate } = o;
  const dir = mkdtempSync(join(tmpdir(), 'infoview-reconcile-'));
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  log(`machine: ${machine}`);
  try {
    const a = !o.a ? null : await reconcileOne(dir, reminders);
    if (a)
      log(
        `\nA. reconcileMeetings for one meeting in the change's transaction, ${a.load.reminders} reminder rows (target p99 < 1 ms), ms:`,
      );
    if (a)
      log(
        table([
          ['facts', 'n', 'p50', 'p95', 'p99', 'max'],
          row('unchanged', a.unchanged),
          row('moved 30 min', a.moved),
          row('moved: whole change + commit', a.movedWithCommit),
        ]),
      );

    const b = await reinstallUnderLoad(dir, o.meetings, rate);
    log(
      `\nB. reinstall re-plan of ${b.load.meetings} meetings took ${b.replanSeconds.toFixed(2)} s (${b.pendingAfter} reminders pending again);`,
    );
    log(`   /infoview schedule at ${rate}/s meanwhile, ack from intended send (target p99 < 50 ms), ms:`);
    const ack = (name: string, r: StepResult) => [...row(name, r.ack), String(r.errors)];
    log(
      table([
        ['while', 'n', 'p50', 'p95', 'p99', 'max', 'errors'],
        ack('no re-plan', b.baseline),
        ack('re-plan running', b.during),
      ]),
    );
    log(`
results: ${writeResults('reconcile', o, { machine, a, b })}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
