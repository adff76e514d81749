import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { HomeView } from '@slack/types';
import { renderFunnelChart } from '../src/charts/funnel-chart.js';
import { type Db, openDatabase } from '../src/db/database.js';
import { replaceShares, saveCentre } from '../src/db/repositories/centre-repository.js';
import { myProgressWeeks } from '../src/domain/centre/my-progress-service.js';
import type { AskStatus } from '../src/domain/types.js';
import { toDbInstant } from '../src/lib/zoned-time.js';
import { publishHome } from '../src/slack/home-publisher.js';
import { assertWithinBlockKitLimits } from '../test/support/block-kit-limits.js';
import { homeOpenedEvent } from '../test/support/payloads.js';
import { postSigned } from '../test/support/signing.js';
import { startProductionApp } from './harness/children.js';
import { loadInChild, teamId, userId } from './harness/data.js';
import { FakeWebApi } from './harness/fake-web-api.js';
import { waitQuiet } from './harness/machine.js';
import { appEnv, SIGNING_SECRET } from './harness/open-loop.js';
import { readOptions, writeResults } from './harness/options.js';
import { ms, type Summary, summarize, table, timed, verdict } from './harness/stats.js';

// `npm run bench:home` (bench/README.md): the Home of a heavy user and an advisor's Home, through the app and as
// `publishHome` alone, every view within Block Kit's limits; then the funnel chart.

const o = readOptions('npm run bench:home -- [options]', {
  users: [10_000, 'other users'],
  'heavy-contacts': [2_000, 'contacts of the heavy user'],
  'heavy-meetings': [500, 'meetings of the heavy user'],
  events: [300, 'measured app_home_opened events through the app (after 50 unmeasured)'],
  publishes: [1_000, 'measured publishHome calls in process (after 100 unmeasured)'],
  sharers: [200, "people who share with the advisor, each with a year's activity"],
  charts: [50, 'measured funnel charts (after 5 unmeasured)'],
  'wait-quiet': [20, 'wait up to N s for other processes to use ≤ 0.3 cores'],
});
const TARGET_P95_MS = 20;
const heavy = { teamId: teamId(0), userId: userId(0) };
const advisor = { teamId: heavy.teamId, userId: 'UADVISOR' };
const dir = mkdtempSync(join(tmpdir(), 'infoview-home-'));
const path = join(dir, 'home.sqlite');
// The data is made relative to the real clock, which the app started on it uses too.
const now = new Date();

/** `count` people sharing with the advisor, each with a year: an ask a week, a conversation a fortnight, referrals. */
async function seedSharers(db: Db, count: number): Promise<void> {
  const at = (days: number, hours = 0) => toDbInstant(new Date(now.getTime() - days * 86_400_000 + hours * 3_600_000));
  const times = <T>(n: number, row: (i: number) => T) => Array.from({ length: n }, (_, i) => row(i));
  await saveCentre(db, advisor.teamId, { enabled: true, minCohort: 10, advisorIds: [advisor.userId] }, 'U', at(0));
  const statuses: AskStatus[] = ['replied', 'declined', 'no_answer', 'replied'];
  for (let s = 0; s < count; s++) {
    const owner = { teamId: advisor.teamId, userId: `U9${String(s).padStart(5, '0')}` };
    const row = { team_id: owner.teamId, owner_id: owner.userId, created_at: at(0), updated_at: at(0) };
    const named = (i: number) => ({ name: `C${i}`, name_key: `${i}|`, search_text: '' });
    const contact = (i: number) => ({ ...row, ...named(i), last_activity_at: at(0) });
    const ids = (await db.insertInto('contacts').values(times(52, contact)).returning('id').execute()).map((c) => c.id);
    const referral = (i: number) => ({ ...contact(i), referred_by_id: ids[0], created_at: at(300 - i * 30) });
    await db.insertInto('contacts').values(times(10, referral)).execute();
    const ask = (i: number) => {
      const status = i >= 50 ? 'waiting' : (statuses[i % 4] as AskStatus);
      const closed = status === 'replied' || status === 'declined' ? at(362 - i * 7) : null;
      const sent = { sent_on: at(364 - i * 7).slice(0, 10), status, closed_at: closed };
      return { ...row, ...sent, contact_id: ids[i] as number, channel: 'email' as const };
    };
    await db.insertInto('asks').values(times(52, ask)).execute();
    const meeting = (i: number) => {
      const start = 360 - i * 14;
      const when = { contact_id: ids[i] as number, starts_at: at(start), ends_at: at(start, 0.5) };
      const back = i % 2 === 1 && start > 21 ? at(start - 21) : null;
      const done = { debriefed_at: at(start, 1), thank_you_sent_at: at(start, 3), reported_back_at: back };
      return { ...row, ...when, ...done, duration_minutes: 30, time_zone: 'UTC', status: 'scheduled' as const };
    };
    await db.insertInto('meetings').values(times(26, meeting)).execute();
    // Sharing began before the year, so the advisor sees all of it.
    await replaceShares(db, owner, [{ advisorId: advisor.userId, level: s % 2 ? 'stages' : 'counts' }], at(366));
  }
}

