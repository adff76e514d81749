import type { KnownBlock, ModalView } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTACT_ACTIONS } from '../../src/slack/ui/messages/contacts-messages.js';
import { CONTACT_MODAL } from '../../src/slack/ui/modals/contact-modal.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { type BlockElement, blockOf, blocksOf } from '../support/blocks.js';
import { HttpReply } from '../support/fake-slack.js';
import { type Harness, startHarness } from '../support/harness.js';
import { must } from '../support/must.js';
import { buttonPress, TEAM_ID, USER_ID, type UserInput, userPickInModal, viewSubmission } from '../support/payloads.js';

// Issue 12, 3: a colleague in the same workspace picked in the contact form fills it from their Slack profile.

const C = CONTACT_MODAL.blocks;
const HANNA = 'U0HANNA01';
let h: Harness;

beforeEach(async () => {
  h = await startHarness({ now: '2026-11-25T12:00:00Z' });
  h.fake.users.set(USER_ID, { tz: 'America/New_York' });
  h.fake.users.set(HANNA, {
    tz: 'Europe/Berlin',
    info: {
      team_id: TEAM_ID,
      real_name: 'Hanna Berg',
      profile: { real_name: 'Hanna Berg', display_name: 'hanna', title: 'Data Lead', pronunciation: 'HAH-na BERK' },
    },
  });
});

afterEach(async () => {
  await h.stop();
});

async function reply(res: Response) {
  const text = await res.text();
  return text === '' ? null : JSON.parse(text);
}

/** `/infoview contact`: the form, once every call after the command (the user's own zone refresh) is done. */
async function openForm(): Promise<ModalView> {
  const before = h.fake.callsTo('views.open').length;
  await h.command('contact');
  const view = (await h.fake.waitFor('views.open', before + 1)).body.view as ModalView;
  await h.settle();
  assertWithinBlockKitLimits('modal', view);
  return view;
}

/** Picks `userId` in the form after typing `inputs`; returns the form as views.update re-rendered it. */
async function pick(view: ModalView, userId: string | null, inputs: Record<string, UserInput> = {}) {
  const before = h.fake.callsTo('views.update').length;
  const res = await h.interact(
    userPickInModal(view, {
      actionId: CONTACT_MODAL.colleagueActionId,
      blockId: C.slackUserId,
      selectedUser: userId,
      inputs,
    }),
  );
  expect(res.status).toBe(200);
  const update = await h.fake.waitFor('views.update', before + 1);
  await h.settle();
  const next = update.body.view as ModalView;
  assertWithinBlockKitLimits('modal', next);
  return { update, view: next };
}

/** A field's element, under its block id or the one a fill gave it (`contact_name_2`). */
function element(view: ModalView, blockId: string): BlockElement {
  const field = new RegExp(`^${blockId}_\\d+$`);
  const block = blocksOf(view).find((b) => b.block_id === blockId || field.test(b.block_id ?? ''));
  return must(block?.element, `the element of ${blockId}`);
}

function note(view: ModalView): string | undefined {
  const block = (view.blocks as KnownBlock[]).find((b) => b.block_id === CONTACT_MODAL.colleagueNoteBlock);
  const first = block?.type === 'context' ? block.elements[0] : undefined;
  return first !== undefined && 'text' in first ? first.text : undefined;
}

async function contacts() {
  return h.db
    .selectFrom('contacts')
    .select(['name', 'title', 'pronunciation', 'time_zone', 'slack_user_id'])
    .orderBy('id')
    .execute();
}

