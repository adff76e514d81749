import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import {
  findContact,
  findContactByNameKey,
  insertContact,
  profileFromDetails,
} from '../../db/repositories/contacts-repository.js';
import {
  applyAdvicePlan,
  findDebrief,
  listAdviceItems,
  setAdviceItemsDone,
  upsertDebrief,
} from '../../db/repositories/debriefs-repository.js';
import {
  findMeeting,
  findMeetingIdBySourceView,
  insertMeeting,
  listMeetingsAwaitingDebrief,
  updateMeetingFollowUp,
} from '../../db/repositories/meetings-repository.js';
import type { Database } from '../../db/schema.js';
import { NotFoundError, UserInputError } from '../../lib/errors.js';
import { toDbInstant } from '../../lib/zoned-time.js';
import { contactNamed } from '../contacts/contact-match.js';
import { contactNameKey } from '../contacts/contact-text.js';
import { recordTouch } from '../contacts/keep-in-touch-service.js';
import { CONTACT_NOT_FOUND, MEETING_NOT_FOUND } from '../not-found.js';
import { reconcileMeetings } from '../reminders/reconciler.js';
import type { AdviceItem, Contact, MeetingWithContact, Owner, StoredDebrief } from '../types.js';
import { type Debrief, planAdviceItems } from './debrief-rules.js';
import { composeReportBack, composeThankYou } from './drafts.js';

/** What a debrief is about: a meeting of the user's, or a conversation that happened without being scheduled. */
export type DebriefTarget =
  | { meetingId: number }
  | { pastMeeting: { contactId: number | null; name: string; startsAt: Date; sourceViewId: string | null } };

export interface DebriefOutcome {
  found: MeetingWithContact;
  /** The people they suggested, as contacts: `created` false when one was already logged. */
  referred: { contact: Contact; created: boolean }[];
  items: AdviceItem[];
  thankYouDraft: string;
}

const PAST_MEETING_MINUTES = 30;

/**
 * Saves a debrief in one transaction: the debrief itself (one per meeting, so a repeated submission updates
 * rather than duplicates), its advice items, the suggested people as contacts referred by this one (never
 * duplicating a contact already logged), the meeting marked debriefed with its debrief nudge cancelled, and a touch
 * for keep-in-touch.
 */
export async function saveDebrief(
  db: Db,
  owner: Owner,
  target: DebriefTarget,
  debrief: Debrief,
  context: { now: Date; zone: string },
): Promise<DebriefOutcome> {
  const nowIso = toDbInstant(context.now);
  const { meetingId, referred } = await db.transaction().execute(async (trx) => {
    const id = await resolveTarget(trx, owner, target, context);
    const found = await findMeeting(trx, owner, id);
    if (found === undefined) throw new NotFoundError(MEETING_NOT_FOUND);
    if (found.meeting.status === 'cancelled')
      throw new UserInputError('That meeting was cancelled, so there is nothing to debrief.');
    if (found.meeting.startsAt.getTime() > context.now.getTime()) {
      throw new UserInputError('That meeting has not happened yet. Debrief it once it has started.');
    }
    await upsertDebrief(trx, owner, id, debrief, nowIso);
    // Items keep their identity (and tick) by content, whatever moved around them.
    await applyAdvicePlan(
      trx,
      owner,
      id,
      planAdviceItems(await listAdviceItems(trx, owner, id), debrief.commitments),
      nowIso,
    );
    const people = await addReferrals(trx, owner, found.contact, debrief, nowIso);
    await updateMeetingFollowUp(
      trx,
      owner,
      id,
      { debriefed_at: found.meeting.debriefedAt ? toDbInstant(found.meeting.debriefedAt) : nowIso },
      nowIso,
    );
    await reconcileMeetings(trx, [id], context.now);
    await recordTouch(trx, owner, found.contact.id, context.now);
    return { meetingId: id, referred: people };
  });
  const found = await getMeetingOf(db, owner, meetingId);
  return {
    found,
    referred,
    items: await listAdviceItems(db, owner, meetingId),
    thankYouDraft: await thankYouDraftFor(db, owner, meetingId),
  };
}

async function resolveTarget(
  trx: Transaction<Database>,
  owner: Owner,
  target: DebriefTarget,
  context: { now: Date; zone: string },
): Promise<number> {
  if ('meetingId' in target) return target.meetingId;
  const past = target.pastMeeting;
  if (past.startsAt.getTime() > context.now.getTime())
    throw new UserInputError('Pick the day the conversation happened: it cannot be in the future.');
  if (past.sourceViewId !== null) {
    const existing = await findMeetingIdBySourceView(trx, owner, past.sourceViewId);
    if (existing !== undefined) return existing;
  }
  const nowIso = toDbInstant(context.now);
  let contactId = past.contactId;
  if (contactId !== null) {
    if ((await findContact(trx, owner, contactId)) === undefined) throw new NotFoundError(CONTACT_NOT_FOUND);
  } else {
    const name = past.name.trim();
    if (name === '') throw new UserInputError('Pick who you talked to, or type their name.');
    const existing = await contactNamed(trx, owner, name, null);
    contactId =
      existing?.id ??
      (
        await insertContact(
          trx,
          owner,
          profileFromDetails({ name, pronunciation: null, title: null, company: null }),
          nowIso,
        )
      ).id;
  }
  const plan = {
    startsAt: past.startsAt,
    durationMinutes: PAST_MEETING_MINUTES,
    location: null,
    goal: null,
    questions: null,
  };
  const id = await insertMeeting(
    trx,
    owner,
    { contactId, plan, timeZone: context.zone, sourceViewId: past.sourceViewId },
    nowIso,
  );
  // Only what still makes sense after the fact is planned (a thank-you within the day, the report-back).
  await reconcileMeetings(trx, [id], context.now);
  return id;
}

