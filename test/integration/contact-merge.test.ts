import type { ModalView } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveTimeZone } from '../../src/db/repositories/slack-users-repository.js';
import { recordAsk } from '../../src/domain/asks/asks-service.js';
import { saveContact } from '../../src/domain/contacts/contacts-service.js';
import { saveDebrief } from '../../src/domain/debriefs/debriefs-service.js';
import { scheduleMeeting } from '../../src/domain/meetings/meetings-service.js';
import type { ContactProfile, Owner } from '../../src/domain/types.js';
import { CONTACT_ACTIONS } from '../../src/slack/ui/messages/contacts-messages.js';
import { MERGE_CONTACT } from '../../src/slack/ui/modals/merge-contact-modal.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';
import { blocksOf } from '../support/blocks.js';
import type { RecordedCall } from '../support/fake-slack.js';
import { type Harness, startHarness } from '../support/harness.js';
import { must } from '../support/must.js';
import {
  buttonPress,
  buttonPressInModal,
  OTHER_USER_ID,
  optionsRequest,
  TEAM_ID,
  USER_ID,
  viewSubmission,
} from '../support/payloads.js';

const ME: Owner = { teamId: TEAM_ID, userId: USER_ID };
const THEM: Owner = { teamId: TEAM_ID, userId: OTHER_USER_ID };
const ZONE = 'America/New_York';
let h: Harness;

beforeEach(async () => {
  h = await startHarness({ now: '2026-11-20T15:00:00Z' });
  h.fake.users.set(USER_ID, { tz: ZONE });
  h.fake.users.set(OTHER_USER_ID, { tz: ZONE });
  await saveTimeZone(h.db, ME, ZONE, '2026-11-20T15:00:00.000Z');
});

afterEach(async () => {
  await h.stop();
});

function profile(name: string, extra: Partial<ContactProfile> = {}): ContactProfile {
  return {
    name,
    pronunciation: null,
    title: null,
    company: null,
    email: null,
    profileUrl: null,
    timeZone: null,
    howMet: null,
    referredById: null,
    tags: [],
    notes: null,
    keepInTouchDays: 0,
    slackUserId: null,
    ...extra,
  };
}

async function addContact(owner: Owner, name: string, extra: Partial<ContactProfile> = {}): Promise<number> {
  const saved = await saveContact(h.db, owner, profile(name, extra), {
    now: h.clock.now(),
    contactId: null,
    zone: ZONE,
  });
  if (saved.kind !== 'saved') throw new Error(`contact ${name} not saved: ${saved.kind}`);
  return saved.contact.id;
}

async function schedule(owner: Owner, contactId: number, startsAt: string): Promise<number> {
  const found = await scheduleMeeting(
    h.db,
    owner,
    {
      contactId,
      contact: { name: 'unused', pronunciation: null, title: null, company: null },
      plan: { startsAt: new Date(startsAt), durationMinutes: 30, location: null, goal: null, questions: null },
    },
    { now: h.clock.now(), timeZone: ZONE, sourceViewId: null },
  );
  return found.meeting.id;
}

async function ask(owner: Owner, contactId: number, sentOn: string): Promise<number> {
  const recorded = await recordAsk(
    h.db,
    owner,
    { contactId, channel: 'email', sentOn, purpose: null, draft: null, viewId: null },
    h.clock.now(),
  );
  return recorded.ask.id;
}

interface World {
  ben: number;
  kept: number;
  duplicate: number;
  grace: number;
  pastMeeting: number;
  nextMeeting: number;
  keptAsk: number;
  duplicateAsk: number;
  theirs: number;
}

/**
 * Ada Lovelace logged twice: "Ada Lovelace" (kept; referred by the duplicate, cadence off, an older waiting ask) and
 * "A. Lovelace" (the duplicate: referred by Ben, two meetings, a debrief with an advice item, a newer waiting ask,
 * Grace referred by her, a 60-day cadence, the email and organisation); another user's contact beside them.
 */
