import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Installation } from '@slack/oauth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdAt } from '../../src/lib/pause-points.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakeSlack } from '../support/fake-slack.js';
import {
  installThrough,
  type Replica,
  recordRefreshes,
  scheduleFor,
  startReplica,
  tokenOf,
} from '../support/oauth-replicas.js';
import { testDatabaseUrl } from '../support/test-database.js';

// Token rotation: Slack honours a refresh token once. Two refreshes of one installation that overlap (two callers in
// one process, or two replicas) spend it twice, the loser stores a spent refresh token, and the workspace dies when
// its token expires. Each race is held open at a pause point, so the interleaving is the same on every run.

const START = '2026-10-29T14:00:00.000Z';
const WORKSPACE = { token: 'xoxb-T0001-rotating', teamId: 'T0001', teamName: 'Northside Careers' };
const USER = { teamId: 'T0001', userId: 'U0001' };
const seconds = (iso: string) => Date.parse(iso) / 1000;

let fake: FakeSlack;
let clock: FakeClock;
let replicas: Replica[];
let refreshes: ReturnType<typeof recordRefreshes>;

beforeEach(async () => {
  fake = await FakeSlack.start();
  clock = new FakeClock(START);
  fake.now = () => clock.now().getTime();
  refreshes = recordRefreshes(fake);
  replicas = [];
});
afterEach(async () => {
  for (const replica of replicas) await replica.stop();
  await fake.stop();
});

/** `count` replicas on one database (a SQLite file, or one PostgreSQL database). */
async function start(count: number): Promise<Replica[]> {
  const url = await testDatabaseUrl({
    sqliteFile: join(mkdtempSync(join(tmpdir(), 'infoview-rotation-')), 'db.sqlite'),
  });
  for (let i = 0; i < count; i += 1) replicas.push(await startReplica(fake, clock, url));
  return replicas;
}

/** Installs the workspace with a rotating token that expires `expiresIn` seconds from now (refresh token xoxe-1). */
async function install(replica: Replica, expiresIn: number) {
  expect(await installThrough(replica, fake, { ...WORKSPACE, refreshToken: 'xoxe-1', expiresIn })).toBe(200);
}

/** The token the last views.open (the schedule form, opened by a command) was called with. */
const lastFormToken = () => tokenOf(fake.callsTo('views.open').at(-1) ?? {});

