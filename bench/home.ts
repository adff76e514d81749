import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { HomeView } from '@slack/types';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { publishHome } from '../src/slack/home-publisher.js';
import { assertWithinBlockKitLimits } from '../test/support/block-kit-limits.js';
import { homeOpenedEvent } from '../test/support/payloads.js';
import { postSigned } from '../test/support/signing.js';
import { startProductionApp } from './harness/children.js';
import { loadInChild, teamId, userId } from './harness/data.js';
import { FakeWebApi } from './harness/fake-web-api.js';
import { waitQuiet } from './harness/machine.js';
import { BOT_TOKEN, SIGNING_SECRET } from './harness/open-loop.js';
import { readOptions, writeResults } from './harness/options.js';
import { ms, type Summary, summarize, table } from './harness/stats.js';

/*
 * `npm run bench:home`: the Home tab of a heavy user (2,000 contacts, 500 meetings from a year ago to two months
 * ahead, their open items) among 10,000 other users (bench/README.md). Signed `app_home_opened` events go to
 * `node dist/main.js`, each timed until its `views.publish` reaches the fake (the target, p95 < 20 ms); `publishHome`
 * alone, on the database as the app opens it, is timed as a diagnosis, and every view it builds must pass Block Kit's
 * limits.
 */

const o = readOptions('npm run bench:home -- [options]', {
  users: [10_000, 'other users'],
  'heavy-contacts': [2_000, 'contacts of the heavy user'],
  'heavy-meetings': [500, 'meetings of the heavy user'],
  events: [300, 'measured app_home_opened events through the app (after 50 unmeasured)'],
  publishes: [1_000, 'measured publishHome calls in process (after 100 unmeasured)'],
  'wait-quiet': [20, 'wait up to N s for other processes to use ≤ 0.3 cores'],
});
const TARGET_P95_MS = 20;
const heavy = { teamId: teamId(0), userId: userId(0) };
const dir = mkdtempSync(join(tmpdir(), 'infoview-home-'));
const path = join(dir, 'home.sqlite');
// The data is made relative to the real clock, which the app started on it uses too.
const now = new Date();

try {
  const migrating = openDatabase(path);
  await migrateToLatest(migrating);
  await migrating.destroy();
  const load = await loadInChild(path, {
    users: o.users + 1,
    workspaces: 4,
    contacts: o.users * 15,
    meetingShare: 0.1,
    heavyContacts: o['heavy-contacts'],
    heavyMeetings: o['heavy-meetings'],
    now,
    seed: 30,
  });
  console.log(
    `${load.contacts} contacts, ${load.meetings} meetings, ${load.reminders} reminders in ${load.seconds.toFixed(0)} s`,
  );

  // In process: publishHome as the app runs it, on the database as the app opens it, up to views.publish.
  const db = openDatabase(path);
  const views: HomeView[] = [];
  let blocks = 0;
  const client = { views: { publish: async (args: { view: HomeView }) => ({ ok: views.push(args.view) > 0 }) } };
  const deps = { db, clock: { now: () => new Date() } };
  const publish = async () => {
    const started = performance.now();
    await publishHome(client as never, deps, heavy);
    const took = performance.now() - started;
    const view = views.pop();
    if (!view) throw new Error('publishHome did not call views.publish');
    assertWithinBlockKitLimits('home', view);
    blocks = view.blocks.length;
    return took;
  };
  const firstPublish = await publish();
  for (let i = 0; i < 100; i++) await publish();
  await waitQuiet(o['wait-quiet'], 0.3);
  const alone: number[] = [];
  for (let i = 0; i < o.publishes; i++) alone.push(await publish());
  await db.destroy();

  // Through the app: a signed app_home_opened, timed from the request to views.publish arriving at the fake.
  const fake = await FakeWebApi.start('America/New_York', heavy.teamId);
  const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl };
  const app = await startProductionApp({ ...env, DATABASE_URL: path });
  let published: (at: number) => void = () => undefined;
  fake.onPublish = (user, at) => user === heavy.userId && published(at);
  const event = JSON.stringify(homeOpenedEvent(heavy.userId, heavy.teamId));
  const open = async () => {
    const arrived = new Promise<number>((resolve) => (published = resolve));
    const started = performance.now();
    const response = await postSigned(`${app.url}/slack/events`, SIGNING_SECRET, event, {
      contentType: 'application/json',
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`app_home_opened: ${response.status}`);
    return (await arrived) - started;
  };
  const through: number[] = [];
  let firstEvent = Number.NaN;
  try {
    firstEvent = await open();
    for (let i = 0; i < 50; i++) await open();
    await waitQuiet(o['wait-quiet'], 0.3);
    for (let i = 0; i < o.events; i++) through.push(await open());
  } finally {
    await app.stop();
    await fake.stop();
  }

  const rows: [string, number, Summary][] = [
    [`through the app: app_home_opened → views.publish at the fake`, firstEvent, summarize(through)],
    ['publishHome alone, as the app opens the database', firstPublish, summarize(alone)],
  ];
  console.log(`\nHome of the heavy user (${blocks} blocks, every view within Block Kit's limits), ms:\n`);
  console.log(
    table([
      ['path', 'n', 'first', 'p50', 'p95', 'p99', 'max'],
      ...rows.map(([name, first, s]) => [name, String(s.n), ...[first, s.p50, s.p95, s.p99, s.max].map(ms)]),
    ]),
  );
  const p95 = (rows[0] as [string, number, Summary])[2].p95;
  console.log(`\ntarget p95 < ${TARGET_P95_MS} ms through the app: ${p95 < TARGET_P95_MS ? 'met' : 'MISSED'}`);
  writeResults('home', o, { load, blocks, rows: rows.map(([path, first, summary]) => ({ path, first, ...summary })) });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
