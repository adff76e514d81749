import type { ModalView } from '@slack/types';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordViews } from '../../src/db/repositories/centre-repository.js';
import { saveCentreSettings } from '../../src/domain/centre/centre-service.js';
import { shareProgress } from '../../src/domain/centre/sharing-service.js';
import { purgeExpiredWorkspaces } from '../../src/domain/installs/workspaces-service.js';
import { createLogger } from '../../src/lib/logger.js';
import { holdAt } from '../../src/lib/pause-points.js';
import { buildCentreModal, CENTRE_MODAL } from '../../src/slack/ui/consent/centre-modal.js';
import { SHARE_MODAL, SHARING_ACTIONS } from '../../src/slack/ui/consent/share-modal.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { elementOf } from '../support/blocks.js';
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
import { testDialect } from '../support/test-database.js';

// The consent side of the career-centre view, through the real receiver and the fake Slack: an admin turns it on and
// names advisors, each person chooses, stops in one tap, and sees who sees what and each look.

const ADMIN = 'U0ADMIN';
const A1 = 'U0ADV1';
const A2 = 'U0ADV2';
const C = CENTRE_MODAL.blocks;
const S = SHARE_MODAL.blocks;

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ now: '2026-12-07T15:00:00Z' });
  h.fake.users.set(ADMIN, { tz: 'Europe/London', info: { is_admin: true } });
  h.fake.users.set(USER_ID, { tz: 'America/New_York' });
  h.fake.users.set(OTHER_USER_ID, { tz: 'Europe/Berlin' });
  h.fake.users.set(A1, { tz: 'Europe/London' });
  h.fake.users.set(A2, { tz: 'Europe/London' });
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

/** What the request was answered with: '' for a plain ack, else the JSON body. */
async function answer(res: Response): Promise<Record<string, unknown> | ''> {
  const text = await res.text();
  return text === '' ? '' : (JSON.parse(text) as Record<string, unknown>);
}

/** The admin's form: the first time Slack is asked (a "checking" modal, then the form once Slack says admin). */
async function centreForm(): Promise<ModalView> {
  const known = h.fake.callsTo('users.info').some((call) => call.body.user === ADMIN);
  if (known) return nextView('views.open', () => h.command('centre', { userId: ADMIN }));
  return nextView('views.update', () => h.command('centre', { userId: ADMIN }));
}

async function saveCentre(inputs: { on?: boolean; advisors?: string[]; k?: string }) {
  const form = await centreForm();
  const res = await h.interact(
    viewSubmission(
      form,
      {
        [C.enabled]: inputs.on === false ? [] : [CENTRE_MODAL.onValue],
        [C.advisors]: inputs.advisors ?? [A1, A2],
        ...(inputs.k !== undefined ? { [C.minCohort]: inputs.k } : {}),
      },
      { userId: ADMIN },
    ),
  );
  const body = await answer(res);
  await h.settle();
  return body;
}

async function shareForm(userId = USER_ID): Promise<ModalView> {
  return nextView('views.open', () => h.command('share', { userId }));
}

async function share(advisors: string[], level: 'counts' | 'stages', userId = USER_ID) {
  const form = await shareForm(userId);
  const res = await h.interact(
    viewSubmission(form, { [`${SHARE_MODAL.advisorsPrefix}0`]: advisors, [S.level]: level }, { userId }),
  );
  const body = await answer(res);
  await h.settle();
  return body;
}

const sharesOf = (ownerId: string) =>
  h.db
    .selectFrom('progress_shares')
    .select(['advisor_id', 'level'])
    .where('team_id', '=', TEAM_ID)
    .where('owner_id', '=', ownerId)
    .orderBy('advisor_id')
    .execute();

/** A button pressed on the person's Home (a view container: no response_url). */
function homePress(actionId: string, userId = USER_ID) {
  return {
    type: 'block_actions',
    user: { id: userId, username: 'jobseeker', name: 'jobseeker', team_id: TEAM_ID },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    container: { type: 'view', view_id: 'VHOME' },
    trigger_id: `111.222.${Math.random().toString(36).slice(2)}`,
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
        type: 'button',
        action_id: actionId,
        block_id: 'x',
        value: 'x',
        text: { type: 'plain_text', text: 'x' },
        action_ts: '1606455407.603639',
      },
    ],
  };
}

