import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModalView } from '@slack/types';
import { parse } from 'csv-parse/sync';
import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { purgeExpiredWorkspaces } from '../../src/domain/installs/workspaces-service.js';
import { createLogger } from '../../src/lib/logger.js';
import { MEETING_ACTIONS } from '../../src/slack/ui/messages/meeting-messages.js';
import { DELETE_MY_DATA_MODAL } from '../../src/slack/ui/modals/delete-my-data-modal.js';
import { SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { type Harness, SIGNING_SECRET, startHarness } from '../support/harness.js';
import { must } from '../support/must.js';
import { buttonPress, OTHER_USER_ID, TEAM_ID, USER_ID, viewSubmission } from '../support/payloads.js';
import { postSigned } from '../support/signing.js';
import { testDatabaseUrl } from '../support/test-database.js';

const S = SCHEDULE_MODAL.blocks;
let h: Harness;
beforeEach(async () => {
  h = await startHarness({ now: '2026-10-29T14:00:00Z' });
  h.fake.users.set(USER_ID, { tz: 'America/New_York' });
  h.fake.users.set(OTHER_USER_ID, { tz: 'Europe/Berlin' });
  h.fake.users.set('U0003', { tz: 'Asia/Tokyo' });
});
afterEach(async () => {
  await h.stop();
});

async function schedule(name: string, startsAt: string, userId = USER_ID, location = 'https://zoom.us/j/42') {
  const before = h.fake.callsTo('views.open').length;
  await h.command(`schedule ${name}`, { userId });
  const view = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
  await h.interact(
    viewSubmission(
      view,
      { [S.startsAt]: new Date(startsAt), [S.location]: location, [S.pronunciation]: 'say-it' },
      { userId },
    ),
  );
  await h.infoview.inFlight.drain(5000);
  return (await h.db.selectFrom('meetings').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
}

function calendarEvent(content: string) {
  const component = new ICAL.Component(ICAL.parse(content));
  const event = component.getFirstSubcomponent('vevent');
  if (!event) throw new Error('no VEVENT');
  const get = (name: string) => event.getFirstPropertyValue(name);
  const start = get('dtstart') as ICAL.Time;
  return {
    method: component.getFirstPropertyValue('method'),
    uid: get('uid'),
    sequence: get('sequence'),
    status: get('status'),
    summary: get('summary'),
    location: get('location'),
    description: String(get('description')),
    start: start.toJSDate().toISOString(),
    durationMinutes: (get('duration') as ICAL.Duration).toSeconds() / 60,
  };
}

describe('calendar files', () => {
  it('come with every confirmation, keep one UID across a reschedule, and cancel it at the end', async () => {
    const meetingId = await schedule('Ada Lovelace', '2026-11-03T20:00:00Z');
    const [first] = h.fake.filesIn('D0001');
    expect(first?.filename).toBe('infoview-ada-lovelace.ics');
    expect(first?.comment).toBe('Add it to your calendar:');
    const event = calendarEvent(first?.content ?? '');
    const row = await h.db.selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      method: 'REQUEST',
      uid: `meeting-${TEAM_ID}-${meetingId}@infoview`,
      sequence: 0,
      status: 'CONFIRMED',
      summary: 'Informational interview: Ada Lovelace',
      location: 'https://zoom.us/j/42',
      start: new Date(row.starts_at).toISOString(),
      durationMinutes: row.duration_minutes,
    });
    expect(event.description).toContain('Ada Lovelace (say it: say-it)');

    await h.interact(
      buttonPress({
        actionId: MEETING_ACTIONS.reschedule,
        value: String(meetingId),
        responseUrl: h.fake.responseUrl(),
      }),
    );
    const form = (await h.fake.waitFor('views.open', 2)).body.view as ModalView;
    await h.interact(viewSubmission(form, { [S.startsAt]: new Date('2026-11-04T20:00:00Z') }));
    await h.infoview.inFlight.drain(5000);
    const moved = calendarEvent(h.fake.filesIn('D0001')[1]?.content ?? '');
    expect(moved).toMatchObject({ uid: event.uid, sequence: 1, start: '2026-11-04T20:00:00.000Z', method: 'REQUEST' });

    await h.interact(
      buttonPress({ actionId: MEETING_ACTIONS.cancel, value: String(meetingId), responseUrl: h.fake.responseUrl() }),
    );
    await h.infoview.inFlight.drain(5000);
    const cancelled = calendarEvent(h.fake.filesIn('D0001')[2]?.content ?? '');
    expect(cancelled).toMatchObject({ uid: event.uid, sequence: 2, method: 'CANCEL', status: 'CANCELLED' });
  });
});