async function twoAdas(): Promise<World> {
  const ben = await addContact(ME, 'Ben Lee');
  const duplicate = await addContact(ME, 'A. Lovelace', {
    company: 'Analytical Engines',
    email: 'ada@example.com',
    pronunciation: 'AY-duh',
    profileUrl: 'https://www.linkedin.com/in/ada',
    referredById: ben,
    tags: ['Data', 'research'],
    notes: 'Likes tea.',
    keepInTouchDays: 60,
  });
  const kept = await addContact(ME, 'Ada Lovelace', {
    title: 'Analyst',
    referredById: duplicate,
    tags: ['data'],
    notes: 'Met at the alumni mixer.',
  });
  const grace = await addContact(ME, 'Grace Hopper', { referredById: duplicate });
  const pastMeeting = await schedule(ME, duplicate, '2026-11-23T15:00:00Z');
  const nextMeeting = await schedule(ME, duplicate, '2026-12-18T17:00:00Z');
  h.clock.set('2026-11-23T16:00:00Z');
  const debrief = {
    topics: 'Engines',
    learned: null,
    advice: null,
    referralsText: null,
    referrals: [],
    commitmentsText: 'Read the notes',
    commitments: ['Read the notes'],
    interestChange: null,
    notes: null,
  };
  await saveDebrief(h.db, ME, { meetingId: pastMeeting }, debrief, { now: h.clock.now(), zone: ZONE });
  // A Friday: day 3 is Wednesday 9 December, day 7 Tuesday 15 December, at 10:00 in New York.
  h.clock.set('2026-12-04T15:00:00Z');
  const keptAsk = await ask(ME, kept, '2026-12-04');
  const duplicateAsk = await ask(ME, duplicate, '2026-12-04');
  const theirs = await addContact(THEM, 'Ada Lovelace', { notes: 'not yours' });
  return { ben, kept, duplicate, grace, pastMeeting, nextMeeting, keptAsk, duplicateAsk, theirs };
}

async function reply(res: Response): Promise<{ response_action?: string; view?: ModalView; errors?: object } | null> {
  expect(res.status).toBe(200);
  const text = await res.text();
  return text === '' ? null : JSON.parse(text);
}

/** History of `contactId`, then its "Merge with…": the choice view (views.update over History). */
async function openMergeFromHistory(contactId: number): Promise<ModalView> {
  const opens = h.fake.callsTo('views.open').length;
  await h.interact(
    buttonPress({ actionId: CONTACT_ACTIONS.history, value: String(contactId), responseUrl: h.fake.responseUrl() }),
  );
  const history = (await h.fake.waitFor('views.open', opens + 1)).body.view as ModalView;
  const button = blocksOf(history)
    .flatMap((block) => block.elements ?? [])
    .find((element) => element.action_id === MERGE_CONTACT.startActionId);
  expect(button?.value).toBe(String(contactId));
  const updates = h.fake.callsTo('views.update').length;
  await h.interact(
    buttonPressInModal({ actionId: MERGE_CONTACT.startActionId, value: String(contactId), viewId: 'VH' }),
  );
  const choose = (await h.fake.waitFor('views.update', updates + 1)).body.view as ModalView;
  assertWithinBlockKitLimits('modal', choose);
  expect(choose.callback_id).toBe(MERGE_CONTACT.chooseCallbackId);
  return choose;
}

async function chooseDuplicate(choose: ModalView, duplicate: number, userId = USER_ID) {
  return reply(
    await h.interact(viewSubmission(choose, { [MERGE_CONTACT.duplicateBlock]: String(duplicate) }, { userId })),
  );
}

const sectionTexts = (view: ModalView) =>
  blocksOf(view)
    .map((block) => block.text?.text ?? block.elements?.map((e) => e.text?.text ?? '').join(' ') ?? '')
    .join('\n');

async function rowsOf(table: 'meetings' | 'asks', contactId: number) {
  return h.db.selectFrom(table).select('id').where('contact_id', '=', contactId).orderBy('id').execute();
}

const payloadOf = (call: RecordedCall) => must(call.body.metadata, 'message metadata').event_payload;
const postsOf = (kind: string) =>
  h.fake.callsTo('chat.postMessage').filter((c) => c.body.metadata && payloadOf(c).kind === kind);

