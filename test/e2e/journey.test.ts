import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModalView } from '@slack/types';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { MEETING_ACTIONS } from '../../src/slack/ui/messages/meeting-messages.js';
import { ASK_MODAL } from '../../src/slack/ui/modals/ask-modal.js';
import { CONTACT_MODAL } from '../../src/slack/ui/modals/contact-modal.js';
import { SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { FakeSlack } from '../support/fake-slack.js';
import { must } from '../support/must.js';
import { buttonPress, slashCommand, USER_ID, viewSubmission } from '../support/payloads.js';
import { formBody, payloadBody, postSigned } from '../support/signing.js';
import { testDatabaseUrl } from '../support/test-database.js';

// The app started the way the README starts it (`npm start`), in HTTP mode, against a loopback fake of Slack.
const ROOT = new URL('../../', import.meta.url).pathname;
const SECRET = 'e2e-signing-secret';
const B = SCHEDULE_MODAL.blocks;

interface Running {
  child: ChildProcess;
  output: string[];
  url: string;
  port: number;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * `npm start` in its own process group, so a signal can go to the whole group as Ctrl-C in a terminal sends it
 * (npm itself does not pass a SIGTERM sent to it alone on to the app).
 */
function startApp(env: Record<string, string>): { child: ChildProcess; output: string[]; exited: Promise<Exit> } {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    detached: true,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk) => output.push(String(chunk)));
  child.stderr?.on('data', (chunk) => output.push(String(chunk)));
  // 'close', not 'exit': npm may exit on the signal before the app has finished its shutdown and closed the pipes.
  const exited = once(child, 'close').then(([code, signal]) => ({ code, signal }) as Exit);
  return { child, output, exited };
}

/** The app's log: its JSON lines (npm's prestart scripts may print a plain line or two before it starts). */
function logEntries(output: string[]): Record<string, unknown>[] {
  return output
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
const STOPPED = expect.objectContaining({ level: 'info', name: 'infoview', msg: 'stopped' });

/** Resolves when the app's output contains `text` (an event); rejects with the output if it exits first. */
async function outputContains(started: ReturnType<typeof startApp>, text: string): Promise<void> {
  while (!started.output.join('').includes(text)) {
    if (started.child.exitCode !== null) throw new Error(`app exited:\n${started.output.join('')}`);
    await new Promise((resolve) => started.child.stderr?.once('data', resolve).once('close', resolve));
  }
}

/** Resolves when the app logs that it listens (in HTTP mode, or as the engine); rejects if it exits first. */
async function whenListening(started: ReturnType<typeof startApp>, port: number): Promise<Running> {
  const deadline = Date.now() + 120_000;
  while (!/infoview is running (in HTTP mode|the reminder engine)/.test(started.output.join(''))) {
    if (started.child.exitCode !== null) throw new Error(`app exited early:\n${started.output.join('')}`);
    if (Date.now() > deadline) throw new Error(`app did not start:\n${started.output.join('')}`);
    await new Promise((resolve) => started.child.stderr?.once('data', resolve).once('close', resolve));
  }
  return { child: started.child, output: started.output, url: `http://127.0.0.1:${port}/slack/events`, port };
}

let fake: FakeSlack;
let dataDir: string;

let mainDatabase: string;
beforeAll(async () => {
  fake = await FakeSlack.start();
  fake.users.set(USER_ID, { tz: 'Europe/Berlin' });
  dataDir = mkdtempSync(join(tmpdir(), 'infoview-e2e-'));
  // Every launch that names no database uses this one, so a restart finds what the run before it stored.
  mainDatabase = await testDatabaseUrl({ sqliteFile: join(dataDir, 'infoview.sqlite') });
});

afterAll(async () => {
  await fake.stop();
});

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null && child.pid) signalGroup(child, 'SIGKILL');
  }
});

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    // Already gone.
  }
}

async function launch(extra: Record<string, string> = {}) {
  const port = await freePort();
  const started = startApp({
    SLACK_BOT_TOKEN: 'xoxb-e2e-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: mainDatabase,
    PORT: String(port),
    LOG_LEVEL: 'info',
    ...extra,
  });
  running.push(started.child);
  return { ...(await whenListening(started, port)), exited: started.exited };
}