describe('/infoview centre', () => {
  it('lets an admin turn the view on, name advisors and set k; the form shows what was saved next time', async () => {
    const checking = await nextView('views.open', () => h.command('centre', { userId: ADMIN }));
    expect(JSON.stringify(checking.blocks)).toContain('Checking with Slack');
    const form = (await h.fake.waitFor('views.update')).body.view as ModalView;
    assertWithinBlockKitLimits('modal', form);
    expect(elementOf(form, C.minCohort)).toMatchObject({ type: 'number_input', initial_value: '10', min_value: '5' });

    const res = await h.interact(
      viewSubmission(form, { [C.enabled]: ['on'], [C.advisors]: [A2, A1], [C.minCohort]: '12' }, { userId: ADMIN }),
    );
    const body = await answer(res);
    expect(body).toMatchObject({ response_action: 'update' });
    const saved = (body as { view: ModalView }).view;
    assertWithinBlockKitLimits('modal', saved);
    expect(JSON.stringify(saved.blocks)).toContain(`Advisors: <@${A1}> and <@${A2}>`);
    await h.settle();

    expect(await h.db.selectFrom('centre_settings').selectAll().execute()).toEqual([
      { team_id: TEAM_ID, enabled: 1, min_cohort: 12, changed_by: ADMIN, updated_at: '2026-12-07T15:00:00.000Z' },
    ]);
    expect(await h.db.selectFrom('centre_advisors').select('advisor_id').orderBy('advisor_id').execute()).toEqual([
      { advisor_id: A1 },
      { advisor_id: A2 },
    ]);

    // Slack has said: the form opens at once now, with what was saved.
    const again = await nextView('views.open', () => h.command('centre', { userId: ADMIN }));
    expect(elementOf(again, C.advisors)).toMatchObject({ initial_users: [A1, A2] });
    expect(elementOf(again, C.minCohort)).toMatchObject({ initial_value: '12' });
    expect(elementOf(again, C.enabled)).toMatchObject({ initial_options: [{ value: 'on' }] });
  });

  it('refuses someone Slack does not call an admin: told ephemerally, and nothing they submit is stored', async () => {
    await nextView('views.open', () => h.command('centre'));
    const refused = (await h.fake.waitFor('views.update')).body.view as ModalView;
    expect(refused.submit).toBeUndefined();
    expect(JSON.stringify(refused.blocks)).toContain('Only workspace admins and owners');
    await h.settle();
    expect(h.fake.lastCall('response_url').body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Only workspace admins and owners'),
    });

    // Last known not to be an admin: an ephemeral answer, no modal.
    const opens = h.fake.callsTo('views.open').length;
    const replies = h.fake.callsTo('response_url').length;
    await h.command('centre');
    await h.settle();
    expect(h.fake.callsTo('views.open')).toHaveLength(opens);
    expect(h.fake.callsTo('response_url')[replies]?.body.text).toContain('Only workspace admins and owners');

    // A forged submission of the admin's form by this user changes nothing.
    const forged = buildCentreModal({ enabled: false, minCohort: 10, advisorIds: [] });
    const res = await h.interact(viewSubmission(forged, { [C.enabled]: ['on'], [C.advisors]: [USER_ID] }));
    expect(await answer(res)).toEqual({
      response_action: 'errors',
      errors: { [C.enabled]: expect.stringContaining('Nothing was changed') },
    });
    // So does one by someone Slack was never asked about (no form was ever opened for them).
    const unknown = await h.interact(
      viewSubmission(forged, { [C.enabled]: ['on'], [C.advisors]: [OTHER_USER_ID] }, { userId: OTHER_USER_ID }),
    );
    expect(await answer(unknown)).toMatchObject({ response_action: 'errors' });
    await h.settle();
    expect(await h.db.selectFrom('centre_settings').selectAll().execute()).toEqual([]);
    expect(await h.db.selectFrom('centre_advisors').selectAll().execute()).toEqual([]);
  });

  it('changes nothing for a submission from another workspace, even in the name of an admin of this one', async () => {
    await saveCentre({ advisors: [A1] });
    const form = buildCentreModal({ enabled: true, minCohort: 10, advisorIds: [A1] });
    await h.interact(viewSubmission(form, { [C.enabled]: [], [C.advisors]: [] }, { userId: ADMIN, teamId: 'T0002' }));
    await h.settle();
    expect(await h.db.selectFrom('centre_settings').select(['team_id', 'enabled']).execute()).toEqual([
      { team_id: TEAM_ID, enabled: 1 },
    ]);
    expect(await h.db.selectFrom('centre_advisors').select(['team_id', 'advisor_id']).execute()).toEqual([
      { team_id: TEAM_ID, advisor_id: A1 },
    ]);
  });

  it.each([
    ['4', 'At least 5 people'],
    ['0', 'At least 5 people'],
    ['1001', 'a whole number from 5 to 1000'],
    ['7.5', 'a whole number from 5 to 1000'],
    ['', 'a whole number from 5 to 1000'],
  ])('sends k = %j back inline and stores nothing', async (k, message) => {
    expect(await saveCentre({ k })).toEqual({
      response_action: 'errors',
      errors: { [C.minCohort]: expect.stringContaining(message) },
    });
    expect(await h.db.selectFrom('centre_settings').selectAll().execute()).toEqual([]);
  });

  it('ends the shares with an advisor it no longer names and tells each person in their DM', async () => {
    await saveCentre({ advisors: [A1, A2] });
    await share([A1], 'counts');
    await share([A1, A2], 'stages', OTHER_USER_ID);
    const before = h.fake.callsTo('chat.postMessage').length;
    const publishes = h.fake.callsTo('views.publish').length;

    const body = await saveCentre({ advisors: [A2] });
    expect(JSON.stringify((body as { view: ModalView }).view.blocks)).toContain('2 people were sharing');
    expect(await sharesOf(USER_ID)).toEqual([]);
    expect(await sharesOf(OTHER_USER_ID)).toEqual([{ advisor_id: A2, level: 'stages' }]);
    const told = h.fake.callsTo('chat.postMessage').slice(before);
    expect(told.map((call) => call.body.channel).sort()).toEqual(['D0001', 'D0002']);
    for (const call of told) {
      expect(call.body.text).toContain(`<@${A1}> is no longer an advisor of this workspace's career centre`);
      expect(call.body.text).toContain('They no longer see your figures.');
      expect(call.body.text).not.toContain(`<@${A2}>`);
    }
    // Their Homes (and the removed advisor's) are published again.
    const published = h.fake
      .callsTo('views.publish')
      .slice(publishes)
      .map((call) => call.body.user_id);
    expect(published).toEqual(expect.arrayContaining([USER_ID, OTHER_USER_ID, A1]));
  });
});

