import { readFileSync } from 'node:fs';
import type { ModalView } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOME_ACTIONS } from '../../src/slack/ui/home/home-view.js';
import { IMPORT_ACTIONS } from '../../src/slack/ui/messages/import-messages.js';
import { IMPORT_MODAL } from '../../src/slack/ui/modals/import-modal.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { type Harness, SIGNING_SECRET, startHarness } from '../support/harness.js';
import { buttonPress, fileSharedInDm, OTHER_USER_ID, TEAM_ID, USER_ID, viewSubmission } from '../support/payloads.js';
import { postSigned } from '../support/signing.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/imports/${name}`, import.meta.url));
const VIEW_ID = 'VIMPORT1';
let h: Harness;

beforeEach(async () => {
  h = await startHarness({ now: '2026-12-07T12:00:00Z', logLevel: 'debug' });
  h.fake.users.set(USER_ID, { tz: 'Europe/London' });
  h.fake.users.set(OTHER_USER_ID, { tz: 'Europe/London' });
});

afterEach(async () => {
  await h.stop();
});

function share(fileId: string, name: string, bytes: Buffer, user = USER_ID, size?: number): void {
  h.fake.userFiles.set(fileId, { user, name, bytes, ...(size === undefined ? {} : { size }) });
}

async function reply(res: Response): Promise<{ response_action?: string; view?: ModalView; errors?: object } | null> {
  expect(res.status).toBe(200);
  const text = await res.text();
  return text === '' ? null : JSON.parse(text);
}

/** The view the app put in place of the working view once its work after the ack was done. */
async function viewAfterAck(before: number): Promise<ModalView> {
  const call = await h.fake.waitFor('views.update', before + 1);
  await h.settle();
  expect(call.body.view_id).toBe(VIEW_ID);
  assertWithinBlockKitLimits('modal', call.body.view);
  return call.body.view as ModalView;
}

/** `/infoview import`, choose `fileId`, and return the view that replaced "Reading your file…". */
async function preview(fileId: string, userId = USER_ID): Promise<ModalView> {
  const opens = h.fake.callsTo('views.open').length;
  await h.command('import', { userId });
  const form = (await h.fake.waitFor('views.open', opens + 1)).body.view as ModalView;
  assertWithinBlockKitLimits('modal', form);
  const updates = h.fake.callsTo('views.update').length;
  const ack = await reply(
    await h.interact(viewSubmission(form, { [IMPORT_MODAL.blocks.file]: [fileId] }, { userId, viewId: VIEW_ID })),
  );
  expect(ack?.response_action).toBe('update');
  assertWithinBlockKitLimits('modal', ack?.view);
  return viewAfterAck(updates);
}

async function confirm(previewView: ModalView, userId = USER_ID, cadence = '0'): Promise<ModalView> {
  const updates = h.fake.callsTo('views.update').length;
  const inputs: Record<string, string> = previewView.blocks.some((b) => b.block_id === IMPORT_MODAL.blocks.cadence)
    ? { [IMPORT_MODAL.blocks.cadence]: cadence }
    : {};
  const ack = await reply(await h.interact(viewSubmission(previewView, inputs, { userId, viewId: VIEW_ID })));
  expect(ack?.response_action).toBe('update');
  return viewAfterAck(updates);
}

const textOf = (view: ModalView) => JSON.stringify(view.blocks);

async function contactsOf(userId = USER_ID) {
  return h.db
    .selectFrom('contacts')
    .select(['name', 'company', 'title', 'email', 'profile_url', 'how_met', 'keep_in_touch_days', 'notes'])
    .where('team_id', '=', TEAM_ID)
    .where('owner_id', '=', userId)
    .orderBy('id')
    .execute();
}