describe('refreshing a rotating token', () => {
  it('a request and a reminder near expiry in one process share one refresh, and both use its token', async () => {
    const [a] = (await start(1)) as [Replica];
    const due = '2026-11-02T20:00:00.000Z';
    // The token expires ten minutes after the prep tip is due.
    await install(a, seconds(due) - seconds(START) + 600);
    await scheduleFor(a, fake, clock, USER, new Date('2026-11-03T20:00:00Z'));
    clock.set(due);

    const refreshing = holdAt('token:refreshing');
    const joined = holdAt('token:joined-refresh');
    const leased = holdAt('token:awaiting-other-refresh');
    const command = a.command('schedule', USER);
    await refreshing.reached;
    const tick = a.tick();
    // The reminder's lookup joins the refresh under way; not polling the lease as if another replica held it, nor
    // (the defect) spending the refresh token itself.
    const second = await Promise.race([
      joined.reached.then(() => 'joined'),
      leased.reached.then(() => 'waited for the lease'),
      refreshes.arrivedAt(1).then(() => 'refreshed'),
    ]);
    for (const hold of [joined, leased, refreshing]) hold.release();
    expect(second).toBe('joined');
    expect((await command).status).toBe(200);
    await a.settle();
    await tick;

    expect(refreshes.calls).toEqual([{ refreshToken: 'xoxe-1', answer: 'ok' }]);
    expect(lastFormToken()).toBe('xoxb-T0001-rotating-r');
    expect(fake.callsTo('chat.postMessage').map(tokenOf)).toEqual(['xoxb-T0001-rotating-r']);
  });

  it('a second replica waits for the first one’s refresh and uses the token it stored, never the spent refresh token', async () => {
    const [a, b] = (await start(2)) as [Replica, Replica];
    await install(a, 600);

    const refreshing = holdAt('token:refreshing');
    const awaiting = holdAt('token:awaiting-other-refresh');
    const first = a.command('schedule', USER);
    await refreshing.reached;
    const second = b.command('schedule', USER);
    // Replica B either waits for A's lease, or (the defect) refreshes with the refresh token A is spending.
    await Promise.race([awaiting.reached, refreshes.arrivedAt(1)]);
    refreshing.release();
    expect((await first).status).toBe(200);
    await a.settle();
    awaiting.release();
    expect((await second).status).toBe(200);
    await b.settle();

    expect(refreshes.calls).toEqual([{ refreshToken: 'xoxe-1', answer: 'ok' }]);
    expect(fake.callsTo('views.open').map(tokenOf)).toEqual(['xoxb-T0001-rotating-r', 'xoxb-T0001-rotating-r']);
  });

  it('inside the refresh window a replica reads the row, not the copy it cached, and uses the token another refreshed', async () => {
    const [a, b] = (await start(2)) as [Replica, Replica];
    // Outside the two-hour window by ten seconds: B serves with the installed token, and caches it.
    await install(a, 7_200 + 10);
    expect((await b.command('schedule', USER)).status).toBe(200);
    await b.settle();
    expect(lastFormToken()).toBe('xoxb-T0001-rotating');
    // Twenty seconds on (B's copy is younger than its 30 s cache): inside the window, A refreshes.
    clock.advance(20_000);
    expect((await a.command('schedule', USER)).status).toBe(200);
    await a.settle();
    expect(lastFormToken()).toBe('xoxb-T0001-rotating-r');
    expect((await b.command('schedule', USER)).status).toBe(200);
    await b.settle();

    expect(lastFormToken()).toBe('xoxb-T0001-rotating-r');
    expect(refreshes.calls).toEqual([{ refreshToken: 'xoxe-1', answer: 'ok' }]);
  });

  it('a stale copy of the installation stored again never replaces a token that expires later', async () => {
    const [a] = (await start(1)) as [Replica];
    await install(a, 600);
    const store = a.store;
    if (store === null) throw new Error('OAuth installs are on');
    // What InstallProvider would write back from a copy read before the refresh: the old token and refresh token,
    // expiring when they did (stamped on the wall clock, as InstallProvider stamps it).
    const read = await store.fetchInstallation({
      teamId: 'T0001',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect((await a.command('schedule', USER)).status).toBe(200);
    await a.settle();
    expect(lastFormToken()).toBe('xoxb-T0001-rotating-r');
    const stale = {
      ...read,
      bot: {
        ...read.bot,
        token: 'xoxb-T0001-rotating',
        refreshToken: 'xoxe-1',
        expiresAt: Math.floor(Date.now() / 1000) + 600,
      },
    } as Installation<'v2', false>;
    await store.storeInstallation(stale);

    // Past the refreshed token's window too: the next refresh spends the refresh token the refresh brought.
    clock.advance(11 * 3_600_000);
    expect((await a.command('schedule', USER)).status).toBe(200);
    await a.settle();
    expect(refreshes.calls).toEqual([
      { refreshToken: 'xoxe-1', answer: 'ok' },
      { refreshToken: 'xoxe-1-r', answer: 'ok' },
    ]);
    expect(lastFormToken()).toBe('xoxb-T0001-rotating-r-r');
  });

  it('a refresh that failed is not tried again by every request, on any replica, until a short backoff has passed', async () => {
    const [a, b] = (await start(2)) as [Replica, Replica];
    await install(a, 600);
    // Slack fails the refresh (without it landing): the current token still works for ten minutes.
    fake.on('oauth.v2.access', () => ({ ok: false, error: 'internal_error' }));
    const refreshCalls = () =>
      fake.callsTo('oauth.v2.access').filter((call) => call.body.grant_type === 'refresh_token');

    for (const replica of [a, a, b, b, a]) {
      expect((await replica.command('schedule', USER)).status).toBe(200);
      await replica.settle();
      expect(lastFormToken()).toBe('xoxb-T0001-rotating');
    }
    // One try, not one per request (a thundering herd against oauth.v2.access while Slack is failing).
    expect(refreshCalls()).toHaveLength(1);
    expect(a.logs.filter((line) => line.includes('internal_error'))).toHaveLength(1);

    // Slack recovers; once the backoff has passed, the next request (on either replica) refreshes.
    fake.on('oauth.v2.access', (call) => fake.asSlack(call));
    clock.advance(61_000);
    expect((await b.command('schedule', USER)).status).toBe(200);
    await b.settle();
    expect(lastFormToken()).toBe('xoxb-T0001-rotating-r');
    expect(refreshCalls()).toHaveLength(2);
  });

  it('a replica waiting for another’s refresh that fails does not try again itself, and serves with the current token', async () => {
    const [a, b] = (await start(2)) as [Replica, Replica];
    await install(a, 600);
    fake.on('oauth.v2.access', () => ({ ok: false, error: 'internal_error' }));

    const refreshing = holdAt('token:refreshing');
    const awaiting = holdAt('token:awaiting-other-refresh');
    const first = a.command('schedule', USER);
    await refreshing.reached;
    const second = b.command('schedule', USER);
    await awaiting.reached;
    refreshing.release();
    expect((await first).status).toBe(200);
    await a.settle();
    awaiting.release();
    expect((await second).status).toBe(200);
    await b.settle();

    expect(fake.callsTo('oauth.v2.access').filter((call) => call.body.grant_type === 'refresh_token')).toHaveLength(1);
    expect(fake.callsTo('views.open').map(tokenOf)).toEqual(['xoxb-T0001-rotating', 'xoxb-T0001-rotating']);
  });

  it('a reinstall that Slack answered a moment before a refresh was stored is kept, not dropped as a stale copy', async () => {
    const [a, b] = (await start(2)) as [Replica, Replica];
    await install(a, 600);
    // Replica A refreshes: the row's token now expires twelve hours from now.
    expect((await a.command('schedule', USER)).status).toBe(200);
    await a.settle();
    expect(lastFormToken()).toBe('xoxb-T0001-rotating-r');
    // Meanwhile an admin reinstalls (new scopes, a new token) through replica B; Slack answered the reinstall a second
    // before A stored its refresh, so its twelve hours end a second earlier.
    const reinstall = { ...WORKSPACE, token: 'xoxb-T0001-reinstalled', refreshToken: 'xoxe-2', expiresIn: 43_199 };
    expect(await installThrough(b, fake, reinstall)).toBe(200);

    // Past the replicas' caches: both serve with the reinstalled token.
    clock.advance(31_000);
    for (const replica of [a, b]) {
      expect((await replica.command('schedule', USER)).status).toBe(200);
      await replica.settle();
      expect(lastFormToken()).toBe('xoxb-T0001-reinstalled');
    }
    expect([...a.logs, ...b.logs].filter((line) => line.includes('kept'))).toEqual([]);
  });

  it('an uninstall while a reminder’s refresh is under way: the reminder fails as not installed, not as an unknown outcome', async () => {
    const [a] = (await start(1)) as [Replica];
    const due = '2026-11-02T20:00:00.000Z';
    await install(a, seconds(due) - seconds(START) + 600);
    await scheduleFor(a, fake, clock, USER, new Date('2026-11-03T20:00:00Z'));
    clock.set(due);
    const store = a.store;
    if (store === null) throw new Error('OAuth installs are on');

    const refreshing = holdAt('token:refreshing');
    const tick = a.tick();
    await refreshing.reached;
    await store.deleteInstallation({ teamId: 'T0001', enterpriseId: undefined, isEnterpriseInstall: false });
    refreshing.release();

    expect(await tick).toMatchObject({ sent: 0, failed: 1, retried: 0 });
    expect(fake.callsTo('chat.postMessage')).toEqual([]);
  });
});
