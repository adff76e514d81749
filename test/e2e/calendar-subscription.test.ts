import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ModalView } from '@slack/types';
import ICAL from 'ical.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MEETING_ACTIONS } from '../../src/slack/ui/messages/meeting-messages.js';
import { CALENDAR_FEED } from '../../src/slack/ui/modals/calendar-feed-modal.js';
import { SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { FakeSlack } from '../support/fake-slack.js';
import { buttonPress, buttonPressInModal, slashCommand, USER_ID, viewSubmission } from '../support/payloads.js';
import { formBody, payloadBody, postSigned } from '../support/signing.js';
import { testDatabaseUrl } from '../support/test-database.js';

// The app started as the README starts it (`npm start`), and a real calendar program subscribed to the feed address
// it gives: vdirsyncer's read-only `http` storage, synced into a folder of .ics files (one per event).
const ROOT = new URL('../../', import.meta.url).pathname;
const SECRET = 'e2e-calendar-signing-secret';
const VDIRSYNCER = process.env.VDIRSYNCER_PATH || '/usr/bin/vdirsyncer';
const B = SCHEDULE_MODAL.blocks;
const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let fake: FakeSlack;
let dir: string;
const running: ChildProcess[] = [];

beforeAll(async () => {
  fake = await FakeSlack.start();
  fake.users.set(USER_ID, { tz: 'Europe/Berlin' });
  dir = mkdtempSync(join(tmpdir(), 'infoview-calendar-'));
});
afterAll(async () => {
  await fake.stop();
});
afterEach(() => {
  for (const child of running.splice(0)) {
    try {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

async function launch(port: number): Promise<{ url: string; output: string[] }> {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    detached: true,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SLACK_BOT_TOKEN: 'xoxb-e2e-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: await testDatabaseUrl({ sqliteFile: join(dir, 'infoview.sqlite') }),
      PORT: String(port),
      PUBLIC_URL: `http://localhost:${port}`,
      LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  const output: string[] = [];
  child.stdout?.on('data', (chunk) => output.push(String(chunk)));
  child.stderr?.on('data', (chunk) => output.push(String(chunk)));
  while (!output.join('').includes('infoview is running in HTTP mode')) {
    if (child.exitCode !== null) throw new Error(`app exited early:\n${output.join('')}`);
    await new Promise((resolve) => child.stderr?.once('data', resolve).once('close', resolve));
  }
  return { url: `http://127.0.0.1:${port}/slack/events`, output };
}

/** A start `days` from now, on the hour. */
function daysFromNow(days: number): Date {
  const start = new Date(Date.now() + days * 86_400_000);
  start.setUTCMinutes(0, 0, 0);
  return start;
}

async function schedule(app: { url: string }, name: string, start: Date): Promise<string> {
  const opened = fake.callsTo('views.open').length;
  const posted = fake.callsTo('chat.postMessage').length;
  await postSigned(
    app.url,
    SECRET,
    formBody(slashCommand({ text: `schedule ${name}`, responseUrl: fake.responseUrl() })),
  );
  const view = (await fake.waitFor('views.open', opened + 1)).body.view as ModalView;
  await postSigned(app.url, SECRET, payloadBody(viewSubmission(view, { [B.startsAt]: start })));
  const dm = await fake.waitFor('chat.postMessage', posted + 1);
  const actions = (dm.body.blocks as { type: string; elements?: { value: string }[] }[]).find(
    (b) => b.type === 'actions',
  );
  return actions?.elements?.[0]?.value ?? '';
}

/**
 * vdirsyncer subscribed to `address`, syncing into a folder: the events it holds, by title and start, one file each.
 * (Its filesystem storage gives an item whose UID has characters unsafe in a file name, such as `@`, a UID of its
 * own, so the UIDs seen here are vdirsyncer's.)
 */
async function sync(address: string): Promise<{ summary: string; start: string }[]> {
  const local = join(dir, 'calendar');
  mkdirSync(local, { recursive: true });
  mkdirSync(join(dir, 'status'), { recursive: true });
  const config = join(dir, 'vdirsyncer.conf');
  writeFileSync(
    config,
    [
      '[general]',
      `status_path = "${join(dir, 'status')}/"`,
      '',
      '[pair infoview]',
      'a = "infoview_feed"',
      'b = "infoview_local"',
      'collections = null',
      'conflict_resolution = "a wins"',
      'partial_sync = "ignore"',
      '',
      '[storage infoview_feed]',
      'type = "http"',
      `url = "${address}"`,
      '',
      '[storage infoview_local]',
      'type = "filesystem"',
      `path = "${local}/"`,
      'fileext = ".ics"',
      '',
    ].join('\n'),
  );
  const env = { PATH: process.env.PATH ?? '', HOME: dir, LANG: 'C.UTF-8' };
  await run(VDIRSYNCER, ['-c', config, 'discover', 'infoview'], { env });
  await run(VDIRSYNCER, ['-c', config, 'sync', 'infoview'], { env });
  const files = readdirSync(local).filter((name) => name.endsWith('.ics'));
  return files
    .flatMap((name) => {
      const calendar = new ICAL.Component(ICAL.parse(readFileSync(join(local, name), 'utf8')));
      const events = calendar.getAllSubcomponents('vevent');
      expect(events).toHaveLength(1);
      return events.map((event) => ({
        summary: String(event.getFirstPropertyValue('summary')),
        start: (event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
      }));
    })
    .sort((a, b) => a.start.localeCompare(b.start));
}

describe('subscribing with a real calendar program', () => {
  it('holds each meeting once, and at its new time after a reschedule', async () => {
    const port = await freePort();
    const app = await launch(port);
    const adaStart = daysFromNow(3);
    const graceStart = daysFromNow(5);
    const ada = await schedule(app, 'Ada Lovelace', adaStart);
    await schedule(app, 'Grace Hopper', graceStart);

    // Home's button, then Create: the address shown once.
    const opened = fake.callsTo('views.open').length;
    const home = buttonPressInModal({ actionId: CALENDAR_FEED.actions.open, value: 'open', viewId: 'VHOME' });
    await postSigned(app.url, SECRET, payloadBody({ ...home, view: { ...home.view, type: 'home' } }));
    await fake.waitFor('views.open', opened + 1);
    const updated = fake.callsTo('views.update').length;
    await postSigned(
      app.url,
      SECRET,
      payloadBody(buttonPressInModal({ actionId: CALENDAR_FEED.actions.create, value: 'create', viewId: 'VFEED' })),
    );
    const shown = (await fake.waitFor('views.update', updated + 1)).body.view as ModalView;
    const address = /```(http:\/\/localhost:\d+\/calendar\/[A-Za-z0-9_-]+\.ics)```/.exec(
      JSON.stringify(shown.blocks),
    )?.[1];
    expect(address).toBeDefined();

    expect(await sync(address ?? '')).toEqual([
      { summary: 'Informational interview: Ada Lovelace', start: adaStart.toISOString() },
      { summary: 'Informational interview: Grace Hopper', start: graceStart.toISOString() },
    ]);

    // Moved by a day: the calendar still holds two events, Ada's at the new time.
    const newStart = daysFromNow(4);
    const reopened = fake.callsTo('views.open').length;
    await postSigned(
      app.url,
      SECRET,
      payloadBody(buttonPress({ actionId: MEETING_ACTIONS.reschedule, value: ada, responseUrl: fake.responseUrl() })),
    );
    const form = (await fake.waitFor('views.open', reopened + 1)).body.view as ModalView;
    const posted = fake.callsTo('chat.postMessage').length;
    await postSigned(app.url, SECRET, payloadBody(viewSubmission(form, { [B.startsAt]: newStart })));
    await fake.waitFor('chat.postMessage', posted + 1);

    expect(await sync(address ?? '')).toEqual([
      { summary: 'Informational interview: Ada Lovelace', start: newStart.toISOString() },
      { summary: 'Informational interview: Grace Hopper', start: graceStart.toISOString() },
    ]);
    const secret = /\/calendar\/([^.]+)\.ics$/.exec(address ?? '')?.[1] ?? '';
    expect(secret).toHaveLength(43);
    expect(app.output.join('')).not.toContain(secret);
  });
});
