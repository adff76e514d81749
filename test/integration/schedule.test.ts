import type { ModalView } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveTimeZone } from '../../src/db/repositories/slack-users-repository.js';
import { MEETING_ACTIONS } from '../../src/slack/ui/messages/meeting-messages.js';
import { buildScheduleModal, SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { blocksOf, elementOf } from '../support/blocks.js';
import { type Harness, startHarness } from '../support/harness.js';
import { must } from '../support/must.js';
import { buttonPress, OTHER_USER_ID, TEAM_ID, USER_ID, type UserInput, viewSubmission } from '../support/payloads.js';
import { meetingWhenTokens, withDateFallbacks } from '../support/slack-dates.js';

const B = SCHEDULE_MODAL.blocks;
// Thursday 29 October 2026, 10:00 in New York (EDT); US clocks go back on Sunday 1 November.
const NOW = '2026-10-29T14:00:00.000Z';

let h: Harness;

beforeEach(async () => {
  h = await startHarness({ now: NOW });
  h.fake.users.set(USER_ID, { tz: 'America/New_York' });
  h.fake.users.set(OTHER_USER_ID, { tz: 'Europe/Berlin' });
});

afterEach(async () => {
  await h.stop();
});

async function openModal(text = 'schedule', who: { userId?: string } = {}): Promise<ModalView> {
  const before = h.fake.callsTo('views.open').length;
  const res = await h.command(text, who);
  expect(res.status).toBe(200);
  const call = await h.fake.waitFor('views.open', before + 1);
  return call.body.view as ModalView;
}

async function submit(
  view: ModalView,
  inputs: Record<string, UserInput>,
  who: { userId?: string; viewId?: string } = {},
) {
  const res = await h.interact(viewSubmission(view, inputs, who));
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
}

const adaInputs = (): Record<string, UserInput> => ({
  [B.name]: 'Ada Lovelace',
  [B.pronunciation]: 'AY-duh LUV-lace',
  [B.title]: 'Senior Data Analyst',
  [B.company]: 'Analytical Engines Ltd',
  [B.startsAt]: new Date('2026-11-03T20:00:00.000Z'),
  [B.location]: 'https://zoom.us/j/123456789',
  [B.goal]: 'How analysts move into research roles',
});

async function meetingRows() {
  return h.db.selectFrom('meetings').selectAll().orderBy('id').execute();
}

describe('/infoview schedule', () => {
  it('acks and opens the schedule modal with the trigger, exactly as built, within Block Kit limits', async () => {
    const res = await h.command('schedule');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const call = await h.fake.waitFor('views.open');
    expect(call.body.trigger_id).toMatch(/^13345224609\.738474920\./);
    expect(call.authorization).toBe('Bearer xoxb-1111-2222-testtokenvalue');
    expect(call.body.view).toEqual(JSON.parse(JSON.stringify(buildScheduleModal({ name: null, startsAt: null }))));
    const view = call.body.view as ModalView;
    expect(view.callback_id).toBe('schedule_meeting');
    const duration = elementOf(view, B.durationMinutes);
    expect(duration.options?.map((o) => o.value)).toEqual(['15', '20', '30', '45', '60']);
    expect(duration.initial_option?.value).toBe('30');
    const questions = elementOf(view, B.questions);
    expect(questions.initial_value).toContain('Who else would you suggest I talk to');
    assertWithinBlockKitLimits('modal', view);
  });

  it('pre-fills name and time from free text in the user zone, across the DST change', async () => {
    await openModal('schedule Ada Lovelace next Tuesday 3pm');
    // A newcomer: the time follows the zone from Slack, by views.update.
    const view = (await h.fake.waitFor('views.update')).body.view as ModalView;
    const name = elementOf(view, B.name);
    const when = elementOf(view, B.startsAt);
    expect(name.initial_value).toBe('Ada Lovelace');
    // Tuesday 3 November 15:00 EST (UTC-5 after the change), not 15:00 EDT.
    expect(when.initial_date_time).toBe(Date.parse('2026-11-03T20:00:00Z') / 1000);
  });

  it('with the zone already known, fills the time in the form it opens, with no views.update', async () => {
    await openModal('schedule Ada Lovelace'); // the zone is now known
    await h.settle();
    const view = await openModal('schedule Ada Lovelace next Tuesday 3pm');
    const when = elementOf(view, B.startsAt);
    expect(when.initial_date_time).toBe(Date.parse('2026-11-03T20:00:00Z') / 1000);
    await h.settle();
    expect(h.fake.callsTo('views.update')).toHaveLength(0);
  });

  it('opens unfilled when the text is not understood', async () => {
    const view = await openModal('schedule next blah');
    const when = elementOf(view, B.startsAt);
    expect(when.initial_date_time).toBeUndefined();
  });

  it('stores contact and meeting, closes the modal, and DMs a confirmation', async () => {
    const view = await openModal();
    const result = await submit(view, adaInputs(), { viewId: 'VSCHED1' });
    expect(result).toEqual({ status: 200, body: null });
    await h.settle(); // after the ack: the zone from Slack, the confirmation

    const contacts = await h.db.selectFrom('contacts').selectAll().execute();
    expect(contacts).toEqual([
      expect.objectContaining({
        team_id: 'T0001',
        owner_id: USER_ID,
        name: 'Ada Lovelace',
        pronunciation: 'AY-duh LUV-lace',
        title: 'Senior Data Analyst',
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
        time_zone: 'America/New_York',
        location: 'https://zoom.us/j/123456789',
        goal: 'How analysts move into research roles',
        status: 'scheduled',
        source_view_id: 'VSCHED1',
      }),
    ]);

    const dm = await h.fake.waitFor('chat.postMessage');
    expect(h.fake.callsTo('conversations.open')[0]?.body.users).toBe(USER_ID);
    expect(dm.body.channel).toBe('D0001');
    expect(dm.body.text).toBe('Scheduled: Ada Lovelace, Tue 3 Nov 2026, 15:00–15:30 EST');
    const meetingId = String((await meetingRows())[0]?.id);
    expect(dm.body.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Meeting scheduled', emoji: true } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*Ada Lovelace* · say it _AY-duh LUV-lace_\nSenior Data Analyst at Analytical Engines Ltd',
        },
        fields: [
          {
            type: 'mrkdwn',
            text: `*When*\n${meetingWhenTokens(
              { iso: '2026-11-03T20:00:00Z', fallback: 'Tue 3 Nov 2026, 15:00' },
              { iso: '2026-11-03T20:30:00Z', fallback: '15:30 EST' },
            )}`,
          },
          { type: 'mrkdwn', text: '*How long*\n30 minutes' },
          { type: 'mrkdwn', text: '*Where*\n<https://zoom.us/j/123456789|https://zoom.us/j/123456789>' },
        ],
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*What you want to learn*\nHow analysts move into research roles' },
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: expect.stringContaining('*Your questions*\n• What does a typical week') },
      },
      {
        type: 'actions',
        block_id: `meeting_actions:${meetingId}`,
        elements: [
          expect.objectContaining({ action_id: MEETING_ACTIONS.reschedule, value: meetingId }),
          expect.objectContaining({
            action_id: MEETING_ACTIONS.cancel,
            value: meetingId,
            style: 'danger',
            confirm: expect.objectContaining({
              title: { type: 'plain_text', text: 'Cancel this meeting?', emoji: true },
            }),
          }),
        ],
      },
    ]);
    assertWithinBlockKitLimits('message', dm.body);
  });

  it('does not create a second meeting when the same view is submitted twice', async () => {
    const view = await openModal();
    await submit(view, adaInputs(), { viewId: 'VTWICE' });
    await h.fake.waitFor('chat.postMessage');
    await submit(view, adaInputs(), { viewId: 'VTWICE' });
    await h.fake.waitFor('chat.postMessage', 2);
    expect(await meetingRows()).toHaveLength(1);
    expect(await h.db.selectFrom('contacts').selectAll().execute()).toHaveLength(1);
  });

  it.each([
    ['a missing name', { [B.name]: '' }, B.name, 'Pick someone from your contacts or type a name'],
    ['a time in the past', { [B.startsAt]: new Date('2026-10-29T13:59:00Z') }, B.startsAt, 'already passed'],
    ['no time at all', { [B.startsAt]: null }, B.startsAt, 'Pick the date and time'],
    ['a name over the limit', { [B.name]: 'A'.repeat(101) }, B.name, 'under 100 characters'],
    ['questions over Slack\u2019s 3000', { [B.questions]: 'q'.repeat(3001) }, B.questions, 'under 3000 characters'],
    ['a malformed link', { [B.location]: 'htps://zoom.us/j/1' }, B.location, 'https://'],
    ['a link without a real host', { [B.location]: 'https://zoom' }, B.location, 'malformed'],
  ])('refuses %s inline on its field and stores nothing', async (_case, change, blockId, message) => {
    const view = await openModal();
    const result = await submit(view, { ...adaInputs(), ...change });
    expect(result.status).toBe(200);
    expect(result.body.response_action).toBe('errors');
    expect(Object.keys(result.body.errors)).toEqual([blockId]);
    expect(result.body.errors[blockId]).toContain(message);
    expect(await meetingRows()).toHaveLength(0);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('reports every bad field at once', async () => {
    const view = await openModal();
    const result = await submit(view, { ...adaInputs(), [B.name]: '', [B.startsAt]: null, [B.location]: 'http://' });
    expect(Object.keys(result.body.errors).sort()).toEqual([B.location, B.name, B.startsAt].sort());
  });

  it('escapes user text so a contact cannot ping a channel or break formatting', async () => {
    const view = await openModal();
    await submit(view, {
      ...adaInputs(),
      [B.name]: '<!channel> & Co',
      [B.company]: '<https://evil.example|Totally Safe>',
      [B.location]: '221B Baker St <@U999>',
    });
    const dm = await h.fake.waitFor('chat.postMessage');
    // Everything Slack parses as mrkdwn: the fallback text and every mrkdwn text object (plain_text is not parsed).
    const mrkdwnTexts: string[] = [must(dm.body.text, 'the message text')];
    JSON.stringify(dm.body.blocks, (_key, value) => {
      if (value && value.type === 'mrkdwn') mrkdwnTexts.push(value.text);
      return value;
    });
    const rendered = mrkdwnTexts.join('\n');
    expect(dm.body.text).toBe('Scheduled: &lt;!channel&gt; &amp; Co, Tue 3 Nov 2026, 15:00–15:30 EST');
    expect(rendered).toContain('*&lt;!channel&gt; &amp; Co*');
    expect(rendered).toContain('&lt;https://evil.example|Totally Safe&gt;');
    expect(rendered).toContain('221B Baker St &lt;@U999&gt;');
    expect(rendered).not.toMatch(/<!channel>|<@U999>|<https:\/\/evil/);
  });
});

