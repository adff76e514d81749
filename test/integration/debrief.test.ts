import type { ModalView } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdAt } from '../../src/lib/pause-points.js';
import { CONTACT_ACTIONS } from '../../src/slack/ui/messages/contacts-messages.js';
import { DRAFT_ACTIONS } from '../../src/slack/ui/messages/debrief-messages.js';
import { REMINDER_ACTIONS } from '../../src/slack/ui/messages/reminders-messages.js';
import { CONTACT_MODAL } from '../../src/slack/ui/modals/contact-modal.js';
import { DEBRIEF_MODAL } from '../../src/slack/ui/modals/debrief-modal.js';
import { DRAFT_MODAL } from '../../src/slack/ui/modals/draft-modal.js';
import { SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { blockOf, blocksOf, elementOf } from '../support/blocks.js';
import { sectionText } from '../support/fake-slack.js';
import { type Harness, startHarness } from '../support/harness.js';
import { must } from '../support/must.js';
import { buttonPress, OTHER_USER_ID, USER_ID, type UserInput, viewSubmission } from '../support/payloads.js';
import { DAY_AND_TIME, dateToken } from '../support/slack-dates.js';

const D = DEBRIEF_MODAL.blocks;
let h: Harness;

beforeEach(async () => {
  h = await startHarness({ now: '2026-10-29T14:00:00Z' });
  h.fake.users.set(USER_ID, { tz: 'America/New_York' });
  h.fake.users.set(OTHER_USER_ID, { tz: 'America/New_York' });
});
afterEach(async () => {
  await h.stop();
});

const opened = async (n: number) => (await h.fake.waitFor('views.open', n)).body.view as ModalView;
const body = async (res: Response) => {
  const text = await res.text();
  return text === '' ? null : JSON.parse(text);
};

/** Ada's meeting on Tue 3 Nov 15:00 EST, then the clock moves to just after it ends. */
async function meetAda(userId = USER_ID): Promise<number> {
  h.clock.set('2026-10-29T14:00:00Z');
  const before = h.fake.callsTo('views.open').length;
  await h.command('schedule Ada Lovelace', { userId });
  const view = await opened(before + 1);
  await h.interact(
    viewSubmission(
      view,
      {
        [SCHEDULE_MODAL.blocks.startsAt]: new Date('2026-11-03T20:00:00Z'),
        [SCHEDULE_MODAL.blocks.company]: 'Engines',
      },
      { userId },
    ),
  );
  // The form may be sent before users.info has answered (it opens first): what the submission planned with the
  // fallback zone is re-planned in the user's once the zone arrives, after the ack.
  await h.settle();
  const row = await h.db
    .selectFrom('meetings')
    .select('id')
    .where('owner_id', '=', userId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  h.clock.set('2026-11-03T20:40:00Z');
  return row.id;
}

async function openDebriefFor(meetingId: number, userId = USER_ID): Promise<ModalView> {
  const before = h.fake.callsTo('views.open').length;
  await h.interact(
    buttonPress({
      actionId: REMINDER_ACTIONS.openDebrief,
      value: String(meetingId),
      responseUrl: h.fake.responseUrl(),
      userId,
    }),
  );
  return opened(before + 1);
}

const fullDebrief: Record<string, UserInput> = {
  [D.topics]: 'Her path into analytics; a typical week',
  [D.learned]: 'Analysts spend half their time cleaning data. Tooling matters less.',
  [D.advice]: 'Learn SQL properly',
  [D.referrals]:
    '• Grace Hopper — Rear Admiral, US Navy\n\n  Katherine  Johnson –  Mathematician ,  NASA\nAda Lovelace — Analyst, Engines',
  [D.commitments]: '- Take the SQL course she mentioned.\n- Read <The Signal and the Noise>\n- Email Grace',
  [D.interestChange]: '4',
  [D.notes]: 'Private: felt a good fit',
};

describe('debriefing a meeting', () => {
  it('opens from the nudge, saves everything, turns suggestions into referred contacts, and DMs the results and a thank-you draft', async () => {
    const meetingId = await meetAda();
    const form = await openDebriefFor(meetingId);
    assertWithinBlockKitLimits('modal', form);
    expect(form.callback_id).toBe('save_debrief');
    expect(JSON.stringify(form.blocks[0])).toContain('Your conversation with *Ada Lovelace*, Tue 3 Nov 2026, 15:00');

    // Whatever the scheduling posted has arrived before counting.
    await h.settle();
    const postsBefore = h.fake.callsTo('chat.postMessage').length;
    expect(await body(await h.interact(viewSubmission(form, fullDebrief)))).toBeNull();

    expect(await h.db.selectFrom('debriefs').select(['meeting_id', 'learned', 'interest_change']).execute()).toEqual([
      {
        meeting_id: meetingId,
        learned: 'Analysts spend half their time cleaning data. Tooling matters less.',
        interest_change: 4,
      },
    ]);
    expect(
      await h.db.selectFrom('advice_items').select(['position', 'text', 'done_at']).orderBy('position').execute(),
    ).toEqual([
      { position: 0, text: 'Take the SQL course she mentioned.', done_at: null },
      { position: 1, text: 'Read <The Signal and the Noise>', done_at: null },
      { position: 2, text: 'Email Grace', done_at: null },
    ]);
    const ada = await h.db
      .selectFrom('contacts')
      .select('id')
      .where('name', '=', 'Ada Lovelace')
      .executeTakeFirstOrThrow();
    const contacts = await h.db
      .selectFrom('contacts')
      .select(['name', 'title', 'company', 'referred_by_id', 'how_met'])
      .orderBy('id')
      .execute();
    expect(contacts).toEqual([
      { name: 'Ada Lovelace', title: null, company: 'Engines', referred_by_id: null, how_met: null },
      {
        name: 'Grace Hopper',
        title: 'Rear Admiral',
        company: 'US Navy',
        referred_by_id: ada.id,
        how_met: 'Suggested by Ada Lovelace',
      },
      {
        name: 'Katherine Johnson',
        title: 'Mathematician',
        company: 'NASA',
        referred_by_id: ada.id,
        how_met: 'Suggested by Ada Lovelace',
      },
    ]);
    const meeting = await h.db
      .selectFrom('meetings')
      .select(['debriefed_at'])
      .where('id', '=', meetingId)
      .executeTakeFirstOrThrow();
    expect(meeting.debriefed_at).toBe('2026-11-03T20:40:00.000Z');
    const debriefNudge = await h.db
      .selectFrom('reminders')
      .select('state')
      .where('meeting_id', '=', meetingId)
      .where('kind', '=', 'debrief')
      .executeTakeFirstOrThrow();
    expect(debriefNudge.state).toBe('cancelled');

    const saved = await h.fake.waitFor('chat.postMessage', postsBefore + 1);
    assertWithinBlockKitLimits('message', saved.body);
    const scheduleButtons = blocksOf(saved.body).filter((b) => b.accessory?.action_id === CONTACT_ACTIONS.schedule);
    expect(scheduleButtons.map((b) => b.text?.text)).toEqual([
      '*Grace Hopper* · Rear Admiral, US Navy',
      '*Katherine Johnson* · Mathematician, NASA',
      '*Ada Lovelace* · Engines _(already in your contacts)_',
    ]);
    const checkboxes = must(blockOf(saved.body, `advice:${meetingId}:0`).elements?.[0], 'the advice checkboxes');
    expect(checkboxes.options?.map((o) => o.text.text)).toEqual([
      'Take the SQL course she mentioned.',
      'Read &lt;The Signal and the Noise&gt;',
      'Email Grace',
    ]);

    const draft = await h.fake.waitFor('chat.postMessage', postsBefore + 2);
    assertWithinBlockKitLimits('message', draft.body);
    expect(sectionText(draft.body, 1)).toBe(
      ">Hi Ada,\n>\n>Thank you for taking the time to talk with me. I especially appreciated what you shared about analysts spend half their time cleaning data.\n>\n>Following your advice, I'm going to take the SQL course she mentioned. I'll let you know how it goes.\n>\n>Thank you again for your time and generosity.\n>\n>Best regards,",
    );
  });

  it('submitting the same debrief twice creates no duplicate contacts, items or debriefs', async () => {
    const meetingId = await meetAda();
    const form = await openDebriefFor(meetingId);
    await h.interact(viewSubmission(form, fullDebrief));
    await h.interact(viewSubmission(form, fullDebrief));
    expect(await h.db.selectFrom('debriefs').selectAll().execute()).toHaveLength(1);
    expect(await h.db.selectFrom('advice_items').selectAll().execute()).toHaveLength(3);
    expect(await h.db.selectFrom('contacts').selectAll().execute()).toHaveLength(3);
  });

  it.each([
    [D.referrals, { [D.referrals]: 'Grace Hopper\n— Analyst, Somewhere' }, 'Line 2'],
    [D.learned, { [D.learned]: 'x'.repeat(2001) }, 'under 2000 characters'],
    [D.commitments, { [D.commitments]: 'y'.repeat(301) }, 'Line 1'],
  ])('refuses a bad %s inline and saves nothing', async (blockId, change, message) => {
    const meetingId = await meetAda();
    const form = await openDebriefFor(meetingId);
    expect(await body(await h.interact(viewSubmission(form, { ...fullDebrief, ...change })))).toEqual({
      response_action: 'errors',
      errors: { [blockId]: expect.stringContaining(message) },
    });
    expect(await h.db.selectFrom('debriefs').selectAll().execute()).toEqual([]);
  });

  it('refuses a debrief for another user’s meeting, by button or by a forged form', async () => {
    const theirs = await meetAda(OTHER_USER_ID);
    await h.interact(
      buttonPress({ actionId: REMINDER_ACTIONS.openDebrief, value: String(theirs), responseUrl: h.fake.responseUrl() }),
    );
    expect((await h.fake.waitFor('response_url')).body.text).toContain('not one of yours');
    const mine = await meetAda();
    const form = await openDebriefFor(mine);
    const forged = { ...form, private_metadata: JSON.stringify({ meetingId: theirs }) };
    expect(await body(await h.interact(viewSubmission(forged, fullDebrief)))).toEqual({
      response_action: 'errors',
      errors: { [D.topics]: expect.stringContaining('not one of yours') },
    });
    expect(await h.db.selectFrom('debriefs').selectAll().execute()).toEqual([]);
  });
});

describe('/infoview debrief', () => {
  it('offers recent meetings without a debrief, most recent first', async () => {
    const first = await meetAda();
    h.clock.set('2026-10-29T14:00:00Z');
    await h.command('schedule Bob Stone');
    await h.interact(
      viewSubmission(await opened(2), { [SCHEDULE_MODAL.blocks.startsAt]: new Date('2026-11-04T20:00:00Z') }),
    );
    h.clock.set('2026-11-05T12:00:00Z');
    await h.command('debrief');
    const form = await opened(3);
    assertWithinBlockKitLimits('modal', form);
    expect(elementOf(form, D.meeting).options?.map((o) => o.text.text)).toEqual([
      'Bob Stone · Wed 4 Nov 2026, 15:00',
      'Ada Lovelace · Tue 3 Nov 2026, 15:00',
    ]);
    await h.interact(viewSubmission(form, { [D.meeting]: String(first), [D.learned]: 'Plenty' }));
    expect(await h.db.selectFrom('debriefs').select('meeting_id').execute()).toEqual([{ meeting_id: first }]);
  });

  it('logs a conversation that was never scheduled: contact, meeting and debrief together, once', async () => {
    await h.command('debrief');
    const form = await opened(1);
    await h.settle(); // the zone Slack gives after the form opened, as it has long before a person submits
    expect(form.blocks.find((b) => b.block_id === D.meeting)).toBeUndefined();
    const inputs = {
      [D.name]: 'Mae Jemison',
      [D.date]: '2026-10-27',
      [D.learned]: 'Astronaut training is mostly simulation',
    };
    expect(await body(await h.interact(viewSubmission(form, inputs, { viewId: 'VPAST' })))).toBeNull();
    await h.interact(viewSubmission(form, inputs, { viewId: 'VPAST' }));
    await h.settle();
    const meetings = await h.db
      .selectFrom('meetings')
      .select(['starts_at', 'debriefed_at', 'source_view_id'])
      .execute();
    expect(meetings).toEqual([
      { starts_at: '2026-10-27T16:00:00.000Z', debriefed_at: '2026-10-29T14:00:00.000Z', source_view_id: 'VPAST' },
    ]);
    expect(await h.db.selectFrom('contacts').select('name').execute()).toEqual([{ name: 'Mae Jemison' }]);
    expect(await h.db.selectFrom('debriefs').selectAll().execute()).toHaveLength(1);
  });

  it('asks who and when for a conversation that was not scheduled', async () => {
    await h.command('debrief');
    const form = await opened(1);
    expect(await body(await h.interact(viewSubmission(form, { [D.learned]: 'x' })))).toEqual({
      response_action: 'errors',
      errors: { [D.name]: expect.stringContaining('say who you talked to') },
    });
    expect(await body(await h.interact(viewSubmission(form, { [D.name]: 'Mae', [D.date]: '2026-12-01' })))).toEqual({
      response_action: 'errors',
      errors: { [D.date]: expect.stringContaining('has not come yet') },
    });
  });
});

describe('drafts, the advice ledger and reporting back', () => {
  async function debriefed() {
    const meetingId = await meetAda();
    await h.interact(viewSubmission(await openDebriefFor(meetingId), fullDebrief));
    await h.fake.waitFor('chat.postMessage', 3);
    return meetingId;
  }

  it('Edit keeps the edited thank-you text', async () => {
    const meetingId = await debriefed();
    await h.interact(
      buttonPress({
        actionId: DRAFT_ACTIONS.editThankYou,
        value: String(meetingId),
        responseUrl: h.fake.responseUrl(),
      }),
    );
    const modal = await opened(3);
    assertWithinBlockKitLimits('modal', modal);
    expect(blocksOf(modal)[0]?.element?.initial_value).toContain('Hi Ada,');
    await h.interact(viewSubmission(modal, { [DRAFT_MODAL.blockId]: 'Dear Ada, thank you <3' }));
    const dm = await h.fake.waitFor('chat.postMessage', 4);
    expect(sectionText(dm.body, 1)).toBe('>Dear Ada, thank you &lt;3');
    const row = await h.db
      .selectFrom('meetings')
      .select('thank_you_draft')
      .where('id', '=', meetingId)
      .executeTakeFirstOrThrow();
    expect(row.thank_you_draft).toBe('Dear Ada, thank you <3');
  });

  it('editing the debrief keeps each item and its tick by content, not position', async () => {
    const meetingId = await debriefed();
    const before = await h.db.selectFrom('advice_items').select(['id', 'text']).orderBy('position').execute();
    const read = must(
      before.find((i) => i.text.startsWith('Read')),
      'the advice item Read…',
    );
    await h.interact({
      ...buttonPress({ actionId: REMINDER_ACTIONS.toggleAdvice, value: '', responseUrl: h.fake.responseUrl() }),
      actions: [
        {
          type: 'checkboxes',
          action_id: REMINDER_ACTIONS.toggleAdvice,
          block_id: `advice:${meetingId}:0`,
          selected_options: [{ value: String(read.id), text: { type: 'mrkdwn', text: 'x' } }],
          action_ts: '1.2',
        },
      ],
    });
    await h.settle();
    // A line added at the top, "Email Grace" removed.
    const edited = '- Update my CV\n- Take the SQL course she mentioned.\n- Read <The Signal and the Noise>';
    await h.interact(viewSubmission(await openDebriefFor(meetingId), { ...fullDebrief, [D.commitments]: edited }));
    await h.settle();
    const after = await h.db
      .selectFrom('advice_items')
      .select(['id', 'text', 'position', 'done_at'])
      .orderBy('position')
      .execute();
    expect(after.map((i) => i.text)).toEqual([
      'Update my CV',
      'Take the SQL course she mentioned.',
      'Read <The Signal and the Noise>',
    ]);
    expect(after[2]).toMatchObject({ id: read.id, done_at: expect.any(String) });
    expect(after.filter((i) => i.done_at !== null)).toHaveLength(1);
    expect(after.map((i) => i.id)).not.toContain(
      must(
        before.find((i) => i.text === 'Email Grace'),
        'the advice item Email Grace',
      ).id,
    );
  });

  it('ticking items, drafting the report-back from them, and marking it done', async () => {
    const meetingId = await debriefed();
    const items = await h.db.selectFrom('advice_items').select('id').orderBy('position').execute();
    const id = (position: number) => must(items[position], `advice item ${position}`).id;
    const tick = (ids: number[]) => ({
      ...buttonPress({ actionId: REMINDER_ACTIONS.toggleAdvice, value: '', responseUrl: h.fake.responseUrl() }),
      actions: [
        {
          type: 'checkboxes',
          action_id: REMINDER_ACTIONS.toggleAdvice,
          block_id: `advice:${meetingId}:0`,
          selected_options: ids.map((id) => ({ value: String(id), text: { type: 'mrkdwn', text: 'x' } })),
          action_ts: '1.2',
        },
      ],
    });
    // One after another, as a user's clicks come (on PostgreSQL, listeners under way run side by side).
    for (const ids of [[id(0), id(2)], [id(0)], [id(0), id(1)]]) {
      await h.interact(tick(ids));
      await h.settle();
    }
    const done = await h.db
      .selectFrom('advice_items')
      .select(['text'])
      .where('done_at', 'is not', null)
      .orderBy('position')
      .execute();
    expect(done.map((d) => d.text)).toEqual(['Take the SQL course she mentioned.', 'Read <The Signal and the Noise>']);

    await h.interact(
      buttonPress({
        actionId: REMINDER_ACTIONS.draftReportBack,
        value: String(meetingId),
        responseUrl: h.fake.responseUrl(),
      }),
    );
    const draft = await h.fake.waitFor('chat.postMessage', 4);
    expect(sectionText(draft.body, 1)).toBe(
      '>Hi Ada,\n>\n>I wanted to follow up on our conversation and let you know what I did with your advice.\n>\n>• You suggested I take the SQL course she mentioned: I did, and …\n>• You suggested I read &lt;The Signal and the Noise&gt;: I did, and …\n>\n>Thank you again: it made a real difference.\n>\n>Best regards,',
    );

    await h.interact(
      buttonPress({
        actionId: REMINDER_ACTIONS.reportedBack,
        value: String(meetingId),
        responseUrl: h.fake.responseUrl('rb'),
      }),
    );
    const ada = await h.db
      .selectFrom('contacts')
      .select('id')
      .where('name', '=', 'Ada Lovelace')
      .executeTakeFirstOrThrow();
    await h.infoview.inFlight.drain(5000);
    const opens = h.fake.callsTo('views.open').length;
    await h.interact(
      buttonPress({ actionId: CONTACT_ACTIONS.history, value: String(ada.id), responseUrl: h.fake.responseUrl() }),
    );
    const history = (await h.fake.waitFor('views.open', opens + 1)).body.view as ModalView;
    expect(JSON.stringify(history.blocks)).toContain('_(debriefed, reported back)_');
    const reply = await h.fake.waitFor('response_url');
    expect(reply.body).toMatchObject({ replace_original: true, text: expect.stringContaining('reported back') });
    const meeting = await h.db
      .selectFrom('meetings')
      .select('reported_back_at')
      .where('id', '=', meetingId)
      .executeTakeFirstOrThrow();
    expect(meeting.reported_back_at).toBe('2026-11-03T20:40:00.000Z');
    const nudge = await h.db
      .selectFrom('reminders')
      .select('state')
      .where('meeting_id', '=', meetingId)
      .where('kind', '=', 'report_back')
      .executeTakeFirstOrThrow();
    expect(nudge.state).toBe('cancelled');
  });

  it('ticking another user’s items changes nothing', async () => {
    const theirs = await meetAda(OTHER_USER_ID);
    await h.interact(
      viewSubmission(await openDebriefFor(theirs, OTHER_USER_ID), fullDebrief, { userId: OTHER_USER_ID }),
    );
    const items = await h.db.selectFrom('advice_items').select('id').execute();
    await h.interact({
      ...buttonPress({ actionId: REMINDER_ACTIONS.toggleAdvice, value: '', responseUrl: h.fake.responseUrl() }),
      actions: [
        {
          type: 'checkboxes',
          action_id: REMINDER_ACTIONS.toggleAdvice,
          block_id: `advice:${theirs}:0`,
          selected_options: items.map((i) => ({ value: String(i.id), text: { type: 'mrkdwn', text: 'x' } })),
          action_ts: '1.2',
        },
      ],
    });
    expect((await h.fake.waitFor('response_url')).body.text).toContain('not one of yours');
    expect(await h.db.selectFrom('advice_items').select('done_at').where('done_at', 'is not', null).execute()).toEqual(
      [],
    );
  });
});

describe('keep in touch', () => {
  it("a newcomer's form sent before the zone arrived is re-planned in the zone, even when the zone's own re-plan ran first", async () => {
    h.clock.set('2026-10-29T14:00:00Z');
    const held = holdAt('schedule:zone-read');
    await h.command('schedule Ada Lovelace');
    const view = await opened(1);
    // The submission reads the zone before users.info has stored it (it falls back to UTC) and waits there…
    const submitted = h.interact(
      viewSubmission(view, {
        [SCHEDULE_MODAL.blocks.startsAt]: new Date('2026-11-03T20:00:00Z'),
        [SCHEDULE_MODAL.blocks.company]: 'Engines',
      }),
    );
    await held.reached;
    // …while the zone arrives, and the engine runs the re-plan that the first known zone asked for.
    while (
      (await h.db.selectFrom('slack_users').select('time_zone').where('time_zone', 'is not', null).execute()).length ===
      0
    )
      await new Promise((resolve) => setImmediate(resolve));
    await h.tick();
    held.release();
    await submitted;
    await h.settle();
    const nudge = await h.db.selectFrom('reminders').select('due_at').where('kind', '=', 'keep_in_touch').execute();
    expect(nudge).toEqual([{ due_at: '2027-01-27T15:00:00.000Z' }]);
  });

  it('a meeting is a touch: the nudge is planned for 90 days later at 10:00, and a changed cadence moves it', async () => {
    await meetAda();
    const ada = await h.db.selectFrom('contacts').select(['id', 'last_touch_at']).executeTakeFirstOrThrow();
    expect(ada.last_touch_at).toBe('2026-10-29T14:00:00.000Z');
    const nudge = () =>
      h.db
        .selectFrom('reminders')
        .select(['state', 'due_at'])
        .where('contact_id', '=', ada.id)
        .executeTakeFirstOrThrow();
    expect(await nudge()).toEqual({ state: 'pending', due_at: '2027-01-27T15:00:00.000Z' });

    await h.interact(
      buttonPress({ actionId: CONTACT_ACTIONS.edit, value: String(ada.id), responseUrl: h.fake.responseUrl() }),
    );
    const edit = await opened(2);
    await h.interact(viewSubmission(edit, { [CONTACT_MODAL.blocks.keepInTouchDays]: '30' }));
    expect(await nudge()).toEqual({ state: 'pending', due_at: '2026-11-28T15:00:00.000Z' });
    await h.interact(viewSubmission(edit, { [CONTACT_MODAL.blocks.keepInTouchDays]: '0' }));
    expect((await nudge()).state).toBe('cancelled');
  });

  it('Log a touch and Snooze a week move the nudge; another user’s contact is refused', async () => {
    await meetAda();
    const ada = await h.db.selectFrom('contacts').select('id').executeTakeFirstOrThrow();
    h.clock.set('2027-01-27T15:00:00Z');
    await h.interact(
      buttonPress({
        actionId: REMINDER_ACTIONS.keepInTouchSnooze,
        value: String(ada.id),
        responseUrl: h.fake.responseUrl(),
      }),
    );
    const snoozed = (await h.fake.waitFor('response_url')).body;
    expect(snoozed.text).toBe('Snoozed: I will remind you again Wed 3 Feb 2027, 10:00.');
    expect(blocksOf(snoozed)[0]?.text).toEqual({
      type: 'mrkdwn',
      text: `Snoozed: I will remind you again ${dateToken('2027-02-03T15:00:00Z', DAY_AND_TIME, 'Wed 3 Feb 2027, 10:00')}.`,
    });
    await h.interact(
      buttonPress({
        actionId: REMINDER_ACTIONS.keepInTouchTouch,
        value: String(ada.id),
        responseUrl: h.fake.responseUrl(),
      }),
    );
    await h.fake.waitFor('response_url', 2);
    const row = await h.db
      .selectFrom('reminders')
      .select('due_at')
      .where('contact_id', '=', ada.id)
      .executeTakeFirstOrThrow();
    expect(row.due_at).toBe('2027-04-27T14:00:00.000Z');
    await h.interact(
      buttonPress({
        actionId: REMINDER_ACTIONS.keepInTouchTouch,
        value: String(ada.id),
        userId: OTHER_USER_ID,
        responseUrl: h.fake.responseUrl(),
      }),
    );
    expect((await h.fake.waitFor('response_url', 3)).body.text).toContain('not one of yours');
  });
});
