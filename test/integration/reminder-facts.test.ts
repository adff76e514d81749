import type { ModalView } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scheduleMeeting } from '../../src/domain/meetings/meetings-service.js';
import { CONTACT_ACTIONS } from '../../src/slack/ui/messages/contacts-messages.js';
import { MEETING_ACTIONS } from '../../src/slack/ui/messages/meeting-messages.js';
import { REMINDER_ACTIONS } from '../../src/slack/ui/messages/reminders-messages.js';
import { CONTACT_MODAL } from '../../src/slack/ui/modals/contact-modal.js';
import { SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { SETTINGS_MODAL } from '../../src/slack/ui/modals/settings-modal.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { HttpReply } from '../support/fake-slack.js';
import { type Harness, SIGNING_SECRET, startHarness } from '../support/harness.js';
import { must } from '../support/must.js';
import { buttonPress, TEAM_ID, USER_ID, viewSubmission } from '../support/payloads.js';
import { postSigned } from '../support/signing.js';

// The eight ways the plan of reminders used to drift from what the user did (issue 10), each walked through the
// real receiver and the real engine against the loopback fake Slack.

const S = SETTINGS_MODAL.blocks;
const ALL_KINDS = ['prep', 'heads_up', 'debrief', 'thank_you', 'report_back'];
const ADA_START = '2026-11-03T20:00:00Z'; // Tue 15:00 EST
let h: Harness;

beforeEach(async () => {
  h = await startHarness({ now: '2026-10-29T14:00:00Z' });
  h.fake.users.set(USER_ID, { tz: 'America/New_York' });
  // Posts get timestamps on the test's clock, as the DM history check reads them.
  h.fake.now = () => h.clock.now().getTime();
});
afterEach(async () => {
  await h.stop();
});

/** Presses a button that opens a modal, and returns the modal. */
async function pressForModal(payload: unknown): Promise<ModalView> {
  const before = h.fake.callsTo('views.open').length;
  await h.interact(payload);
  return (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
}

async function schedule(name: string, startsAt: string): Promise<number> {
  const before = h.fake.callsTo('views.open').length;
  await h.command(`schedule ${name}`);
  const view = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
  await h.interact(viewSubmission(view, { [SCHEDULE_MODAL.blocks.startsAt]: new Date(startsAt) }));
  await h.settle();
  return (await h.db.selectFrom('meetings').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
}

async function saveSettings(inputs: Record<string, unknown>): Promise<void> {
  const before = h.fake.callsTo('views.open').length;
  await h.command('settings');
  const view = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
  expect(await (await h.interact(viewSubmission(view, inputs as never))).text()).toBe('');
  await h.settle();
}

async function rows(meetingId: number) {
  const found = await h.db
    .selectFrom('reminders')
    .select(['kind', 'state', 'due_at', 'delivery'])
    .where('meeting_id', '=', meetingId)
    .execute();
  return Object.fromEntries(found.map((r) => [r.kind, { state: r.state, due_at: r.due_at, delivery: r.delivery }]));
}

const payloadOf = (call: RecordedCall) => must(call.body.metadata, 'message metadata').event_payload;
const posts = (kind?: string) =>
  h.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.body.metadata && (kind === undefined || payloadOf(c).kind === kind));

describe('reminders follow the facts', () => {
  it('turning every kind off and on again brings back upcoming reminders, and a past meeting\u2019s report-back', async () => {
    const ada = await schedule('Ada Lovelace', ADA_START);
    const planned = await rows(ada);
    await saveSettings({ [S.kinds]: [] });
    expect(Object.values(await rows(ada)).map((r) => r.state)).toEqual(Array(6).fill('cancelled'));
    await saveSettings({ [S.kinds]: ALL_KINDS });
    expect(await rows(ada)).toEqual(planned);

    // After the meeting: only the report-back is still to come; off and on, it comes back at its time.
    h.clock.set('2026-11-10T15:00:00Z');
    await saveSettings({ [S.kinds]: ['prep', 'heads_up', 'debrief', 'thank_you'] });
    expect((await rows(ada)).report_back?.state).toBe('cancelled');
    await saveSettings({ [S.kinds]: ALL_KINDS });
    expect((await rows(ada)).report_back).toEqual({
      state: 'pending',
      due_at: '2026-11-17T20:00:00.000Z',
      delivery: 1,
    });
    await h.tick();
    expect(posts()).toHaveLength(0);
    h.clock.set('2026-11-17T20:00:00Z');
    await h.tick();
    expect(posts('report_back')).toHaveLength(1);
  });

  it('a settings save does not undo "Snooze a day"', async () => {
    const ada = await schedule('Ada Lovelace', ADA_START);
    h.clock.set('2026-11-03T22:30:00Z'); // the first thank-you nudge, 17:30 EST
    await h.tick();
    expect(posts('thank_you')).toHaveLength(1);
    await h.interact(
      buttonPress({ actionId: REMINDER_ACTIONS.thankYouSnooze, value: String(ada), responseUrl: h.fake.responseUrl() }),
    );
    await h.settle();
    await saveSettings({});
    expect(await rows(ada)).toMatchObject({
      thank_you: { state: 'sent', delivery: 1 },
      thank_you_followup: { state: 'pending', due_at: '2026-11-04T19:30:00.000Z' },
    });
    h.clock.set('2026-11-04T13:00:00Z'); // when the unsnoozed second nudge would have come
    await h.tick();
    expect(posts('thank_you_followup')).toHaveLength(0);
    h.clock.set('2026-11-04T19:30:00Z');
    await h.tick();
    expect(posts('thank_you_followup')).toHaveLength(1);
    expect(posts('thank_you')).toHaveLength(1);
  });

  it('a meeting at 10:00 scheduled at 22:00 the night before gets its prep tip at 08:00, as the plan says', async () => {
    h.clock.set('2026-11-11T03:00:00Z'); // Tue 22:00 EST
    const meeting = await schedule('Ada Lovelace', '2026-11-11T15:00:00Z'); // Wed 10:00 EST
    expect((await rows(meeting)).prep).toMatchObject({ state: 'pending', due_at: '2026-11-11T13:00:00.000Z' });
    await h.tick();
    expect(posts('prep')).toHaveLength(0);
    h.clock.set('2026-11-11T13:00:00Z');
    await h.tick();
    expect(posts('prep')).toHaveLength(1);
  });

  it('"the evening before" a Monday 07:30 meeting is Sunday evening', async () => {
    const meeting = await schedule('Ada Lovelace', '2026-11-09T12:30:00Z'); // Mon 07:30 EST
    expect((await rows(meeting)).prep?.due_at).toBe('2026-11-09T01:00:00.000Z'); // Sun 20:00 EST
  });

  it('Home stops asking to get back in touch once keep-in-touch is turned off', async () => {
    await schedule('Ada Lovelace', ADA_START);
    const contact = await h.db.selectFrom('contacts').select('id').executeTakeFirstOrThrow();
    h.clock.set('2027-02-02T15:00:00Z'); // 90 days after the meeting's touch
    await h.tick();
    expect(posts('keep_in_touch')).toHaveLength(1);
    expect(JSON.stringify((await h.openHome()).blocks)).toContain('get back in touch with *Ada Lovelace*');

    const edit = await pressForModal(
      buttonPress({ actionId: CONTACT_ACTIONS.edit, value: String(contact.id), responseUrl: h.fake.responseUrl() }),
    );
    await h.interact(viewSubmission(edit, { [CONTACT_MODAL.blocks.keepInTouchDays]: '0' }));
    expect(JSON.stringify((await h.openHome()).blocks)).not.toContain('get back in touch');
  });

  describe('what happens while a reminder waits to be posted', () => {
    // Two meetings at the same time: both prep tips come due together, and the second waits for the DM's pacing.
    async function twoPreps() {
      const ada = await schedule('Ada Lovelace', ADA_START);
      const grace = await schedule('Grace Hopper', ADA_START);
      h.clock.set('2026-11-02T20:00:00Z');
      return { ada, grace };
    }

    it('a meeting cancelled meanwhile gets no prep tip', async () => {
      const { grace } = await twoPreps();
      await h.tick({
        duringWait: async () => {
          await h.interact(
            buttonPress({ actionId: MEETING_ACTIONS.cancel, value: String(grace), responseUrl: h.fake.responseUrl() }),
          );
          await h.settle();
        },
      });
      expect(posts('prep')).toHaveLength(1);
      expect(await rows(grace)).toMatchObject({ prep: { state: 'skipped' } });
    });

    it('after delete-my-data nothing is posted', async () => {
      await twoPreps();
      await h.tick({
        duringWait: async () => {
          const before = h.fake.callsTo('views.open').length;
          await h.command('delete-my-data');
          const modal = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
          await h.interact(viewSubmission(modal, {}));
          await h.settle();
        },
      });
      expect(posts('prep')).toHaveLength(1);
      expect(await h.db.selectFrom('reminders').select('id').execute()).toEqual([]);
    });

    it('a meeting moved meanwhile gets its prep tip for the new time, as a new delivery', async () => {
      const { grace } = await twoPreps();
      await h.tick({
        duringWait: async () => {
          const form = await pressForModal(
            buttonPress({
              actionId: MEETING_ACTIONS.reschedule,
              value: String(grace),
              responseUrl: h.fake.responseUrl(),
            }),
          );
          await h.interact(
            viewSubmission(form, { [SCHEDULE_MODAL.blocks.startsAt]: new Date('2026-11-05T20:00:00Z') }),
          );
          await h.settle();
        },
      });
      expect(posts('prep')).toHaveLength(1);
      expect((await rows(grace)).prep).toEqual({ state: 'pending', due_at: '2026-11-04T20:00:00.000Z', delivery: 2 });
      h.clock.set('2026-11-04T20:00:00Z');
      await h.tick();
      expect(
        posts('prep')
          .map(payloadOf)
          .map((p) => p.delivery),
      ).toEqual([1, 2]);
    });
  });

  it('a goal written while the prep tip waits is in the tip: the meeting is read at its turn, with its facts', async () => {
    const ada = await schedule('Ada Lovelace', ADA_START);
    const grace = await schedule('Grace Hopper', ADA_START);
    h.clock.set('2026-11-02T20:00:00Z');
    const goal = 'Learn how the compiler team hires';
    let edited = false;
    await h.tick({
      duringWait: async () => {
        if (edited) return;
        edited = true;
        for (const meetingId of [ada, grace]) {
          const form = await pressForModal(
            buttonPress({
              actionId: MEETING_ACTIONS.reschedule,
              value: String(meetingId),
              responseUrl: h.fake.responseUrl(),
            }),
          );
          await h.interact(
            viewSubmission(form, {
              [SCHEDULE_MODAL.blocks.startsAt]: new Date(ADA_START),
              [SCHEDULE_MODAL.blocks.goal]: goal,
            }),
          );
        }
        await h.settle();
      },
    });
    // The first tip went out before the edit; the one that waited for the DM's pace has the goal.
    expect(posts('prep').map((call) => JSON.stringify(call.body.blocks).includes(goal))).toEqual([false, true]);
  });

  it('a re-armed reminder is never mistaken for its earlier post', async () => {
    const ada = await schedule('Ada Lovelace', ADA_START);
    h.clock.set('2026-11-02T20:00:00Z');
    await h.tick();
    expect(posts('prep')).toHaveLength(1);
    // Moved to three hours from now: its prep tip is due at once, a minute after the first one was posted.
    h.clock.advance(30_000);
    const form = await pressForModal(
      buttonPress({ actionId: MEETING_ACTIONS.reschedule, value: String(ada), responseUrl: h.fake.responseUrl() }),
    );
    await h.interact(viewSubmission(form, { [SCHEDULE_MODAL.blocks.startsAt]: new Date('2026-11-02T23:00:00Z') }));
    await h.settle();
    expect((await rows(ada)).prep).toMatchObject({ state: 'pending', delivery: 2 });
    // Its first try has an unknown outcome (and in truth did not post): the retry looks in the DM first.
    h.fake.on('chat.postMessage', () => new HttpReply(502, { ok: false }));
    await h.tick();
    h.fake.off('chat.postMessage');
    h.clock.advance(60_000);
    await h.tick();
    expect(h.fake.callsTo('conversations.history').length).toBeGreaterThan(0);
    const delivered = h.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.body.metadata)
      .map(payloadOf);
    expect(delivered.filter((p) => p.kind === 'prep').map((p) => p.delivery)).toEqual([1, 2, 2]);
    expect((await rows(ada)).prep).toMatchObject({ state: 'sent', delivery: 2 });
  });

  it('a reinstall re-plans a large workspace in short batches, serving requests meanwhile', async () => {
    const owner = { teamId: TEAM_ID, userId: USER_ID };
    for (let i = 0; i < 1500; i++) {
      await scheduleMeeting(
        h.db,
        { teamId: TEAM_ID, userId: `U${1000 + (i % 300)}` },
        {
          contactId: null,
          contact: { name: `Person ${i}`, pronunciation: null, title: null, company: null },
          plan: {
            startsAt: new Date(Date.parse(ADA_START) + i * 60_000),
            durationMinutes: 30,
            location: null,
            goal: null,
            questions: null,
          },
        },
        { now: h.clock.now(), timeZone: 'America/New_York', sourceViewId: null },
      );
    }
    await sendEvent('app_uninstalled');
    await h.settle();
    expect(await pendingCount()).toBe(0);

    // Someone uses the app again: the re-plan starts after that request; one made meanwhile is answered before it ends.
    expect((await h.command('help')).status).toBe(200);
    // The re-plan is asked for after that request's ack (its middleware goes on): wait for the request to be queued.
    await whenTrue(async () => (await h.db.selectFrom('reminder_replans').select('owner_id').execute()).length > 0);
    const during = await h.command('help', owner);
    expect(during.status).toBe(200);
    expect(await h.db.selectFrom('reminder_replans').select('owner_id').execute()).toEqual([{ owner_id: '' }]);
    await h.settle();
    expect(await h.db.selectFrom('reminder_replans').select('owner_id').execute()).toEqual([]);
    expect(await pendingCount()).toBe(1500 * 6 + 1500);
    // A bound only a hang reaches: 1,500 meetings are seconds of CPU, minutes on a machine with every core taken.
  }, 900_000);
});

async function sendEvent(type: 'app_uninstalled'): Promise<void> {
  const body = JSON.stringify({
    token: 'x',
    team_id: TEAM_ID,
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2)}`,
    event_time: 1_793_282_400,
    event: { type },
  });
  expect((await postSigned(h.eventsUrl, SIGNING_SECRET, body, { contentType: 'application/json' })).status).toBe(200);
}

/** Resolves once `condition` holds, checked at every turn of the event loop (the test's timeout bounds the wait). */
async function whenTrue(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setImmediate(resolve));
}

async function pendingCount(): Promise<number> {
  return (await h.db.selectFrom('reminders').select('id').where('state', '=', 'pending').execute()).length;
}

describe('"Snooze a day" on an early meeting\u2019s thank-you', () => {
  it('comes back that evening, before quiet hours, says so, and the engine delivers it', async () => {
    const early = await schedule('Ada Lovelace', '2026-11-03T12:00:00Z'); // Tue 07:00–07:30 EST
    h.clock.set('2026-11-03T14:30:00Z'); // 09:30 EST: the first thank-you nudge
    await h.tick();
    expect(posts('thank_you')).toHaveLength(1);

    h.clock.set('2026-11-03T14:35:00Z'); // 09:35 EST: "Snooze a day"
    await h.interact(
      buttonPress({
        actionId: REMINDER_ACTIONS.thankYouSnooze,
        value: String(early),
        responseUrl: h.fake.responseUrl(),
      }),
    );
    const reply = await h.fake.waitFor('response_url');
    // A day later (Wed 09:35) is past the 24 hours; an hour before they run out (Wed 06:30) is in quiet hours
    // (21:00–08:00): the last moment before they start, that evening.
    expect(reply.body.text).toBe(
      'Snoozed until this evening, Tue 3 Nov 2026, 20:45: the last moment before your quiet hours start. A full day would be past the 24 hours after the meeting that a thank-you has, and your quiet hours start before then.',
    );
    await h.settle();
    const planned = (await rows(early)).thank_you_followup;
    expect(planned).toMatchObject({ state: 'pending', due_at: '2026-11-04T01:45:00.000Z' }); // 20:45 EST

    h.clock.set(planned?.due_at ?? '');
    await h.tick();
    expect(posts('thank_you_followup')).toHaveLength(1);
    expect((await rows(early)).thank_you_followup?.state).toBe('sent');
  });
});