describe('importing contacts from a file', () => {
  it('previews the LinkedIn export, imports it in one go, and imports nothing new the second time', async () => {
    share('F0LINKEDIN', 'Connections.csv', fixture('linkedin-connections.csv'));
    const first = await preview('F0LINKEDIN');
    expect(first.callback_id).toBe(IMPORT_MODAL.confirmCallbackId);
    expect(textOf(first)).toContain('*5 new contacts* to add');
    expect(textOf(first)).toContain('Line 8: it has no name');
    expect(await contactsOf()).toEqual([]);
    // The bot token went to the download, and only there.
    expect(h.fake.lastCall('file_download').authorization).toMatch(/^Bearer xoxb-/);

    const done = await confirm(first, USER_ID, '90');
    expect(textOf(done)).toContain('*5 new contacts* added');
    const rows = await contactsOf();
    expect(rows.map((r) => r.name)).toEqual([
      'Ada Lovelace',
      'Grace Hopper',
      'José Müller',
      'Katherine Johnson',
      'Alan Turing',
    ]);
    expect(rows[0]).toMatchObject({
      company: 'Analytical Engines, Ltd',
      email: 'ada@engines.example',
      profile_url: 'https://www.linkedin.com/in/ada-lovelace',
      how_met: 'Connected on LinkedIn on 12 Jan 2021',
      keep_in_touch_days: 90,
    });
    // A cadence with no touch logged plans no nudge yet.
    expect(await h.db.selectFrom('reminders').select('id').execute()).toEqual([]);

    const again = await preview('F0LINKEDIN');
    expect(textOf(again)).toContain('*0 new contacts* to add');
    expect(textOf(again)).toContain('5 contacts you already have, skipped');
    expect(again.submit).toBeUndefined();
    // Confirming the first preview a second time (a double click) adds no one either.
    await confirm(first);
    expect(await contactsOf()).toHaveLength(5);
  });

  it('gives imported contacts no keep-in-touch cadence unless one is chosen, and fills empty fields of a match', async () => {
    share('F0GOOGLE', 'contacts.csv', fixture('google-contacts.csv'));
    share('F0VCARD', 'contacts.vcf', fixture('vcard-4.vcf'));
    await confirm(await preview('F0GOOGLE'));
    expect((await contactsOf()).map((r) => [r.name, r.keep_in_touch_days])).toEqual([
      ['Grace Hopper', 0],
      ['Margaret Heafield Hamilton', 0],
      ['Radia Perlman', 0],
    ]);
    // The vCard's Grace has the Google one's email: only her empty profile link is filled in, her title is kept.
    const vcard = await preview('F0VCARD');
    expect(textOf(vcard)).toContain('*1 new contact* to add');
    expect(textOf(vcard)).toContain('*1 contact* you have will get empty fields filled in');
    await confirm(vcard);
    const grace = (await contactsOf()).find((r) => r.name === 'Grace Hopper');
    expect(grace).toMatchObject({ title: 'Rear Admiral', profile_url: 'https://www.linkedin.com/in/gracehopper' });
    expect(await contactsOf()).toHaveLength(4);
  });

  it('refuses a file that is not what it says with one sentence, imports nothing, and never logs its contents', async () => {
    share('F0LATIN', 'contacts.csv', Buffer.from('First Name,Last Name\nZo\xeb,Secretsurname\n', 'latin1'));
    const view = await preview('F0LATIN');
    expect(view.callback_id).toBe(IMPORT_MODAL.uploadCallbackId);
    expect(textOf(view)).toContain('not UTF-8');
    share('F0BIG', 'huge.csv', Buffer.from('Name\nAda\n'), USER_ID, 50 * 1024 * 1024);
    expect(textOf(await preview('F0BIG'))).toContain('over 5 MB');
    // Slack's size was 5 MB or less but the download goes on: reading stops past 5 MB.
    share('F0LIES', 'lies.csv', Buffer.alloc(5 * 1024 * 1024 + 10, 0x41), USER_ID, 1000);
    expect(textOf(await preview('F0LIES'))).toContain('over 5 MB');
    share('F0NONAME', 'contacts.csv', fixture('no-name-column.csv'));
    expect(textOf(await preview('F0NONAME'))).toContain('no name column');
    expect(await contactsOf()).toEqual([]);
    const logs = h.logs.join('\n');
    expect(logs).not.toContain('Secretsurname');
    expect(logs).not.toContain('ada@engines.example');
  });

  it("cannot import another user's file, by its id in the form or in a forged preview", async () => {
    share('F0THEIRS', 'Connections.csv', fixture('linkedin-connections.csv'), OTHER_USER_ID);
    const refused = await preview('F0THEIRS');
    expect(textOf(refused)).toContain('not shared by you');
    expect(h.fake.callsTo('file_download')).toEqual([]);
    // Their own preview, submitted by someone else (or its private_metadata copied into a forged view).
    const theirs = await preview('F0THEIRS', OTHER_USER_ID);
    const forged = await confirm(theirs, USER_ID);
    expect(textOf(forged)).toContain('not shared by you');
    expect(await contactsOf()).toEqual([]);
    expect(await contactsOf(OTHER_USER_ID)).toEqual([]);
  });

  it('asks for a file when none was chosen', async () => {
    await h.command('import');
    const form = (await h.fake.waitFor('views.open')).body.view as ModalView;
    const ack = await reply(await h.interact(viewSubmission(form, {}, { viewId: VIEW_ID })));
    expect(ack).toEqual({
      response_action: 'errors',
      errors: { [IMPORT_MODAL.blocks.file]: 'Choose a CSV or vCard file.' },
    });
  });

  it('opens the same form from Home', async () => {
    await h.interact({
      ...buttonPress({ actionId: HOME_ACTIONS.importContacts, value: 'new', responseUrl: '' }),
      container: { type: 'view', view_id: 'VHOME' },
      response_url: undefined,
      view: { id: 'VHOME', type: 'home', hash: 'h' },
    });
    const opened = await h.fake.waitFor('views.open');
    expect(opened.body.view?.callback_id).toBe(IMPORT_MODAL.uploadCallbackId);
    await h.settle();
  });

  it('previews a file shared in the DM and imports it with the button, only for whoever shared it', async () => {
    share('F0VCF', 'contacts.vcf', fixture('vcard-3.vcf'));
    const shareIt = async (userId = USER_ID) => {
      const posts = h.fake.callsTo('chat.postMessage').length;
      const res = await postSigned(
        h.eventsUrl,
        SIGNING_SECRET,
        JSON.stringify(fileSharedInDm('F0VCF', 'contacts.vcf', userId)),
        {
          contentType: 'application/json',
        },
      );
      expect(res.status).toBe(200);
      const posted = await h.fake.waitFor('chat.postMessage', posts + 1);
      await h.settle();
      return posted.body;
    };
    const previewed = await shareIt();
    assertWithinBlockKitLimits('message', previewed);
    expect(previewed.text).toContain('*3 new contacts* to add');
    const actions = previewed.blocks?.find((block) => block.type === 'actions');
    const element = actions?.type === 'actions' ? actions.elements[0] : undefined;
    const button = element?.type === 'button' ? element.value : undefined;
    expect(button).toBeDefined();
    const press = (userId: string) =>
      h.interact({
        ...buttonPress({
          actionId: IMPORT_ACTIONS.importShared,
          value: String(button),
          responseUrl: h.fake.responseUrl(),
          userId,
        }),
      });
    // Someone else pressing a copy of the button imports nothing.
    await press(OTHER_USER_ID);
    await h.settle();
    expect(h.fake.lastCall('response_url').body.text).toContain('not shared by you');
    expect(await contactsOf(OTHER_USER_ID)).toEqual([]);
    await press(USER_ID);
    await h.settle();
    expect(h.fake.lastCall('response_url').body.text).toContain('*3 new contacts* added');
    expect((await contactsOf()).map((r) => [r.name, r.keep_in_touch_days])).toEqual([
      ['Ada King Lovelace', 0],
      ['José Müller', 0],
      ['Grace Hopper', 0],
    ]);
    expect((await shareIt()).text).toContain('*0 new contacts* to add');
  });

  it('answers a file share once when Slack delivers it again, and again when the first answer failed', async () => {
    share('F0CSV', 'connections.csv', fixture('linkedin-connections.csv'));
    const first = JSON.stringify(fileSharedInDm('F0CSV', 'connections.csv'));
    const deliver = async (body: string, retry?: number) => {
      const res = await fetchSigned(body, retry);
      expect(res.status).toBe(200);
    };
    // The first delivery and Slack's retry arriving while it is handled, then a later retry.
    await Promise.all([deliver(first), deliver(first, 1)]);
    await h.fake.waitFor('chat.postMessage', 1);
    await h.settle();
    await deliver(first, 2);
    await h.settle();
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
    // A failed answer forgets the event: Slack's retry of it is answered.
    const second = JSON.stringify(fileSharedInDm('F0CSV', 'connections.csv'));
    h.fake.on('chat.postMessage', () => ({ ok: false, error: 'internal_error' }));
    await deliver(second);
    await h.fake.waitFor('chat.postMessage', 2);
    await h.settle();
    h.fake.off('chat.postMessage');
    await deliver(second, 1);
    const answered = await h.fake.waitFor('chat.postMessage', 3);
    await h.settle();
    expect(answered.body.text).toContain('new contacts');
    const recorded = await h.db.selectFrom('processed_events').select(['team_id', 'event_id']).execute();
    expect(recorded.map((row) => row.event_id).sort()).toEqual(
      [JSON.parse(first).event_id, JSON.parse(second).event_id].sort(),
    );
    expect(recorded.every((row) => row.team_id === TEAM_ID)).toBe(true);
  });
});

/** Posts a signed event as Slack does; `retry` as Slack marks its redeliveries. */
function fetchSigned(body: string, retry?: number): Promise<Response> {
  return postSigned(h.eventsUrl, SIGNING_SECRET, body, {
    contentType: 'application/json',
    ...(retry === undefined
      ? {}
      : { headers: { 'X-Slack-Retry-Num': String(retry), 'X-Slack-Retry-Reason': 'http_timeout' } }),
  });
}
