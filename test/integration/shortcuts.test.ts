import type { ModalView } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ASK_MODAL } from '../../src/slack/ui/modals/ask-modal.js';
import { CONTACT_MODAL } from '../../src/slack/ui/modals/contact-modal.js';
import { MESSAGE_PEOPLE_VIEW } from '../../src/slack/ui/modals/message-people-view.js';
import { SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { SHORTCUTS } from '../../src/slack/ui/shortcuts.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { type BlockElement, blocksOf } from '../support/blocks.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { type Harness, SIGNING_SECRET, startHarness } from '../support/harness.js';
import { must } from '../support/must.js';
import {
  buttonPressInModal,
  globalShortcut,
  messageShortcut,
  OTHER_USER_ID,
  TEAM_ID,
  USER_ID,
  type UserInput,
  viewSubmission,
} from '../support/payloads.js';
import { payloadBody, postSigned } from '../support/signing.js';

const C = CONTACT_MODAL.blocks;
const HANNA = 'U0HANNA01';
const ALAN = 'U0ALAN001';
const TS = '1795534200.000300'; // Tue 24 Nov 2026, 15:30 UTC
const LINK = `https://example.slack.com/archives/C0NOTJOINED/p1795534200000300`;
const GRACE_TEXT =
  'You should talk to Grace Hopper (<mailto:grace@navy.mil|grace@navy.mil>), she runs data at the Navy. ' +
  'And ask <@U0ALAN001> about *analytics* &amp; <https://www.linkedin.com/in/katherine-johnson|Katherine Johnson>.';

let h: Harness;

beforeEach(async () => {
  h = await startHarness({ now: '2026-11-25T12:00:00Z' });
  h.fake.users.set(USER_ID, { tz: 'UTC' });
  h.fake.users.set(HANNA, {
    tz: 'Europe/Berlin',
    info: { team_id: TEAM_ID, real_name: 'Hanna Berg', profile: { real_name: 'Hanna Berg', title: 'Data Lead' } },
  });
  h.fake.users.set(ALAN, {
    tz: 'Europe/London',
    info: { team_id: TEAM_ID, real_name: 'Alan Turing', profile: { real_name: 'Alan Turing', title: 'Codebreaker' } },
  });
});

afterEach(async () => {
  await h.stop();
});

function logAsContact(message: Parameters<typeof messageShortcut>[0]['message'], extra = {}) {
  return messageShortcut({
    callbackId: SHORTCUTS.logMessageAsContact.callbackId,
    responseUrl: h.fake.responseUrl(),
    message: { ts: TS, ...message },
    ...extra,
  });
}

/** A field's element, under its block id or the one a fill gave it (`contact_name_1`). */
function element(view: ModalView, blockId: string): BlockElement {
  const filled = new RegExp(`^${blockId}_\\d+$`);
  const block = blocksOf(view).find((b) => b.block_id === blockId || filled.test(b.block_id ?? ''));
  return must(block?.element, `the element of ${blockId}`);
}

function textOf(view: ModalView): string {
  return JSON.stringify(view.blocks);
}

async function reply(res: Response) {
  const text = await res.text();
  return text === '' ? null : JSON.parse(text);
}

/**
 * Holds users.info unanswered until `release` is called; then answers as the fake does. `asked` resolves when the
 * first held call has arrived (the fake's waitFor would wait for its answer).
 */
function holdUsersInfo(): { release: () => void; asked: Promise<void> } {
  let release!: () => void;
  let arrived!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const asked = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  h.fake.on('users.info', async (call) => {
    arrived();
    await held;
    return h.fake.asSlack(call);
  });
  return { release, asked };
}

/** views.open answered with this id and hash (Slack's own view id, for the update after it). */
function openAs(id: string, hash: string) {
  h.fake.on('views.open', (call) => ({ ok: true, view: { ...(call.body.view as object), id, hash } }));
}

/** A Log press in the people view the app built (Slack sends the view back with its metadata and hash). */
function pressLog(view: ModalView, index: number, options: { viewId?: string; userId?: string } = {}) {
  const press = buttonPressInModal({
    actionId: MESSAGE_PEOPLE_VIEW.logActionId,
    value: String(index),
    viewId: options.viewId ?? 'VLIST',
    ...(options.userId ? { userId: options.userId } : {}),
  });
  return {
    ...press,
    view: {
      ...press.view,
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      blocks: view.blocks,
      hash: '1700000005.list',
    },
  };
}

async function contacts() {
  return h.db
    .selectFrom('contacts')
    .select(['id', 'owner_id', 'name', 'title', 'email', 'profile_url', 'how_met', 'referred_by_id', 'slack_user_id'])
    .orderBy('id')
    .execute();
}

function methodsAfter(index: number): string[] {
  return h.fake.calls.slice(index).map((call: RecordedCall) => call.method);
}

describe('Log as contact (message shortcut)', () => {
  it('from a channel the app is not in, opens the prefilled form before any other Web API call, then fills the author by views.update with the hash', async () => {
    openAs('VMSG', '1700000001.open');
    const { release, asked } = holdUsersInfo();
    const start = h.fake.calls.length;
    const res = await h.interact(logAsContact({ user: HANNA, text: GRACE_TEXT }));
    expect(res.status).toBe(200);
    const open = await h.fake.waitFor('views.open');
    // views.open came first; users.info (asked after it) is still held, and nothing was updated yet.
    expect(methodsAfter(start)[0]).toBe('views.open');
    await asked;
    expect(h.fake.callsTo('views.update')).toHaveLength(0);
    const form = open.body.view as ModalView;
    assertWithinBlockKitLimits('modal', form);
    expect(form.callback_id).toBe(CONTACT_MODAL.callbackId);
    expect(element(form, C.slackUserId).initial_user).toBe(HANNA);
    expect(element(form, C.howMet).initial_value).toBe(`Slack message on Tue 24 Nov 2026: ${LINK}`);
    expect(textOf(form)).toContain('Also in this message: Grace Hopper, <@U0ALAN001>, Katherine Johnson.');
    // The link was built from the payload: no chat.getPermalink.
    expect(h.fake.callsTo('chat.getPermalink')).toHaveLength(0);

    release();
    const update = await h.fake.waitFor('views.update');
    await h.settle();
    expect(update.body).toMatchObject({ view_id: 'VMSG', hash: '1700000001.open' });
    const filled = update.body.view as ModalView;
    assertWithinBlockKitLimits('modal', filled);
    expect(element(filled, C.name).initial_value).toBe('Hanna Berg');
    expect(element(filled, C.title).initial_value).toBe('Data Lead');
    expect(element(filled, C.timeZone).initial_option?.value).toBe('Europe/Berlin');
    expect(element(filled, C.howMet).initial_value).toBe(`Slack message from Hanna Berg on Tue 24 Nov 2026: ${LINK}`);

    // Saved: the confirmation offers the people the message names, referred by Hanna.
    const saved = await reply(await h.interact(viewSubmission(filled, {})));
    expect(saved.response_action).toBe('update');
    const list = saved.view as ModalView;
    assertWithinBlockKitLimits('modal', list);
    expect(list.callback_id).toBe(MESSAGE_PEOPLE_VIEW.callbackId);
    expect(textOf(list)).toContain('Log Grace Hopper');
    expect(textOf(list)).toContain('<@U0ALAN001>');
    expect(textOf(list)).toContain('referred by Hanna Berg');
    const [hanna] = await contacts();
    expect(hanna).toMatchObject({
      name: 'Hanna Berg',
      slack_user_id: HANNA,
      how_met: `Slack message from Hanna Berg on Tue 24 Nov 2026: ${LINK}`,
    });

    // Log Grace: the list becomes her form, filled from the message, referred by Hanna.
    const graceIndex = JSON.parse(list.private_metadata ?? '').people.findIndex(
      (p: { name: string }) => p.name === 'Grace Hopper',
    );
    await h.interact(pressLog(list, graceIndex));
    const graceUpdate = await h.fake.waitFor('views.update', 2);
    await h.settle();
    expect(graceUpdate.body).toMatchObject({ view_id: 'VLIST', hash: '1700000005.list' });
    const graceForm = graceUpdate.body.view as ModalView;
    assertWithinBlockKitLimits('modal', graceForm);
    expect(element(graceForm, C.name).initial_value).toBe('Grace Hopper');
    expect(element(graceForm, C.email).initial_value).toBe('grace@navy.mil');
    expect(element(graceForm, C.referredById).initial_option?.value).toBe(String(hanna?.id));
    expect(element(graceForm, C.howMet).initial_value).toBe(
      `Mentioned in a Slack message from Hanna Berg on Tue 24 Nov 2026: ${LINK}`,
    );
    const next = await reply(await h.interact(viewSubmission(graceForm, {})));
    expect(next.response_action).toBe('update');
    // The others are still offered; Grace no longer.
    expect(textOf(next.view)).not.toContain('Log Grace Hopper');
    expect(textOf(next.view)).toContain('Log Katherine Johnson');
    expect((await contacts())[1]).toMatchObject({
      name: 'Grace Hopper',
      email: 'grace@navy.mil',
      referred_by_id: hanna?.id,
    });
  });

  it('a mentioned colleague is filled from their profile after the press (views.update with the new hash)', async () => {
    await h.interact(viewSubmission(await openContactForm(), { [C.name]: 'Hanna Berg', [C.slackUserId]: HANNA }));
    const hannaId = (await contacts())[0]?.id;
    // Hanna is already a contact: the shortcut lists the people, with Hanna as their referrer.
    const before = h.fake.callsTo('views.open').length;
    await h.interact(logAsContact({ user: HANNA, text: 'Ask <@U0ALAN001>, he knows.' }));
    const list = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
    await h.settle();
    assertWithinBlockKitLimits('modal', list);
    expect(list.callback_id).toBe(MESSAGE_PEOPLE_VIEW.callbackId);
    expect(textOf(list)).toContain('The author is already one of your contacts');
    h.fake.on('views.update', (call) => ({
      ok: true,
      view: { ...(call.body.view as object), id: 'VLIST', hash: 'h2' },
    }));
    await h.interact(pressLog(list, 0));
    const second = await h.fake.waitFor('views.update', 2);
    await h.settle();
    expect(second.body).toMatchObject({ view_id: 'VLIST', hash: 'h2' });
    const form = second.body.view as ModalView;
    expect(element(form, C.name).initial_value).toBe('Alan Turing');
    expect(element(form, C.slackUserId).initial_user).toBe(ALAN);
    expect(element(form, C.referredById).initial_option?.value).toBe(String(hannaId));
  });

  it('an app author: no author to log, no users.info for it; with nobody named, the form with How you met', async () => {
    const before = h.fake.calls.length;
    await h.interact(logAsContact({ botId: 'B0STANDUP', text: 'Standup: nothing to report' }));
    const form = (await h.fake.waitFor('views.open')).body.view as ModalView;
    await h.settle();
    expect(element(form, C.slackUserId).initial_user).toBeUndefined();
    expect(element(form, C.howMet).initial_value).toBe(`Slack message on Tue 24 Nov 2026: ${LINK}`);
    expect(textOf(form)).toContain('An app posted this message');
    // Only the user's own zone was read.
    expect(
      h.fake.calls
        .slice(before)
        .filter((c) => c.method === 'users.info')
        .map((c) => c.body.user),
    ).toEqual([USER_ID]);
  });

  it('an app author whose message names people opens the list of them', async () => {
    await h.interact(logAsContact({ botId: 'B0STANDUP', text: 'New mentor: <@U0ALAN001>' }));
    const list = (await h.fake.waitFor('views.open')).body.view as ModalView;
    await h.settle();
    expect(list.callback_id).toBe(MESSAGE_PEOPLE_VIEW.callbackId);
    expect(textOf(list)).toContain('An app posted this message');
    expect(textOf(list)).toContain('<@U0ALAN001>');
  });

  it('an author Slack does not know is said under the picker, and the form is not saved with them', async () => {
    await h.interact(logAsContact({ user: 'U0GONE001', text: 'hello' }));
    const update = await h.fake.waitFor('views.update');
    await h.settle();
    const form = update.body.view as ModalView;
    expect(textOf(form)).toContain('Slack does not know that person in this workspace');
    const res = await reply(await h.interact(viewSubmission(form, { [`${C.name}_1`]: 'Someone' })));
    expect(res.response_action).toBe('errors');
    expect(Object.keys(res.errors)).toEqual([C.slackUserId]);
    expect(await contacts()).toEqual([]);
  });

  it('a Slack Connect author is logged with their name and title, without a Slack link', async () => {
    h.fake.users.set('U0EXT0001', {
      tz: 'America/Chicago',
      info: {
        team_id: 'T0PARTNER',
        is_stranger: true,
        real_name: 'Dana Scully',
        profile: { real_name: 'Dana Scully', title: 'Forensic Pathologist' },
      },
    });
    await h.interact(logAsContact({ user: 'U0EXT0001', team: 'T0PARTNER', text: 'hi all' }));
    const open = await h.fake.waitFor('views.open');
    expect(element(open.body.view as ModalView, C.slackUserId).initial_user).toBeUndefined();
    const update = await h.fake.waitFor('views.update');
    await h.settle();
    const form = update.body.view as ModalView;
    expect(element(form, C.name).initial_value).toBe('Dana Scully');
    expect(textOf(form)).toContain('logged without a Slack link');
    const saved = await reply(await h.interact(viewSubmission(form, {})));
    expect(saved.response_action).toBe('update');
    expect((await contacts())[0]).toMatchObject({
      name: 'Dana Scully',
      title: 'Forensic Pathologist',
      slack_user_id: null,
    });
  });

  it('without the workspace domain (Enterprise Grid), asks chat.getPermalink after the form opened', async () => {
    h.fake.on('chat.getPermalink', () => ({
      ok: true,
      permalink: 'https://acme.enterprise.slack.com/archives/C0X/p1',
    }));
    const start = h.fake.calls.length;
    await h.interact(logAsContact({ user: HANNA, text: 'hi' }, { enterpriseId: 'E0001' }));
    const update = await h.fake.waitFor('views.update');
    await h.settle();
    const methods = methodsAfter(start);
    expect(methods.indexOf('views.open')).toBeLessThan(methods.indexOf('chat.getPermalink'));
    expect(element(update.body.view as ModalView, C.howMet).initial_value).toBe(
      'Slack message from Hanna Berg on Tue 24 Nov 2026: https://acme.enterprise.slack.com/archives/C0X/p1',
    );
  });

  it('a long message full of mrkdwn gives fields within Block Kit limits, and its text is never logged', async () => {
    const secret = 'Confidential-Layoff-Plan';
    const text = `${'*bold* _it_ `code` <!here> '.repeat(2000)}${secret} <@U0ALAN001>`;
    h.fake.on('users.info', () => ({ ok: false, error: 'internal_error' }));
    await h.interact(logAsContact({ user: HANNA, text }));
    const open = await h.fake.waitFor('views.open');
    const update = await h.fake.waitFor('views.update');
    await h.settle();
    assertWithinBlockKitLimits('modal', open.body.view);
    assertWithinBlockKitLimits('modal', update.body.view);
    expect(h.logs.join('\n')).not.toContain(secret);
    expect(h.logs.join('\n')).toContain('users.info failed');
  });
});

async function openContactForm(): Promise<ModalView> {
  const before = h.fake.callsTo('views.open').length;
  await h.command('contact');
  const view = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
  await h.settle();
  return view;
}

describe('global shortcuts', () => {
  it.each([
    [SHORTCUTS.planInterview.callbackId, SCHEDULE_MODAL.callbackId],
    [SHORTCUTS.logContact.callbackId, CONTACT_MODAL.callbackId],
    [SHORTCUTS.askForConversation.callbackId, ASK_MODAL.pickCallbackId],
  ])('%s opens its form first, while users.info waits', async (callbackId, formCallbackId) => {
    const { release } = holdUsersInfo();
    const start = h.fake.calls.length;
    const res = await h.interact(globalShortcut({ callbackId }));
    expect(res.status).toBe(200);
    const open = await h.fake.waitFor('views.open');
    expect(methodsAfter(start)[0]).toBe('views.open');
    const view = open.body.view as ModalView;
    assertWithinBlockKitLimits('modal', view);
    expect(view.callback_id).toBe(formCallbackId);
    release();
    await h.settle();
  });
});

describe('who may use the shortcuts', () => {
  it('a forged or unsigned shortcut is refused and opens nothing', async () => {
    const body = payloadBody(logAsContact({ user: HANNA, text: 'hi' }));
    const forged = await postSigned(h.eventsUrl, SIGNING_SECRET, body, { secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    const unsigned = await fetch(h.eventsUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(unsigned.status).toBe(401);
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
  });

  it("another workspace's user gets nothing; another user sees none of this user's contacts", async () => {
    await h.interact(viewSubmission(await openContactForm(), { [C.name]: 'Hanna Berg', [C.slackUserId]: HANNA }));
    const hanna = must((await contacts())[0], 'Hanna');
    const opens = h.fake.callsTo('views.open').length;
    const foreign = await h.interact(
      logAsContact({ user: HANNA, text: 'hi' }, { teamId: 'T0002', userId: 'U0FOREIGN' }),
    );
    expect(foreign.status).toBe(200);
    await h.settle();
    expect(h.fake.callsTo('views.open')).toHaveLength(opens);

    // The other user of this workspace: Hanna is not their contact, so they get the form for her, not the list.
    await h.interact(logAsContact({ user: HANNA, text: 'Ask <@U0ALAN001>' }, { userId: OTHER_USER_ID }));
    const form = (await h.fake.waitFor('views.open', opens + 1)).body.view as ModalView;
    await h.settle();
    expect(form.callback_id).toBe(CONTACT_MODAL.callbackId);
    expect(element(form, C.referredById).initial_option).toBeUndefined();
    // A list forged to name this user's contact as the referrer: for the other user it is not found, so none is set.
    const forgedList = {
      ...form,
      callback_id: MESSAGE_PEOPLE_VIEW.callbackId,
      private_metadata: JSON.stringify({
        author: 'Hanna Berg',
        day: 'Tue 24 Nov 2026',
        link: null,
        people: [{ slackUserId: '', name: 'Grace Hopper', email: '', profileUrl: '' }],
        referrerId: hanna.id,
        isAuthor: false,
      }),
    };
    const updates = h.fake.callsTo('views.update').length;
    await h.interact(pressLog(forgedList, 0, { userId: OTHER_USER_ID }));
    const grace = (await h.fake.waitFor('views.update', updates + 1)).body.view as ModalView;
    await h.settle();
    expect(element(grace, C.name).initial_value).toBe('Grace Hopper');
    expect(element(grace, C.referredById).initial_option).toBeUndefined();
    const inputs: Record<string, UserInput> = {};
    await h.interact(viewSubmission(grace, inputs, { userId: OTHER_USER_ID }));
    expect((await contacts()).find((c) => c.name === 'Grace Hopper')).toMatchObject({
      owner_id: OTHER_USER_ID,
      referred_by_id: null,
    });
  });
});
