import type { ModalView } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTACT_ACTIONS } from '../../src/slack/ui/messages/contacts-messages.js';
import { CONTACT_MODAL } from '../../src/slack/ui/modals/contact-modal.js';
import { DELETE_CONTACT_MODAL } from '../../src/slack/ui/modals/contact-views.js';
import { SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { blockOf, blocksOf, elementOf } from '../support/blocks.js';
import { type CallBody, sectionText } from '../support/fake-slack.js';
import { type Harness, startHarness } from '../support/harness.js';
import { must } from '../support/must.js';
import {
  buttonPress,
  buttonPressInModal,
  OTHER_USER_ID,
  optionsRequest,
  USER_ID,
  type UserInput,
  viewSubmission,
} from '../support/payloads.js';
import { DAY_AND_TIME, dateToken } from '../support/slack-dates.js';

const C = CONTACT_MODAL.blocks;
const S = SCHEDULE_MODAL.blocks;
let h: Harness;

beforeEach(async () => {
  h = await startHarness({ now: '2026-11-25T12:00:00Z' });
  h.fake.users.set(USER_ID, { tz: 'America/New_York' });
  h.fake.users.set(OTHER_USER_ID, { tz: 'America/New_York' });
});

afterEach(async () => {
  await h.stop();
});

async function openedView(n: number): Promise<ModalView> {
  return (await h.fake.waitFor('views.open', n)).body.view as ModalView;
}

async function reply(res: Response) {
  const text = await res.text();
  return text === '' ? null : JSON.parse(text);
}

/** `/infoview contact`, then submit the form with `inputs`; returns the ack body. */
async function logContact(inputs: Record<string, UserInput>, who: { userId?: string; previousViewId?: string } = {}) {
  const before = h.fake.callsTo('views.open').length;
  await h.command('contact', who);
  const view = await openedView(before + 1);
  assertWithinBlockKitLimits('modal', view);
  return reply(await h.interact(viewSubmission(view, inputs, who)));
}

async function contactIdOf(name: string, owner = USER_ID): Promise<number> {
  const row = await h.db
    .selectFrom('contacts')
    .select('id')
    .where('name', '=', name)
    .where('owner_id', '=', owner)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function options(actionId: string, blockId: string, value: string, userId = USER_ID) {
  const res = await h.interact(optionsRequest({ actionId, blockId, value, userId }));
  expect(res.status).toBe(200);
  return ((await res.json()) as { options: { text: { text: string }; value: string }[] }).options;
}

describe('/infoview contact', () => {
  it('logs a contact with every field and confirms in the modal', async () => {
    const body = await logContact({
      [C.name]: 'José Ångström',
      [C.pronunciation]: 'ho-ZAY ONG-strum',
      [C.title]: 'Staff Engineer',
      [C.company]: 'Nordic Labs',
      [C.email]: 'jose@example.com',
      [C.profileUrl]: 'www.linkedin.com/in/jose',
      [C.timeZone]: 'Europe/Stockholm',
      [C.howMet]: 'Alumni mixer',
      [C.tags]: 'engineering, Nordics, engineering',
      [C.notes]: 'Ask about the platform team',
    });
    expect(body.response_action).toBe('update');
    expect(body.view.title.text).toBe('Contact logged');
    assertWithinBlockKitLimits('modal', body.view);
    const row = await h.db.selectFrom('contacts').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      team_id: 'T0001',
      owner_id: USER_ID,
      name: 'José Ångström',
      email: 'jose@example.com',
      profile_url: 'https://www.linkedin.com/in/jose',
      time_zone: 'Europe/Stockholm',
      tags: 'engineering,Nordics',
      name_key: 'jose angstrom|nordic labs',
      last_activity_at: '2026-11-25T12:00:00.000Z',
    });
  });

  it('pre-fills the name from the command text', async () => {
    await h.command('contact Grace Hopper');
    const view = await openedView(1);
    expect(elementOf(view, C.name).initial_value).toBe('Grace Hopper');
  });

  it.each([
    [C.email, { [C.email]: 'not-an-email' }, 'email address'],
    [C.profileUrl, { [C.profileUrl]: 'htps://linkedin.com/in/x' }, 'https://'],
    [C.profileUrl, { [C.profileUrl]: 'https://linkedin' }, 'malformed'],
    [C.timeZone, { [C.timeZone]: 'Mars/Olympus_Mons' }, 'Pick a time zone'],
    [C.name, { [C.name]: '' }, 'A name is required'],
    [C.tags, { [C.tags]: 'x'.repeat(41) }, 'short labels'],
  ])('refuses a bad %s inline and saves nothing', async (blockId, inputs, message) => {
    const body = await logContact({ [C.name]: 'Ada', ...inputs });
    expect(body).toEqual({ response_action: 'errors', errors: { [blockId]: expect.stringContaining(message) } });
    expect(await h.db.selectFrom('contacts').selectAll().execute()).toEqual([]);
  });

  it('does not silently duplicate: offers to edit the existing contact, whose edit then closes the stack', async () => {
    await logContact({ [C.name]: 'Ada Lovelace', [C.company]: 'Engines Ltd.' });
    const body = await logContact({
      [C.name]: '  ada   LOVELACE ',
      [C.company]: 'engines ltd',
      [C.title]: 'New title',
    });
    expect(body.response_action).toBe('push');
    assertWithinBlockKitLimits('modal', body.view);
    expect(JSON.stringify(body.view)).toContain('You already have this person');
    const button = must(blocksOf(body.view).find((b) => b.type === 'actions')?.elements?.[0], 'the Edit button');
    const existing = must(button.value, "the Edit button's value");
    expect(button.action_id).toBe(CONTACT_ACTIONS.editExisting);
    expect(await h.db.selectFrom('contacts').selectAll().execute()).toHaveLength(1);

    // "Edit Ada Lovelace" turns the pushed view into the edit form of the existing contact.
    await h.interact(
      buttonPressInModal({ actionId: CONTACT_ACTIONS.editExisting, value: existing, viewId: 'VPUSHED' }),
    );
    const update = await h.fake.waitFor('views.update');
    expect(update.body).toMatchObject({ view_id: 'VPUSHED', hash: '1700000000.abcd' });
    const edit = update.body.view as ModalView;
    expect(JSON.parse(edit.private_metadata ?? '')).toEqual({ contactId: Number(existing) });
    const saved = await reply(
      await h.interact(viewSubmission(edit, { [C.title]: 'Chief Analyst' }, { previousViewId: 'VROOT' })),
    );
    expect(saved).toEqual({ response_action: 'clear' });
    expect(await h.db.selectFrom('contacts').select(['name', 'title']).execute()).toEqual([
      { name: 'Ada Lovelace', title: 'Chief Analyst' },
    ]);
  });

  it('the same name at another organisation is another person', async () => {
    await logContact({ [C.name]: 'Ada Lovelace', [C.company]: 'Engines Ltd' });
    expect((await logContact({ [C.name]: 'Ada Lovelace', [C.company]: 'Babbage & Co' })).response_action).toBe(
      'update',
    );
  });
});