type Timed = [first: number, summary: Summary];
/** The first run, `warm` unmeasured, a wait for quiet, then `count` measured: [first, summary]. */
async function measure(run: () => Promise<number>, warm: number, count: number): Promise<Timed> {
  const first = await run();
  for (let i = 0; i < warm; i++) await run();
  await waitQuiet(o['wait-quiet'], 0.3);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push(await run());
  return [first, summarize(samples)];
}

try {
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
  const seeding = await timed(() => seedSharers(db, o.sharers));
  console.log(`${o.sharers} sharers with a year each in ${(seeding / 1000).toFixed(0)} s`);
  const views: HomeView[] = [];
  const blocks = { heavy: 0, advisor: 0 };
  const client = { views: { publish: async (args: { view: HomeView }) => ({ ok: views.push(args.view) > 0 }) } };
  const deps = { db, clock: { now: () => new Date() } };
  const publish = async (who: typeof heavy, key: keyof typeof blocks) => {
    const took = await timed(() => publishHome(client as never, deps, who));
    const view = views.pop();
    if (!view) throw new Error('publishHome did not call views.publish');
    assertWithinBlockKitLimits('home', view);
    blocks[key] = view.blocks.length;
    return took;
  };
  const heavyAlone = await measure(() => publish(heavy, 'heavy'), 100, o.publishes);
  const advisorAlone = await measure(() => publish(advisor, 'advisor'), 100, o.publishes);
  // A sharer's own chart, as "My progress" draws it in the listener.
  const weeks = await myProgressWeeks(db, { teamId: advisor.teamId, userId: 'U900000' }, now);
  const chart = () => timed(() => renderFunnelChart('Your networking, week by week', weeks));
  const charts = await measure(chart, 5, o.charts);
  await db.destroy();

  // Through the app: a signed app_home_opened, timed from the request to views.publish arriving at the fake.
  const fake = await FakeWebApi.start('America/New_York', heavy.teamId);
  const app = await startProductionApp({ ...appEnv(fake), DATABASE_URL: path });
  let published: (at: number) => void = () => undefined;
  let target = heavy.userId;
  fake.onPublish = (user, at) => user === target && published(at);
  const open = async (userId: string) => {
    target = userId;
    const arrived = new Promise<number>((resolve) => (published = resolve));
    const started = performance.now();
    const event = JSON.stringify(homeOpenedEvent(target, heavy.teamId));
    const response = await postSigned(`${app.url}/slack/events`, SIGNING_SECRET, event, {
      contentType: 'application/json',
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`app_home_opened: ${response.status}`);
    return (await arrived) - started;
  };
  // CPU per Home open: the app process's /proc time over every event sent (the unmeasured ones too).
  const cpuMs = { heavy: Number.NaN, advisor: Number.NaN };
  const through = async (userId: string, key: keyof typeof cpuMs): Promise<Timed> => {
    const before = app.cpuSeconds();
    const result = await measure(() => open(userId), 50, o.events);
    cpuMs[key] = ((app.cpuSeconds() - before) * 1000) / (o.events + 51);
    return result;
  };
  let heavyThrough: Timed = [Number.NaN, summarize([])];
  let advisorThrough: Timed = [Number.NaN, summarize([])];
  try {
    heavyThrough = await through(heavy.userId, 'heavy');
    advisorThrough = await through(advisor.userId, 'advisor');
  } finally {
    await app.stop();
    await fake.stop();
  }

  const rows: [string, number, Summary][] = [
    ['through the app: app_home_opened → views.publish at the fake', ...heavyThrough],
    ['publishHome alone, as the app opens the database', ...heavyAlone],
    [`advisor, ${o.sharers} sharers, through the app`, ...advisorThrough],
    [`advisor, ${o.sharers} sharers, publishHome alone`, ...advisorAlone],
    ['renderFunnelChart, 8 weeks (SVG and PNG)', ...charts],
  ];
  console.log(`\nHome of the heavy user (${blocks.heavy} blocks), of the advisor (${blocks.advisor}), ms:\n`);
  console.log(
    table([
      ['path', 'n', 'first', 'p50', 'p95', 'p99', 'max'],
      ...rows.map(([name, first, s]) => [name, String(s.n), ...[first, s.p50, s.p95, s.p99, s.max].map(ms)]),
    ]),
  );
  const p95 = (row: number) => (rows[row] as [string, number, Summary])[2].p95;
  console.log(`\napp CPU per Home open, ms: heavy user ${ms(cpuMs.heavy)}, advisor ${ms(cpuMs.advisor)}`);
  console.log(`target p95 < ${TARGET_P95_MS} ms through the app: ${verdict(p95(0) < TARGET_P95_MS)}`);
  console.log(
    `advisor p95 < 100 ms through the app: ${verdict(p95(2) < 100)}; chart p95 < 500 ms: ${verdict(p95(4) < 500)}`,
  );
  writeResults('home', o, {
    load,
    blocks,
    cpuMs,
    rows: rows.map(([path, first, summary]) => ({ path, first, ...summary })),
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
