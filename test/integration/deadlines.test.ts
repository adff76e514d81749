import type { ModalView } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveTimeZone } from '../../src/db/repositories/slack-users-repository.js';
import { HOME_ACTIONS } from '../../src/slack/ui/home/home-view.js';
import { CONTACT_ACTIONS } from '../../src/slack/ui/messages/contacts-messages.js';
import { REMINDER_ACTIONS } from '../../src/slack/ui/messages/reminders-messages.js';
import { SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { HttpReply } from '../support/fake-slack.js';
import { type Harness, startHarness } from '../support/harness.js';
import { must } from '../support/must.js';
import { buttonPress, TEAM_ID, USER_ID, viewSubmission } from '../support/payloads.js';

// Issue 11, 1 and 3: no Web API call stands between a request and its ack() or its views.open. Slack's users.info is
// held unanswered (as a slow Slack would) while the app must still ack and open its forms; the tests wait for those
// events, never for a duration.

let h: Harness;
let releaseUsersInfo: () => void;

beforeEach(async () => {
  h = await startHarness({ now: '2026-10-29T14:00:00Z' });
  h.fake.users.set(USER_ID, { tz: 'America/New_York' });
  // Known, but two days old: every path wants to refresh it from Slack.
  await saveTimeZone(h.db, { teamId: TEAM_ID, userId: USER_ID }, 'America/New_York', '2026-10-27T14:00:00.000Z');
  const held = new Promise<void>((resolve) => {
    releaseUsersInfo = resolve;
  });
  h.fake.on('users.info', async () => {
    await held;
    return { ok: true, user: { id: USER_ID, tz: 'America/New_York' } };
  });
});
afterEach(async () => {
  releaseUsersInfo();
  await h.stop();
});

async function scheduleAda(): Promise<number> {
  const before = h.fake.callsTo('views.open').length;
  await h.command('schedule Ada Lovelace');
  const view = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
  const res = await h.interact(
    viewSubmission(view, { [SCHEDULE_MODAL.blocks.startsAt]: new Date('2026-11-03T20:00:00Z') }),
  );
  expect(res.status).toBe(200);
  return (await h.db.selectFrom('meetings').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
}

describe("Slack's deadlines with users.info held unanswered", () => {
  it('/infoview schedule opens its modal and its submission is acked (stored once) while users.info waits', async () => {
    const before = h.fake.callsTo('views.open').length;
    await h.command('schedule Ada Lovelace');
    const view = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
    const res = await h.interact(
      viewSubmission(view, { [SCHEDULE_MODAL.blocks.startsAt]: new Date('2026-11-03T20:00:00Z') }),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    // Acked with the meeting stored, though users.info has not answered (it was asked: the refresh after the ack).
    expect(await h.db.selectFrom('meetings').select('id').execute()).toHaveLength(1);
    // The confirmation comes after the refresh: not yet.
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
    releaseUsersInfo();
    await h.fake.waitFor('chat.postMessage');
    await h.settle();
  });

  it.each([
    [
      'a Home quick action',
      () => buttonPress({ actionId: HOME_ACTIONS.schedule, value: 'schedule', responseUrl: h.fake.responseUrl() }),
    ],
    [
      'the debrief nudge button',
      (ids: { meeting: number }) =>
        buttonPress({
          actionId: REMINDER_ACTIONS.openDebrief,
          value: String(ids.meeting),
          responseUrl: h.fake.responseUrl(),
        }),
    ],
    [
      'a contact History button',
      (ids: { contact: number }) =>
        buttonPress({
          actionId: CONTACT_ACTIONS.history,
          value: String(ids.contact),
          responseUrl: h.fake.responseUrl(),
        }),
    ],
  ] as const)('%s opens its view while users.info waits', async (_what, press) => {
    const meeting = await scheduleAda();
    releaseUsersInfo(); // let the schedule's own refresh finish, then hold the next one
    await h.settle();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.fake.on('users.info', async () => {
      await held;
      return { ok: true, user: { id: USER_ID, tz: 'America/New_York' } };
    });
    await h.db.updateTable('slack_users').set({ time_zone_checked_at: '2026-10-27T14:00:00.000Z' }).execute();
    const contact = (await h.db.selectFrom('contacts').select('id').executeTakeFirstOrThrow()).id;
    h.clock.set('2026-11-03T21:00:00Z'); // after the meeting, so it can be debriefed
    const before = h.fake.callsTo('views.open').length;
    await h.interact((press as (ids: { meeting: number; contact: number }) => unknown)({ meeting, contact }));
    await h.fake.waitFor('views.open', before + 1);
    release();
    await h.settle();
  });

  it('an expired trigger on a Home quick action is told to the user in the DM', async () => {
    releaseUsersInfo();
    h.fake.on('views.open', () => ({ ok: false, error: 'expired_trigger_id' }));
    await h.interact(
      buttonPress({ actionId: HOME_ACTIONS.schedule, value: 'schedule', responseUrl: h.fake.responseUrl() }),
    );
    const dm = await h.fake.waitFor('chat.postMessage');
    expect(dm.body.text).toBe('Slack took too long to open the form. Please try again.');
    await h.settle();
  });
  it("an expired trigger on Home's Debrief button (no response_url there) is told to the user in the DM", async () => {
    const meeting = await scheduleAda();
    releaseUsersInfo();
    await h.settle();
    h.fake.on('views.open', () => ({ ok: false, error: 'expired_trigger_id' }));
    const before = h.fake.callsTo('chat.postMessage').length;
    // A press on Home: Slack sends the Home view as the container, and no response_url.
    const {
      response_url: _none,
      message: _message,
      channel: _channel,
      ...press
    } = buttonPress({
      actionId: REMINDER_ACTIONS.openDebrief,
      value: String(meeting),
      responseUrl: h.fake.responseUrl(),
    });
    await h.interact({
      ...press,
      container: { type: 'view', view_id: 'VHOME' },
      view: { id: 'VHOME', type: 'home', hash: '1.h', callback_id: '', private_metadata: '', state: { values: {} } },
    });
    const dm = await h.fake.waitFor('chat.postMessage', before + 1);
    expect(dm.body.text).toBe('Slack took too long to open the form. Please try again.');
    await h.settle();
  });
});

describe('Home publishing never delays a modal', () => {
  it('with views.publish answering 429 (Retry-After 30 s), modals still open at once', async () => {
    releaseUsersInfo();
    h.fake.on('views.publish', () => new HttpReply(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '30' }));
    // A click publishes Home after it: rate limited. Then two more forms must open without waiting for Retry-After.
    for (let i = 1; i <= 3; i++) {
      const before = h.fake.callsTo('views.open').length;
      await h.interact(
        buttonPress({ actionId: HOME_ACTIONS.schedule, value: 'schedule', responseUrl: h.fake.responseUrl() }),
      );
      await h.fake.waitFor('views.open', before + 1, 10_000); // far less than the 30 s Retry-After
      await h.settle();
    }
    const before = h.fake.callsTo('views.open').length;
    await h.command('schedule');
    await h.fake.waitFor('views.open', before + 1, 10_000); // far less than the 30 s Retry-After
    expect(h.fake.callsTo('views.publish').length).toBeGreaterThan(0);
  });

  it('coalesces a burst of clicks into one more publish, and tries a rate-limited one again later', async () => {
    releaseUsersInfo();
    const { HomePublisher } = await import('../../src/slack/home-publisher.js');
    const retries: (() => void)[] = [];
    const publisher = new HomePublisher(h.deps.config, h.deps, (run) => {
      retries.push(run);
      return setTimeout(() => undefined, 0);
    });
    const owner = { teamId: TEAM_ID, userId: USER_ID };
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.fake.on('views.publish', async () => {
      await held;
      return { ok: true };
    });
    const burst = [
      publisher.publish(owner),
      publisher.publish(owner),
      publisher.publish(owner),
      publisher.publish(owner),
    ];
    release();
    await Promise.all(burst);
    expect(h.fake.callsTo('views.publish')).toHaveLength(2); // the one under way, and one for all the clicks after it

    h.fake.on('views.publish', () => new HttpReply(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '30' }));
    await publisher.publish(owner);
    expect(retries).toHaveLength(1);
    h.fake.off('views.publish');
    must(retries[0], 'the retry the publisher scheduled')();
    await h.fake.waitFor('views.publish', 4);
    publisher.stop();
  });
});