describe('/infoview upcoming', () => {
  it('lists only my upcoming meetings, soonest first, ephemerally', async () => {
    const view = await openModal();
    await submit(view, { ...adaInputs(), [B.name]: 'Later Person', [B.startsAt]: new Date('2026-11-10T15:00:00Z') });
    await submit(view, { ...adaInputs(), [B.name]: 'Sooner Person', [B.startsAt]: new Date('2026-10-30T13:00:00Z') });
    const theirs = await openModal('schedule', { userId: OTHER_USER_ID });
    await submit(theirs, { ...adaInputs(), [B.name]: 'Not Mine' }, { userId: OTHER_USER_ID });

    const res = await h.command('upcoming');
    expect(res.status).toBe(200);
    const reply = await h.fake.waitFor('response_url');
    expect(reply.body.response_type).toBe('ephemeral');
    const sections = blocksOf(reply.body)
      .filter((b) => b.type === 'section')
      .map((b) => b.text?.text);
    expect(sections).toHaveLength(2);
    const sooner = meetingWhenTokens(
      { iso: '2026-10-30T13:00:00Z', fallback: 'Fri 30 Oct 2026, 09:00' },
      { iso: '2026-10-30T13:30:00Z', fallback: '09:30 EDT' },
    );
    const later = meetingWhenTokens(
      { iso: '2026-11-10T15:00:00Z', fallback: 'Tue 10 Nov 2026, 10:00' },
      { iso: '2026-11-10T15:30:00Z', fallback: '10:30 EST' },
    );
    expect(sections[0]).toContain(`*${sooner}*`);
    expect(withDateFallbacks(must(sections[0], 'the first section'))).toContain('*Fri 30 Oct 2026, 09:00–09:30 EDT*');
    expect(sections[0]).toContain('Sooner Person');
    expect(sections[1]).toContain(`*${later}*`);
    expect(JSON.stringify(reply.body)).not.toContain('Not Mine');
    assertWithinBlockKitLimits('message', reply.body);
  });

  it('says so when there is nothing coming up', async () => {
    await h.command('upcoming');
    const reply = await h.fake.waitFor('response_url');
    expect(reply.body.text).toContain('no upcoming meetings');
  });
});

