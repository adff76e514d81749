import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModalView } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeedSecret } from '../../src/domain/meetings/calendar-feed-service.js';
import { buildHelp } from '../../src/slack/ui/messages/help-messages.js';
import { buildScheduleModal, SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { HttpReply } from '../support/fake-slack.js';
import type { AckFrame } from '../support/fake-socket-mode.js';
import { BOT_TOKEN } from '../support/harness.js';
import { TEAM_ID, USER_ID, type UserInput, viewSubmission } from '../support/payloads.js';
import { APP_TOKEN, type SocketHarness, startSocketHarness, within } from '../support/socket-harness.js';

const B = SCHEDULE_MODAL.blocks;
// Thursday 29 October 2026, 10:00 in New York (EDT); US clocks go back on Sunday 1 November.
const NOW = '2026-10-29T14:00:00.000Z';

let h: SocketHarness;
// Unset when a start failed, so afterEach does not stop the previous test's harness again.
let running: SocketHarness | undefined;
// Anything that escapes to the process is a crash in production (Node 20 exits on an unhandled rejection).
const escaped: unknown[] = [];
let crashed: Promise<never>;
// ERROR log lines a test expects (malformed input); any other is a failure.
let errorLinesExpected = 0;
let onEscape: (error: unknown) => void = () => {};
const recordEscape = (error: unknown) => {
  escaped.push(error);
  onEscape(error);
};

beforeEach(async () => {
  escaped.length = 0;
  errorLinesExpected = 0;
  crashed = new Promise<never>((_resolve, reject) => {
    onEscape = (error) => reject(new Error(`escaped to the process: ${String(error)}`));
  });
  crashed.catch(() => {});
  process.on('unhandledRejection', recordEscape);
  process.on('uncaughtException', recordEscape);
  running = undefined;
  h = running = await startSocketHarness({ now: NOW });
  h.fake.users.set(USER_ID, { tz: 'America/New_York' });
});

afterEach(async () => {
  await running?.stop();
  process.off('unhandledRejection', recordEscape);
  process.off('uncaughtException', recordEscape);
  expect(escaped).toEqual([]);
  expect(running?.logs.filter((line) => (JSON.parse(line) as { level: string }).level === 'error') ?? []).toHaveLength(
    errorLinesExpected,
  );
});

const adaInputs = (): Record<string, UserInput> => ({
  [B.name]: 'Ada Lovelace',
  [B.pronunciation]: 'AY-duh LUV-lace',
  [B.title]: 'Senior Data Analyst',
  [B.company]: 'Analytical Engines Ltd',
  [B.startsAt]: new Date('2026-11-03T20:00:00.000Z'),
  [B.location]: 'https://zoom.us/j/123456789',
  [B.goal]: 'How analysts move into research roles',
});

/** Sends `/infoview <text>`, checks the ack answers that very envelope, and returns the ack with the envelope id. */
async function command(text: string): Promise<{ envelopeId: string; ack: AckFrame }> {
  const before = h.socket.envelopes.length;
  const ack = await h.command(text);
  const envelope = h.socket.envelopes[before];
  expect(envelope?.type).toBe('slash_commands');
  expect(ack.envelope_id).toBe(envelope?.envelope_id);
  return { envelopeId: ack.envelope_id, ack };
}

async function openModal(): Promise<ModalView> {
  const before = h.fake.callsTo('views.open').length;
  const { ack } = await command('schedule');
  expect(ack.payload).toEqual({});
  return (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
}

async function meetingRows() {
  return h.db.selectFrom('meetings').selectAll().orderBy('id').execute();
}

describe('Socket Mode connection', () => {
  it('opens the connection with the app-level token in the Authorization header and waits for hello', async () => {
    expect(h.socket.opens).toHaveLength(1);
    expect(h.socket.opens[0]?.authorization).toBe(`Bearer ${APP_TOKEN}`);
    // Slack rejects the token as a POST parameter; it must travel only in the header.
    expect(h.socket.opens[0]?.body).not.toHaveProperty('token');
    expect(h.socket.refused).toEqual([]);
    expect(h.socket.connectionCount).toBe(1);
    const first = await h.socket.waitForConnection(1);
    expect(first.ticket).toBe('1');
    expect(first.isOpen()).toBe(true);
    expect(first.hello).toEqual({
      type: 'hello',
      num_connections: 1,
      debug_info: expect.objectContaining({ host: 'applink-fake-1' }),
      connection_info: { app_id: 'A0001' },
    });
    // app.init() checked the bot token with the Web API; the app token never goes there.
    const auth = await h.fake.waitFor('auth.test');
    expect(auth.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(
      h.fake.calls.filter((call) => call.method !== 'apps.connections.open').map((call) => call.authorization),
    ).not.toContain(`Bearer ${APP_TOKEN}`);
  });

  it('serves /healthz on the side HTTP server', async () => {
    const res = await fetch(h.healthUrl);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('serves the calendar feed beside /healthz: a known address its calendar, an unknown one 404', async () => {
    const secret = await createFeedSecret(h.db, { teamId: TEAM_ID, userId: USER_ID }, h.clock.now());
    const known = await fetch(h.healthUrl.replace('/healthz', `/calendar/${secret}.ics`));
    expect(known.status).toBe(200);
    expect(known.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(await known.text()).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect((await fetch(h.healthUrl.replace('/healthz', `/calendar/${'y'.repeat(43)}.ics`))).status).toBe(404);
    expect((await fetch(h.healthUrl.replace('/healthz', '/calendar/secretpart%E0.ics'))).status).toBe(400);
    expect((await fetch(h.healthUrl)).status).toBe(200);
    expect(h.logs.join('\n')).not.toContain(secret);
    expect(h.logs.join('\n')).not.toContain('secretpart');
  });
});

describe('a port in use', () => {
  it('fails the start with a message saying so, instead of an uncaught error', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as AddressInfo).port;
    try {
      await expect(startSocketHarness({ now: NOW, port })).rejects.toThrow(
        `port ${port} is in use by another process: set PORT`,
      );
    } finally {
      taken.close();
    }
  });
});

describe('the schedule journey over Socket Mode', () => {
  it('acks the /infoview schedule envelope by its id and opens the schedule modal', async () => {
    const { ack } = await command('schedule');
    expect(ack).toEqual({ envelope_id: expect.any(String), payload: {} });
    const call = await h.fake.waitFor('views.open');
    expect(call.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(call.body.trigger_id).toMatch(/^13345224609\.738474920\./);
    expect(call.body.view).toEqual(JSON.parse(JSON.stringify(buildScheduleModal({ name: null, startsAt: null }))));
    // One ack per envelope, nothing else on the wire.
    expect(h.socket.strayFrames).toEqual([]);
    expect(h.socket.connections[0]?.frames).toEqual([ack]);
  });

  it('a valid view_submission is acked with no errors, stored, and confirmed by DM', async () => {
    const view = await openModal();
    const ack = await h.interact(viewSubmission(view, adaInputs(), { viewId: 'VSOCKET1' }));
    expect(ack.envelope_id).toBe(h.socket.envelopes.at(-1)?.envelope_id);
    // An empty ack closes the modal; Slack reads `response_action` from the payload.
    expect(ack.payload).toEqual({});

    // The submission is stored before the ack, so the rows are there as soon as the ack frame is.
    const contacts = await h.db.selectFrom('contacts').selectAll().execute();
    expect(contacts).toEqual([
      expect.objectContaining({
        team_id: 'T0001',
        owner_id: USER_ID,
        name: 'Ada Lovelace',
        company: 'Analytical Engines Ltd',
      }),
    ]);
    expect(await meetingRows()).toEqual([
      expect.objectContaining({
        team_id: 'T0001',
        owner_id: USER_ID,
        contact_id: contacts[0]?.id,
        starts_at: '2026-11-03T20:00:00.000Z',
        ends_at: '2026-11-03T20:30:00.000Z',
        duration_minutes: 30,
        status: 'scheduled',
        source_view_id: 'VSOCKET1',
      }),
    ]);

    const dm = await h.fake.waitFor('chat.postMessage');
    expect(dm.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(dm.body.channel).toBe('D0001');
    expect(dm.body.text).toBe('Scheduled: Ada Lovelace, Tue 3 Nov 2026, 15:00–15:30 EST');
    // The zone comes from Slack after the ack (no Web API call may stand before it); the meeting has it by the DM.
    expect((await meetingRows())[0]?.time_zone).toBe('America/New_York');
  });

  it('an invalid view_submission is answered in the ack frame with inline errors and stores nothing', async () => {
    const view = await openModal();
    const ack = await h.interact(viewSubmission(view, { ...adaInputs(), [B.name]: '' }));
    expect(ack).toEqual({
      envelope_id: h.socket.envelopes.at(-1)?.envelope_id,
      payload: {
        response_action: 'errors',
        errors: { [B.name]: expect.stringContaining('Pick someone from your contacts or type a name') },
      },
    });
    expect(await meetingRows()).toHaveLength(0);
    expect(await h.db.selectFrom('contacts').selectAll().execute()).toHaveLength(0);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it.each([
    ['help', undefined],
    ['frobnicate', 'frobnicate'],
  ])('/infoview %s is answered in the ack payload with the help text', async (text, unknown) => {
    const { ack } = await command(text);
    expect(ack.payload).toEqual(JSON.parse(JSON.stringify(buildHelp(unknown))));
    expect(ack.payload?.text).toContain('/infoview schedule');
    expect(ack.payload?.text).toContain('/infoview help');
    // The ack itself is the reply: nothing goes through response_url or the Web API.
    expect(h.fake.callsTo('response_url')).toHaveLength(0);
    expect(h.fake.callsTo('chat.postEphemeral')).toHaveLength(0);
  });
});

describe('a server-initiated disconnect', () => {
  it('reconnects with a fresh apps.connections.open and keeps handling commands', async () => {
    await openModal();
    const first = h.socket.current;
    expect(first?.number).toBe(1);
    const reconnecting = new Promise<void>((resolve) => h.client.once('reconnecting', () => resolve()));
    const connected = new Promise<void>((resolve) => h.client.once('connected', () => resolve()));

    h.expediteNextReconnect();
    const closed = await h.socket.disconnect('refresh_requested');
    expect(closed.number).toBe(1);
    expect(closed.isOpen()).toBe(false);
    await within(reconnecting, 'the client did not start reconnecting after the disconnect');

    const second = await h.socket.waitForConnection(2);
    await within(connected, 'the client did not take the hello of the new connection');
    expect(h.socket.connectionCount).toBe(2);
    expect(h.socket.opens).toHaveLength(2);
    expect(h.socket.opens.map((call) => call.authorization)).toEqual([`Bearer ${APP_TOKEN}`, `Bearer ${APP_TOKEN}`]);
    // A new ticket: the old URL is never reused (tickets are single-use, reuse would be refused).
    expect(second.ticket).toBe('2');
    expect(h.socket.refused).toEqual([]);
    expect(second.hello).toMatchObject({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0001' } });
    expect(second.isOpen()).toBe(true);

    // The journey goes on over the new connection.
    const { ack } = await command('schedule');
    expect(second.frames).toContainEqual(ack);
    expect(first?.frames).not.toContainEqual(ack);
    const view = (await h.fake.waitFor('views.open', 2)).body.view as ModalView;
    const submitted = await h.interact(viewSubmission(view, adaInputs()));
    expect(submitted.payload).toEqual({});
    expect(await meetingRows()).toHaveLength(1);
    await h.fake.waitFor('chat.postMessage');
    expect(h.socket.connectionCount).toBe(2);
  });
});

describe('malformed frames', () => {
  it('ignores a non-JSON text frame and a binary frame, and handles the next envelope', async () => {
    h.socket.sendRaw('this is not json {');
    h.socket.sendRaw(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    const { ack } = await command('help');
    expect(ack.payload?.text).toContain('/infoview schedule');
    expect(h.socket.strayFrames).toEqual([]);
    expect(h.socket.connectionCount).toBe(1);
  });

  it('survives envelopes with missing or wrong fields and handles the next one', async () => {
    errorLinesExpected = 2;
    // No type, no envelope id: Bolt cannot read the body (logged), nothing to ack.
    h.socket.sendRaw(JSON.stringify({ hello: 'world' }));
    // A command envelope with an empty payload, and with none at all: Bolt cannot tell what they are, so no ack.
    const empty = h.socket.post('slash_commands', {});
    const missing = h.socket.post('slash_commands', undefined);
    // A view submission without its state: refused inline, nothing stored.
    const modal = buildScheduleModal({ name: null, startsAt: null });
    const { state: _state, ...stateless } = viewSubmission(modal, {}).view;
    const noState = h.socket.post('interactive', { ...viewSubmission(modal, {}), view: stateless });

    const { ack } = await command('help');
    expect(ack.payload?.text).toContain('/infoview schedule');
    expect(await h.socket.ackFor(noState)).toEqual({
      envelope_id: noState,
      payload: { response_action: 'errors', errors: { [B.name]: expect.stringContaining('could not be read') } },
    });
    // Frames are read in order and Bolt gives up on these synchronously, so by now they are settled: logged, not acked.
    expect(h.logs.filter((line) => line.includes('Could not determine the type of an incoming event'))).toHaveLength(1);
    expect(h.logs.filter((line) => line.includes('An unhandled error occurred while Bolt processed'))).toHaveLength(2);
    expect(h.socket.acks.has(empty)).toBe(false);
    expect(h.socket.acks.has(missing)).toBe(false);
    expect(h.socket.strayFrames).toEqual([]);
    expect(await meetingRows()).toHaveLength(0);
    expect(h.socket.connectionCount).toBe(1);
    expect(h.socket.current?.number).toBe(1);
  });
});

describe('events_api envelopes', () => {
  it('are acked with an empty payload even with no listener, so Slack does not retry them', async () => {
    const ack = await h.socket.send('events_api', {
      token: 'deprecated-verification-token',
      team_id: 'T0001',
      api_app_id: 'A0001',
      type: 'event_callback',
      event_id: 'Ev0001',
      event_time: 1_793_282_400,
      event: { type: 'app_home_opened', user: USER_ID, channel: 'D0001', tab: 'home', event_ts: '1793282400.000100' },
    });
    expect(h.socket.envelopes.at(-1)?.accepts_response_payload).toBe(false);
    expect(ack).toEqual({ envelope_id: h.socket.envelopes.at(-1)?.envelope_id, payload: {} });
  });
});

describe('reconnecting', () => {
  // The Socket Mode client keeps the SDK's own retries for apps.connections.open ({ retries: 100, factor: 1.3 }):
  // the app's `retries: 0` for posts must not reach it, or one 503 while reconnecting ends the connection.
  it('retries a transient apps.connections.open failure while reconnecting', async () => {
    h.socket.failNextOpens(new HttpReply(503, { ok: false, error: 'service_unavailable' }));
    const connected = new Promise<void>((resolve) => h.client.once('connected', () => resolve()));
    h.expediteNextReconnect();
    await h.socket.disconnect();
    try {
      await Promise.race([h.socket.waitForConnection(2, 4000), crashed]);
      await Promise.race([connected, crashed]);
      expect(h.socket.opens).toHaveLength(3);
      expect((await command('help')).ack.payload?.text).toContain('/infoview schedule');
    } finally {
      expect(escaped).toEqual([]);
    }
  });
});