async function addReferrals(
  trx: Transaction<Database>,
  owner: Owner,
  referrer: Contact,
  debrief: Debrief,
  nowIso: string,
) {
  const people: { contact: Contact; created: boolean }[] = [];
  for (const person of debrief.referrals) {
    const existing = await findContactByNameKey(trx, owner, contactNameKey(person.name, person.company), null);
    if (existing !== undefined) {
      people.push({ contact: existing, created: false });
      continue;
    }
    const contact = await insertContact(
      trx,
      owner,
      {
        ...profileFromDetails({ name: person.name, pronunciation: null, title: person.title, company: person.company }),
        referredById: referrer.id,
        howMet: `Suggested by ${referrer.name}`.slice(0, 500),
      },
      nowIso,
    );
    people.push({ contact, created: true });
  }
  return people;
}

async function getMeetingOf(db: Db, owner: Owner, meetingId: number): Promise<MeetingWithContact> {
  const found = await findMeeting(db, owner, meetingId);
  if (found === undefined) throw new NotFoundError(MEETING_NOT_FOUND);
  return found;
}

/** Started, not cancelled, not yet debriefed meetings of the owner, most recent first. */
export function meetingsToDebrief(db: Db, owner: Owner, now: Date, limit: number): Promise<MeetingWithContact[]> {
  return listMeetingsAwaitingDebrief(db, owner, toDbInstant(now), limit);
}

/** The thank-you note: as the user last edited it, else composed from the debrief. */
export async function thankYouDraftFor(db: Db, owner: Owner, meetingId: number): Promise<string> {
  const found = await getMeetingOf(db, owner, meetingId);
  if (found.meeting.thankYouDraft) return found.meeting.thankYouDraft;
  const debrief = await findDebrief(db, owner, meetingId);
  const items = await listAdviceItems(db, owner, meetingId);
  return composeThankYou({
    contactName: found.contact.name,
    topics: debrief?.topics ?? null,
    learned: debrief?.learned ?? null,
    advice: debrief?.advice ?? null,
    commitments: items.map((item) => item.text),
  });
}

/** The report-back note: as the user last edited it, else composed from the advice items ticked as done. */
export async function reportBackDraftFor(db: Db, owner: Owner, meetingId: number): Promise<string> {
  const found = await getMeetingOf(db, owner, meetingId);
  if (found.meeting.reportBackDraft) return found.meeting.reportBackDraft;
  const done = (await listAdviceItems(db, owner, meetingId)).filter((item) => item.doneAt !== null);
  return composeReportBack(
    found.contact.name,
    done.map((item) => item.text),
  );
}

export const DRAFT_MAX_LENGTH = 3000;

/** Keeps the user's edit of a draft; an empty edit goes back to the composed draft. */
export async function saveDraft(
  db: Db,
  owner: Owner,
  meetingId: number,
  which: 'thank_you' | 'report_back',
  text: string,
  now: Date,
): Promise<void> {
  await getMeetingOf(db, owner, meetingId);
  const value = text.trim() === '' ? null : text.slice(0, DRAFT_MAX_LENGTH);
  await updateMeetingFollowUp(
    db,
    owner,
    meetingId,
    which === 'thank_you' ? { thank_you_draft: value } : { report_back_draft: value },
    toDbInstant(now),
  );
}

/** Ticks exactly `doneIds` of the meeting's advice items. */
export async function updateAdviceItems(
  db: Db,
  owner: Owner,
  meetingId: number,
  doneIds: number[],
  now: Date,
): Promise<AdviceItem[]> {
  await getMeetingOf(db, owner, meetingId);
  await setAdviceItemsDone(db, owner, meetingId, doneIds, toDbInstant(now));
  return listAdviceItems(db, owner, meetingId);
}

export async function adviceItemsOf(db: Db, owner: Owner, meetingId: number): Promise<AdviceItem[]> {
  await getMeetingOf(db, owner, meetingId);
  return listAdviceItems(db, owner, meetingId);
}

/** Records the report-back, cancels its nudge and counts as a touch. */
export async function markReportedBack(db: Db, owner: Owner, meetingId: number, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const found = await findMeeting(trx, owner, meetingId);
    if (found === undefined) throw new NotFoundError(MEETING_NOT_FOUND);
    if (found.meeting.reportedBackAt !== null) return;
    await updateMeetingFollowUp(trx, owner, meetingId, { reported_back_at: toDbInstant(now) }, toDbInstant(now));
    await reconcileMeetings(trx, [meetingId], now);
    await recordTouch(trx, owner, found.contact.id, now);
  });
}

/** The meeting's saved debrief, for filling the form again; null when there is none. */
export async function findDebriefOf(db: Db, owner: Owner, meetingId: number): Promise<StoredDebrief | null> {
  return (await findDebrief(db, owner, meetingId)) ?? null;
}