/** A zone where it is now daytime (10:00–17:00), so a reminder due now is not held for quiet hours. */
function daytimeZone(): string {
  const zones = [
    'Pacific/Kiritimati',
    'Asia/Tokyo',
    'Asia/Kolkata',
    'Europe/Berlin',
    'America/New_York',
    'America/Los_Angeles',
    'Pacific/Honolulu',
    'Pacific/Pago_Pago',
  ];
  return (
    zones.find((zone) => DateTime.now().setZone(zone).hour >= 10 && DateTime.now().setZone(zone).hour < 17) ?? 'UTC'
  );
}

/** Sends `/infoview <text>` signed as `who` and returns the modal the app opened for it. */
async function modalFor(app: Running, text: string, who: { userId: string }): Promise<ModalView> {
  const before = fake.callsTo('views.open').length;
  await postSigned(app.url, SECRET, formBody(slashCommand({ text, responseUrl: fake.responseUrl(), ...who })));
  return (await fake.waitFor('views.open', before + 1)).body.view as ModalView;
}

/** A start two hours from now, on the minute: well inside the prep tip's 24-hour lead, so the tip is due at once. */
function twoHoursFromNow(): Date {
  const start = new Date(Date.now() + 2 * 3_600_000);
  start.setUTCSeconds(0, 0);
  return start;
}