describe('sharing my progress', () => {
  it('stores my choice of advisors and level, sends a receipt, and shows it on Home', async () => {
    await saveCentre({ advisors: [A1, A2, USER_ID] });
    const form = await shareForm();
    // Only the centre's advisors, never me; what each level shows and what is never shown.
    expect(elementOf(form, `${SHARE_MODAL.advisorsPrefix}0`)).toMatchObject({
      type: 'checkboxes',
      options: [{ value: A1 }, { value: A2 }],
    });
    const text = JSON.stringify(form.blocks);
    expect(text).toContain('asks sent, replies and reply rate, conversations held');
    expect(text).toContain("without the other person's name");
    expect(text).toContain('names, organisations and contact details of the people you meet');

    const res = await h.interact(
      viewSubmission(form, { [`${SHARE_MODAL.advisorsPrefix}0`]: [A2], [S.level]: 'stages' }),
    );
    expect(await answer(res)).toBe('');
    await h.settle();
    expect(await sharesOf(USER_ID)).toEqual([{ advisor_id: A2, level: 'stages' }]);
    const receipt = h.fake.lastCall('chat.postMessage').body;
    expect(receipt.channel).toBe('D0001');
    expect(receipt.text).toContain(`<@${A2}> sees your counts and stages`);
    assertWithinBlockKitLimits('message', { text: receipt.text, blocks: receipt.blocks });

    const home = await h.openHome();
    const homeText = JSON.stringify(home.blocks);
    expect(homeText).toContain(`<@${A2}> (counts and stages)`);
    expect(homeText).toContain(SHARING_ACTIONS.stop);

    // Changing the level and adding an advisor: the receipt says who sees what now.
    await share([A1, A2], 'counts');
    expect(await sharesOf(USER_ID)).toEqual([
      { advisor_id: A1, level: 'counts' },
      { advisor_id: A2, level: 'counts' },
    ]);
    expect(h.fake.lastCall('chat.postMessage').body.text).toContain(`<@${A1}> and <@${A2}> see your counts`);
  });

  it.each([
    ['someone who is not an advisor', 'U0NOTADV', "Only this workspace's advisors"],
    ['myself, though I am an advisor', USER_ID, 'cannot share your progress with yourself'],
  ])('refuses a forged pick of %s inline and stores nothing', async (_who, forgedId, message) => {
    await saveCentre({ advisors: [A1, USER_ID] });
    const form = await shareForm();
    // The form never offers them: add the option as a forged payload would.
    const forged = structuredClone(form);
    const element = elementOf(forged, `${SHARE_MODAL.advisorsPrefix}0`) as { options: unknown[] };
    element.options.push({ text: { type: 'mrkdwn', text: `<@${forgedId}>` }, value: forgedId });
    const before = h.fake.callsTo('chat.postMessage').length;
    const res = await h.interact(
      viewSubmission(forged, { [`${SHARE_MODAL.advisorsPrefix}0`]: [A1, forgedId], [S.level]: 'counts' }),
    );
    expect(await answer(res)).toEqual({
      response_action: 'errors',
      errors: { [S.firstAdvisors]: expect.stringContaining(message) },
    });
    await h.settle();
    expect(await sharesOf(USER_ID)).toEqual([]);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(before);
  });

  it('asks for at least one advisor, and stores nothing while the centre is off', async () => {
    await saveCentre({ advisors: [A1] });
    const form = await shareForm();
    expect(await answer(await h.interact(viewSubmission(form, { [S.level]: 'counts' })))).toEqual({
      response_action: 'errors',
      errors: { [S.firstAdvisors]: expect.stringContaining('Pick at least one advisor') },
    });
    await saveCentre({ on: false, advisors: [A1] });
    const res = await h.interact(
      viewSubmission(form, { [`${SHARE_MODAL.advisorsPrefix}0`]: [A1], [S.level]: 'counts' }),
    );
    expect(await answer(res)).toEqual({
      response_action: 'errors',
      errors: { [S.firstAdvisors]: expect.stringContaining('not on in this workspace') },
    });
    expect(await sharesOf(USER_ID)).toEqual([]);
  });

  it('stops in one tap from Home, the receipt and the modal: at once, with a receipt', async () => {
    await saveCentre({ advisors: [A1, A2] });
    await share([A1, A2], 'counts');
    // From Home.
    const publishes = h.fake.callsTo('views.publish').length;
    await h.interact(homePress(SHARING_ACTIONS.stop));
    await h.settle();
    expect(await sharesOf(USER_ID)).toEqual([]);
    // Both advisors' Homes are published again at once, without the person.
    const advisorHomes = h.fake
      .callsTo('views.publish')
      .slice(publishes)
      .filter((call) => call.body.user_id === A1 || call.body.user_id === A2);
    expect(advisorHomes.map((call) => call.body.user_id).sort()).toEqual([A1, A2].sort());
    for (const call of advisorHomes) expect(JSON.stringify(call.body.view)).not.toContain(`<@${USER_ID}>`);
    const receipt = h.fake.lastCall('chat.postMessage').body;
    expect(receipt.channel).toBe('D0001');
    expect(receipt.text).toMatch(
      new RegExp(
        `^You stopped sharing with <@${A1}> and <@${A2}> at Mon 7 Dec 2026, \\d\\d:00\\. They no longer see your figures\\.$`,
      ),
    );
    expect(JSON.stringify(receipt.blocks)).toContain('<!date^1796655600^');
    const home = await h.openHome();
    expect(JSON.stringify(home.blocks)).toContain('You share your progress with no advisor');
    expect(JSON.stringify(home.blocks)).not.toContain(SHARING_ACTIONS.stop);

    // From the button in a share receipt (a DM message with a response_url).
    await share([A1], 'stages');
    h.clock.advance(60_000);
    await h.interact(buttonPress({ actionId: SHARING_ACTIONS.stop, value: 'stop', responseUrl: h.fake.responseUrl() }));
    await h.settle();
    expect(await sharesOf(USER_ID)).toEqual([]);
    expect(h.fake.lastCall('chat.postMessage').body.text).toContain(`You stopped sharing with <@${A1}> at`);

    // From the share modal: the modal says so in place.
    await share([A2], 'counts');
    const updates = h.fake.callsTo('views.update').length;
    await h.interact(buttonPressInModal({ actionId: SHARING_ACTIONS.stop, value: 'stop', viewId: 'VSHARE' }));
    await h.settle();
    expect(await sharesOf(USER_ID)).toEqual([]);
    const stopped = h.fake.callsTo('views.update')[updates]?.body;
    expect(stopped?.view_id).toBe('VSHARE');
    expect(JSON.stringify(stopped?.view)).toContain(`You stopped sharing with <@${A2}>`);

    // Nothing left to stop: said, nothing sent as a receipt.
    const posts = h.fake.callsTo('chat.postMessage').length;
    await h.interact(buttonPress({ actionId: SHARING_ACTIONS.stop, value: 'stop', responseUrl: h.fake.responseUrl() }));
    await h.settle();
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(posts);
    expect(h.fake.lastCall('response_url').body.text).toContain('not sharing your progress with anyone');
  });

  it('shows who sees what since when, and each look, newest first; never another person’s looks', async () => {
    await saveCentre({ advisors: [A1, A2] });
    await share([A1], 'counts');
    let view = await nextView('views.open', () => h.interact(homePress(SHARING_ACTIONS.whoSees)));
    let text = JSON.stringify(view.blocks);
    expect(text).toContain(`<@${A1}> sees *counts*, since <!date^1796655600^`);
    expect(text).toContain('No advisor has looked at your figures yet.');

    await recordViews(h.db, TEAM_ID, A1, [USER_ID, OTHER_USER_ID], 'home', '2026-12-07T16:00:00.000Z');
    await recordViews(h.db, TEAM_ID, A1, [USER_ID], 'csv', '2026-12-07T17:00:00.000Z');
    await recordViews(h.db, TEAM_ID, A2, [OTHER_USER_ID], 'chart', '2026-12-07T18:00:00.000Z');
    await recordViews(h.db, 'T0002', A2, [USER_ID], 'chart', '2026-12-07T18:00:00.000Z');
    view = await nextView('views.open', () => h.interact(homePress(SHARING_ACTIONS.whoSees)));
    text = JSON.stringify(view.blocks);
    const csv = text.indexOf(`<@${A1}> looked at your figures in a CSV download, <!date^1796662800^`);
    const home = text.indexOf(`<@${A1}> looked at your figures on their Home, <!date^1796659200^`);
    expect(csv).toBeGreaterThan(0);
    expect(home).toBeGreaterThan(csv);
    expect(text).not.toContain('in a chart');
    expect(text).not.toContain('No advisor has looked');
  });
});

