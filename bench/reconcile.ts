import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/database.js';
import { workspaceUninstalled } from '../src/domain/installs/workspaces-service.js';
import { reconcileMeetings } from '../src/domain/reminders/reconciler.js';
import { createLogger } from '../src/lib/logger.js';
import { TEAM_ID } from '../test/support/payloads.js';
import { startProductionApp } from './harness/children.js';
import { loadInChild, seededRandom, teamId } from './harness/data.js';
import { FakeWebApi } from './harness/fake-web-api.js';
import { appEnv, BOT_TOKEN, LoadTarget, runStep } from './harness/open-loop.js';
import { readOptions, writeResults } from './harness/options.js';
import { type Summary, summarize, summaryCells, table } from './harness/stats.js';

// `npm run bench:reconcile` (bench/README.md): A. one meeting reconciled with 1,000,000 reminder rows (p99 < 1 ms);
// B. a reinstall's re-plan of 10,000 meetings while `/infoview schedule` arrives (ack p99 < 50 ms).

const o = readOptions('npm run bench:reconcile -- [options]', {
  reminders: [1_000_000, 'A: reminder rows in the table'],
  meetings: [10_000, 'B: meetings of the reinstalled workspace'],
  rate: [50, 'B: /infoview schedule commands a second'],
  a: [true, 'part A (--no-a: part B only)'],
});
const dir = mkdtempSync(join(tmpdir(), 'infoview-reconcile-'));

async function freshDatabase(
  name: string,
  spec: { users: number; reminders: number; workspaces: number; seed: number },
) {
  const path = join(dir, name);
  const now = new Date();
  return { path, now, load: await loadInChild(path, { ...spec, now }) };
}

/** A: one meeting reconciled in the change's transaction (as the app calls it), its facts unchanged or moved 30 min. */
async function reconcileOne() {
  const { path, now, load } = await freshDatabase('a.sqlite', {
    users: Math.ceil(o.reminders / 10),
    reminders: o.reminders,
    workspaces: 20,
    seed: 10,
  });
  console.log(`A: ${load.reminders} reminders of ${load.meetings} meetings loaded in ${load.seconds.toFixed(0)} s`);
  const db = openDatabase(path);
  const random = seededRandom(11);
  const unchanged: number[] = [];
  const moved: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const id = 1 + Math.floor(random() * load.meetings);
    const measured = i >= 500;
    await db.transaction().execute(async (trx) => {
      const started = performance.now();
      await reconcileMeetings(trx, [id], now);
      if (measured) unchanged.push(performance.now() - started);
    });
    const row = await db
      .selectFrom('meetings')
      .select(['starts_at', 'duration_minutes'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const startsAt = Date.parse(row.starts_at) + 30 * 60_000;
    const began = performance.now();
    await db.transaction().execute(async (trx) => {
      const [starts_at, ends_at] = [startsAt, startsAt + row.duration_minutes * 60_000].map((t) =>
        new Date(t).toISOString(),
      );
      await trx.updateTable('meetings').set({ starts_at, ends_at }).where('id', '=', id).execute();
      const started = performance.now();
      await reconcileMeetings(trx, [id], now);
      if (measured) moved.push(performance.now() - started);
    });
    if (measured) whole.push(performance.now() - began);
  }
  await db.destroy();
  return { unchanged: summarize(unchanged), moved: summarize(moved), movedWithCommit: summarize(whole) };
}

/** B: the app (as `npm start` runs it) re-plans a reinstalled workspace while serving its commands. */
async function reinstallUnderLoad() {
  const spec = { users: Math.ceil(o.meetings / 5), reminders: o.meetings * 6, workspaces: 1, seed: 12 };
  const { path, now, load } = await freshDatabase('b.sqlite', spec);
  // The app serves only the workspace its token belongs to (the fake's auth.test says TEAM_ID): the data is that one's.
  const setup = openDatabase(path);
  for (const name of ['meetings', 'contacts', 'reminders', 'slack_users'] as const)
    await setup.updateTable(name).set({ team_id: TEAM_ID }).where('team_id', '=', teamId(0)).execute();
  await workspaceUninstalled(setup, TEAM_ID, now, 30, createLogger({ level: 'error' }));
  await setup.destroy();
  console.log(`B: ${load.meetings} meetings (${load.reminders} reminders) of an uninstalled workspace, all cancelled`);
  const fake = await FakeWebApi.start();
  const app = await startProductionApp({ ...appEnv(fake), DATABASE_URL: path });
  const target = new LoadTarget('infoview', [app]);
  const sender = (i: number) => ({ teamId: TEAM_ID, userId: `UB${i % 200}`, token: BOT_TOKEN });
  const db = openDatabase(path);
  try {
    // The first command is the workspace using the app again: the re-plan starts after its ack, while the commands
    // go on at the same rate. The app is cold then (no warm-up: any request would start the re-plan).
    const started = performance.now();
    const during = runStep(target, o.rate, 10, { fake, sender });
    while (
      (await db.selectFrom('reminder_replans').select('team_id').execute()).length > 0 ||
      performance.now() - started < 1000
    )
      await new Promise((resolve) => setTimeout(resolve, 20));
    const replanSeconds = (performance.now() - started) / 1000;
    const result = await during;
    const baseline = await runStep(target, o.rate, 10, { fake, sender });
    return { replanSeconds, baseline, during: result };
  } finally {
    await db.destroy();
    target.agent.destroy();
    await app.stop();
    await fake.stop();
  }
}

const row = (name: string, s: Summary, ...rest: string[]) => [name, ...summaryCells(s), ...rest];
try {
  const a = o.a ? await reconcileOne() : null;
  if (a) {
    console.log(`\nA. reconcileMeetings for one meeting, ${o.reminders} reminder rows (target p99 < 1 ms), ms:`);
    console.log(
      table([
        ['facts', 'n', 'p50', 'p95', 'p99', 'max'],
        row('unchanged', a.unchanged),
        row('moved 30 min', a.moved),
        row('moved: whole change + commit', a.movedWithCommit),
      ]),
    );
  }
  const b = await reinstallUnderLoad();
  console.log(
    `\nB. re-plan took ${b.replanSeconds.toFixed(2)} s; /infoview schedule at ${o.rate}/s meanwhile, ack (target p99 < 50 ms), ms:`,
  );
  console.log(
    table([
      ['while', 'n', 'p50', 'p95', 'p99', 'max', 'errors'],
      row('re-plan running', b.during.ack, String(b.during.errors)),
      row('no re-plan', b.baseline.ack, String(b.baseline.errors)),
    ]),
  );
  const { samples: _d, ...during } = b.during;
  const { samples: _b, ...baseline } = b.baseline;
  writeResults('reconcile', o, { a, b: { replanSeconds: b.replanSeconds, during, baseline } });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