describe('picking a Slack colleague in the contact form', () => {
  it('offers the picker first, on create and on edit', async () => {
    const form = await openForm();
    expect(form.blocks[0]).toMatchObject({
      type: 'input',
      block_id: C.slackUserId,
      optional: true,
      dispatch_action: true,
      element: { type: 'users_select', action_id: CONTACT_MODAL.colleagueActionId },
    });
    expect(element(form, C.slackUserId).initial_user).toBeUndefined();
  });

  it('acks first, then reads users.info and fills only the empty fields, keeping what was typed (hash given)', async () => {
    const form = await openForm();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived!: (user: string) => void;
    const asked = new Promise<string>((resolve) => {
      arrived = resolve;
    });
    h.fake.on('users.info', async (call) => {
      arrived(String(call.body.user));
      await held;
      h.fake.off('users.info');
      return {
        ok: true,
        user: {
          id: call.body.user,
          team_id: TEAM_ID,
          tz: 'Europe/Berlin',
          real_name: 'Hanna Berg',
          profile: { real_name: 'Hanna Berg', title: 'Data Lead', pronunciation: 'HAH-na BERK' },
        },
      };
    });
    const res = await h.interact(
      userPickInModal(form, {
        actionId: CONTACT_MODAL.colleagueActionId,
        blockId: C.slackUserId,
        selectedUser: HANNA,
        inputs: { [C.title]: 'Analytics (my words)', [C.company]: 'Acme' },
      }),
    );
    // Acked while users.info is still unanswered: no Web API call stood before the ack.
    expect(res.status).toBe(200);
    expect(await asked).toBe(HANNA);
    expect(h.fake.callsTo('views.update')).toHaveLength(0);
    release();
    const update = await h.fake.waitFor('views.update');
    await h.settle();
    expect(update.body).toMatchObject({ view_id: 'VFORM', hash: '1700000001.pick' });
    const view = update.body.view as ModalView;
    assertWithinBlockKitLimits('modal', view);
    expect(element(view, C.name).initial_value).toBe('Hanna Berg');
    expect(element(view, C.title).initial_value).toBe('Analytics (my words)');
    expect(element(view, C.company).initial_value).toBe('Acme');
    expect(element(view, C.pronunciation).initial_value).toBe('HAH-na BERK');
    expect(element(view, C.timeZone).initial_option?.value).toBe('Europe/Berlin');
    expect(element(view, C.slackUserId).initial_user).toBe(HANNA);
    expect(note(view)).toBeUndefined();
    // Slack keeps an input's state while its block_id stays (and ignores a new initial value): the filled fields
    // come back under new ids, the others under theirs, so what was typed there stays.
    const ids = view.blocks.map((b) => b.block_id);
    for (const field of [C.name, C.pronunciation, C.title, C.timeZone]) expect(ids).toContain(`${field}_1`);
    for (const field of [C.company, C.email, C.notes, C.slackUserId]) expect(ids).toContain(field);
    expect(view.title.text).toBe('Log a contact');

    // Saved as submitted, with the colleague's Slack id.
    const saved = await reply(await h.interact(viewSubmission(view, {})));
    expect(saved.response_action).toBe('update');
    expect(await contacts()).toEqual([
      {
        name: 'Hanna Berg',
        title: 'Analytics (my words)',
        pronunciation: 'HAH-na BERK',
        time_zone: 'Europe/Berlin',
        slack_user_id: HANNA,
      },
    ]);
    // Nobody but the user is ever messaged: no DM opened or posted to the colleague.
    const toColleague = h.fake.calls.filter(
      (c) => ['conversations.open', 'chat.postMessage'].includes(c.method) && JSON.stringify(c.body).includes(HANNA),
    );
    expect(toColleague).toEqual([]);
  });

  it('fills a name from the display name when there is no real name, and leaves a zone the picker does not offer', async () => {
    h.fake.users.set('U0SAM0001', { tz: 'Mars/Olympus', info: { team_id: TEAM_ID, profile: { display_name: 'sam' } } });
    const { view } = await pick(await openForm(), 'U0SAM0001');
    expect(element(view, C.name).initial_value).toBe('sam');
    expect(element(view, C.timeZone).initial_option).toBeUndefined();
    expect(element(view, C.pronunciation).initial_value).toBeUndefined();
  });

  it('in the edit form keeps it an edit of the same contact', async () => {
    await h.interact(viewSubmission(await openForm(), { [C.name]: 'Hanna', [C.slackUserId]: HANNA }));
    const id = (await h.db.selectFrom('contacts').select('id').executeTakeFirstOrThrow()).id;
    await h.interact(
      buttonPress({ actionId: CONTACT_ACTIONS.edit, value: String(id), responseUrl: h.fake.responseUrl() }),
    );
    const edit = (await h.fake.waitFor('views.open', 2)).body.view as ModalView;
    await h.settle();
    expect(element(edit, C.slackUserId).initial_user).toBe(HANNA);
    const { view } = await pick(edit, HANNA, { [C.title]: '' });
    expect(view.title.text).toBe('Edit contact');
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ contactId: id, fill: 1 });
    expect(element(view, C.name).initial_value).toBe('Hanna');
    expect(element(view, C.title).initial_value).toBe('Data Lead');
    expect(await reply(await h.interact(viewSubmission(view, {})))).toMatchObject({ response_action: 'update' });
    expect(await contacts()).toEqual([
      {
        name: 'Hanna',
        title: 'Data Lead',
        pronunciation: 'HAH-na BERK',
        time_zone: 'Europe/Berlin',
        slack_user_id: HANNA,
      },
    ]);
  });

  it.each([
    [
      'a bot',
      { is_bot: true, team_id: TEAM_ID, profile: { real_name: 'Deploy Bot', bot_id: 'B0DEPLOY' } },
      'bot or app',
    ],
    [
      'a deactivated account',
      { deleted: true, team_id: TEAM_ID, profile: { real_name: 'Gone Person' } },
      'deactivated',
    ],
    [
      'a user of another workspace',
      { team_id: 'T0OTHER', profile: { real_name: 'Far Person' } },
      'not in this workspace',
    ],
    [
      'a user of another organisation (shared channel)',
      { team_id: TEAM_ID, is_stranger: true, profile: { real_name: 'Far Person' } },
      'not in this workspace',
    ],
  ])('explains %s inline, fills nothing, and will not save the link', async (_what, info, reason) => {
    h.fake.users.set('U0ODD0001', { tz: 'Europe/Paris', info });
    const { view } = await pick(await openForm(), 'U0ODD0001', { [C.title]: 'Typed' });
    expect(note(view)).toContain(reason);
    expect(element(view, C.name).initial_value).toBeUndefined();
    expect(element(view, C.title).initial_value).toBe('Typed');
    expect(element(view, C.timeZone).initial_option).toBeUndefined();
    const body = await reply(await h.interact(viewSubmission(view, { [C.name]: 'Someone' })));
    expect(body).toEqual({
      response_action: 'errors',
      errors: { [C.slackUserId]: expect.stringContaining('cannot be linked') },
    });
    expect(await contacts()).toEqual([]);
    // Cleared, the same form saves.
    expect(
      (await reply(await h.interact(viewSubmission(view, { [C.name]: 'Someone', [C.slackUserId]: null }))))
        .response_action,
    ).toBe('update');
  });

  it('accepts an Enterprise Grid colleague whose home workspace is another of the org', async () => {
    h.fake.users.set('W0GRID001', {
      tz: 'Asia/Tokyo',
      info: {
        team_id: 'T0HOME',
        enterprise_user: { enterprise_id: 'E0001', teams: ['T0HOME', TEAM_ID] },
        profile: { real_name: 'Aiko Sato' },
      },
    });
    const { view } = await pick(await openForm(), 'W0GRID001');
    expect(note(view)).toBeUndefined();
    expect(element(view, C.name).initial_value).toBe('Aiko Sato');
    expect(element(view, C.timeZone).initial_option?.value).toBe('Asia/Tokyo');
  });

  it.each([
    ['Slack is down', () => ({ ok: false, error: 'internal_error' }), 'could not be reached'],
    ['Slack answers 500', () => new HttpReply(500, { ok: false, error: 'fatal' }), 'could not be reached'],
    ['the user is unknown', () => ({ ok: false, error: 'user_not_found' }), 'does not know that person'],
  ])('when users.info fails (%s) the form stays as typed with a short line', async (_what, answer, line) => {
    const form = await openForm();
    h.fake.on('users.info', answer);
    const { view, update } = await pick(form, HANNA, { [C.name]: 'Typed Name', [C.notes]: 'met at the all-hands' });
    expect(update.body.hash).toBe('1700000001.pick');
    expect(note(view)).toContain(line);
    expect(element(view, C.name).initial_value).toBe('Typed Name');
    expect(element(view, C.notes).initial_value).toBe('met at the all-hands');
    expect(element(view, C.title).initial_value).toBeUndefined();
  });

  it('leaves the form alone on hash_conflict (the user changed it meanwhile)', async () => {
    const form = await openForm();
    h.fake.on('views.update', () => ({ ok: false, error: 'hash_conflict' }));
    await pick(form, HANNA);
    expect(h.fake.callsTo('views.update')).toHaveLength(1);
    expect(h.logs.join('\n')).not.toContain('hash_conflict');
  });
});