describe('merging two contacts', () => {
  it('moves everything of the duplicate to the kept contact from History, after saying what moves', async () => {
    const w = await twoAdas();
    const touches = await h.db.selectFrom('contacts').select(['id', 'last_touch_at']).execute();
    const touchOf = (id: number) => touches.find((t) => t.id === id)?.last_touch_at ?? null;
    // The duplicate was met and debriefed; the kept contact never was.
    expect(touchOf(w.duplicate)).not.toBeNull();
    expect(touchOf(w.kept)).toBeNull();
    const choose = await openMergeFromHistory(w.kept);

    // The choice offers my other contacts: never the kept one, never another user's.
    const res = await h.interact({
      ...optionsRequest({
        actionId: MERGE_CONTACT.duplicateSearchActionId,
        blockId: MERGE_CONTACT.duplicateBlock,
        value: 'lovelace',
      }),
      view: {
        id: 'VH',
        team_id: TEAM_ID,
        type: 'modal',
        private_metadata: choose.private_metadata,
        callback_id: MERGE_CONTACT.chooseCallbackId,
        state: { values: {} },
        hash: '1.a',
      },
    });
    const offered = ((await res.json()) as { options: { value: string }[] }).options.map((o) => Number(o.value));
    expect(offered).toEqual([w.duplicate]);

    // What moves, counted.
    const summary = must(await chooseDuplicate(choose, w.duplicate), 'the summary');
    expect(summary.response_action).toBe('update');
    const confirm = must(summary.view, 'the confirmation');
    assertWithinBlockKitLimits('modal', confirm);
    expect(confirm.callback_id).toBe(MERGE_CONTACT.confirmCallbackId);
    const said = sectionTexts(confirm);
    for (const line of [
      'Merge *A. Lovelace* into *Ada Lovelace*?',
      '2 meetings',
      '1 debrief',
      '1 advice item',
      '1 ask',
      '1 person they introduced you to',
      'tags: research',
      'their notes',
      'their last touch',
      'their keep-in-touch cadence (every 60 days)',
      'what this contact is missing: how to pronounce it, organisation, email, profile link',
    ])
      expect(said).toContain(line);
    // Nothing changed yet.
    expect(await rowsOf('meetings', w.duplicate)).toHaveLength(2);

    const done = must(await reply(await h.interact(viewSubmission(confirm, {}))), 'the merge answer');
    expect(done.response_action).toBe('update');
    assertWithinBlockKitLimits('modal', must(done.view, 'the merged view'));
    expect(sectionTexts(must(done.view, 'the merged view'))).toContain('Merged *A. Lovelace* into:');

    // Table by table: everything points at the kept contact; the duplicate is gone.
    expect(await h.db.selectFrom('contacts').select('id').where('id', '=', w.duplicate).execute()).toEqual([]);
    expect((await rowsOf('meetings', w.kept)).map((m) => m.id)).toEqual([w.pastMeeting, w.nextMeeting]);
    const debriefs = await h.db
      .selectFrom('debriefs')
      .innerJoin('meetings', 'meetings.id', 'debriefs.meeting_id')
      .select('meetings.contact_id')
      .execute();
    expect(debriefs).toEqual([{ contact_id: w.kept }]);
    const advice = await h.db
      .selectFrom('advice_items')
      .innerJoin('meetings', 'meetings.id', 'advice_items.meeting_id')
      .select(['meetings.contact_id', 'advice_items.text'])
      .execute();
    expect(advice).toEqual([{ contact_id: w.kept, text: 'Read the notes' }]);
    // Two waiting asks became one: the older closed as unanswered, the newer waits, both the kept contact's.
    const asks = await h.db.selectFrom('asks').select(['id', 'contact_id', 'status']).orderBy('id').execute();
    expect(asks).toEqual([
      { id: w.keptAsk, contact_id: w.kept, status: 'no_answer' },
      { id: w.duplicateAsk, contact_id: w.kept, status: 'waiting' },
    ]);
    const contacts = await h.db
      .selectFrom('contacts')
      .selectAll()
      .where('owner_id', '=', USER_ID)
      .orderBy('id')
      .execute();
    const kept = must(
      contacts.find((c) => c.id === w.kept),
      'the kept contact',
    );
    expect(kept).toMatchObject({
      name: 'Ada Lovelace',
      title: 'Analyst',
      company: 'Analytical Engines',
      email: 'ada@example.com',
      pronunciation: 'AY-duh',
      profile_url: 'https://www.linkedin.com/in/ada',
      // Referred by the duplicate: that would be herself; the duplicate's own referrer is taken instead.
      referred_by_id: w.ben,
      tags: 'data,research',
      notes: 'Met at the alumni mixer.\n\n--- merged from A. Lovelace ---\nLikes tea.',
      keep_in_touch_days: 60,
      last_touch_at: touchOf(w.duplicate),
    });
    expect(kept.search_text).toContain('analytical engines');
    expect(contacts.find((c) => c.id === w.grace)?.referred_by_id).toBe(w.kept);
    expect(contacts.some((c) => c.referred_by_id === c.id)).toBe(false);
    expect(contacts.map((c) => c.name)).toEqual(['Ben Lee', 'Ada Lovelace', 'Grace Hopper']);
    // Another user's contact of the same name is untouched.
    expect(await h.db.selectFrom('contacts').select('notes').where('id', '=', w.theirs).execute()).toEqual([
      { notes: 'not yours' },
    ]);

    // The reminders were re-planned: the newer ask's 3B7 nudges and the 60-day keep-in-touch, for the kept contact.
    const reminders = await h.db
      .selectFrom('reminders')
      .select(['kind', 'state', 'due_at', 'delivery_key', 'contact_id'])
      .where('contact_id', 'is not', null)
      .orderBy('kind')
      .execute();
    expect(reminders).toEqual([
      {
        kind: 'ask_follow_up',
        state: 'pending',
        due_at: '2026-12-15T15:00:00.000Z',
        delivery_key: `${w.duplicateAsk}|2026-12-04`,
        contact_id: w.kept,
      },
      {
        kind: 'ask_next',
        state: 'pending',
        due_at: '2026-12-09T15:00:00.000Z',
        delivery_key: `${w.duplicateAsk}|2026-12-04`,
        contact_id: w.kept,
      },
      expect.objectContaining({ kind: 'keep_in_touch', state: 'pending', contact_id: w.kept }),
    ]);

    // Day 3: the nudge comes once, in the kept contact's name.
    h.clock.set('2026-12-09T15:00:00Z');
    await h.tick();
    await h.tick();
    const nudges = postsOf('ask_next');
    expect(nudges).toHaveLength(1);
    const text = JSON.stringify(nudges[0]?.body);
    expect(text).toContain('Ada Lovelace');
    expect(text).not.toContain('A. Lovelace');

    // The export shows one person.
    await h.command('export');
    await h.infoview.inFlight.drain(5000);
    const json = must(
      h.fake.filesIn('D0001').find((f) => f.filename === 'infoview-export.json'),
      'the JSON export',
    );
    const exported = JSON.parse(json.content) as { contacts: { name: string }[] };
    expect(exported.contacts.map((c) => c.name)).toEqual(['Ben Lee', 'Ada Lovelace', 'Grace Hopper']);
  });

  it('is offered on the Edit form too', async () => {
    const w = await twoAdas();
    await h.interact(
      buttonPress({ actionId: CONTACT_ACTIONS.edit, value: String(w.kept), responseUrl: h.fake.responseUrl() }),
    );
    const edit = (await h.fake.waitFor('views.open')).body.view as ModalView;
    const button = blocksOf(edit)
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === MERGE_CONTACT.startActionId);
    expect(button?.value).toBe(String(w.kept));
    await h.interact(
      buttonPressInModal({ actionId: MERGE_CONTACT.startActionId, value: String(w.kept), viewId: 'VE' }),
    );
    const choose = (await h.fake.waitFor('views.update')).body.view as ModalView;
    expect(choose.callback_id).toBe(MERGE_CONTACT.chooseCallbackId);
    expect(JSON.parse(choose.private_metadata ?? '{}')).toEqual({ keptId: w.kept });
  });

  it("refuses another user's contact, a contact merged with itself, and no choice, changing nothing", async () => {
    const w = await twoAdas();
    const choose = await openMergeFromHistory(w.kept);
    const before = await h.db.selectFrom('contacts').selectAll().orderBy('id').execute();

    const theirs = must(await chooseDuplicate(choose, w.theirs), 'the answer');
    expect(theirs).toEqual({
      response_action: 'errors',
      errors: { [MERGE_CONTACT.duplicateBlock]: expect.stringContaining('not one of yours') },
    });
    const itself = must(await chooseDuplicate(choose, w.kept), 'the answer');
    expect(itself).toEqual({
      response_action: 'errors',
      errors: { [MERGE_CONTACT.duplicateBlock]: expect.stringContaining('cannot be merged with itself') },
    });
    const none = must(await reply(await h.interact(viewSubmission(choose, {}))), 'the answer');
    expect(none.response_action).toBe('errors');

    // Someone else pressing my merge: my contacts are not theirs.
    const forged = must(await chooseDuplicate(choose, w.duplicate, OTHER_USER_ID), 'the answer');
    expect(forged.response_action).toBe('errors');

    // A confirmation forged with another user's id on either side.
    const confirm = must((await chooseDuplicate(choose, w.duplicate))?.view, 'the confirmation');
    for (const metadata of [
      { keptId: w.kept, duplicateId: w.theirs },
      { keptId: w.theirs, duplicateId: w.duplicate },
      { keptId: w.kept, duplicateId: w.kept },
    ]) {
      const answer = must(
        await reply(await h.interact(viewSubmission({ ...confirm, private_metadata: JSON.stringify(metadata) }, {}))),
        'the answer',
      );
      expect(answer.response_action).toBe('update');
      expect(sectionTexts(must(answer.view, 'the view'))).toMatch(/not one of yours|cannot be merged with itself/);
    }
    // The whole confirmation from another user.
    const other = must(
      await reply(await h.interact(viewSubmission(confirm, {}, { userId: OTHER_USER_ID }))),
      'the answer',
    );
    expect(sectionTexts(must(other.view, 'the view'))).toContain('Nothing was changed');
    expect(await h.db.selectFrom('contacts').selectAll().orderBy('id').execute()).toEqual(before);
    expect(await rowsOf('meetings', w.duplicate)).toHaveLength(2);
  });

  it('merges once when the confirmation is submitted twice at once; the second says the duplicate is gone', async () => {
    const w = await twoAdas();
    const choose = await openMergeFromHistory(w.kept);
    const confirm = must((await chooseDuplicate(choose, w.duplicate))?.view, 'the confirmation');
    const answers = await Promise.all([
      h.interact(viewSubmission(confirm, {})).then(reply),
      h.interact(viewSubmission(confirm, {})).then(reply),
    ]);
    const titles = answers.map((a) => must(a?.view, 'a view').title.text).sort();
    expect(titles).toEqual(['Contacts merged', 'Not merged']);
    const refused = must(answers.find((a) => a?.view?.title.text === 'Not merged')?.view, 'the refusal');
    expect(sectionTexts(refused)).toContain('no longer exists');
    expect(
      await h.db.selectFrom('contacts').select('id').where('owner_id', '=', USER_ID).orderBy('id').execute(),
    ).toEqual([{ id: w.ben }, { id: w.kept }, { id: w.grace }]);
    expect(await rowsOf('meetings', w.kept)).toHaveLength(2);
    expect(await rowsOf('asks', w.kept)).toHaveLength(2);
    const waiting = await h.db.selectFrom('asks').select('id').where('status', '=', 'waiting').execute();
    expect(waiting).toEqual([{ id: w.duplicateAsk }]);
  });

  it('refuses a merge whose notes together would not fit, and says so before anything moves', async () => {
    const kept = await addContact(ME, 'Ada Lovelace', { notes: 'k'.repeat(2000) });
    const duplicate = await addContact(ME, 'A. Lovelace', { notes: 'd'.repeat(2000) });
    const choose = await openMergeFromHistory(kept);
    const confirm = must((await chooseDuplicate(choose, duplicate))?.view, 'the confirmation');
    expect(confirm.submit).toBeUndefined();
    expect(sectionTexts(confirm)).toContain('over the 3000 a contact holds');
    const answer = must(await reply(await h.interact(viewSubmission(confirm, {}))), 'the answer');
    expect(answer.view?.title.text).toBe('Not merged');
    expect(await h.db.selectFrom('contacts').select('id').orderBy('id').execute()).toEqual([
      { id: kept },
      { id: duplicate },
    ]);
  });
});
