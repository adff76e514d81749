import { insertContact, updateContact } from '../db/repositories/contacts.js';
import {
  findMeeting,
  findMeetingIdBySourceView,
  insertMeeting,
  listScheduledMeetingsEndingAfter,
  setMeetingStatus,
  updateMeetingPlan,
} from '../db/repositories/meetings.js';
import type { Db } from '../db/database.js';
import { NotFoundError, UserInputError } from '../lib/errors.js';
import { addMinutes, toDbInstant } from '../lib/time.js';
import { DURATION_CHOICES } from './schedule-rules.js';
import type { MeetingWithContact, Owner, ScheduleRequest } from './types.js';

/** A meeting that started this long ago may still be under way. */
const LONGEST_MEETING_MINUTES = Math.max(...DURATION_CHOICES);

const MEETING_NOT_FOUND = 'That meeting is not one of yours, or it no longer exists. Nothing was changed.';

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
    const contact = await insertContact(trx, owner, request.contact, nowIso);
    return insertMeeting(
      trx,
      owner,
      { contactId: contact.id, plan: request.plan, timeZone: context.timeZone, sourceViewId: context.sourceViewId },
      nowIso,
    );
  });
  return getMeeting(db, owner, meetingId);
}

/** Moves a scheduled meeting and updates its contact; refuses another user's or a cancelled meeting. */
export async function rescheduleMeeting(
  db: Db,
  owner: Owner,
  meetingId: number,
  request: ScheduleRequest,
  now: Date,
): Promise<MeetingWithContact> {
  const nowIso = toDbInstant(now);
  await db.transaction().execute(async (trx) => {
    const current = await findMeeting(trx, owner, meetingId);
    if (current === undefined) throw new NotFoundError(MEETING_NOT_FOUND);
    if (current.meeting.status === 'cancelled') {
      throw new UserInputError('That meeting was cancelled, so it cannot be rescheduled. Schedule a new one instead.');
    }
    await updateContact(trx, owner, current.contact.id, request.contact, nowIso);
    await updateMeetingPlan(trx, owner, meetingId, request.plan, nowIso);
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
  await setMeetingStatus(db, owner, meetingId, 'cancelled', toDbInstant(now));
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
