import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { dialectOf, openDatabase } from '../../src/db/database.js';
import { purgeExpiredWorkspaces } from '../../src/domain/installs/workspaces-service.js';
import { scheduleMeeting } from '../../src/domain/meetings/meetings-service.js';
import { createInfoview } from '../../src/infoview.js';
import { parseTokenKey, TokenCipher } from '../../src/lib/token-cipher.js';
import { resealInstallations } from '../../src/slack/installs/installation-store.js';
import { BOT_SCOPES } from '../../src/slack/installs/scopes.js';
import { type Harness, SIGNING_SECRET, startHarness } from '../support/harness.js';
import { slashCommand } from '../support/payloads.js';
import { formBody, postSigned } from '../support/signing.js';
import { testDatabaseUrl } from '../support/test-database.js';

// Issue 16: installs by OAuth. Three workspaces and one Enterprise Grid organisation install through the real routes
// (the state cookie and all); each request and each reminder uses its own installation's token; an uninstall takes
// one installation's tokens at once and the others go on; replayed, forged and refused installs change nothing.

const KEY = randomBytes(32).toString('base64');
const OAUTH = {
  SLACK_CLIENT_ID: '1111.2222',
  SLACK_CLIENT_SECRET: 'client-secret-for-tests',
  SLACK_STATE_SECRET: 'state-secret-for-the-tests-0123',
  INFOVIEW_ENCRYPTION_KEY: KEY,
};
const WORKSPACES = [
  { teamId: 'T0001', teamName: 'Northside Careers', token: 'xoxb-T0001-aaaaaaaaaaaa' },
  { teamId: 'T0002', teamName: 'Southside Careers', token: 'xoxb-T0002-bbbbbbbbbbbb' },
  { teamId: 'T0003', teamName: 'Eastside Careers', token: 'xoxb-T0003-cccccccccccc' },
] as const;
const ORG = { enterpriseId: 'E0001', enterpriseName: 'Grid Corp', token: 'xoxb-E0001-dddddddddddd' };

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ now: '2026-10-29T14:00:00Z', oauth: OAUTH });
});
afterEach(async () => {
  await h.stop();
});

/** Opens /slack/install as a browser would: the page, its Add to Slack link and the state cookie it set. */
async function openInstallPage(headers: Record<string, string> = {}) {
  const res = await fetch(`${h.baseUrl}/slack/install`, { headers });
  const html = await res.text();
  const href = /id="add-to-slack" href="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { status: res.status, html, link: new URL(href ?? 'about:blank'), cookie };
}