/** RFC 5546 §3.2.2 (REQUEST) and §3.2.5 (CANCEL): the properties each must carry. */
const REQUIRED: Record<'REQUEST' | 'CANCEL', { calendar: string[]; event: string[] }> = {
  REQUEST: {
    calendar: ['method', 'prodid', 'version'],
    event: ['attendee', 'dtstamp', 'dtstart', 'organizer', 'summary', 'uid'],
  },
  CANCEL: { calendar: ['method', 'prodid', 'version'], event: ['attendee', 'dtstamp', 'organizer', 'sequence', 'uid'] },
};

function checkRfc5546(content: string, method: 'REQUEST' | 'CANCEL') {
  const calendar = new ICAL.Component(ICAL.parse(content));
  const event = must(calendar.getFirstSubcomponent('vevent'), 'a VEVENT in the calendar file');
  expect(calendar.getFirstPropertyValue('method')).toBe(method);
  for (const name of REQUIRED[method].calendar)
    expect(calendar.getFirstProperty(name), `VCALENDAR ${name}`).not.toBeNull();
  for (const name of REQUIRED[method].event) expect(event.getFirstProperty(name), `VEVENT ${name}`).not.toBeNull();
  // SEQUENCE may be left out only while it is 0.
  if (Number(event.getFirstPropertyValue('sequence') ?? 0) !== 0)
    expect(event.getFirstProperty('sequence')).not.toBeNull();
  if (method === 'CANCEL') expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
  return {
    // The scheme is case-insensitive (ics writes MAILTO:).
    organizer: String(event.getFirstPropertyValue('organizer')).replace(/^mailto:/i, 'mailto:'),
    attendees: event.getAllProperties('attendee').map((p) => String(p.getFirstValue()).replace(/^mailto:/i, 'mailto:')),
  };
}

describe('calendar files are valid iTIP', () => {
  it('carry ORGANIZER (the user, by Slack email) and ATTENDEE (the contact when their email is known), for REQUEST and CANCEL', async () => {
    h.fake.users.set(USER_ID, { tz: 'America/New_York', email: 'me@example.com' });
    const meetingId = await schedule('Ada Lovelace', '2026-11-03T20:00:00Z');
    const request = checkRfc5546(h.fake.filesIn('D0001')[0]?.content ?? '', 'REQUEST');
    expect(request.organizer).toBe('mailto:me@example.com');
    expect(request.attendees).toEqual(['mailto:me@example.com']); // no email for Ada yet: the user attends

    await h.db.updateTable('contacts').set({ email: 'ada@example.com' }).execute();
    await h.interact(
      buttonPress({ actionId: MEETING_ACTIONS.cancel, value: String(meetingId), responseUrl: h.fake.responseUrl() }),
    );
    await h.settle();
    const cancel = checkRfc5546(h.fake.filesIn('D0001')[1]?.content ?? '', 'CANCEL');
    expect(cancel).toEqual({ organizer: 'mailto:me@example.com', attendees: ['mailto:ada@example.com'] });
  });

  it('without users:read.email, the organizer is an address that cannot be delivered, and the file is still valid', async () => {
    await schedule('Ada Lovelace', '2026-11-03T20:00:00Z');
    const request = checkRfc5546(h.fake.filesIn('D0001')[0]?.content ?? '', 'REQUEST');
    expect(request.organizer).toBe(`mailto:${USER_ID.toLowerCase()}@${TEAM_ID.toLowerCase()}.slack.invalid`);
  });
});

