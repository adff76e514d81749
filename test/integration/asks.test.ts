import type { ModalView } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeAskDraft } from '../../src/domain/asks/asks-service.js';
import { holdAt } from '../../src/lib/pause-points.js';
import { ASK_ACTIONS } from '../../src/slack/ui/messages/asks-messages.js';
import { CONTACT_ACTIONS } from '../../src/slack/ui/messages/contacts-messages.js';
import { ASK_MODAL } from '../../src/slack/ui/modals/ask-modal.js';
import { CONTACT_MODAL } from '../../src/slack/ui/modals/contact-modal.js';
import { HOLIDAYS_MODAL } from '../../src/slack/ui/modals/holidays-modal.js';
import { SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { blocksOf, elementOf } from '../support/blocks.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { type Harness, startHarness } from '../support/harness.js';
import { must } from '../support/must.js';
import { buttonPress, stateFor, TEAM_ID, USER_ID, viewSubmission } from '../support/payloads.js';
import { DAY, dateToken } from '../support/slack-dates.js';
import { testDialect } from '../support/test-database.js';

// Asking for the conversation (issue 12): the draft, Mark as sent, the 3B7 nudges on business days through the real
// engine, the answers, the one follow-up, Home, holidays; everything through the real receiver and the fake Slack.

const A = ASK_MODAL.blocks;
const OTHER_USER = 'U0OTHER01';
let h: Harness;

beforeEach(async () => {
  // Fri 4 Dec 2026, 09:00 in New York.
  h = await startHarness({ now: '2026-12-04T14:00:00Z' });
  h.fake.users.set(USER_ID, { tz: 'America/New_York' });
  h.fake.users.set(OTHER_USER, { tz: 'America/New_York' });
  h.fake.now = () => h.clock.now().getTime();
});
afterEach(async () => {
  await h.stop();
});

async function nextView(method: 'views.open' | 'views.update', act: () => Promise<unknown>): Promise<ModalView> {
  const before = h.fake.callsTo(method).length;
  await act();
  const view = (await h.fake.waitFor(method, before + 1)).body.view as ModalView;
  assertWithinBlockKitLimits('modal', view);
  return view;
}

async function logContact(name: string, referredBy?: number, userId = USER_ID): Promise<number> {
  const form = await nextView('views.open', () => h.command(`contact ${name}`, { userId }));
  await h.interact(
    viewSubmission(form, referredBy ? { [CONTACT_MODAL.blocks.referredById]: String(referredBy) } : {}, { userId }),
  );
  await h.settle();
  return (
    await h.db
      .selectFrom('contacts')
      .select('id')
      .where('owner_id', '=', userId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
  ).id;
}

async function openAskFor(contactId: number, userId = USER_ID): Promise<ModalView> {
  const view = await nextView('views.open', () =>
    h.interact(
      buttonPress({ actionId: ASK_ACTIONS.open, value: String(contactId), responseUrl: h.fake.responseUrl(), userId }),
    ),
  );
  await h.settle();
  return view;
}

async function markSent(
  view: ModalView,
  inputs: Record<string, string> = {},
  userId = USER_ID,
): Promise<Record<string, unknown> | ''> {
  const res = await h.interact(viewSubmission(view, { [A.channel]: 'email', ...inputs }, { userId }));
  const text = await res.text();
  await h.settle();
  return text === '' ? '' : JSON.parse(text);
}

async function askRows() {
  return h.db
    .selectFrom('asks')
    .select(['id', 'contact_id', 'owner_id', 'channel', 'sent_on', 'status', 'followed_up_at', 'purpose'])
    .orderBy('id')
    .execute();
}

async function askWithId(id: number) {
  return must(
    (await askRows()).find((ask) => ask.id === id),
    `ask ${id}`,
  );
}

async function askReminders(contactId: number) {
  const rows = await h.db
    .selectFrom('reminders')
    .select(['kind', 'state', 'due_at', 'delivery_key'])
    .where('contact_id', '=', contactId)
    .where('kind', 'like', 'ask_%')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.kind, { state: r.state, due_at: r.due_at, key: r.delivery_key }]));
}

const payloadOf = (call: RecordedCall) => must(call.body.metadata, 'message metadata').event_payload;
const askPosts = (kind: string) =>
  h.fake.callsTo('chat.postMessage').filter((c) => c.body.metadata && payloadOf(c).kind === kind);