/** Slack sends the browser back to the redirect with a code (or an error) and the state. */
async function redirect(query: Record<string, string>, cookie: string) {
  const res = await fetch(`${h.baseUrl}/slack/oauth_redirect?${new URLSearchParams(query)}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text() };
}

async function install(grant: Parameters<Harness['fake']['oauthCodes']['set']>[1]) {
  const page = await openInstallPage();
  const code = `code-${randomBytes(6).toString('hex')}`;
  h.fake.oauthCodes.set(code, grant);
  return { ...(await redirect({ code, state: page.link.searchParams.get('state') ?? '' }, page.cookie)), page };
}

const command = (text: string, who: { teamId: string; userId: string; enterpriseId?: string }) =>
  postSigned(
    h.eventsUrl,
    SIGNING_SECRET,
    formBody({
      ...slashCommand({ text, responseUrl: h.fake.responseUrl(), teamId: who.teamId, userId: who.userId }),
      ...(who.enterpriseId ? { enterprise_id: who.enterpriseId, is_enterprise_install: 'true' } : {}),
    }),
  );

const PREP_DUE = '2026-11-02T20:00:00.000Z';

/** A meeting of this user's, planned as the schedule form would, so the engine has a prep tip to send. */
async function scheduleFor(user: { teamId: string; userId: string }) {
  h.fake.on('conversations.open', (call) => ({ ok: true, channel: { id: `D${String(call.body.users)}` } }));
  await scheduleMeeting(
    h.db,
    user,
    {
      contactId: null,
      contact: { name: 'Ada Lovelace', pronunciation: null, title: null, company: null },
      plan: {
        startsAt: new Date('2026-11-03T20:00:00Z'),
        durationMinutes: 30,
        location: null,
        goal: null,
        questions: null,
      },
    },
    { now: h.clock.now(), timeZone: 'UTC', sourceViewId: null },
  );
}

const tokenOf = (call: { authorization?: string | undefined }) =>
  String(call.authorization ?? '').replace('Bearer ', '');

describe('installing by OAuth', () => {
  it('rotates the key: re-sealed under a new key, a restart with only the new key serves as before', async () => {
    const url = await testDatabaseUrl({ sqliteFile: join(mkdtempSync(join(tmpdir(), 'infoview-keys-')), 'db.sqlite') });
    const first = await startHarness({ now: '2026-10-29T14:00:00Z', oauth: OAUTH, databaseUrl: url });
    const second = { ...h };
    h = first;
    try {
      await install({ token: WORKSPACES[0].token, teamId: 'T0001', teamName: 'Northside Careers' });
    } finally {
      await first.stop();
      h = second as Harness;
    }
    const NEW_KEY = randomBytes(32).toString('hex');
    const db = openDatabase(url);
    const rotated = await resealInstallations(
      db,
      new TokenCipher(parseTokenKey(NEW_KEY), [parseTokenKey(KEY)]),
      new Date(),
    );
    expect(rotated).toEqual({ resealed: 1, current: 0 });
    await db.destroy();
    const restarted = await startHarness({
      now: '2026-10-29T14:00:00Z',
      oauth: { ...OAUTH, INFOVIEW_ENCRYPTION_KEY: NEW_KEY },
      databaseUrl: url,
    });
    try {
      h = restarted;
      expect((await command('schedule', { teamId: 'T0001', userId: 'U0001' })).status).toBe(200);
      await h.settle();
      expect(tokenOf(h.fake.callsTo('views.open').at(-1) ?? {})).toBe(WORKSPACES[0].token);
    } finally {
      await restarted.stop();
      h = second as Harness;
    }
  });

  it('offers Add to Slack with the bot scopes and a state, and sets the state in a cookie', async () => {
    const page = await openInstallPage();
    expect(page.status).toBe(200);
    expect(page.link.origin + page.link.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(page.link.searchParams.get('client_id')).toBe(OAUTH.SLACK_CLIENT_ID);
    expect(page.link.searchParams.get('scope')?.split(',')).toEqual([...BOT_SCOPES]);
    const state = page.link.searchParams.get('state') ?? '';
    expect(state).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(page.cookie).toBe(`slack-app-oauth-state=${state}`);
  });

  it('installs three workspaces and a Grid organisation; each is served, and reminded, with its own token', async () => {
    for (const w of WORKSPACES) {
      const done = await install({ token: w.token, teamId: w.teamId, teamName: w.teamName });
      expect(done.status).toBe(200);
      expect(done.html).toContain(`infoview is installed in <span id="workspace">${w.teamName}</span>`);
    }
    const org = await install({
      token: ORG.token,
      teamId: 'T0100',
      teamName: 'unused',
      enterpriseId: ORG.enterpriseId,
      enterpriseName: ORG.enterpriseName,
      isEnterpriseInstall: true,
    });
    expect(org.html).toContain('your organisation Grid Corp');
    const rows = await h.db
      .selectFrom('installations')
      .select(['install_key', 'bot_token'])
      .orderBy('install_key')
      .execute();
    expect(rows.map((r) => r.install_key)).toEqual(['enterprise:E0001', 'team:T0001', 'team:T0002', 'team:T0003']);
    // Sealed: no token in clear in the row.
    for (const row of rows) expect(row.bot_token).not.toMatch(/xox[a-z]-/);

    // Requests: each workspace's command opens its modal with that workspace's token; a Grid workspace with the org's.
    const who = [
      { teamId: 'T0001', userId: 'U0001', token: WORKSPACES[0].token },
      { teamId: 'T0002', userId: 'U0002', token: WORKSPACES[1].token },
      { teamId: 'T0101', userId: 'U0101', enterpriseId: ORG.enterpriseId, token: ORG.token },
    ];
    for (const user of who) {
      expect((await command('schedule', user)).status).toBe(200);
      await h.settle();
      const opened = h.fake.callsTo('views.open').at(-1);
      expect(tokenOf(opened ?? {})).toBe(user.token);
    }

    // Reminders: each user's prep tip goes out with their workspace's token (the org's for the Grid workspace).
    for (const user of who) await scheduleFor(user);
    h.clock.set(PREP_DUE);
    await h.tick();
    const posts = h.fake.callsTo('chat.postMessage');
    expect(posts).toHaveLength(3);
    for (const user of who) {
      const post = posts.find((p) => p.body.channel === `D${user.userId}`);
      expect(tokenOf(post ?? {}), user.teamId).toBe(user.token);
    }
  });

  it('refuses a request from a workspace with no installation, with a log line, and calls Slack with no token for it', async () => {
    await install({ token: WORKSPACES[0].token, teamId: 'T0001', teamName: 'Northside Careers' });
    const before = h.fake.calls.length;
    await command('schedule', { teamId: 'T0999', userId: 'U0999' });
    await h.settle();
    expect(h.fake.calls.slice(before).filter((c) => c.method !== 'response_url')).toEqual([]);
    expect(h.logs.join('\n')).toMatch(/no installation for workspace T0999/);
  });

  it('refuses a replayed redirect, a forged state and a state from another browser; explains a denied consent', async () => {
    const first = await install({ token: WORKSPACES[0].token, teamId: 'T0001', teamName: 'Northside Careers' });
    expect(first.status).toBe(200);
    const state = first.page.link.searchParams.get('state') ?? '';
    // The same redirect again (its code would be new): the state was used.
    h.fake.oauthCodes.set('again', { token: 'xoxb-evil', teamId: 'T0666', teamName: 'Evil' });
    const replay = await redirect({ code: 'again', state }, first.page.cookie);
    expect(replay.status).toBe(400);
    expect(replay.html).toContain('expired or was already used');
    // A state made up to look like one.
    const fresh = await openInstallPage();
    const forged = `${'A'.repeat(32)}.${'B'.repeat(22)}`;
    expect((await redirect({ code: 'again', state: forged }, `slack-app-oauth-state=${forged}`)).status).toBe(400);
    // A real state, but not this browser's cookie.
    const realState = fresh.link.searchParams.get('state') ?? '';
    expect((await redirect({ code: 'again', state: realState }, 'slack-app-oauth-state=other')).status).toBe(400);
    // The person chose Cancel on Slack's consent screen.
    const denied = await redirect({ error: 'access_denied', state: realState }, fresh.cookie);
    expect(denied.status).toBe(200);
    expect(denied.html).toContain('You chose not to allow infoview, so nothing was installed');
    const keys = await h.db.selectFrom('installations').select('install_key').execute();
    expect(keys.map((k) => k.install_key)).toEqual(['team:T0001']);
    expect(h.fake.oauthCodes.has('again')).toBe(true);
  });

  it('an uninstall deletes that installation’s tokens at once; the other workspaces go on', async () => {
    for (const w of WORKSPACES.slice(0, 2)) await install({ token: w.token, teamId: w.teamId, teamName: w.teamName });
    const uninstalled = JSON.stringify({
      token: 'x',
      team_id: 'T0002',
      api_app_id: 'A0001',
      type: 'event_callback',
      event_id: 'Ev0001',
      event_time: 1_793_282_400,
      event: { type: 'app_uninstalled' },
    });
    expect(
      (await postSigned(h.eventsUrl, SIGNING_SECRET, uninstalled, { contentType: 'application/json' })).status,
    ).toBe(200);
    await h.settle();
    const keys = await h.db.selectFrom('installations').select('install_key').execute();
    expect(keys.map((k) => k.install_key)).toEqual(['team:T0001']);
    expect((await command('schedule', { teamId: 'T0001', userId: 'U0001' })).status).toBe(200);
    await h.settle();
    expect(tokenOf(h.fake.callsTo('views.open').at(-1) ?? {})).toBe(WORKSPACES[0].token);
    // T0001's reminders go on; T0002's stopped with the uninstall (and no call carries a token for it).
    await scheduleFor({ teamId: 'T0001', userId: 'U0001' });
    h.clock.set(PREP_DUE);
    await h.tick();
    expect(h.fake.callsTo('chat.postMessage').map(tokenOf)).toEqual([WORKSPACES[0].token]);
    // Reinstalling starts clean: a new row with the new token.
    await install({ token: 'xoxb-T0002-newnewnewnew', teamId: 'T0002', teamName: 'Southside Careers' });
    expect((await h.db.selectFrom('installations').select('install_key').execute()).length).toBe(2);
  });

  it('reads DM history within the limit of apps outside the Marketplace: once a minute per workspace, 15 messages', async () => {
    await install({ token: WORKSPACES[0].token, teamId: 'T0001', teamName: 'Northside Careers' });
    for (const userId of ['U0001', 'U0002', 'U0003']) await scheduleFor({ teamId: 'T0001', userId });
    // Three prep tips whose worker died after handing them to Slack: each must be looked for in its DM before any
    // new post.
    h.clock.set(PREP_DUE);
    await h.db
      .updateTable('reminders')
      .set({
        state: 'claimed',
        claims: 1,
        attempts: 1,
        lease_until: PREP_DUE,
        first_attempt_at: PREP_DUE,
        handed_over_at: PREP_DUE,
      })
      .where('kind', '=', 'prep')
      .execute();
    h.clock.advance(60_000);
    const history = () => h.fake.callsTo('conversations.history');
    await h.tick();
    expect(history()).toHaveLength(1);
    expect(Number(history()[0]?.body.limit)).toBe(15);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
    // The other two wait their turn, without counting an attempt, and go out a minute apart.
    for (let minute = 2; minute <= 3; minute++) {
      h.clock.advance(60_000);
      await h.tick();
      expect(history()).toHaveLength(minute);
      expect(h.fake.callsTo('chat.postMessage')).toHaveLength(minute);
    }
    const rows = await h.db.selectFrom('reminders').select(['state', 'attempts']).where('kind', '=', 'prep').execute();
    expect(rows).toEqual(Array(3).fill({ state: 'sent', attempts: 2 }));
  });

  it('honours token rotation: a token about to expire is refreshed, for requests and reminders alike', async () => {
    await install({
      token: 'xoxb-T0001-rotating',
      teamId: 'T0001',
      teamName: 'Northside Careers',
      refreshToken: 'xoxe-1-T0001',
      expiresIn: 600,
    });
    expect((await command('schedule', { teamId: 'T0001', userId: 'U0001' })).status).toBe(200);
    await h.settle();
    // Bolt refreshed it before the request (it expired within two hours): the new one is used, and stored sealed.
    expect(tokenOf(h.fake.callsTo('views.open').at(-1) ?? {})).toBe('xoxb-T0001-rotating-r');
    const row = await h.db
      .selectFrom('installations')
      .select(['bot_token', 'bot_refresh_token'])
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toMatch(/xox[be]-/);
    await scheduleFor({ teamId: 'T0001', userId: 'U0001' });
    // Four days on, the refreshed token (twelve hours) has expired too: the engine refreshes it before posting.
    h.clock.set(PREP_DUE);
    await h.tick();
    expect(h.fake.callsTo('chat.postMessage').map(tokenOf)).toEqual(['xoxb-T0001-rotating-r-r']);
  });

  it('an engine process of its own (no Bolt) refreshes a rotating token as well, and posts with the new one', async () => {
    const url = await testDatabaseUrl({
      sqliteFile: join(mkdtempSync(join(tmpdir(), 'infoview-engine-')), 'db.sqlite'),
    });
    const web = await startHarness({ now: '2026-10-29T14:00:00Z', oauth: OAUTH, databaseUrl: url });
    const second = { ...h };
    h = web;
    const engine = await createInfoview(
      loadConfig({
        ...OAUTH,
        INFOVIEW_ROLE: 'engine',
        SLACK_API_URL: web.fake.apiUrl,
        DATABASE_URL: url,
        PORT: '0',
        LOG_LEVEL: 'warn',
      }),
      { clock: web.clock, trigger: false, sleep: async (ms) => web.clock.advance(ms), random: () => 0.5 },
    );
    try {
      expect(engine.slack).toBeNull();
      await engine.start();
      // A token that expires ten minutes after the prep tip is due (expires_in counts from the install, on the
      // test's clock), and no request since: the engine must refresh it itself.
      await install({
        token: 'xoxb-T0001-rotating',
        teamId: 'T0001',
        teamName: 'Northside Careers',
        refreshToken: 'xoxe-1-T0001',
        expiresIn: (Date.parse(PREP_DUE) - web.clock.now().getTime()) / 1000 + 600,
      });
      await scheduleFor({ teamId: 'T0001', userId: 'U0001' });
      web.clock.set(PREP_DUE);
      expect(await engine.housekeeping()).toMatchObject({ sent: 1 });
      expect(web.fake.callsTo('chat.postMessage').map(tokenOf)).toEqual(['xoxb-T0001-rotating-r']);
      const row = await web.db.selectFrom('installations').select(['bot_token']).executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toMatch(/xox[be]-/);
    } finally {
      await engine.stop();
      await web.stop();
      h = second as Harness;
    }
  });

  it('keeps every workspace’s data to itself: the same user id in another workspace sees none of it', async () => {
    for (const w of WORKSPACES.slice(0, 2)) await install({ token: w.token, teamId: w.teamId, teamName: w.teamName });
    await scheduleFor({ teamId: 'T0001', userId: 'U0001' });
    await command('upcoming', { teamId: 'T0002', userId: 'U0001' });
    await h.settle();
    expect(String(h.fake.callsTo('response_url').at(-1)?.body.text)).toMatch(/^You have no upcoming meetings/);
    await command('upcoming', { teamId: 'T0001', userId: 'U0001' });
    await h.settle();
    expect(JSON.stringify(h.fake.callsTo('response_url').at(-1)?.body ?? {})).toContain('Ada Lovelace');
  });

  it('keeps no token in clear anywhere in the database or the logs, even at debug level', async () => {
    await h.stop();
    const file = join(mkdtempSync(join(tmpdir(), 'infoview-sealed-')), 'db.sqlite');
    const url = await testDatabaseUrl({ sqliteFile: file });
    h = await startHarness({ now: '2026-10-29T14:00:00Z', oauth: OAUTH, logLevel: 'debug', databaseUrl: url });
    for (const w of WORKSPACES)
      await install({ token: w.token, teamId: w.teamId, teamName: w.teamName, refreshToken: `xoxe-1-${w.teamId}` });
    await command('schedule', { teamId: 'T0001', userId: 'U0001' });
    await h.settle();
    const tables = (await h.db.introspection.getTables()).map((t) => t.name);
    for (const table of tables) {
      const rows = await h.db
        .selectFrom(table as never)
        .selectAll()
        .execute();
      expect(JSON.stringify(rows), `${table} (${dialectOf(h.db)})`).not.toMatch(/xox[bpe]-/);
    }
    // On SQLite, the bytes of the database file and its write-ahead log too.
    if (url === file)
      for (const path of [file, `${file}-wal`].filter((p) => existsSync(p)))
        expect(readFileSync(path).toString('latin1'), path).not.toMatch(/xox[bpe]-/);
    expect(h.logs.join('\n')).toContain('oauth.v2.access');
    expect(h.logs.join('\n')).not.toMatch(
      /xox[bpe]-(?!\[redacted\])|client-secret-for-tests|state-secret-for-the-tests/,
    );
  });
});

describe('the install page', () => {
  const stateRows = async () => (await h.db.selectFrom('oauth_states').select('state').execute()).length;

  it('writes nothing when opened: 200 anonymous visits add no row, and an install afterwards records only its used state', async () => {
    for (let visit = 0; visit < 200; visit++) {
      // Six seconds apart: within the per-address limit, which is not what this test is about.
      h.clock.advance(6_000);
      expect((await openInstallPage()).status).toBe(200);
    }
    expect(await stateRows()).toBe(0);
    const done = await install({ token: WORKSPACES[0].token, teamId: 'T0001', teamName: 'Northside Careers' });
    expect(done.status).toBe(200);
    expect(await stateRows()).toBe(1);
  });

  it('refuses a used state replayed on another replica, and a state older than ten minutes; forgets used states once expired', async () => {
    const url = await testDatabaseUrl({
      sqliteFile: join(mkdtempSync(join(tmpdir(), 'infoview-state-')), 'db.sqlite'),
    });
    const original = h;
    const first = await startHarness({ now: '2026-10-29T14:00:00Z', oauth: OAUTH, databaseUrl: url });
    const second = await startHarness({ now: '2026-10-29T14:00:00Z', oauth: OAUTH, databaseUrl: url });
    try {
      h = first;
      const done = await install({ token: WORKSPACES[0].token, teamId: 'T0001', teamName: 'Northside Careers' });
      expect(done.status).toBe(200);
      const state = done.page.link.searchParams.get('state') ?? '';
      h = second;
      second.fake.oauthCodes.set('again', { token: 'xoxb-evil', teamId: 'T0666', teamName: 'Evil' });
      const replay = await redirect({ code: 'again', state }, done.page.cookie);
      expect(replay.status).toBe(400);
      expect(replay.html).toContain('expired or was already used');
      // Issued on one replica, used on the other: fine, once.
      h = first;
      const page = await openInstallPage();
      h = second;
      second.fake.oauthCodes.set('code-2', { token: WORKSPACES[1].token, teamId: 'T0002', teamName: 'Southside' });
      expect(
        (await redirect({ code: 'code-2', state: page.link.searchParams.get('state') ?? '' }, page.cookie)).status,
      ).toBe(200);
      // Ten minutes later a state is refused by its age; the used ones are forgotten by housekeeping once expired.
      const late = await openInstallPage();
      second.clock.advance(10 * 60_000 + 1);
      second.fake.oauthCodes.set('code-3', { token: WORKSPACES[2].token, teamId: 'T0003', teamName: 'Eastside' });
      const expired = await redirect({ code: 'code-3', state: late.link.searchParams.get('state') ?? '' }, late.cookie);
      expect(expired.status).toBe(400);
      second.clock.advance(60_000);
      expect((await install({ token: WORKSPACES[2].token, teamId: 'T0003', teamName: 'Eastside' })).status).toBe(200);
      expect(await stateRows()).toBe(3);
      await second.infoview.housekeeping();
      expect(await stateRows()).toBe(1);
      expect(second.fake.oauthCodes.has('again')).toBe(true);
    } finally {
      h = original;
      await first.stop();
      await second.stop();
    }
  });

  it('answers 429 to the eleventh visit from one address within a minute, and serves it again once the minute is over', async () => {
    for (let visit = 0; visit < 10; visit++) expect((await openInstallPage()).status).toBe(200);
    const refused = await fetch(`${h.baseUrl}/slack/install`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(refused.headers.get('retry-after')).toBe('6');
    expect(await refused.text()).toMatch(/^Too many requests/);
    h.clock.advance(6_000);
    expect((await openInstallPage()).status).toBe(200);
    expect((await fetch(`${h.baseUrl}/slack/install`)).status).toBe(429);
    h.clock.advance(60_000);
    for (let visit = 0; visit < 10; visit++) expect((await openInstallPage()).status).toBe(200);
    expect(await stateRows()).toBe(0);
  });

  it('behind TRUSTED_PROXY_HOPS=1, counts each visitor by X-Forwarded-For: two visitors through one proxy each get their own ten', async () => {
    const original = h;
    const behindProxy = await startHarness({
      now: '2026-10-29T14:00:00Z',
      oauth: OAUTH,
      env: { TRUSTED_PROXY_HOPS: '1' },
    });
    try {
      h = behindProxy;
      const first = { 'x-forwarded-for': '198.51.100.1' };
      const second = { 'x-forwarded-for': '198.51.100.2' };
      for (let visit = 0; visit < 10; visit++) expect((await openInstallPage(first)).status).toBe(200);
      expect((await openInstallPage(first)).status).toBe(429);
      // The same socket (the proxy), another visitor: a full allowance of its own.
      for (let visit = 0; visit < 10; visit++) expect((await openInstallPage(second)).status).toBe(200);
      expect((await openInstallPage(second)).status).toBe(429);
      // A leftmost entry the first visitor forged is not trusted: the proxy's own entry still counts.
      expect((await openInstallPage({ 'x-forwarded-for': '203.0.113.50, 198.51.100.1' })).status).toBe(429);
    } finally {
      h = original;
      await behindProxy.stop();
    }
  });

  it('with TRUSTED_PROXY_HOPS unset (0), ignores X-Forwarded-For: a forged one does not escape the limit', async () => {
    for (let visit = 0; visit < 10; visit++) expect((await openInstallPage()).status).toBe(200);
    for (const forged of ['203.0.113.1', '203.0.113.2', '198.51.100.9, 203.0.113.3'])
      expect((await openInstallPage({ 'x-forwarded-for': forged })).status).toBe(429);
  });
});

describe('reinstalling and org-wide installs', () => {
  const event = (teamId: string, type: string, extra: Record<string, unknown> = {}) =>
    postSigned(
      h.eventsUrl,
      SIGNING_SECRET,
      JSON.stringify({
        token: 'x',
        team_id: teamId,
        api_app_id: 'A0001',
        type: 'event_callback',
        event_id: `Ev-${randomBytes(4).toString('hex')}`,
        event_time: 1_793_282_400,
        ...extra,
        event: { type, ...(extra.event as object | undefined) },
      }),
      { contentType: 'application/json' },
    );

  it('a reinstall by OAuth brings the reminders back and cancels the purge, with no other request from the workspace', async () => {
    await install({ token: WORKSPACES[0].token, teamId: 'T0001', teamName: 'Northside Careers' });
    await scheduleFor({ teamId: 'T0001', userId: 'U0001' });
    expect((await event('T0001', 'app_uninstalled')).status).toBe(200);
    await h.settle();
    h.clock.advance(60 * 60_000);
    await install({ token: 'xoxb-T0001-reinstalled', teamId: 'T0001', teamName: 'Northside Careers' });
    // No request from the workspace since: its prep tip goes out when due, with the new token.
    h.clock.set(PREP_DUE);
    await h.tick();
    expect(h.fake.callsTo('chat.postMessage').map(tokenOf)).toEqual(['xoxb-T0001-reinstalled']);
    // And its data outlives the retention period that the uninstall started.
    h.clock.advance(31 * 86_400_000);
    expect(await purgeExpiredWorkspaces(h.db, h.clock.now(), { info: () => {} })).toBe(0);
    expect(await h.db.selectFrom('meetings').select('id').where('team_id', '=', 'T0001').execute()).toHaveLength(1);
  });

  it('an app_uninstalled from before a reinstall, delivered late (a retry), leaves the new installation and its reminders alone', async () => {
    await install({ token: WORKSPACES[0].token, teamId: 'T0001', teamName: 'Northside Careers' });
    await scheduleFor({ teamId: 'T0001', userId: 'U0001' });
    // Slack's delivery failed (the app was unreachable), so it retries the uninstall minutes later.
    const uninstallId = 'Ev-uninstall-0001';
    expect((await event('T0001', 'app_uninstalled', { event_id: uninstallId })).status).toBe(200);
    await h.settle();
    h.clock.advance(2 * 60_000);
    await install({ token: 'xoxb-T0001-reinstalled', teamId: 'T0001', teamName: 'Northside Careers' });
    h.clock.advance(3 * 60_000);
    const late = await event('T0001', 'app_uninstalled', { event_id: uninstallId });
    expect(late.status).toBe(200);
    await h.settle();
    expect((await h.db.selectFrom('installations').select('install_key').execute()).map((r) => r.install_key)).toEqual([
      'team:T0001',
    ]);
    expect(
      await h.db.selectFrom('workspaces').select('uninstalled_at').where('team_id', '=', 'T0001').executeTakeFirst(),
    ).toMatchObject({ uninstalled_at: null });
    h.clock.set(PREP_DUE);
    await h.tick();
    expect(h.fake.callsTo('chat.postMessage').map(tokenOf)).toEqual(['xoxb-T0001-reinstalled']);
    // An uninstall sent after the reinstall is honoured as ever.
    expect((await event('T0001', 'app_uninstalled', { event_time: 1_793_282_400 + 10 * 60 })).status).toBe(200);
    await h.settle();
    expect(await h.db.selectFrom('installations').select('install_key').execute()).toEqual([]);
  });

  it('an app_uninstalled first delivered after a reinstall over the row it would have deleted leaves the reinstall alone', async () => {
    await install({ token: WORKSPACES[0].token, teamId: 'T0001', teamName: 'Northside Careers' });
    await scheduleFor({ teamId: 'T0001', userId: 'U0001' });
    // The uninstall (sent now) does not get through; the workspace installs the app again two minutes later.
    h.clock.advance(2 * 60_000);
    await install({ token: 'xoxb-T0001-reinstalled', teamId: 'T0001', teamName: 'Northside Careers' });
    h.clock.advance(3 * 60_000);
    expect((await event('T0001', 'app_uninstalled')).status).toBe(200);
    await h.settle();
    expect((await h.db.selectFrom('installations').select('install_key').execute()).map((r) => r.install_key)).toEqual([
      'team:T0001',
    ]);
    h.clock.set(PREP_DUE);
    await h.tick();
    expect(h.fake.callsTo('chat.postMessage').map(tokenOf)).toEqual(['xoxb-T0001-reinstalled']);
  });

  it('after an org-wide install, a workspace’s first Home open is published with the organisation’s token', async () => {
    await install({
      token: ORG.token,
      teamId: 'T0100',
      teamName: 'unused',
      enterpriseId: ORG.enterpriseId,
      enterpriseName: ORG.enterpriseName,
      isEnterpriseInstall: true,
    });
    const res = await event('T0101', 'app_home_opened', {
      enterprise_id: ORG.enterpriseId,
      authorizations: [
        { enterprise_id: ORG.enterpriseId, team_id: null, user_id: 'UBOT', is_bot: true, is_enterprise_install: true },
      ],
      event: { user: 'U0101', channel: 'D0101', tab: 'home', event_ts: '1793282400.000100' },
    });
    expect(res.status).toBe(200);
    await h.settle();
    const published = h.fake.callsTo('views.publish');
    // Published once with the zone known, and again once the user's zone was read.
    expect(published.length).toBeGreaterThan(0);
    for (const call of published) expect([call.body.user_id, tokenOf(call)]).toEqual(['U0101', ORG.token]);
  });
});