describe('when the centre view is off', () => {
  it('Home says nothing of it, /infoview share says it is not on, and settings has no link', async () => {
    let home = await h.openHome();
    expect(JSON.stringify(home.blocks)).not.toContain('Career centre');
    await h.command('share');
    await h.settle();
    expect(h.fake.lastCall('response_url').body.text).toContain('not on in this workspace');
    let settings = await nextView('views.open', () => h.command('settings'));
    expect(JSON.stringify(settings.blocks)).not.toContain(SHARING_ACTIONS.open);

    await saveCentre({ advisors: [A1] });
    home = await h.openHome();
    expect(JSON.stringify(home.blocks)).toContain('Career centre');
    settings = await nextView('views.open', () => h.command('settings'));
    expect(JSON.stringify(settings.blocks)).toContain(SHARING_ACTIONS.open);
    // The settings link pushes the share form over the settings form.
    const pushes = h.fake.callsTo('views.push').length;
    await h.interact({
      ...buttonPressInModal({ actionId: SHARING_ACTIONS.open, value: 'open', viewId: 'VSETTINGS' }),
      view: { id: 'VSETTINGS', type: 'modal', callback_id: 'reminder_settings', hash: '1.a', state: { values: {} } },
    });
    const pushed = await h.fake.waitFor('views.push', pushes + 1);
    expect((pushed.body.view as ModalView).callback_id).toBe(SHARE_MODAL.callbackId);
  });
});