const lastResponse = () => h.fake.lastCall('response_url').body;
const blocksText = (blocks: unknown) => JSON.stringify(blocks);

const draftBlock = (view: ModalView) =>
  must(
    blocksOf(view).find((b) => b.block_id?.startsWith(`${A.draft}_`)),
    'the draft block',
  );

/** Enter pressed in the purpose field of an open ask modal (dispatch_action), with the view's state as Slack sends it. */
function purposeEntered(view: ModalView, purpose: string) {
  return {
    type: 'block_actions',
    user: { id: USER_ID, username: 'jobseeker', name: 'jobseeker', team_id: TEAM_ID },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    container: { type: 'view', view_id: 'VASK' },
    trigger_id: '111.222.333',
    team: { id: TEAM_ID, domain: 'example' },
    view: {
      id: 'VASK',
      team_id: TEAM_ID,
      type: 'modal',
      blocks: view.blocks,
      private_metadata: view.private_metadata,
      callback_id: view.callback_id,
      state: { values: stateFor(view, { [A.purpose]: purpose }) },
      hash: '1700000002.ask',
      title: view.title,
    },
    actions: [
      {
        type: 'plain_text_input',
        action_id: ASK_MODAL.purposeActionId,
        block_id: A.purpose,
        value: purpose,
        action_ts: '1606455407.603639',
      },
    ],
  };
}