describe('npm start, end to end', () => {
  it('walks schedule -> confirmation -> upcoming -> cancel, survives a restart, and stops cleanly on SIGTERM', async () => {
    const app = await launch();
    expect((await fetch(`http://127.0.0.1:${app.port}/healthz`)).status).toBe(200);

    const sent = await postSigned(
      app.url,
      SECRET,
      formBody(slashCommand({ text: 'schedule Ada Lovelace tomorrow 3pm', responseUrl: fake.responseUrl('e2e-1') })),
    );
    expect(sent.status).toBe(200);
    const view = (await fake.waitFor('views.open')).body.view as ModalView;
    const name = view.blocks.find((b) => b.block_id === B.name) as { element: { initial_value?: string } };
    expect(name.element.initial_value).toBe('Ada Lovelace');

    const start = new Date(Date.now() + 3 * 86_400_000);
    start.setUTCSeconds(0, 0);
    const submitted = await postSigned(
      app.url,
      SECRET,
      payloadBody(viewSubmission(view, { [B.startsAt]: start, [B.pronunciation]: 'AY-duh' })),
    );
    expect(submitted.status).toBe(200);
    expect(await submitted.text()).toBe('');
    const dm = await fake.waitFor('chat.postMessage');
    expect(dm.body.text).toMatch(/^Scheduled: Ada Lovelace, \w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d–\d\d:\d\d GMT\+1$/);
    const meetingId = (dm.body.blocks as { type: string; elements?: { value: string }[] }[]).find(
      (b) => b.type === 'actions',
    )?.elements?.[0]?.value;
    expect(meetingId).toMatch(/^\d+$/);

    // Restart: the meeting was stored in the SQLite file, not in memory.
    signalGroup(app.child, 'SIGTERM');
    await app.exited;
    expect(app.output.join('')).toContain('SIGTERM received');
    expect(logEntries(app.output), app.output.join('')).toContainEqual(STOPPED);
    const again = await launch();
    await postSigned(
      again.url,
      SECRET,
      formBody(slashCommand({ text: 'upcoming', responseUrl: fake.responseUrl('e2e-2') })),
    );
    const listed = await fake.waitFor('response_url');
    expect(listed.path).toBe('/respond/e2e-2');
    expect(JSON.stringify(listed.body.blocks)).toContain('Ada Lovelace');

    await postSigned(
      again.url,
      SECRET,
      payloadBody(
        buttonPress({
          actionId: MEETING_ACTIONS.cancel,
          value: String(meetingId),
          responseUrl: fake.responseUrl('e2e-3'),
        }),
      ),
    );
    const cancelled = await fake.waitFor('response_url', 2);
    expect(cancelled.body).toMatchObject({
      replace_original: true,
      text: expect.stringContaining('Cancelled: your meeting with Ada Lovelace'),
    });

    const forged = await postSigned(
      again.url,
      SECRET,
      formBody(slashCommand({ text: 'help', responseUrl: fake.responseUrl() })),
      { secret: 'forged' },
    );
    expect(forged.status).toBe(401);

    signalGroup(again.child, 'SIGINT');
    await again.exited;
    expect(logEntries(again.output)).toContainEqual(STOPPED);
    expect(logEntries(again.output).filter((entry) => entry.level === 'error')).toEqual([]);
    expect(again.output.join('')).not.toContain('xoxb-e2e-token');
  });

  it('logs a contact, schedules with them, and the engine delivers the prep tip as a DM', async () => {
    // A user for whom it is now daytime, so the prep tip is not held for quiet hours.
    const zone = daytimeZone();
    fake.users.set('U0042', { tz: zone });
    const app = await launch({
      SCHEDULER_CRON: '* * * * * *',
      DATABASE_URL: await testDatabaseUrl({ sqliteFile: join(dataDir, 'reminders.sqlite') }),
    });
    const who = { userId: 'U0042' };

    const contactForm = await modalFor(app, 'contact Hanna Berg', who);
    const saved = await postSigned(
      app.url,
      SECRET,
      payloadBody(
        viewSubmission(
          contactForm,
          { [CONTACT_MODAL.blocks.pronunciation]: 'HAH-nah', [CONTACT_MODAL.blocks.timeZone]: 'Europe/Stockholm' },
          who,
        ),
      ),
    );
    const savedView = (await saved.json()) as {
      response_action: string;
      view: { blocks: { type: string; elements?: { value: string }[] }[] };
    };
    expect(savedView.response_action).toBe('update');
    const contactId = savedView.view.blocks.find((b) => b.type === 'actions')?.elements?.[0]?.value;

    const form = await modalFor(app, 'schedule', who);
    const start = twoHoursFromNow();
    const postsBefore = fake.callsTo('chat.postMessage').length;
    await postSigned(
      app.url,
      SECRET,
      payloadBody(viewSubmission(form, { [B.contactId]: String(contactId), [B.startsAt]: start }, who)),
    );
    // The confirmation and the prep tip, in either order: the engine's tick each second may post first.
    await fake.waitFor('chat.postMessage', postsBefore + 2);
    const posted = fake.callsTo('chat.postMessage').slice(postsBefore);
    const confirmation = must(
      posted.find((c) => !c.body.metadata),
      'the confirmation',
    );
    expect(confirmation.body.text).toContain('Scheduled: Hanna Berg');
    // The meeting is two hours away, well inside the 24-hour lead: the next tick sends the prep tip now.
    const prep = must(
      posted.find((c) => c.body.metadata),
      'the prep tip',
    );
    expect(prep.body.metadata).toEqual({
      event_type: 'infoview_reminder',
      event_payload: { reminder_id: expect.any(Number), kind: 'prep', delivery: 1 },
    });
    expect(prep.body.text).toContain('Prepare: Hanna Berg');
    expect(JSON.stringify(prep.body.blocks)).toContain('say it _HAH-nah_');

    signalGroup(app.child, 'SIGTERM');
    await app.exited;
    expect(logEntries(app.output)).toContainEqual(STOPPED);
    expect(
      fake.callsTo('chat.postMessage').filter((c) => c.body.metadata?.event_payload?.kind === 'prep'),
    ).toHaveLength(1);
  });

  it('drafts an ask, records it as sent two weeks ago, and the engine sends the one follow-up nudge', async () => {
    const zone = daytimeZone();
    fake.users.set('U0043', { tz: zone });
    const app = await launch({
      SCHEDULER_CRON: '* * * * * *',
      DATABASE_URL: await testDatabaseUrl({ sqliteFile: join(dataDir, 'asks.sqlite') }),
    });
    const who = { userId: 'U0043' };

    const contactForm = await modalFor(app, 'contact Grace Hopper', who);
    expect((await postSigned(app.url, SECRET, payloadBody(viewSubmission(contactForm, {}, who)))).status).toBe(200);

    const ask = await modalFor(app, 'ask Grace Hopper', who);
    expect(ask.callback_id).toBe(ASK_MODAL.callbackId);
    expect(JSON.stringify(ask.blocks)).toContain("I'm not asking about jobs");
    // Sent two weeks ago: past business day 7, so the follow-up is due now (and day 3's nudge is no longer useful).
    const sentOn = DateTime.now().setZone(zone).minus({ days: 14 }).toISODate() as string;
    const postsBefore = fake.callsTo('chat.postMessage').length;
    const res = await postSigned(
      app.url,
      SECRET,
      payloadBody(
        viewSubmission(ask, { [ASK_MODAL.blocks.channel]: 'linkedin', [ASK_MODAL.blocks.sentOn]: sentOn }, who),
      ),
    );
    expect(await res.text()).toBe('');
    // The confirmation and the nudge, in either order: the engine's tick each second may post first.
    await fake.waitFor('chat.postMessage', postsBefore + 2);
    const posted = fake.callsTo('chat.postMessage').slice(postsBefore);
    expect(
      must(
        posted.find((c) => !c.body.metadata),
        'the confirmation',
      ).body.text,
    ).toBe('Ask to Grace Hopper recorded');
    const nudge = must(
      posted.find((c) => c.body.metadata),
      'the nudge',
    );
    expect(nudge.body.metadata).toEqual({
      event_type: 'infoview_reminder',
      event_payload: { reminder_id: expect.any(Number), kind: 'ask_follow_up', delivery: 1 },
    });
    expect(nudge.body.text).toBe('Follow up once with Grace Hopper');

    signalGroup(app.child, 'SIGTERM');
    await app.exited;
    expect(logEntries(app.output)).toContainEqual(STOPPED);
    const askNudges = fake
      .callsTo('chat.postMessage')
      .filter((c) => String(c.body.metadata?.event_payload?.kind ?? '').startsWith('ask_'));
    expect(askNudges.map((c) => c.body.metadata?.event_payload.kind)).toEqual(['ask_follow_up']);
  });

  it('runs as a web process and an engine process on one database: only the engine posts reminders, and it loads no Bolt', async () => {
    fake.users.set('U0043', { tz: daytimeZone() });
    const shared = {
      SCHEDULER_CRON: '* * * * * *',
      DATABASE_URL: await testDatabaseUrl({ sqliteFile: join(dataDir, 'roles.sqlite') }),
    };
    const web = await launch({ ...shared, INFOVIEW_ROLE: 'web' });
    const who = { userId: 'U0043' };
    const form = await modalFor(web, 'schedule Grace Hopper', who);
    const postsBefore = fake.callsTo('chat.postMessage').length;
    await postSigned(web.url, SECRET, payloadBody(viewSubmission(form, { [B.startsAt]: twoHoursFromNow() }, who)));
    expect((await fake.waitFor('chat.postMessage', postsBefore + 1)).body.text).toContain('Scheduled: Grace Hopper');
    // The prep tip is due now (the meeting is two hours away), and the web process leaves it to the engine.
    const ready = async (port: number) => (await fetch(`http://127.0.0.1:${port}/readyz`)).json();
    expect(await ready(web.port)).toEqual({ ok: true, checks: { database: { ok: true }, slack_token: { ok: true } } });
    expect(web.output.join('')).not.toContain('reminder engine scheduled');

    const modulesFile = join(dataDir, 'engine-modules.json');
    const engine = await launch({
      ...shared,
      INFOVIEW_ROLE: 'engine',
      SLACK_SIGNING_SECRET: '',
      NODE_OPTIONS: `--require ${join(ROOT, 'test/support/loaded-modules.cjs')}`,
      LOADED_MODULES_FILE: modulesFile,
    });
    const prep = await fake.waitFor('chat.postMessage', postsBefore + 2);
    expect(prep.body.metadata).toEqual({
      event_type: 'infoview_reminder',
      event_payload: { reminder_id: expect.any(Number), kind: 'prep', delivery: 1 },
    });
    expect(prep.body.text).toContain('Prepare: Grace Hopper');
    expect(await ready(engine.port)).toEqual({
      ok: true,
      checks: { database: { ok: true }, slack_token: { ok: true }, trigger: { ok: true } },
    });

    // A second engine on the first one's port says so and exits, rather than a stack trace.
    const clash = startApp({
      ...shared,
      INFOVIEW_ROLE: 'engine',
      SLACK_BOT_TOKEN: 'xoxb-e2e-token',
      SLACK_API_URL: fake.apiUrl,
      PORT: String(engine.port),
    });
    running.push(clash.child);
    expect((await clash.exited).code).toBe(1);
    expect(clash.output.join('')).toContain(`port ${engine.port} is in use by another process: set PORT`);

    for (const app of [web, engine]) signalGroup(app.child, 'SIGTERM');
    await Promise.all([web.exited, engine.exited]);
    for (const app of [web, engine]) expect(logEntries(app.output)).toContainEqual(STOPPED);
    const loaded = JSON.parse(readFileSync(modulesFile, 'utf8')) as string[];
    expect(loaded.some((path) => path.includes('/node_modules/@slack/web-api/'))).toBe(true);
    expect(loaded.filter((path) => /\/node_modules\/(@slack\/(bolt|socket-mode)|express)\//.test(path))).toEqual([]);
  });

  it('refuses to start with a clear message naming every bad variable', async () => {
    const started = startApp({
      SLACK_BOT_TOKEN: 'not-a-token',
      PORT: 'eighty',
      DATABASE_URL: join(dataDir, 'unused.sqlite'),
    });
    running.push(started.child);
    expect((await started.exited).code).toBe(1);
    const output = started.output.join('');
    expect(output).toContain('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(output).toContain('SLACK_SIGNING_SECRET is required in HTTP mode');
    expect(output).toContain('PORT must be a port number');
    expect(output).toContain('README.md');
  });

  it('with a token Slack rejects, stays up for housekeeping: says why, and purges an uninstalled workspace', async () => {
    fake.on('auth.test', () => ({ ok: false, error: 'token_revoked' }));
    const path = await testDatabaseUrl({ sqliteFile: join(dataDir, 'revoked.sqlite') });
    const db = openDatabase(path);
    await migrateToLatest(db);
    await db
      .insertInto('workspaces')
      .values({
        team_id: 'T0001',
        uninstalled_at: '2026-01-01T00:00:00.000Z',
        purge_after: '2026-01-31T00:00:00.000Z',
        reminders_stopped_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
      })
      .execute();
    await db
      .insertInto('contacts')
      .values({
        team_id: 'T0001',
        owner_id: USER_ID,
        name: 'Ada',
        name_key: 'ada|',
        search_text: 'ada',
        last_activity_at: '2026-01-01T00:00:00.000Z',
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
        pronunciation: null,
        title: null,
        company: null,
        email: null,
        profile_url: null,
        time_zone: null,
        how_met: null,
        referred_by_id: null,
        tags: null,
        notes: null,
        last_touch_at: null,
        keep_in_touch_snoozed_until: null,
      })
      .execute();
    await db.destroy();
    try {
      const port = await freePort();
      const started = startApp({
        SLACK_BOT_TOKEN: 'xoxb-revoked',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.apiUrl,
        DATABASE_URL: path,
        PORT: String(port),
        SCHEDULER_CRON: '* * * * * *',
      });
      running.push(started.child);
      await outputContains(started, 'purged uninstalled workspace T0001');
      expect(started.output.join('')).toContain('Slack did not accept SLACK_BOT_TOKEN (token_revoked)');
      // Alive, and not ready: /readyz says why.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        ok: false,
        checks: {
          database: { ok: true },
          slack_token: { ok: false, detail: 'Slack did not accept SLACK_BOT_TOKEN (token_revoked)' },
          trigger: { ok: true },
        },
      });
      expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain('infoview_reminders_due 0');
      signalGroup(started.child, 'SIGTERM');
      await started.exited;
      expect(logEntries(started.output)).toContainEqual(STOPPED);
      const after = openDatabase(path);
      expect(await after.selectFrom('contacts').select('id').execute()).toEqual([]);
      await after.destroy();
    } finally {
      fake.on('auth.test', () => ({ ok: true, team_id: 'T0001', user_id: 'UBOT', bot_id: 'BBOT' }));
    }
  });
});