describe('saving a contact with a Slack colleague', () => {
  it.each(['not-an-id', 'u0lower', '<!channel>', 'C0CHANNEL1', `U${'1'.repeat(30)}`])(
    'refuses a forged Slack user id %s inline',
    async (forged) => {
      const body = await reply(
        await h.interact(viewSubmission(await openForm(), { [C.name]: 'Forged', [C.slackUserId]: forged })),
      );
      expect(body).toEqual({
        response_action: 'errors',
        errors: { [C.slackUserId]: expect.stringContaining('Pick a colleague') },
      });
      expect(await contacts()).toEqual([]);
    },
  );

  it('treats a second contact for the same Slack colleague as the existing one', async () => {
    await h.interact(viewSubmission(await openForm(), { [C.name]: 'Hanna Berg', [C.slackUserId]: HANNA }));
    const again = await reply(
      await h.interact(
        viewSubmission(await openForm(), { [C.name]: 'H. Berg', [C.company]: 'Elsewhere', [C.slackUserId]: HANNA }),
      ),
    );
    expect(again.response_action).toBe('push');
    assertWithinBlockKitLimits('modal', again.view);
    expect(JSON.stringify(again.view)).toContain('You already have this person');
    expect(blocksOf(again.view).find((b) => b.type === 'actions')?.elements?.[0]?.action_id).toBe(
      CONTACT_ACTIONS.editExisting,
    );
    expect(await contacts()).toHaveLength(1);
    // Another user of the app may log the same colleague.
    expect(
      (
        await reply(
          await h.interact(
            viewSubmission(await openForm(), { [C.name]: 'Hanna Berg', [C.slackUserId]: HANNA }, { userId: 'U0002' }),
          ),
        )
      ).response_action,
    ).toBe('update');
  });

  it('History offers a DM link to a colleague, and none to anyone else', async () => {
    await h.interact(viewSubmission(await openForm(), { [C.name]: 'Hanna <Berg>', [C.slackUserId]: HANNA }));
    await h.interact(viewSubmission(await openForm(), { [C.name]: 'Outside Person' }));
    const [hanna, outside] = (await h.db.selectFrom('contacts').select('id').orderBy('id').execute()).map((r) => r.id);
    await h.interact(
      buttonPress({ actionId: CONTACT_ACTIONS.history, value: String(hanna), responseUrl: h.fake.responseUrl() }),
    );
    const history = (await h.fake.waitFor('views.open', 3)).body.view as ModalView;
    assertWithinBlockKitLimits('modal', history);
    const dm = blockOf(history, 'contact_slack_dm').text?.text;
    expect(dm).toBe(`<slack://user?team=${TEAM_ID}&amp;id=${HANNA}|Open a DM with Hanna &lt;Berg&gt;> (<@${HANNA}>)`);
    await h.interact(
      buttonPress({ actionId: CONTACT_ACTIONS.history, value: String(outside), responseUrl: h.fake.responseUrl() }),
    );
    const other = (await h.fake.waitFor('views.open', 4)).body.view as ModalView;
    expect(JSON.stringify(other)).not.toContain('slack://');
  });
});