describe('asking for a conversation', () => {
  it('drafts the ask, records it, nudges on business days 3 and 7 through the engine, follows up once, and a reply opens the schedule form', async () => {
    const ben = await logContact('Ben Lee');
    const ada = await logContact('Ada Lovelace', ben);
    const grace = await logContact('Grace Hopper', ben);
    const carl = await logContact('Carl Sagan');
    // Carl was asked already (no answer), Dan met: neither is "the next person worth asking".
    await markSent(await openAskFor(carl));
    const carlAsk = must((await askRows())[0], 'the first ask').id;
    await h.interact(
      buttonPress({ actionId: ASK_ACTIONS.noAnswer, value: String(carlAsk), responseUrl: h.fake.responseUrl() }),
    );
    await h.settle();
    const schedule = await nextView('views.open', () => h.command('schedule Dan Brown'));
    await h.interact(viewSubmission(schedule, { [SCHEDULE_MODAL.blocks.startsAt]: new Date('2026-12-20T15:00:00Z') }));
    await h.settle();

    // The draft, composed from facts, under 120 words, with the referrer.
    const view = await nextView('views.open', () => h.command('ask Ada Lovelace'));
    await h.settle();
    expect(blocksText(view.blocks)).toContain('To *Ada Lovelace* · referred by Ben Lee');
    expect(draftBlock(view).element?.initial_value).toBe(
      composeAskDraft({ contactName: 'Ada Lovelace', referrerName: 'Ben Lee', purpose: null }),
    );
    expect(elementOf(view, A.sentOn).initial_date).toBe('2026-12-04');
    expect(view.submit?.text).toBe('Mark as sent');

    // Enter in the purpose field composes the draft again, under a new block id so Slack shows it.
    const purpose = 'I am a chemistry graduate exploring a move into data science';
    const updated = await nextView('views.update', () => h.interact(purposeEntered(view, purpose)));
    await h.settle();
    expect(h.fake.lastCall('views.update').body).toMatchObject({ view_id: 'VASK', hash: '1700000002.ask' });
    expect(draftBlock(updated).block_id).toBe(`${A.draft}_1`);
    expect(draftBlock(updated).element?.initial_value).toBe(
      composeAskDraft({ contactName: 'Ada Lovelace', referrerName: 'Ben Lee', purpose }),
    );

    // Mark as sent: recorded, the purpose kept for next time, the 3B7 nudges planned: a Friday ask, day 3 is
    // Wednesday and day 7 the Tuesday after, both at 10:00 in New York.
    expect(await markSent(updated, { [A.purpose]: purpose })).toBe('');
    const confirmation = h.fake.lastCall('chat.postMessage').body;
    expect(confirmation.text).toBe('Ask to Ada Lovelace recorded');
    // Days in Slack's date formatting, each standing as its noon in New York, with infoview's text as the fallback.
    expect(blocksText(confirmation.blocks)).toContain(
      `on ${dateToken('2026-12-09T17:00:00Z', DAY, 'Wed 9 Dec 2026')} and a friendly follow-up on ${dateToken('2026-12-15T17:00:00Z', DAY, 'Tue 15 Dec 2026')}`,
    );
    assertWithinBlockKitLimits('message', confirmation);
    const adaAsk = must(
      (await askRows()).find((a) => a.contact_id === ada),
      "Ada's ask",
    );
    expect(adaAsk).toMatchObject({ channel: 'email', sent_on: '2026-12-04', status: 'waiting', purpose });
    expect(await h.db.selectFrom('reminder_settings').select('ask_purpose').executeTakeFirst()).toEqual({
      ask_purpose: purpose,
    });
    expect(await askReminders(ada)).toEqual({
      ask_next: { state: 'pending', due_at: '2026-12-09T15:00:00.000Z', key: `${adaAsk.id}|2026-12-04` },
      ask_follow_up: { state: 'pending', due_at: '2026-12-15T15:00:00.000Z', key: `${adaAsk.id}|2026-12-04` },
    });

    // Nothing on Tuesday; Wednesday 10:00: the next person worth asking, referred and never asked or met.
    h.clock.set('2026-12-08T15:00:00Z');
    expect((await h.tick()).sent).toBe(0);
    h.clock.set('2026-12-09T15:00:00Z');
    expect((await h.tick()).sent).toBe(1);
    const day3 = must(askPosts('ask_next')[0], 'the day-3 nudge');
    assertWithinBlockKitLimits('message', day3.body);
    const day3Text = blocksText(day3.body.blocks);
    expect(day3Text).toContain(
      `Three business days since you asked *Ada Lovelace* (${dateToken('2026-12-04T17:00:00Z', DAY, 'Fri 4 Dec 2026')})`,
    );
    expect(day3Text).toContain('*Next to ask:* Grace Hopper');
    expect(day3Text).toContain(
      `"action_id":"${ASK_ACTIONS.open}","text":{"type":"plain_text","text":"Ask Grace Hopper","emoji":true},"value":"${grace}"`,
    );
    for (const never of ['Carl Sagan', 'Dan Brown', 'Ben Lee']) expect(day3Text).not.toContain(never);

    // Day 7: follow up once, with a draft.
    h.clock.set('2026-12-15T15:00:00Z');
    expect((await h.tick()).sent).toBe(1);
    const day7 = must(askPosts('ask_follow_up')[0], 'the day-7 nudge');
    assertWithinBlockKitLimits('message', day7.body);
    expect(blocksText(day7.body.blocks)).toContain('follow up on my note of Fri 4 Dec 2026');
    const followUp = await nextView('views.open', () =>
      h.interact(
        buttonPress({ actionId: ASK_ACTIONS.followUp, value: String(adaAsk.id), responseUrl: h.fake.responseUrl() }),
      ),
    );
    expect(await (await h.interact(viewSubmission(followUp, {}))).text()).toBe('');
    await h.settle();
    expect((await askWithId(adaAsk.id)).followed_up_at).toBe('2026-12-15T15:00:00.000Z');
    // At most one follow-up per ask.
    const again = JSON.parse(await (await h.interact(viewSubmission(followUp, {}))).text());
    expect(again).toEqual({
      response_action: 'errors',
      errors: { [A.draft]: expect.stringContaining('already followed up') },
    });
    await h.interact(
      buttonPress({ actionId: ASK_ACTIONS.followUp, value: String(adaAsk.id), responseUrl: h.fake.responseUrl() }),
    );
    await h.settle();
    expect(lastResponse().text).toContain('already followed up');

    // They replied: the ask closes and the schedule form opens with Ada.
    const form = await nextView('views.open', () =>
      h.interact(
        buttonPress({ actionId: ASK_ACTIONS.replied, value: String(adaAsk.id), responseUrl: h.fake.responseUrl() }),
      ),
    );
    await h.settle();
    expect(form.callback_id).toBe(SCHEDULE_MODAL.callbackId);
    expect(blocksText(form.blocks)).toContain(`"value":"${ada}"`);
    expect(lastResponse()).toMatchObject({
      replace_original: true,
      text: expect.stringContaining('*Ada Lovelace* replied'),
    });
    expect((await askWithId(adaAsk.id)).status).toBe('replied');
    // A second answer to a closed ask changes nothing.
    await h.interact(
      buttonPress({ actionId: ASK_ACTIONS.declined, value: String(adaAsk.id), responseUrl: h.fake.responseUrl() }),
    );
    await h.settle();
    expect(lastResponse().text).toContain('already closed');
    expect((await askWithId(adaAsk.id)).status).toBe('replied');
    // And nothing more comes about it.
    h.clock.set('2026-12-30T15:00:00Z');
    await h.tick();
    expect(askPosts('ask_next')).toHaveLength(1);
    expect(askPosts('ask_follow_up')).toHaveLength(1);
  });

  it('closes kindly on "They declined" and "No answer", offering the next person, and stops the nudges', async () => {
    const ada = await logContact('Ada Lovelace');
    const grace = await logContact('Grace Hopper');
    await markSent(await openAskFor(ada));
    const ask = must((await askRows())[0], 'the ask');
    await h.interact(
      buttonPress({ actionId: ASK_ACTIONS.declined, value: String(ask.id), responseUrl: h.fake.responseUrl() }),
    );
    await h.settle();
    const reply = lastResponse();
    expect(reply.text).toContain('declined, and that is fine');
    expect(blocksText(reply.blocks)).toContain(`"value":"${grace}"`);
    assertWithinBlockKitLimits('message', reply);
    expect(await askReminders(ada)).toMatchObject({
      ask_next: { state: 'cancelled' },
      ask_follow_up: { state: 'cancelled' },
    });
    // Asking again later is a new ask, with new deliveries of the same rows.
    h.clock.set('2026-12-07T14:00:00Z');
    await markSent(await openAskFor(ada));
    const second = must((await askRows()).at(-1), 'the latest ask');
    expect(await askReminders(ada)).toEqual({
      ask_next: { state: 'pending', due_at: '2026-12-10T15:00:00.000Z', key: `${second.id}|2026-12-07` },
      ask_follow_up: { state: 'pending', due_at: '2026-12-16T15:00:00.000Z', key: `${second.id}|2026-12-07` },
    });
    // Both asks are the user's data: the export carries them.
    await h.command('export');
    await h.infoview.inFlight.drain(5000);
    const csv = must(
      h.fake.filesIn('D0001').find((f) => f.filename === 'infoview-asks.csv'),
      'infoview-asks.csv in the DM',
    ).content;
    expect(
      csv
        .split('\r\n')
        .filter(Boolean)
        .map((line) => line.split(',').slice(2, 6).join(',')),
    ).toEqual([
      'contact_name,channel,sent_on,status',
      'Ada Lovelace,email,2026-12-04,declined',
      'Ada Lovelace,email,2026-12-07,waiting',
    ]);
  });

  it('refuses another user\u2019s ask and contact, a forged id, a second ask while one waits, and bad fields, changing nothing', async () => {
    const ada = await logContact('Ada Lovelace');
    const view = await openAskFor(ada);
    // Bad fields come back inline, nothing recorded. (5 Dec has begun somewhere on Earth already: allowed.)
    expect(await markSent(view, { [A.sentOn]: '2026-12-06' })).toEqual({
      response_action: 'errors',
      errors: { [A.sentOn]: expect.stringContaining('still to come') },
    });
    expect(await markSent(view, { [A.purpose]: Array(41).fill('word').join(' ') })).toEqual({
      response_action: 'errors',
      errors: { [A.purpose]: expect.stringContaining('40 words') },
    });
    expect(await askRows()).toEqual([]);

    // Another user cannot record an ask about my contact (the modal's contact id is mine).
    expect(await markSent(view, {}, OTHER_USER)).toEqual({
      response_action: 'errors',
      errors: { [A.sentOn]: expect.stringContaining('not one of yours') },
    });
    expect(await askRows()).toEqual([]);
    // Nor open my contact's ask modal.
    const foreign = await openAskFor(ada, OTHER_USER);
    expect(blocksText(foreign.blocks)).toContain('not one of yours');

    expect(await markSent(view)).toBe('');
    const ask = must((await askRows())[0], 'the ask');
    // A second ask while the first waits: refused; the modal now offers the answers instead.
    expect(await markSent(await openAskFor(ada))).toEqual(expect.objectContaining({ response_action: 'errors' }));
    const waitingView = await openAskFor(ada);
    expect(waitingView.submit).toBeUndefined();
    expect(blocksText(waitingView.blocks)).toContain(`"action_id":"${ASK_ACTIONS.replied}"`);
    // A retried submission of the same view records nothing twice.
    const retried = await openAskFor(await logContact('Grace Hopper'));
    await h.interact(viewSubmission(retried, { [A.channel]: 'email' }, { viewId: 'VSAME' }));
    await h.interact(viewSubmission(retried, { [A.channel]: 'email' }, { viewId: 'VSAME' }));
    await h.settle();
    expect((await askRows()).length).toBe(2);

    // Another user's answer, a forged id: refused, nothing changed.
    for (const [value, userId] of [
      [String(ask.id), OTHER_USER],
      ['99999', USER_ID],
      ['1; drop table asks', USER_ID],
    ] as const) {
      await h.interact(
        buttonPress({ actionId: ASK_ACTIONS.replied, value, responseUrl: h.fake.responseUrl(), userId }),
      );
      await h.settle();
      expect(lastResponse().text).toContain('not one of yours');
    }
    expect(must((await askRows())[0], 'the first ask').status).toBe('waiting');
    // A malformed ask view is acknowledged and dropped.
    const malformed = viewSubmission(view, {});
    malformed.view.private_metadata = '{"contactId":"x"}';
    expect((await h.interact(malformed)).status).toBe(200);
  });

  it.runIf(testDialect() === 'postgres')(
    'two asks of one contact marked sent at the same moment: one is recorded, the other gets the answer a second ask gets',
    async () => {
      const ada = await logContact('Ada Lovelace');
      const first = await openAskFor(ada);
      const second = await openAskFor(ada);
      // The first submission has looked for a waiting ask (none) and is about to record its own.
      const held = holdAt('asks:before-insert');
      const firstAnswer = h.interact(viewSubmission(first, { [A.channel]: 'email' }, { viewId: 'VFIRST' }));
      await held.reached;
      const secondAnswer = await h.interact(viewSubmission(second, { [A.channel]: 'email' }, { viewId: 'VSECOND' }));
      expect(await secondAnswer.text()).toBe('');
      held.release();
      const refused = JSON.parse(await (await firstAnswer).text());
      await h.settle();
      expect(refused).toMatchObject({
        response_action: 'errors',
        errors: { [A.sentOn]: expect.stringContaining('still waiting for a reply') },
      });
      expect((await askRows()).map((ask) => ask.status)).toEqual(['waiting']);
    },
  );

  it('keeps names in any script exact in the draft and escaped in mrkdwn', async () => {
    const odd = await logContact('<Zoë & *Ωmega*> 😀');
    const view = await openAskFor(odd);
    expect(draftBlock(view).element?.initial_value?.startsWith('Hi <Zoë,')).toBe(true);
    expect(blocksText(view.blocks)).toContain('To *&lt;Zoë &amp; *Ωmega*&gt; 😀*');
    await markSent(view);
    const dm = h.fake.lastCall('chat.postMessage').body;
    expect(dm.text).toBe('Ask to &lt;Zoë &amp; *Ωmega*&gt; 😀 recorded');
  });

  it('scheduling a meeting with someone asked answers the ask, and its nudges stop', async () => {
    const ada = await logContact('Ada Lovelace');
    await markSent(await openAskFor(ada));
    const form = await nextView('views.open', () =>
      h.interact(
        buttonPress({ actionId: CONTACT_ACTIONS.schedule, value: String(ada), responseUrl: h.fake.responseUrl() }),
      ),
    );
    await h.interact(viewSubmission(form, { [SCHEDULE_MODAL.blocks.startsAt]: new Date('2026-12-18T15:00:00Z') }));
    await h.settle();
    expect(must((await askRows())[0], 'the first ask').status).toBe('replied');
    expect(await askReminders(ada)).toMatchObject({
      ask_next: { state: 'cancelled' },
      ask_follow_up: { state: 'cancelled' },
    });
  });

  it('Home shows the asks waiting (day n of 7), a follow-up due, the next person to ask, and the reply rate', async () => {
    const ada = await logContact('Ada Lovelace');
    const ben = await logContact('Ben Lee');
    await logContact('Grace Hopper', ben);
    await markSent(await openAskFor(ada));
    await markSent(await openAskFor(ben));
    const benAsk = must((await askRows()).at(-1), 'the latest ask').id;
    await h.interact(
      buttonPress({ actionId: ASK_ACTIONS.replied, value: String(benAsk), responseUrl: h.fake.responseUrl() }),
    );
    await h.settle();
    h.clock.set('2026-12-09T16:00:00Z');
    let home = await h.openHome();
    let text = blocksText(home.blocks);
    const askedOn = dateToken('2026-12-04T17:00:00Z', DAY, 'Fri 4 Dec 2026');
    expect(text).toContain(`*Ada Lovelace* · asked ${askedOn} · day 3 of 7`);
    expect(text).toContain('Next to ask: *Grace Hopper* _(someone referred you)_');
    expect(text).toContain('*Reply rate*\\n50% (1 of 2)');
    h.clock.set('2026-12-15T16:00:00Z');
    home = await h.openHome();
    text = blocksText(home.blocks);
    expect(text).toContain(`*Ada Lovelace* · asked ${askedOn} · *follow-up due*`);
    expect(text).toContain('"value":"follow_up:');
    // The Home menu answers the ask too (no response_url: the DM says it).
    const adaAsk = must((await askRows())[0], 'the first ask').id;
    await h.interact(overflowOnHome(`no_answer:${adaAsk}`));
    await h.settle();
    expect(must((await askRows())[0], 'the first ask').status).toBe('no_answer');
    expect(h.fake.lastCall('chat.postMessage').body.text).toContain('No answer from *Ada Lovelace*');
  });

  it('workspace holidays: only an admin changes them, and the 3B7 days move', async () => {
    const ada = await logContact('Ada Lovelace');
    await markSent(await openAskFor(ada));
    // Not an admin: the view turns read-only once Slack says so, and a submission is refused anyway.
    const open = await nextView('views.open', () => h.command('holidays'));
    const readOnly = await h.fake.waitFor('views.update');
    expect((readOnly.body.view as ModalView).submit).toBeUndefined();
    const refused = JSON.parse(
      await (await h.interact(viewSubmission(open, { [HOLIDAYS_MODAL.blockId]: '2026-12-07 Closed' }))).text(),
    );
    expect(refused).toEqual({
      response_action: 'errors',
      errors: { [HOLIDAYS_MODAL.blockId]: expect.stringContaining('Only workspace admins') },
    });
    expect(await h.db.selectFrom('workspace_holidays').selectAll().execute()).toEqual([]);

    h.fake.users.set(USER_ID, { tz: 'America/New_York', info: { is_admin: true } });
    // Last known as not an admin: read-only at first, editable once Slack says otherwise.
    const admin = await nextView('views.update', () => h.command('holidays'));
    await h.settle();
    expect(admin.submit?.text).toBe('Save');
    const bad = JSON.parse(
      await (
        await h.interact(viewSubmission(admin, { [HOLIDAYS_MODAL.blockId]: '2026-12-07 Closed\nnext Monday' }))
      ).text(),
    );
    expect(bad.errors[HOLIDAYS_MODAL.blockId]).toContain('"next Monday" does not start with a date');
    expect(
      await (
        await h.interact(
          viewSubmission(admin, { [HOLIDAYS_MODAL.blockId]: '2026-12-07 Closed\n2026-12-08 Closed too' }),
        )
      ).text(),
    ).toBe('');
    await h.settle();
    // Mon and Tue off: day 3 is Friday 11 Dec, day 7 Thursday 17 Dec.
    expect(await askReminders(ada)).toMatchObject({
      ask_next: { due_at: '2026-12-11T15:00:00.000Z' },
      ask_follow_up: { due_at: '2026-12-17T15:00:00.000Z' },
    });
  });
});

/** A choice in the overflow menu of a waiting ask on Home (a view container, no response_url). */
function overflowOnHome(value: string) {
  return {
    type: 'block_actions',
    user: { id: USER_ID, username: 'jobseeker', name: 'jobseeker', team_id: TEAM_ID },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    container: { type: 'view', view_id: 'VHOME' },
    trigger_id: '111.222.444',
    team: { id: TEAM_ID, domain: 'example' },
    view: {
      id: 'VHOME',
      team_id: TEAM_ID,
      type: 'home',
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      hash: '1700000000.home',
      blocks: [],
    },
    actions: [
      {
        type: 'overflow',
        action_id: ASK_ACTIONS.homeMenu,
        block_id: 'x',
        selected_option: { text: { type: 'plain_text', text: 'No answer' }, value },
        action_ts: '1606455407.603639',
      },
    ],
  };
}
