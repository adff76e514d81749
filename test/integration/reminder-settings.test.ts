import type { ModalView } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REMINDER_ACTIONS } from '../../src/slack/ui/messages/reminders-messages.js';
import { SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { SETTINGS_MODAL } from '../../src/slack/ui/modals/settings-modal.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { blocksOf, elementOf } from '../support/blocks.js';
import { type Harness, startHarness } from '../support/harness.js';
import { buttonPress, OTHER_USER_ID, USER_ID, viewSubmission } from '../support/payloads.js';
import { DAY_AND_TIME, dateToken } from '../support/slack-dates.js';

const S = SETTINGS_MODAL.blocks;
let h: Harness;

beforeEach(async () => {
  h = await startHarness({ now: '2026-10-29T14:00:00Z' });
  h.fake.users.set(USER_ID, { tz: 'America/New_York' });
  h.fake.users.set(OTHER_USER_ID, { tz: 'America/New_York' });
});
afterEach(async () => {
  await h.stop();
});

async function scheduleAda(userId = USER_ID): Promise<number> {
  const before = h.fake.callsTo('views.open').length;
  await h.command('schedule Ada Lovelace', { userId });
  const view = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
  await h.interact(
    viewSubmission(view, { [SCHEDULE_MODAL.blocks.startsAt]: new Date('2026-11-03T20:00:00Z') }, { userId }),
  );
  const row = await h.db
    .selectFrom('meetings')
    .select('id')
    .where('owner_id', '=', userId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function reminders(meetingId: number) {
  const rows = await h.db
    .selectFrom('reminders')
    .select(['kind', 'state', 'due_at'])
    .where('meeting_id', '=', meetingId)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.kind, { state: r.state, due_at: r.due_at }]));
}

describe('/infoview settings', () => {
  it('opens with the defaults, saves changes and re-plans pending reminders', async () => {
    const meetingId = await scheduleAda();
    expect((await reminders(meetingId)).prep).toEqual({ state: 'pending', due_at: '2026-11-02T20:00:00.000Z' });

    await h.command('settings');
    const view = (await h.fake.waitFor('views.open', 2)).body.view as ModalView;
    assertWithinBlockKitLimits('modal', view);
    expect(elementOf(view, S.kinds).initial_options?.map((o) => o.value)).toEqual([
      'prep',
      'heads_up',
      'debrief',
      'thank_you',
      'report_back',
      'asks',
    ]);

    // Saving unchanged keeps the defaults.
    expect(await (await h.interact(viewSubmission(view, {}))).text()).toBe('');
    await h.settle();
    expect((await reminders(meetingId)).prep).toEqual({ state: 'pending', due_at: '2026-11-02T20:00:00.000Z' });

    // Now with changes: prep 48 h before, no report-back, quiet hours 22:00–07:00.
    const changed = viewSubmission(view, {
      [S.kinds]: ['prep', 'heads_up', 'debrief', 'thank_you', 'asks'],
      [S.prepLead]: '2880',
      [S.quietStart]: '22:00',
      [S.quietEnd]: '07:00',
    });
    expect(await (await h.interact(changed)).text()).toBe('');
    await h.settle(); // the re-plan runs after the ack

    expect(await h.db.selectFrom('reminder_settings').selectAll().executeTakeFirstOrThrow()).toMatchObject({
      team_id: 'T0001',
      user_id: USER_ID,
      prep_lead_minutes: 2880,
      heads_up_lead_minutes: 60,
      quiet_start: '22:00',
      quiet_end: '07:00',
      disabled_kinds: 'report_back',
    });
    const planned = await reminders(meetingId);
    expect(planned.prep).toEqual({ state: 'pending', due_at: '2026-11-01T20:00:00.000Z' });
    expect(planned.report_back?.state).toBe('cancelled');
  });

  it('refuses a missing time inline', async () => {
    await h.command('settings');
    const view = (await h.fake.waitFor('views.open')).body.view as ModalView;
    expect(await (await h.interact(viewSubmission(view, { [S.quietEnd]: null }))).json()).toEqual({
      response_action: 'errors',
      errors: { [S.quietEnd]: 'Pick a time.' },
    });
  });
});

describe('thank-you buttons', () => {
  it('Mark as sent stops both nudges and replaces the message', async () => {
    const meetingId = await scheduleAda();
    await h.interact(
      buttonPress({
        actionId: REMINDER_ACTIONS.thankYouSent,
        value: String(meetingId),
        responseUrl: h.fake.responseUrl('ty'),
      }),
    );
    const reply = await h.fake.waitFor('response_url');
    expect(reply.body).toMatchObject({
      replace_original: true,
      text: expect.stringContaining('Thank-you marked as sent'),
    });
    expect(await reminders(meetingId)).toMatchObject({
      thank_you: { state: 'cancelled' },
      thank_you_followup: { state: 'cancelled' },
    });
    expect(
      (await h.db.selectFrom('meetings').select('thank_you_sent_at').executeTakeFirstOrThrow()).thank_you_sent_at,
    ).toBe('2026-10-29T14:00:00.000Z');
  });

  it('Snooze a day brings the nudge back later, but still inside the 24 hours after the meeting', async () => {
    const meetingId = await scheduleAda();
    h.clock.set('2026-11-03T22:30:00Z'); // the first nudge, 17:30 EST
    await h.interact(
      buttonPress({
        actionId: REMINDER_ACTIONS.thankYouSnooze,
        value: String(meetingId),
        responseUrl: h.fake.responseUrl(),
      }),
    );
    const reply = await h.fake.waitFor('response_url');
    // A day later would be past the 24 hours (15:30 EST Wednesday): it comes an hour before they run out.
    expect(reply.body.text).toBe(
      'Snoozed until Wed 4 Nov 2026, 14:30: a full day would be past the 24 hours after the meeting that a thank-you has, so I will remind you an hour before they run out.',
    );
    // The message itself shows the time in Slack's date formatting, the same words around it.
    expect(blocksOf(reply.body)[0]?.text?.text).toBe(
      `Snoozed until ${dateToken('2026-11-04T19:30:00Z', DAY_AND_TIME, 'Wed 4 Nov 2026, 14:30')}: a full day would be past the 24 hours after the meeting that a thank-you has, so I will remind you an hour before they run out.`,
    );
    expect(await reminders(meetingId)).toMatchObject({
      thank_you: { state: 'cancelled' },
      thank_you_followup: { state: 'pending', due_at: '2026-11-04T19:30:00.000Z' },
    });
    h.clock.set('2026-11-04T19:45:00Z');
    await h.interact(
      buttonPress({
        actionId: REMINDER_ACTIONS.thankYouSnooze,
        value: String(meetingId),
        responseUrl: h.fake.responseUrl(),
      }),
    );
    expect((await h.fake.waitFor('response_url', 2)).body.text).toContain('24 hours after the meeting are nearly up');
  });

  it.each([REMINDER_ACTIONS.thankYouSent, REMINDER_ACTIONS.thankYouSnooze])(
    '%s on another user’s meeting changes nothing',
    async (actionId) => {
      const meetingId = await scheduleAda(OTHER_USER_ID);
      await h.interact(buttonPress({ actionId, value: String(meetingId), responseUrl: h.fake.responseUrl() }));
      const reply = await h.fake.waitFor('response_url');
      expect(reply.body.text).toContain('not one of yours');
      expect(await reminders(meetingId)).toMatchObject({
        thank_you: { state: 'pending' },
        thank_you_followup: { state: 'pending' },
      });
    },
  );
});