describe('help', () => {
  it.each(['help', '', 'frobnicate'])('answers %j with the subcommands that work', async (text) => {
    const res = await h.command(text);
    const body = (await res.json()) as { text: string };
    expect(body.text).toContain('/infoview schedule');
    expect(body.text).toContain('/infoview upcoming');
    expect(body.text).toContain('/infoview help');
    if (text === 'frobnicate') expect(body.text).toContain("I don't know `frobnicate`");
    assertWithinBlockKitLimits('message', body);
  });
});

describe('reschedule and cancel buttons', () => {
  async function scheduleAda() {
    const view = await openModal();
    await submit(view, adaInputs());
    await h.fake.waitFor('chat.postMessage');
    return String((await meetingRows())[0]?.id);
  }

  it('reschedule opens the modal pre-filled, saves the new time and updates the old message', async () => {
    const meetingId = await scheduleAda();
    await h.interact(
      buttonPress({
        actionId: MEETING_ACTIONS.reschedule,
        value: meetingId,
        responseUrl: h.fake.responseUrl(),
        channel: 'D0001',
        messageTs: '1700000000.000100',
      }),
    );
    const opened = (await h.fake.waitFor('views.open', 2)).body.view as ModalView;
    assertWithinBlockKitLimits('modal', opened);
    expect(opened.title.text).toBe('Reschedule');
    expect(elementOf(opened, B.name).initial_value).toBe('Ada Lovelace');
    expect(JSON.parse(opened.private_metadata ?? '')).toEqual({
      meetingId: Number(meetingId),
      origin: { channel: 'D0001', ts: '1700000000.000100' },
    });

    const result = await submit(opened, { [B.startsAt]: new Date('2026-11-04T20:00:00Z'), [B.durationMinutes]: '20' });
    expect(result).toEqual({ status: 200, body: null });
    expect(await meetingRows()).toEqual([
      expect.objectContaining({ starts_at: '2026-11-04T20:00:00.000Z', duration_minutes: 20, status: 'scheduled' }),
    ]);
    const dm = await h.fake.waitFor('chat.postMessage', 2);
    expect(dm.body.text).toBe('Rescheduled: Ada Lovelace, Wed 4 Nov 2026, 15:00–15:20 EST');
    const update = await h.fake.waitFor('chat.update');
    expect(update.body).toMatchObject({
      channel: 'D0001',
      ts: '1700000000.000100',
      text: 'Moved: your meeting with Ada Lovelace is now Wed 4 Nov 2026, 15:00–15:20 EST.',
    });
  });

  it('cancel marks the meeting cancelled and replaces the message', async () => {
    const meetingId = await scheduleAda();
    const res = await h.interact(
      buttonPress({ actionId: MEETING_ACTIONS.cancel, value: meetingId, responseUrl: h.fake.responseUrl('cancel') }),
    );
    expect(res.status).toBe(200);
    const reply = await h.fake.waitFor('response_url');
    expect(reply.path).toBe('/respond/cancel');
    expect(reply.body).toMatchObject({
      replace_original: true,
      text: 'Cancelled: your meeting with Ada Lovelace on Tue 3 Nov 2026, 15:00–15:30 EST.',
    });
    const when = meetingWhenTokens(
      { iso: '2026-11-03T20:00:00Z', fallback: 'Tue 3 Nov 2026, 15:00' },
      { iso: '2026-11-03T20:30:00Z', fallback: '15:30 EST' },
    );
    expect(blocksOf(reply.body)[0]?.text?.text).toBe(`:x: Cancelled: your meeting with *Ada Lovelace* on ${when}.`);
    expect(reply.body.blocks?.some((b) => b.type === 'actions')).toBe(false);
    expect((await meetingRows())[0]?.status).toBe('cancelled');
  });

  it.each([MEETING_ACTIONS.cancel, MEETING_ACTIONS.reschedule])(
    '%s with another user\u2019s meeting id changes nothing and says so',
    async (actionId) => {
      const meetingId = await scheduleAda();
      await h.interact(
        buttonPress({ actionId, value: meetingId, userId: OTHER_USER_ID, responseUrl: h.fake.responseUrl() }),
      );
      const reply = await h.fake.waitFor('response_url');
      expect(reply.body).toMatchObject({
        response_type: 'ephemeral',
        replace_original: false,
        text: expect.stringContaining('not one of yours'),
      });
      expect((await meetingRows())[0]?.status).toBe('scheduled');
      expect(h.fake.callsTo('views.open')).toHaveLength(1);
    },
  );

  it('a reschedule submission naming another user\u2019s meeting is refused inline', async () => {
    const meetingId = await scheduleAda();
    const forged = buildScheduleModal({ context: { meetingId: Number(meetingId) } });
    const result = await submit(forged, { ...adaInputs(), [B.name]: 'Hijacked' }, { userId: OTHER_USER_ID });
    expect(result.body).toEqual({
      response_action: 'errors',
      errors: { [B.name]: expect.stringContaining('not one of yours') },
    });
    expect(await h.db.selectFrom('contacts').select('name').execute()).toEqual([{ name: 'Ada Lovelace' }]);
  });

  it('a reschedule takes the zone the user has now', async () => {
    const meetingId = await scheduleAda();
    await saveTimeZone(h.db, { teamId: TEAM_ID, userId: USER_ID }, 'Europe/Berlin', NOW);
    const before = h.fake.callsTo('views.open').length;
    await h.interact(
      buttonPress({ actionId: MEETING_ACTIONS.reschedule, value: meetingId, responseUrl: h.fake.responseUrl() }),
    );
    const form = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
    await h.interact(viewSubmission(form, { [B.startsAt]: new Date('2026-11-04T20:00:00Z') }));
    await h.settle();
    const meeting = await h.db
      .selectFrom('meetings')
      .select('time_zone')
      .where('id', '=', Number(meetingId))
      .executeTakeFirstOrThrow();
    expect(meeting.time_zone).toBe('Europe/Berlin');
  });
});