describe('turning the centre view off', () => {
  it('keeps choices, which the person still sees on Home and elsewhere and can stop', async () => {
    await saveCentre({ advisors: [A1] });
    await share([A1], 'counts');
    await saveCentre({ on: false, advisors: [A1] });
    expect(await sharesOf(USER_ID)).toEqual([{ advisor_id: A1, level: 'counts' }]);
    const home = JSON.stringify((await h.openHome()).blocks);
    expect(home).toContain('The career-centre view is off in this workspace');
    expect(home).toContain(`<@${A1}> (counts)`);
    expect(home).toContain(SHARING_ACTIONS.stop);
    expect(home).not.toContain(SHARING_ACTIONS.open);
    // Someone who shares nothing hears nothing of a centre that is off.
    expect(JSON.stringify((await h.openHome(OTHER_USER_ID)).blocks)).not.toContain('Career centre');

    const off = await nextView('views.open', () => h.command('share'));
    expect(off.submit).toBeUndefined();
    expect(JSON.stringify(off.blocks)).toContain('not on in this workspace');
    expect(JSON.stringify(off.blocks)).toContain(SHARING_ACTIONS.stop);
    const who = await nextView('views.open', () => h.interact(homePress(SHARING_ACTIONS.whoSees)));
    expect(JSON.stringify(who.blocks)).toContain('off in this workspace: no advisor sees anything of yours now');
    expect(JSON.stringify(who.blocks)).not.toContain(SHARING_ACTIONS.open);

    await h.interact(buttonPressInModal({ actionId: SHARING_ACTIONS.stop, value: 'stop', viewId: 'VOFF' }));
    await h.settle();
    expect(await sharesOf(USER_ID)).toEqual([]);
    expect(h.fake.lastCall('chat.postMessage').body.text).toContain(`You stopped sharing with <@${A1}>`);
  });
});