describe('/infoview export', () => {
  const parseCsv = (content: string) =>
    parse(content, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];

  it('sends CSV files and a JSON file of only my data, neutralised against formulas, in any script', async () => {
    const names = [
      '=HYPERLINK("http://evil.example","x")',
      '+1 555 0100',
      '-Minus Person',
      '@SUM(A1)',
      '山田 太郎',
      'Zoë Ångström 🎉',
    ];
    for (const name of names) await schedule(name, '2026-11-03T20:00:00Z');
    await schedule('Not Mine', '2026-11-03T20:00:00Z', OTHER_USER_ID);
    const res = await h.command('export');
    expect(((await res.json()) as { text: string }).text).toContain('Preparing your export');
    await h.infoview.inFlight.drain(5000);
    const files = h.fake.filesIn('D0001').filter((f) => !f.filename.endsWith('.ics'));
    expect(files.map((f) => f.filename)).toEqual([
      'infoview-contacts.csv',
      'infoview-meetings.csv',
      'infoview-advice-items.csv',
      'infoview-asks.csv',
      'infoview-export.json',
    ]);
    expect(files[0]?.comment).toContain('6 contacts, 6 meetings');

    const contacts = parseCsv(files[0]?.content ?? '');
    const rows = await h.db.selectFrom('contacts').selectAll().where('owner_id', '=', USER_ID).orderBy('id').execute();
    expect(contacts.map((c) => c.name)).toEqual([
      '\'=HYPERLINK("http://evil.example","x")',
      "'+1 555 0100",
      "'-Minus Person",
      "'@SUM(A1)",
      '山田 太郎',
      'Zoë Ångström 🎉',
    ]);
    expect(contacts.map((c) => Number(c.id))).toEqual(rows.map((r) => r.id));
    expect(files[0]?.content.charCodeAt(0)).toBe(0xfeff);

    const meetings = parseCsv(files[1]?.content ?? '');
    expect(meetings).toHaveLength(6);
    expect(meetings[4]).toMatchObject({
      contact_name: '山田 太郎',
      starts_at: '2026-11-03T20:00:00.000Z',
      location: 'https://zoom.us/j/42',
      status: 'scheduled',
    });

    const json = JSON.parse(files[4]?.content ?? '{}');
    expect(json.user_id).toBe(USER_ID);
    expect(json.contacts).toEqual(JSON.parse(JSON.stringify(rows)));
    expect(JSON.stringify(json)).not.toContain('Not Mine');
  });

  it('an export whose upload fails says so instead of staying at "Preparing…"', async () => {
    h.fake.on('files.getUploadURLExternal', () => ({ ok: false, error: 'internal_error' }));
    await h.command('export');
    await h.settle();
    const replies = h.fake.callsTo('response_url').map((c) => String(c.body.text));
    expect(replies.some((text) => text.includes('Your export could not be delivered'))).toBe(true);
  });

  it('exports an empty account as valid files with headers', async () => {
    await h.command('export');
    await h.infoview.inFlight.drain(5000);
    const files = h.fake.filesIn('D0001');
    expect(files).toHaveLength(5);
    expect(parse(files[0]?.content ?? '', { bom: true })).toEqual([
      [
        'id',
        'name',
        'pronunciation',
        'title',
        'company',
        'email',
        'profile_url',
        'time_zone',
        'how_met',
        'referred_by_id',
        'tags',
        'notes',
        'keep_in_touch_days',
        'last_touch_at',
        'created_at',
        'slack_user_id',
      ],
    ]);
    expect(JSON.parse(files[4]?.content ?? '')).toMatchObject({
      contacts: [],
      meetings: [],
      debriefs: [],
      adviceItems: [],
      reminders: [],
      asks: [],
    });
    expect(parse(files[3]?.content ?? '', { bom: true })).toEqual([
      [
        'id',
        'contact_id',
        'contact_name',
        'channel',
        'sent_on',
        'status',
        'followed_up_at',
        'closed_at',
        'purpose',
        'draft',
      ],
    ]);
  });
});