describe('one contact per person', () => {
  const contacts = () => h.db.selectFrom('contacts').select(['id', 'name', 'company']).orderBy('id').execute();

  it('scheduling with a typed name again uses the contact already logged, with or without the company', async () => {
    expect((await submit(await openModal(), adaInputs())).status).toBe(200);
    expect(
      (await submit(await openModal(), { ...adaInputs(), [B.startsAt]: new Date('2026-11-10T20:00:00.000Z') })).body,
    ).toBeNull();
    // Typed again without the company, and in other letters: still Ada.
    const bare = { [B.name]: 'ada  LOVELACE', [B.startsAt]: new Date('2026-11-17T20:00:00.000Z') };
    expect((await submit(await openModal(), bare)).body).toBeNull();
    const logged = await contacts();
    expect(logged).toHaveLength(1);
    const ada = must(logged[0], 'the logged contact').id;
    expect((await meetingRows()).map((m) => m.contact_id)).toEqual([ada, ada, ada]);
    // Another company is another person.
    expect(
      (
        await submit(await openModal(), {
          ...adaInputs(),
          [B.company]: 'Navy Labs',
          [B.startsAt]: new Date('2026-11-24T20:00:00.000Z'),
        })
      ).body,
    ).toBeNull();
    expect(await contacts()).toHaveLength(2);
  });

  it('asks which one when several contacts have the name and no company tells them apart, creating nothing', async () => {
    await submit(await openModal(), adaInputs());
    await submit(await openModal(), {
      ...adaInputs(),
      [B.company]: 'Navy Labs',
      [B.startsAt]: new Date('2026-11-10T20:00:00.000Z'),
    });
    const view = await openModal();
    const answer = await submit(view, { [B.name]: 'Ada Lovelace', [B.startsAt]: new Date('2026-11-17T20:00:00.000Z') });
    expect(answer.body).toEqual({
      response_action: 'errors',
      errors: {
        [B.name]:
          'You have 2 contacts called Ada Lovelace (Analytical Engines Ltd, Navy Labs): pick one under "Someone from your contacts", or add the company.',
      },
    });
    expect(await contacts()).toHaveLength(2);
    expect(await meetingRows()).toHaveLength(2);
  });
});

