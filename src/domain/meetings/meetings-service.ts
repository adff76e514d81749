import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import {
  findContact,
  insertContact,
  profileFromDetails,
  touchContactActivity,
  updateContactProfile,
} from '../../db/repositories/contacts-repository.js';
import {
  bumpCalendarSequence,
  findMeeting,
  findMeetingIdBySourceView,
  insertMeeting,
  listScheduledMeetingsEndingAfter,
  setMeetingStatus,
  setMeetingTimeZone,
  setThankYouSnoozedUntil,
  updateMeetingPlan,
} from '../../db/repositories/meetings-repository.js';
import type { Database } from '../../db/schema.js';
import { NotFoundError, UserInputError } from '../../lib/errors.js';
import { addMinutes, toDbInstant } from '../../lib/zoned-time.js';
import { closeAskByMeeting } from '../asks/asks-service.js';
import { contactNamed } from '../contacts/contact-match.js';
import { recordTouch } from '../contacts/keep-in-touch-service.js';
import { CONTACT_NOT_FOUND, MEETING_NOT_FOUND } from '../not-found.js';
import { reconcileMeetings } from '../reminders/reconciler.js';
import type { MeetingWithContact, Owner, ScheduleRequest } from '../types.js';
import { DURATION_CHOICES } from './schedule-rules.js';

/** A meeting that started this long ago may still be under way. */
const LONGEST_MEETING_MINUTES = Math.max(...DURATION_CHOICES);

/**
 * Stores the contact and the meeting in one transaction. A second submission of the same modal
 * (`sourceViewId`) returns the meeting the first one created instead of creating another.
 */
export async function scheduleMeeting(
  db: Db,
  owner: Owner,
  request: ScheduleRequest,
  context: { now: Date; timeZone: string; sourceViewId: string | null },
): Promise<MeetingWithContact> {
  const nowIso = toDbInstant(context.now);
  const meetingId = await db.transaction().execute(async (trx) => {
    if (context.sourceViewId !== null) {
      const existing = await findMeetingIdBySourceView(trx, owner, context.sourceViewId);
      if (existing !== undefined) return existing;
    }
    const contactId = await contactFor(trx, owner, request, nowIso);
    const id = await insertMeeting(
      trx,
      owner,
      { contactId, plan: request.plan, timeZone: context.timeZone, sourceViewId: context.sourceViewId },
      nowIso,
    );
    await reconcileMeetings(trx, [id], context.now);
    // A meeting agreed is the answer to a waiting ask: its 3B7 nudges stop.
    await closeAskByMeeting(trx, owner, contactId, context.now);
    await recordTouch(trx, owner, contactId, context.now);
    return id;
  });
  return getMeeting(db, owner, meetingId);
}

/**
 * The picked contact (refused when not the owner's); else the one the typed name (and company) already stands for;
 * else a new one from the form's fields. Its activity is now.
 */
async function contactFor(
  trx: Transaction<Database>,
  owner: Owner,
  request: ScheduleRequest,
  nowIso: string,
): Promise<number> {
  if (request.contactId === null) {
    const existing = await contactNamed(trx, owner, request.contact.name, request.contact.company);
    if (existing === null) return (await insertContact(trx, owner, profileFromDetails(request.contact), nowIso)).id;
    await touchContactActivity(trx, owner, existing.id, nowIso);
    return existing.id;
  }
  const picked = await findContact(trx, owner, request.contactId);
  if (picked === undefined) throw new NotFoundError(CONTACT_NOT_FOUND);
  await touchContactActivity(trx, owner, picked.id, nowIso);
  return picked.id;
}

/** Moves a scheduled meeting and updates its contact; refuses another user's or a cancelled meeting. */
export async function rescheduleMeeting(
  db: Db,
  owner: Owner,
  meetingId: number,
  request: ScheduleRequest,
  context: { now: Date; timeZone: string },
): Promise<MeetingWithContact> {
  const now = context.now;
  const nowIso = toDbInstant(now);
  await db.transaction().execute(async (trx) => {
    const current = await findMeeting(trx, owner, meetingId);
    if (current === undefined) throw new NotFoundError(MEETING_NOT_FOUND);
    if (current.meeting.status === 'cancelled') {
      throw new UserInputError('That meeting was cancelled, so it cannot be rescheduled. Schedule a new one instead.');
    }
    // The reschedule form shows the contact's name, pronunciation, title and company: keep the rest of the profile.
    await updateContactProfile(trx, owner, current.contact.id, { ...current.contact, ...request.contact }, nowIso);
    await updateMeetingPlan(trx, owner, meetingId, request.plan, nowIso);
    await bumpCalendarSequence(trx, owner, meetingId);
    // Planned and shown in the zone the user has now, not the one they had when they first scheduled it.
    await setMeetingTimeZone(trx, owner, meetingId, context.timeZone, nowIso);
    // A meeting that moved is a new time to remind of (new deliveries); a snooze of its thank-you no longer stands.
    if (current.meeting.startsAt.getTime() !== request.plan.startsAt.getTime())
      await setThankYouSnoozedUntil(trx, owner, meetingId, null);
    await reconcileMeetings(trx, [meetingId], now);
  });
  return getMeeting(db, owner, meetingId);
}

/** Cancels the owner's meeting; cancelling twice is harmless and reports `alreadyCancelled`. */
export async function cancelMeeting(
  db: Db,
  owner: Owner,
  meetingId: number,
  now: Date,
): Promise<MeetingWithContact & { alreadyCancelled: boolean }> {
  const current = await getMeeting(db, owner, meetingId);
  if (current.meeting.status === 'cancelled') return { ...current, alreadyCancelled: true };
  await db.transaction().execute(async (trx) => {
    await setMeetingStatus(trx, owner, meetingId, 'cancelled', toDbInstant(now));
    await bumpCalendarSequence(trx, owner, meetingId);
    await reconcileMeetings(trx, [meetingId], now);
  });
  return { ...(await getMeeting(db, owner, meetingId)), alreadyCancelled: false };
}

/** The owner's meeting, or NotFoundError (also for another user's id: we never reveal which). */
export async function getMeeting(db: Db, owner: Owner, meetingId: number): Promise<MeetingWithContact> {
  const found = await findMeeting(db, owner, meetingId);
  if (found === undefined) throw new NotFoundError(MEETING_NOT_FOUND);
  return found;
}

/** Scheduled meetings that have not ended yet, soonest first. */
export async function listUpcomingMeetings(
  db: Db,
  owner: Owner,
  now: Date,
  limit: number,
): Promise<MeetingWithContact[]> {
  const range = {
    nowIso: toDbInstant(now),
    earliestStartIso: toDbInstant(addMinutes(now, -LONGEST_MEETING_MINUTES)),
  };
  return listScheduledMeetingsEndingAfter(db, owner, range, limit);
}
