import { createHash } from 'node:crypto';
import type { ModalView } from '@slack/types';
import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import { FEED_READS_PER_HOUR } from '../../src/slack/calendar-feed-route.js';
import { MEETING_ACTIONS } from '../../src/slack/ui/messages/meeting-messages.js';
import { CALENDAR_FEED } from '../../src/slack/ui/modals/calendar-feed-modal.js';
import { SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { SETTINGS_MODAL } from '../../src/slack/ui/modals/settings-modal.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { type Harness, SIGNING_SECRET, startHarness } from '../support/harness.js';
import {
  buttonPress,
  buttonPressInModal,
  OTHER_USER_ID,
  TEAM_ID,
  USER_ID,
  viewSubmission,
} from '../support/payloads.js';
import { postSigned } from '../support/signing.js';

const S = SCHEDULE_MODAL.blocks;
// Thursday 29 October 2026, 10:00 in New York.
const NOW = '2026-10-29T14:00:00.000Z';
const PUBLIC_URL = 'https://infoview.example.org';

let h: Harness;
afterEach(async () => {
  await h.stop();
});

async function start(env: Record<string, string> = { PUBLIC_URL }) {
  // Debug logs: the secret must not appear even there.
  h = await startHarness({ now: NOW, logLevel: 'debug', env });
  h.fake.users.set(USER_ID, { tz: 'America/New_York' });
  h.fake.users.set(OTHER_USER_ID, { tz: 'Europe/Berlin' });
}

async function schedule(name: string, startsAt: string, userId = USER_ID): Promise<number> {
  const before = h.fake.callsTo('views.open').length;
  await h.command(`schedule ${name}`, { userId });
  const view = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
  await h.interact(viewSubmission(view, { [S.startsAt]: new Date(startsAt) }, { userId }));
  await h.settle();
  return (await h.db.selectFrom('meetings').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
}

async function reschedule(meetingId: number, startsAt: string): Promise<void> {
  const before = h.fake.callsTo('views.open').length;
  await h.interact(
    buttonPress({ actionId: MEETING_ACTIONS.reschedule, value: String(meetingId), responseUrl: h.fake.responseUrl() }),
  );
  const view = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
  await h.interact(viewSubmission(view, { [S.startsAt]: new Date(startsAt) }));
  await h.settle();
}

async function cancel(meetingId: number): Promise<void> {
  await h.interact(
    buttonPress({ actionId: MEETING_ACTIONS.cancel, value: String(meetingId), responseUrl: h.fake.responseUrl() }),
  );
  await h.settle();
}

/** "Subscribe in your calendar" on Home: the modal Slack was asked to open. */
async function openFromHome(userId = USER_ID): Promise<ModalView> {
  const before = h.fake.callsTo('views.open').length;
  const press = buttonPressInModal({ actionId: CALENDAR_FEED.actions.open, value: 'open', viewId: 'VHOME', userId });
  await h.interact({ ...press, view: { ...press.view, type: 'home' } });
  const view = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
  assertWithinBlockKitLimits('modal', view);
  return view;
}

/** A button of the calendar modal: the view it was replaced with. */
async function pressInModal(actionId: string, userId = USER_ID): Promise<ModalView> {
  const before = h.fake.callsTo('views.update').length;
  await h.interact(buttonPressInModal({ actionId, value: actionId, viewId: 'VFEED', userId }));
  const call = await h.fake.waitFor('views.update', before + 1);
  expect(call.body.view_id).toBe('VFEED');
  const view = call.body.view as ModalView;
  assertWithinBlockKitLimits('modal', view);
  return view;
}

function addressIn(view: ModalView): string {
  const found = /```(https:\/\/[^`]+)```/.exec(JSON.stringify(view.blocks));
  if (!found?.[1]) throw new Error('no address in the view');
  return found[1];
}

/** Creates the user's address from Home and returns it, as shown. */
async function createAddress(userId = USER_ID): Promise<string> {
  await openFromHome(userId);
  return addressIn(await pressInModal(CALENDAR_FEED.actions.create, userId));
}

function secretOf(address: string): string {
  const found = /\/calendar\/([A-Za-z0-9_-]+)\.ics$/.exec(address);
  if (!found?.[1]) throw new Error(`not a feed address: ${address}`);
  return found[1];
}

/** Reads the address from this app (the same path on its loopback port). */
function read(address: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(address.replace(PUBLIC_URL, h.baseUrl), { headers });
}

interface FeedEvent {
  uid: string;
  sequence: number;
  status: string;
  summary: string;
  start: string;
  end: string;
}

function eventsOf(text: string): FeedEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((event) => {
    const time = (name: string) => (event.getFirstPropertyValue(name) as ICAL.Time).toJSDate().toISOString();
    return {
      uid: String(event.getFirstPropertyValue('uid')),
      sequence: Number(event.getFirstPropertyValue('sequence')),
      status: String(event.getFirstPropertyValue('status')),
      summary: String(event.getFirstPropertyValue('summary')),
      start: time('dtstart'),
      end: time('dtend'),
    };
  });
}

async function feedEvents(address: string): Promise<FeedEvent[]> {
  const res = await read(address);
  expect(res.status).toBe(200);
  return eventsOf(await res.text());
}

describe('the calendar feed', () => {
  it('gives a private address once, keeps only its SHA-256, and serves each of the user’s meetings once', async () => {
    await start();
    const ada = await schedule('Ada Lovelace', '2026-11-03T20:00:00Z');
    await schedule('Grace Hopper', '2026-11-05T15:00:00Z');
    await schedule('Not Mine', '2026-11-03T20:00:00Z', OTHER_USER_ID);

    const first = await openFromHome();
    expect(JSON.stringify(first.blocks)).toContain(CALENDAR_FEED.actions.create);
    const shown = await pressInModal(CALENDAR_FEED.actions.create);
    expect(JSON.stringify(shown.blocks)).toContain('Copy this address now');
    const address = addressIn(shown);
    const secret = secretOf(address);
    expect(address).toBe(`${PUBLIC_URL}/calendar/${secret}.ics`);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);

    // Only the hash is stored, under the workspace and user.
    const rows = await h.db.selectFrom('calendar_feeds').selectAll().execute();
    expect(rows).toEqual([
      {
        team_id: TEAM_ID,
        owner_id: USER_ID,
        secret_hash: createHash('sha256').update(secret).digest('hex'),
        created_at: NOW,
      },
    ]);
    expect(JSON.stringify(rows)).not.toContain(secret);

    const res = await read(address);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('cache-control')).toMatch(/^private/);
    const text = await res.text();
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const events = eventsOf(text);
    expect(events.map((e) => [e.summary, e.start, e.end, e.status, e.sequence])).toEqual([
      ['Informational interview: Ada Lovelace', '2026-11-03T20:00:00.000Z', '2026-11-03T20:30:00.000Z', 'CONFIRMED', 0],
      ['Informational interview: Grace Hopper', '2026-11-05T15:00:00.000Z', '2026-11-05T15:30:00.000Z', 'CONFIRMED', 0],
    ]);
    expect(new Set(events.map((e) => e.uid)).size).toBe(2);
    // The UID of the calendar file sent after scheduling: a calendar that imported it holds one event, not two.
    const file = h.fake.filesIn('D0001').find((f) => f.content.includes(`meeting-${TEAM_ID}-${ada}@infoview`));
    expect(file?.content).toContain(`UID:${events[0]?.uid}`);

    // Opened again, the modal cannot show the address (only its hash is kept): it offers a reset.
    const again = await openFromHome();
    expect(JSON.stringify(again.blocks)).not.toContain(secret);
    expect(JSON.stringify(again.blocks)).toContain(CALENDAR_FEED.actions.reset);
    expect(h.logs.join('\n')).not.toContain(secret);
  });

  it('keeps a moved meeting’s UID with a higher SEQUENCE, and a cancelled one as CANCELLED for 30 days', async () => {
    await start();
    const ada = await schedule('Ada Lovelace', '2026-11-03T20:00:00Z');
    const grace = await schedule('Grace Hopper', '2026-11-05T15:00:00Z');
    const address = await createAddress();
    const [adaBefore] = await feedEvents(address);

    await reschedule(ada, '2026-11-04T21:00:00Z');
    await cancel(grace);
    const events = await feedEvents(address);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      uid: adaBefore?.uid,
      sequence: (adaBefore?.sequence ?? 0) + 1,
      start: '2026-11-04T21:00:00.000Z',
      status: 'CONFIRMED',
    });
    expect(events[1]).toMatchObject({ uid: `meeting-${TEAM_ID}-${grace}@infoview`, status: 'CANCELLED', sequence: 1 });

    // 29 days after the cancellation it is still there; after 30 it is gone, and so are meetings 30 days past.
    h.clock.set(new Date(Date.parse(NOW) + 29 * 86_400_000));
    expect((await feedEvents(address)).map((e) => e.status)).toEqual(['CONFIRMED', 'CANCELLED']);
    h.clock.set(new Date(Date.parse(NOW) + 31 * 86_400_000));
    expect((await feedEvents(address)).map((e) => e.uid)).toEqual([adaBefore?.uid]);
    h.clock.set(new Date(Date.parse('2026-11-04T21:00:00Z') + 31 * 86_400_000));
    expect(await feedEvents(address)).toEqual([]);
  });

  it('answers a conditional request with 304 until the feed changes', async () => {
    await start();
    const ada = await schedule('Ada Lovelace', '2026-11-03T20:00:00Z');
    const address = await createAddress();
    const first = await read(address);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect((await read(address)).headers.get('etag')).toBe(etag);

    const unchanged = await read(address, { 'If-None-Match': etag });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);
    expect((await read(address, { 'If-None-Match': `"other", W/${etag}` })).status).toBe(304);

    await reschedule(ada, '2026-11-04T21:00:00Z');
    const changed = await read(address, { 'If-None-Match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('after Reset link the old address answers 404 at once and the new one works; Turn off ends it', async () => {
    await start();
    await schedule('Ada Lovelace', '2026-11-03T20:00:00Z');
    const old = await createAddress();
    expect((await read(old)).status).toBe(200);

    const reset = await pressInModal(CALENDAR_FEED.actions.reset);
    expect(JSON.stringify(reset.blocks)).toContain('old address no longer works');
    const fresh = addressIn(reset);
    expect(fresh).not.toBe(old);
    expect((await read(old)).status).toBe(404);
    expect(await feedEvents(fresh)).toHaveLength(1);
    expect(await h.db.selectFrom('calendar_feeds').select('owner_id').execute()).toHaveLength(1);

    const off = await pressInModal(CALENDAR_FEED.actions.stop);
    expect(JSON.stringify(off.blocks)).toContain('feed is off');
    expect((await read(fresh)).status).toBe(404);
    expect(await h.db.selectFrom('calendar_feeds').select('owner_id').execute()).toEqual([]);
    const logs = h.logs.join('\n');
    for (const address of [old, fresh]) expect(logs).not.toContain(secretOf(address));
  });

  it('answers 404 for an unknown or malformed address, without logging it', async () => {
    await start();
    await createAddress();
    const unknown = `${PUBLIC_URL}/calendar/${'x'.repeat(43)}.ics`;
    const res = await read(unknown);
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe('no-store');
    for (const path of ['/calendar/secretpart-no-suffix', '/calendar/secretpart/.ics', '/calendar/secretpart.ics?x=1'])
      expect((await fetch(`${h.baseUrl}${path}`)).status).toBe(404);
    // A path Bolt's router cannot decode fails there, before the feed's handler: logged without the path.
    expect((await fetch(`${h.baseUrl}/calendar/secretpart%E0.ics`)).status).toBe(500);
    expect(h.logs.join('\n')).not.toContain('secretpart');
    expect(h.logs.join('\n')).not.toContain('x'.repeat(43));
  });

  it('limits reads per address: 429 with Retry-After past the hourly allowance, others unaffected', async () => {
    await start();
    const address = await createAddress();
    for (let i = 0; i < FEED_READS_PER_HOUR; i += 1) expect((await read(address)).status).toBe(200);
    const limited = await read(address);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const other = await createAddress(OTHER_USER_ID);
    expect((await read(other)).status).toBe(200);
    h.clock.advance(60 * 60_000);
    expect((await read(address)).status).toBe(200);
  });

  it('ends with delete-my-data, and with the uninstall of the workspace', async () => {
    await start();
    await schedule('Ada Lovelace', '2026-11-03T20:00:00Z');
    const mine = await createAddress();
    const theirs = await createAddress(OTHER_USER_ID);

    const before = h.fake.callsTo('views.open').length;
    await h.command('delete-my-data');
    const modal = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
    await h.interact(viewSubmission(modal, {}));
    expect((await read(mine)).status).toBe(404);
    expect((await read(theirs)).status).toBe(200);

    const uninstalled = JSON.stringify({
      token: 'x',
      team_id: TEAM_ID,
      api_app_id: 'A0001',
      type: 'event_callback',
      event_id: 'EvUNINSTALL',
      event_time: 1_793_282_400,
      event: { type: 'app_uninstalled' },
    });
    expect(
      (await postSigned(h.eventsUrl, SIGNING_SECRET, uninstalled, { contentType: 'application/json' })).status,
    ).toBe(200);
    await h.settle();
    expect((await read(theirs)).status).toBe(404);
    expect(await h.db.selectFrom('calendar_feeds').selectAll().execute()).toEqual([]);
  });

  it('is offered in the reminder settings, pushed over them', async () => {
    await start();
    await h.command('settings');
    const settings = (await h.fake.waitFor('views.open')).body.view as ModalView;
    assertWithinBlockKitLimits('modal', settings);
    const block = settings.blocks.find((b) => b.block_id === SETTINGS_MODAL.blocks.calendar);
    expect(JSON.stringify(block)).toContain(CALENDAR_FEED.actions.open);
    await h.interact(buttonPressInModal({ actionId: CALENDAR_FEED.actions.open, value: 'open', viewId: 'VSETTINGS' }));
    const pushed = (await h.fake.waitFor('views.push')).body.view as ModalView;
    assertWithinBlockKitLimits('modal', pushed);
    expect(pushed.callback_id).toBe(CALENDAR_FEED.callbackId);
  });

  it('without PUBLIC_URL explains that whoever runs infoview must set it, and makes no address', async () => {
    await start({});
    const view = await openFromHome();
    expect(JSON.stringify(view.blocks)).toContain('PUBLIC_URL');
    expect(JSON.stringify(view.blocks)).not.toContain(CALENDAR_FEED.actions.create);
    const pressed = await pressInModal(CALENDAR_FEED.actions.create);
    expect(JSON.stringify(pressed.blocks)).toContain('PUBLIC_URL');
    expect(await h.db.selectFrom('calendar_feeds').selectAll().execute()).toEqual([]);
  });
});