describe("a newcomer's free-text schedule while users.info is slow", () => {
  const text = 'schedule Grace Hopper next Tuesday 3pm';
  const when = (view: ModalView) => elementOf(view, B.startsAt);
  const name = (view: ModalView) => elementOf(view, B.name).initial_value;

  /** users.info answers only when the test says so; views.open answers with an id and a hash, as Slack does. */
  function holdUsersInfo(
    answer: Record<string, unknown> = { ok: true, user: { id: USER_ID, tz: 'America/New_York' } },
  ) {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.fake.on('users.info', async () => {
      await held;
      return answer;
    });
    h.fake.on('views.open', (call) => {
      const opened = h.fake.asSlack(call) as { view: Record<string, unknown> };
      return { ...opened, view: { ...opened.view, id: 'VGRACE', hash: '1700000000.abc' } };
    });
    return release;
  }

  it('opens the form with the name at once, then fills in the time in the user zone by views.update', async () => {
    const release = holdUsersInfo();
    const res = await h.command(text);
    expect(res.status).toBe(200);
    const opened = (await h.fake.waitFor('views.open')).body.view as ModalView;
    // users.info has not answered (the test holds it): the form opened anyway.
    expect(name(opened)).toBe('Grace Hopper');
    expect(when(opened).initial_date_time).toBeUndefined();
    expect(h.fake.callsTo('views.update')).toHaveLength(0);

    release();
    const update = await h.fake.waitFor('views.update');
    expect(update.body.view_id).toBe('VGRACE');
    expect(update.body.hash).toBe('1700000000.abc');
    const filled = update.body.view as ModalView;
    expect(name(filled)).toBe('Grace Hopper');
    // Tuesday 3 November 15:00 in New York: EST, after the change.
    expect(when(filled).initial_date_time).toBe(Date.parse('2026-11-03T20:00:00Z') / 1000);
    expect(filled.callback_id).toBe(opened.callback_id);
    await h.settle();
  });

  it('leaves the form alone when the user changed it first (hash_conflict)', async () => {
    const release = holdUsersInfo();
    h.fake.on('views.update', () => ({ ok: false, error: 'hash_conflict' }));
    await h.command(text);
    await h.fake.waitFor('views.open');
    release();
    await h.fake.waitFor('views.update');
    await h.settle();
    expect(h.fake.callsTo('views.update')).toHaveLength(1);
    expect(h.logs.filter((line) => /error/i.test(line))).toEqual([]);
  });

  it('keeps the form usable when users.info fails: no time guessed in another zone', async () => {
    const release = holdUsersInfo({ ok: false, error: 'user_not_found' });
    await h.command(text);
    const opened = (await h.fake.waitFor('views.open')).body.view as ModalView;
    release();
    await h.settle();
    expect(h.fake.callsTo('views.update')).toHaveLength(0);
    const res = await h.interact(
      viewSubmission(opened, { [B.name]: 'Grace Hopper', [B.startsAt]: new Date('2026-11-03T20:00:00Z') }),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(await meetingRows()).toHaveLength(1);
    await h.settle();
  });
});