describe('/infoview delete-my-data', () => {
  it('asks first, then deletes every row of mine in one go, leaves others untouched, and no reminder of mine fires', async () => {
    await schedule('Ada Lovelace', '2026-11-03T20:00:00Z');
    await schedule('Grace Hopper', '2026-11-04T20:00:00Z');
    await schedule('Not Mine', '2026-11-03T20:00:00Z', OTHER_USER_ID);
    await h.command('questions');
    // Its modal first: two commands' views.open calls may otherwise arrive in either order (both are made after the ack).
    await h.fake.waitFor('views.open', 4);
    await h.command('delete-my-data');
    const modal = (await h.fake.waitFor('views.open', 5)).body.view as ModalView;
    assertWithinBlockKitLimits('modal', modal);
    expect(modal.callback_id).toBe(DELETE_MY_DATA_MODAL.callbackId);
    expect(JSON.stringify(modal.blocks)).toContain('*2 contacts*, *2 meetings*');
    expect(JSON.stringify(modal.blocks)).toContain('cannot be undone');

    const res = await h.interact(viewSubmission(modal, {}));
    expect(((await res.json()) as { response_action: string }).response_action).toBe('update');
    for (const table of ['contacts', 'meetings', 'reminders', 'debriefs', 'advice_items', 'saved_questions'] as const) {
      expect(await h.db.selectFrom(table).select('owner_id').where('owner_id', '=', USER_ID).execute(), table).toEqual(
        [],
      );
    }
    expect(await h.db.selectFrom('slack_users').select('user_id').where('user_id', '=', USER_ID).execute()).toEqual([]);
    expect(await h.db.selectFrom('contacts').select('name').execute()).toEqual([{ name: 'Not Mine' }]);
    expect(
      (await h.db.selectFrom('reminders').select('owner_id').execute()).every((r) => r.owner_id === OTHER_USER_ID),
    ).toBe(true);

    const posted = h.fake.callsTo('chat.postMessage').length;
    h.clock.set('2026-11-18T10:00:00Z'); // the other user's report-back is due, outside their quiet hours
    await h.tick();
    const after = h.fake.callsTo('chat.postMessage').slice(posted);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((call) => call.body.channel !== 'D0001')).toBe(true);
  });
});