describe.runIf(testDialect() === 'postgres')('a share racing with the removal of its advisor', () => {
  /** Backends of this database waiting for a lock. */
  async function lockWaiters(): Promise<number> {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`.execute(h.db);
    return rows[0]?.n ?? 0;
  }

  it('never leaves a share with someone who is no longer an advisor', async () => {
    await saveCentre({ advisors: [A1, A2] });
    const owner = { teamId: TEAM_ID, userId: USER_ID };
    // The share has checked that A1 is an advisor, and is held before it stores anything.
    const held = holdAt('centre:share-checked');
    const sharing = shareProgress(h.db, owner, { advisorIds: [A1], level: 'counts' }, h.clock.now());
    await held.reached;
    // Meanwhile the admin removes A1: it waits for the share (the centre's row is locked) or, without the lock,
    // finishes first and the share is then stored for someone no longer an advisor.
    let saved = false;
    const removing = saveCentreSettings(
      h.db,
      TEAM_ID,
      { enabled: true, minCohort: 10, advisorIds: [A2] },
      ADMIN,
      h.clock.now(),
    ).then((result) => {
      saved = true;
      return result;
    });
    while ((await lockWaiters()) < 1 && !saved) await new Promise((resolve) => setImmediate(resolve));
    held.release();
    const [shared, removed] = await Promise.all([sharing, removing]);
    expect(shared.ok).toBe(true);
    expect(await sharesOf(USER_ID)).toEqual([]);
    // The person whose share ended is among those the removal tells.
    expect([...removed.droppedShares.keys()]).toEqual([USER_ID]);
  });
});

describe('my data stays mine', () => {
  it('export carries my shares and the looks at my figures; delete-my-data removes them and nobody else’s', async () => {
    await saveCentre({ advisors: [A1, A2] });
    await share([A1], 'stages');
    await share([A2], 'counts', OTHER_USER_ID);
    await recordViews(h.db, TEAM_ID, A1, [USER_ID, OTHER_USER_ID], 'home', '2026-12-07T16:00:00.000Z');

    await h.command('export');
    await h.settle();
    const json = h.fake.filesIn('D0001').find((file) => file.filename === 'infoview-export.json');
    const exported = JSON.parse(json?.content ?? '{}');
    expect(exported.progressShares).toEqual([
      {
        advisor_id: A1,
        level: 'stages',
        created_at: '2026-12-07T15:00:00.000Z',
        updated_at: '2026-12-07T15:00:00.000Z',
      },
    ]);
    expect(exported.advisorViews).toEqual([{ advisor_id: A1, surface: 'home', viewed_at: '2026-12-07T16:00:00.000Z' }]);

    const modal = await nextView('views.open', () => h.command('delete-my-data'));
    await h.interact(viewSubmission(modal, {}));
    await h.settle();
    expect(await sharesOf(USER_ID)).toEqual([]);
    expect(await h.db.selectFrom('advisor_views').select(['owner_id']).execute()).toEqual([
      { owner_id: OTHER_USER_ID },
    ]);
    expect(await sharesOf(OTHER_USER_ID)).toEqual([{ advisor_id: A2, level: 'counts' }]);
  });

  it('the purge after uninstalling deletes every centre table’s rows of the workspace, and only of it', async () => {
    await saveCentre({ advisors: [A1] });
    await share([A1], 'counts');
    await recordViews(h.db, TEAM_ID, A1, [USER_ID], 'csv', '2026-12-07T16:00:00.000Z');
    for (const team of [TEAM_ID, 'T0002']) {
      await h.db
        .insertInto('cohort_weeks')
        .values({
          team_id: team,
          week_start: '2025-01-06',
          metric: 'asks',
          value: 12,
          contributors: 10,
          frozen_at: '2026-12-07T15:00:00.000Z',
        })
        .execute();
      await h.db
        .insertInto('advisor_charts')
        .values({
          team_id: team,
          advisor_id: A1,
          week_start: '2026-11-30',
          state: 'sent',
          lease_until: null,
          file_id: null,
          sent_at: null,
          last_error: null,
          updated_at: '2026-12-07T15:00:00.000Z',
        })
        .execute();
    }
    const uninstalled = JSON.stringify({
      token: 'x',
      team_id: TEAM_ID,
      api_app_id: 'A0001',
      type: 'event_callback',
      event_id: 'EvUNINSTALL',
      event_time: 1_796_655_600,
      event: { type: 'app_uninstalled' },
    });
    expect(
      (await postSigned(h.eventsUrl, SIGNING_SECRET, uninstalled, { contentType: 'application/json' })).status,
    ).toBe(200);
    await h.settle();
    expect(await purgeExpiredWorkspaces(h.db, new Date('2027-02-01T00:00:00Z'), createLogger({ level: 'error' }))).toBe(
      1,
    );
    for (const table of [
      'centre_settings',
      'centre_advisors',
      'progress_shares',
      'advisor_views',
      'cohort_weeks',
      'advisor_charts',
    ] as const) {
      expect(await h.db.selectFrom(table).select('team_id').execute(), table).toEqual(
        table === 'cohort_weeks' || table === 'advisor_charts' ? [{ team_id: 'T0002' }] : [],
      );
    }
  });
});