describe('type-ahead options', () => {
  it('offer only my own contacts, matched without case or accents, within Slack limits', async () => {
    await logContact({ [C.name]: 'José Ångström', [C.company]: 'Nordic Labs' });
    await logContact({ [C.name]: 'Joseph Other', [C.company]: 'x'.repeat(150) });
    await logContact({ [C.name]: 'Jose Theirs' }, { userId: OTHER_USER_ID });
    const found = await options(SCHEDULE_MODAL.contactSearchActionId, S.contactId, 'JOSE');
    expect(found.map((o) => o.text.text)).toEqual([
      expect.stringMatching(/^Joseph Other · x+…$/),
      'José Ångström · Nordic Labs',
    ]);
    for (const option of found) {
      expect(option.text.text.length).toBeLessThanOrEqual(75);
      expect(option.value.length).toBeLessThanOrEqual(75);
    }
    expect(await options(CONTACT_MODAL.referrerSearchActionId, C.referredById, 'angstrom')).toHaveLength(1);
    expect(await options(SCHEDULE_MODAL.contactSearchActionId, S.contactId, 'jose', OTHER_USER_ID)).toEqual([
      {
        text: { type: 'plain_text', text: 'Jose Theirs', emoji: true },
        value: String(await contactIdOf('Jose Theirs', OTHER_USER_ID)),
      },
    ]);
  });

  it('never offer more than 100', async () => {
    const now = '2026-11-25T12:00:00.000Z';
    await h.db
      .insertInto('contacts')
      .values(
        Array.from({ length: 150 }, (_, i) => ({
          team_id: 'T0001',
          owner_id: USER_ID,
          name: `Person ${i}`,
          name_key: `person ${i}|`,
          search_text: `person ${i}`,
          last_activity_at: now,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    expect(await options(SCHEDULE_MODAL.contactSearchActionId, S.contactId, '')).toHaveLength(100);
  });

  it('search time zones by city', async () => {
    const zones = await options(CONTACT_MODAL.timeZoneSearchActionId, C.timeZone, 'new york');
    expect(zones).toEqual([
      { text: { type: 'plain_text', text: 'America/New York (UTC-05:00)', emoji: true }, value: 'America/New_York' },
    ]);
  });
});

describe('scheduling with a contact', () => {
  it('picks an existing contact in the schedule modal and shows their time too', async () => {
    await logContact({ [C.name]: 'Hanna Berg', [C.timeZone]: 'Europe/Berlin' });
    const id = await contactIdOf('Hanna Berg');
    await h.command('schedule');
    const view = await openedView(2);
    const result = await reply(
      await h.interact(
        viewSubmission(view, {
          [S.contactId]: String(id),
          [S.name]: '',
          [S.startsAt]: new Date('2026-12-01T15:00:00Z'),
        }),
      ),
    );
    expect(result).toBeNull();
    expect(await h.db.selectFrom('contacts').selectAll().execute()).toHaveLength(1);
    const dm = await h.fake.waitFor('chat.postMessage');
    expect(dm.body.text).toBe('Scheduled: Hanna Berg, Tue 1 Dec 2026, 10:00–10:30 EST · 16:00 for Hanna');
  });

  it('refuses a picked contact that is not mine', async () => {
    await logContact({ [C.name]: 'Theirs' }, { userId: OTHER_USER_ID });
    await h.command('schedule');
    const view = await openedView(2);
    const result = await reply(
      await h.interact(
        viewSubmission(view, {
          [S.contactId]: String(await contactIdOf('Theirs', OTHER_USER_ID)),
          [S.startsAt]: new Date('2026-12-01T15:00:00Z'),
        }),
      ),
    );
    expect(result).toEqual({
      response_action: 'errors',
      errors: { [S.name]: expect.stringContaining('not one of yours') },
    });
    expect(await h.db.selectFrom('meetings').selectAll().execute()).toEqual([]);
  });

  it('Schedule on a contact opens the modal with them picked', async () => {
    await logContact({ [C.name]: 'Hanna Berg' });
    const id = await contactIdOf('Hanna Berg');
    await h.interact(
      buttonPress({ actionId: CONTACT_ACTIONS.schedule, value: String(id), responseUrl: h.fake.responseUrl() }),
    );
    const view = await openedView(2);
    expect(elementOf(view, S.contactId).initial_option).toEqual({
      text: { type: 'plain_text', text: 'Hanna Berg', emoji: true },
      value: String(id),
    });
  });
});

describe('/infoview contacts', () => {
  async function listed(query: string) {
    const before = h.fake.callsTo('response_url').length;
    await h.command(`contacts ${query}`.trim());
    return (await h.fake.waitFor('response_url', before + 1)).body;
  }

  it('finds by name, company, title or tag, without case or accents, newest activity first', async () => {
    await logContact({ [C.name]: 'Zoë Ångström', [C.company]: 'Acme', [C.tags]: 'design' });
    h.clock.advance(60_000);
    await logContact({ [C.name]: 'Bob Stone', [C.title]: 'Design Lead', [C.company]: 'Other' });
    h.clock.advance(60_000);
    await logContact({ [C.name]: 'Carol King', [C.company]: 'Designworks' });
    await logContact({ [C.name]: 'Zoe Theirs', [C.tags]: 'design' }, { userId: OTHER_USER_ID });

    const names = (body: CallBody) =>
      blocksOf(body)
        .filter((b) => b.type === 'section')
        .map((b) => b.text?.text.split('*')[1]);
    expect(names(await listed('DESIGN'))).toEqual(['Carol King', 'Bob Stone', 'Zoë Ångström']);
    expect(names(await listed('zoe angstrom'))).toEqual(['Zoë Ångström']);
    expect(names(await listed('acme'))).toEqual(['Zoë Ångström']);
    const none = await listed('nobody');
    expect(none.text).toContain('No contact matches');
    const all = await listed('');
    expect(all.response_type).toBe('ephemeral');
    assertWithinBlockKitLimits('message', all);
    expect(JSON.stringify(all)).not.toContain('Theirs');
  });

  it('pages with More', async () => {
    const now = '2026-11-25T12:00:00.000Z';
    await h.db
      .insertInto('contacts')
      .values(
        Array.from({ length: 23 }, (_, i) => ({
          team_id: 'T0001',
          owner_id: USER_ID,
          name: `Person ${String(i).padStart(2, '0')}`,
          name_key: `p${i}|`,
          search_text: `person ${i}`,
          last_activity_at: `2026-11-25T12:00:${String(i).padStart(2, '0')}.000Z`,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    const first = await listed('person');
    const more = must(blockOf(first, 'contacts_more').elements?.[0]?.value, "the More button's value");
    expect(JSON.parse(more)).toEqual({ query: 'person', offset: 10 });
    await h.interact(
      buttonPress({ actionId: CONTACT_ACTIONS.more, value: more, responseUrl: h.fake.responseUrl('more') }),
    );
    const second = await h.fake.waitFor('response_url', 2);
    expect(second.body.replace_original).toBe(true);
    expect(sectionText(second.body, 1)).toContain('Person 12');
    expect(JSON.stringify(second.body)).toContain('Showing 11–20.');
  });

  it('shows last and next meeting in my zone', async () => {
    await logContact({ [C.name]: 'Hanna Berg' });
    const id = await contactIdOf('Hanna Berg');
    await h.command('schedule');
    await h.interact(
      viewSubmission(await openedView(2), {
        [S.contactId]: String(id),
        [S.startsAt]: new Date('2026-12-01T15:00:00Z'),
      }),
    );
    await h.fake.waitFor('chat.postMessage');
    const body = await listed('hanna');
    expect(sectionText(body, 1)).toContain(
      `_next ${dateToken('2026-12-01T15:00:00Z', DAY_AND_TIME, 'Tue 1 Dec 2026, 10:00')}_`,
    );
  });
});

describe('history and referral chains', () => {
  it('shows who referred whom, several hops both ways, and the meetings in time order', async () => {
    await logContact({ [C.name]: 'Ann First' });
    const ann = await contactIdOf('Ann First');
    await logContact({ [C.name]: 'Ben Second', [C.referredById]: String(ann) });
    const ben = await contactIdOf('Ben Second');
    await logContact({ [C.name]: 'Cat Third', [C.referredById]: String(ben) });
    const cat = await contactIdOf('Cat Third');
    await logContact({ [C.name]: 'Dan Fourth', [C.referredById]: String(cat) });

    await h.interact(
      buttonPress({ actionId: CONTACT_ACTIONS.history, value: String(cat), responseUrl: h.fake.responseUrl() }),
    );
    const catView = await openedView(5);
    assertWithinBlockKitLimits('modal', catView);
    const text = JSON.stringify(catView.blocks);
    expect(text).toContain('Introduced to you by *Ben Second* ← *Ann First*');
    expect(text).toContain('• *Dan Fourth*');

    await h.interact(
      buttonPress({ actionId: CONTACT_ACTIONS.history, value: String(ann), responseUrl: h.fake.responseUrl() }),
    );
    const annText = JSON.stringify((await openedView(6)).blocks);
    expect(annText).toContain('• *Ben Second*');
    expect(annText).toContain('*Cat Third* _(2 steps away)_');
    expect(annText).toContain('*Dan Fourth* _(3 steps away)_');
  });

  it('refuses a referral loop and a referrer that is not mine', async () => {
    await logContact({ [C.name]: 'Ann First' });
    const ann = await contactIdOf('Ann First');
    await logContact({ [C.name]: 'Ben Second', [C.referredById]: String(ann) });
    const ben = await contactIdOf('Ben Second');
    await h.interact(
      buttonPress({ actionId: CONTACT_ACTIONS.edit, value: String(ann), responseUrl: h.fake.responseUrl() }),
    );
    const edit = await openedView(3);
    expect(await reply(await h.interact(viewSubmission(edit, { [C.referredById]: String(ben) })))).toEqual({
      response_action: 'errors',
      errors: { [C.referredById]: expect.stringContaining('cannot have referred') },
    });
    await logContact({ [C.name]: 'Theirs' }, { userId: OTHER_USER_ID });
    expect(
      await logContact({ [C.name]: 'Cat', [C.referredById]: String(await contactIdOf('Theirs', OTHER_USER_ID)) }),
    ).toEqual({
      response_action: 'errors',
      errors: { [C.referredById]: 'Pick one of your own contacts.' },
    });
  });
});

describe('deleting a contact', () => {
  it('asks first, says what goes, then removes the contact and their meetings only', async () => {
    await logContact({ [C.name]: 'Ann First' });
    const ann = await contactIdOf('Ann First');
    await logContact({ [C.name]: 'Ben Second', [C.referredById]: String(ann) });
    await h.command('schedule');
    await h.interact(
      viewSubmission(await openedView(3), {
        [S.contactId]: String(ann),
        [S.startsAt]: new Date('2026-12-01T15:00:00Z'),
      }),
    );
    await h.command('schedule Other Person', { userId: OTHER_USER_ID });
    await h.interact(
      viewSubmission(
        await openedView(4),
        { [S.startsAt]: new Date('2026-12-01T15:00:00Z') },
        { userId: OTHER_USER_ID },
      ),
    );
    await h.fake.waitFor('chat.postMessage', 2);

    await h.interact(
      buttonPress({ actionId: CONTACT_ACTIONS.delete, value: String(ann), responseUrl: h.fake.responseUrl() }),
    );
    const confirm = (await openedView(5)) as ModalView;
    assertWithinBlockKitLimits('modal', confirm);
    expect(confirm.callback_id).toBe(DELETE_CONTACT_MODAL.callbackId);
    expect(JSON.stringify(confirm.blocks)).toContain(
      '1 meeting with them (1 still to come), with their debriefs, notes and any reminders not yet sent',
    );
    expect(confirm.submit?.text).toBe('Delete');

    const done = await reply(await h.interact(viewSubmission(confirm, {})));
    expect(done.response_action).toBe('update');
    expect(JSON.stringify(done.view)).toContain('Deleted *Ann First* and 1 meeting.');
    expect(
      await h.db.selectFrom('contacts').select(['name', 'referred_by_id', 'owner_id']).orderBy('id').execute(),
    ).toEqual([
      { name: 'Ben Second', referred_by_id: null, owner_id: USER_ID },
      { name: 'Other Person', referred_by_id: null, owner_id: OTHER_USER_ID },
    ]);
    expect(await h.db.selectFrom('meetings').select('owner_id').execute()).toEqual([{ owner_id: OTHER_USER_ID }]);
  });

  it.each([CONTACT_ACTIONS.delete, CONTACT_ACTIONS.edit, CONTACT_ACTIONS.history, CONTACT_ACTIONS.schedule])(
    '%s on another user’s contact shows "not yours" and changes nothing',
    async (actionId) => {
      await logContact({ [C.name]: 'Theirs' }, { userId: OTHER_USER_ID });
      const theirs = await contactIdOf('Theirs', OTHER_USER_ID);
      await h.interact(buttonPress({ actionId, value: String(theirs), responseUrl: h.fake.responseUrl() }));
      const view = await openedView(2);
      expect(view.title.text).toBe('Not found');
      expect(JSON.stringify(view)).toContain('not one of yours');
      expect(JSON.stringify(view)).not.toContain('Theirs');
      expect(await h.db.selectFrom('contacts').select('name').execute()).toEqual([{ name: 'Theirs' }]);
    },
  );

  it('a forged delete submission for another user’s contact deletes nothing', async () => {
    await logContact({ [C.name]: 'Theirs' }, { userId: OTHER_USER_ID });
    const theirs = await contactIdOf('Theirs', OTHER_USER_ID);
    const forged: ModalView = {
      type: 'modal',
      callback_id: DELETE_CONTACT_MODAL.callbackId,
      private_metadata: JSON.stringify({ contactId: theirs }),
      title: { type: 'plain_text', text: 'x' },
      blocks: [],
    };
    const body = await reply(await h.interact(viewSubmission(forged, {})));
    expect(body.view.title.text).toBe('Not found');
    expect(await h.db.selectFrom('contacts').select('name').execute()).toEqual([{ name: 'Theirs' }]);
  });

  it('a forged edit submission for another user’s contact changes nothing', async () => {
    await logContact({ [C.name]: 'Theirs' }, { userId: OTHER_USER_ID });
    const theirs = await contactIdOf('Theirs', OTHER_USER_ID);
    await h.command('contact');
    const form = await openedView(2);
    const forged = { ...form, private_metadata: JSON.stringify({ contactId: theirs }) };
    const body = await reply(await h.interact(viewSubmission(forged, { [C.name]: 'Hijacked' })));
    expect(body).toEqual({
      response_action: 'errors',
      errors: { [C.name]: expect.stringContaining('not one of yours') },
    });
    expect(await h.db.selectFrom('contacts').select('name').execute()).toEqual([{ name: 'Theirs' }]);
  });
});