describe('uninstalling', () => {
  function event(type: 'app_uninstalled' | 'tokens_revoked', teamId = TEAM_ID) {
    return JSON.stringify({
      token: 'x',
      team_id: teamId,
      api_app_id: 'A0001',
      type: 'event_callback',
      event_id: `Ev${Math.random().toString(36).slice(2)}`,
      event_time: 1_793_282_400,
      event: type === 'app_uninstalled' ? { type } : { type, tokens: { oauth: [USER_ID], bot: [] } },
    });
  }
  const send = async (body: string) =>
    expect((await postSigned(h.eventsUrl, SIGNING_SECRET, body, { contentType: 'application/json' })).status).toBe(200);
  const pendingOf = async (userId: string) =>
    (
      await h.db
        .selectFrom('reminders')
        .select('state')
        .where('owner_id', '=', userId)
        .where('state', '=', 'pending')
        .execute()
    ).length;

  it.each([
    ['uninstall first', ['app_uninstalled', 'tokens_revoked', 'app_uninstalled', 'tokens_revoked'] as const],
    ['revocation first', ['tokens_revoked', 'tokens_revoked', 'app_uninstalled', 'app_uninstalled'] as const],
  ])('%s, repeated: reminders stop at once, data is purged after the retention period only', async (_order, events) => {
    await schedule('Ada Lovelace', '2026-11-03T20:00:00Z');
    await schedule('Other Team', '2026-11-03T20:00:00Z', 'U0003');
    await h.db.updateTable('meetings').set({ team_id: 'T0002' }).where('owner_id', '=', 'U0003').execute();
    await h.db.updateTable('contacts').set({ team_id: 'T0002' }).where('owner_id', '=', 'U0003').execute();
    await h.db.updateTable('reminders').set({ team_id: 'T0002' }).where('owner_id', '=', 'U0003').execute();
    expect(await pendingOf(USER_ID)).toBeGreaterThan(0);

    for (const type of events) {
      await send(event(type));
      await h.infoview.inFlight.drain(5000);
    }
    expect(await pendingOf(USER_ID)).toBe(0);
    expect(await pendingOf('U0003')).toBeGreaterThan(0);
    const workspace = await h.db.selectFrom('workspaces').selectAll().executeTakeFirstOrThrow();
    expect(workspace).toMatchObject({
      team_id: TEAM_ID,
      uninstalled_at: '2026-10-29T14:00:00.000Z',
      purge_after: '2026-11-28T14:00:00.000Z',
    });

    const logger = createLogger({ level: 'error' });
    expect(await purgeExpiredWorkspaces(h.db, new Date('2026-11-28T13:59:00Z'), logger)).toBe(0);
    expect(await h.db.selectFrom('contacts').select('team_id').where('team_id', '=', TEAM_ID).execute()).toHaveLength(
      1,
    );
    expect(await purgeExpiredWorkspaces(h.db, new Date('2026-11-28T14:00:00Z'), logger)).toBe(1);
    for (const table of ['contacts', 'meetings', 'reminders', 'slack_users', 'workspaces'] as const) {
      expect(await h.db.selectFrom(table).select('team_id').where('team_id', '=', TEAM_ID).execute(), table).toEqual(
        [],
      );
    }
    expect(await h.db.selectFrom('contacts').select('name').execute()).toEqual([{ name: 'Other Team' }]);
  });

  it('seen by every replica: one that marked the workspace active before re-marks it within a minute of another replica’s uninstall', async () => {
    const url = await testDatabaseUrl({
      sqliteFile: join(mkdtempSync(join(tmpdir(), 'infoview-replica-')), 'db.sqlite'),
    });
    const a = await startHarness({ now: '2026-10-29T14:00:00Z', databaseUrl: url });
    const b = await startHarness({ now: '2026-10-29T14:00:00Z', databaseUrl: url });
    try {
      const uninstalled = async () =>
        (await a.db.selectFrom('workspaces').select('uninstalled_at').where('team_id', '=', TEAM_ID).executeTakeFirst())
          ?.uninstalled_at ?? null;
      await a.command('upcoming');
      await a.settle();
      expect(
        (await postSigned(b.eventsUrl, SIGNING_SECRET, event('app_uninstalled'), { contentType: 'application/json' }))
          .status,
      ).toBe(200);
      await b.settle();
      expect(await uninstalled()).not.toBeNull();
      // Replica A marked the workspace active a moment ago; a minute later it looks again and sees the uninstall.
      a.clock.advance(61_000);
      await a.command('upcoming');
      await a.settle();
      expect(await uninstalled()).toBeNull();
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('a workspace that uses the app again is not purged, and its reminders resume', async () => {
    await schedule('Ada Lovelace', '2026-11-03T20:00:00Z');
    await send(event('app_uninstalled'));
    await h.infoview.inFlight.drain(5000);
    expect(await pendingOf(USER_ID)).toBe(0);
    await h.interact(buttonPress({ actionId: 'home_questions', value: 'all', responseUrl: h.fake.responseUrl() }));
    await h.infoview.inFlight.drain(5000);
    expect(await pendingOf(USER_ID)).toBe(7); // six meeting reminders and the keep-in-touch nudge
    expect(
      await h.db.selectFrom('workspaces').select(['uninstalled_at', 'purge_after']).executeTakeFirstOrThrow(),
    ).toEqual({ uninstalled_at: null, purge_after: null });
    expect(await purgeExpiredWorkspaces(h.db, new Date('2027-01-01T00:00:00Z'), createLogger({ level: 'error' }))).toBe(
      0,
    );
  });
});
