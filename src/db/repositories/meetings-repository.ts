import type { Meeting, MeetingPlan, MeetingStatus, MeetingWithContact, Owner } from '../../domain/types.js';
import { addMinutes, fromDbInstant, toDbInstant } from '../../lib/zoned-time.js';
import type { Executor } from '../database.js';
import { paddedList } from '../in-list.js';
import { toContact } from './contacts-repository.js';

/** The contact's columns of a meeting with its contact (`toMeetingWithContact`), the contact joined as `c`. */
export const CONTACT_OF_MEETING_COLUMNS = [
  'c.name',
  'c.pronunciation',
  'c.title',
  'c.company',
  'c.email',
  'c.profile_url',
  'c.time_zone as contact_time_zone',
  'c.how_met',
  'c.referred_by_id',
  'c.tags',
  'c.notes',
  'c.keep_in_touch_days',
  'c.slack_user_id',
] as const;

export function selectMeetingsWithContacts(db: Executor, owner: Owner) {
  return db
    .selectFrom('meetings as m')
    .innerJoin('contacts as c', 'c.id', 'm.contact_id')
    .where('m.team_id', '=', owner.teamId)
    .where('m.owner_id', '=', owner.userId)
    .select([
      'm.id',
      'm.contact_id',
      'm.starts_at',
      'm.duration_minutes',
      'm.time_zone',
      'm.location',
      'm.goal',
      'm.questions',
      'm.status',
      'm.thank_you_sent_at',
      'm.debriefed_at',
      'm.reported_back_at',
      'm.thank_you_draft',
      'm.report_back_draft',
      'm.calendar_sequence',
    ])
    .select(CONTACT_OF_MEETING_COLUMNS);
}

type JoinedRow = Awaited<ReturnType<ReturnType<typeof selectMeetingsWithContacts>['executeTakeFirstOrThrow']>>;

export function toMeetingWithContact(row: JoinedRow): MeetingWithContact {
  const meeting: Meeting = {
    id: row.id,
    contactId: row.contact_id,
    startsAt: fromDbInstant(row.starts_at),
    durationMinutes: row.duration_minutes,
    timeZone: row.time_zone,
    location: row.location,
    goal: row.goal,
    questions: row.questions,
    status: row.status,
    thankYouSentAt: row.thank_you_sent_at ? fromDbInstant(row.thank_you_sent_at) : null,
    debriefedAt: row.debriefed_at ? fromDbInstant(row.debriefed_at) : null,
    reportedBackAt: row.reported_back_at ? fromDbInstant(row.reported_back_at) : null,
    thankYouDraft: row.thank_you_draft,
    reportBackDraft: row.report_back_draft,
    calendarSequence: row.calendar_sequence,
  };
  return { meeting, contact: toContact({ ...row, id: row.contact_id, time_zone: row.contact_time_zone }) };
}

/** An update of one meeting, only if it is the owner's. */
function ownMeeting(db: Executor, owner: Owner, meetingId: number) {
  return db
    .updateTable('meetings')
    .where('id', '=', meetingId)
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId);
}

export async function insertMeeting(
  db: Executor,
  owner: Owner,
  input: { contactId: number; plan: MeetingPlan; timeZone: string; sourceViewId: string | null },
  nowIso: string,
): Promise<number> {
  // Scoped here, not only by callers: a meeting only ever points at one of the owner's own contacts.
  const contact = await db
    .selectFrom('contacts')
    .select('id')
    .where('id', '=', input.contactId)
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .executeTakeFirst();
  if (contact === undefined) throw new Error(`meeting with contact ${input.contactId}, which is not ${owner.userId}'s`);
  const row = await db
    .insertInto('meetings')
    .values({
      team_id: owner.teamId,
      owner_id: owner.userId,
      contact_id: input.contactId,
      starts_at: toDbInstant(input.plan.startsAt),
      duration_minutes: input.plan.durationMinutes,
      ends_at: toDbInstant(addMinutes(input.plan.startsAt, input.plan.durationMinutes)),
      time_zone: input.timeZone,
      location: input.plan.location,
      goal: input.plan.goal,
      questions: input.plan.questions,
      status: 'scheduled',
      source_view_id: input.sourceViewId,
      created_at: nowIso,
      updated_at: nowIso,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findMeeting(
  db: Executor,
  owner: Owner,
  meetingId: number,
): Promise<MeetingWithContact | undefined> {
  const row = await selectMeetingsWithContacts(db, owner).where('m.id', '=', meetingId).executeTakeFirst();
  return row === undefined ? undefined : toMeetingWithContact(row);
}

export async function findMeetingIdBySourceView(
  db: Executor,
  owner: Owner,
  viewId: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('meetings')
    .select('id')
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('source_view_id', '=', viewId)
    .executeTakeFirst();
  return row?.id;
}

/**
 * Scheduled meetings of the owner that end after `now`, soonest first. `earliestStartIso` (now minus the longest
 * meeting) bounds the range scan on meetings_owner_start_idx.
 */
export async function listScheduledMeetingsEndingAfter(
  db: Executor,
  owner: Owner,
  range: { nowIso: string; earliestStartIso: string },
  limit: number,
): Promise<MeetingWithContact[]> {
  const rows = await selectMeetingsWithContacts(db, owner)
    .where('m.status', '=', 'scheduled')
    .where('m.starts_at', '>=', range.earliestStartIso)
    .where('m.ends_at', '>', range.nowIso)
    .orderBy('m.starts_at')
    .orderBy('m.id')
    .limit(limit)
    .execute();
  return rows.map(toMeetingWithContact);
}

export async function updateMeetingPlan(
  db: Executor,
  owner: Owner,
  meetingId: number,
  plan: MeetingPlan,
  nowIso: string,
): Promise<boolean> {
  const result = await ownMeeting(db, owner, meetingId)
    .set({
      starts_at: toDbInstant(plan.startsAt),
      duration_minutes: plan.durationMinutes,
      ends_at: toDbInstant(addMinutes(plan.startsAt, plan.durationMinutes)),
      location: plan.location,
      goal: plan.goal,
      questions: plan.questions,
      updated_at: nowIso,
    })
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Counts a change the user's calendar must pick up (a reschedule or a cancellation). */
export async function bumpCalendarSequence(db: Executor, owner: Owner, meetingId: number): Promise<void> {
  await ownMeeting(db, owner, meetingId)
    .set((eb) => ({ calendar_sequence: eb('calendar_sequence', '+', 1) }))
    .execute();
}

export async function setMeetingStatus(
  db: Executor,
  owner: Owner,
  meetingId: number,
  status: MeetingStatus,
  nowIso: string,
): Promise<boolean> {
  const result = await ownMeeting(db, owner, meetingId)
    .set({ status, cancelled_at: status === 'cancelled' ? nowIso : null, updated_at: nowIso })
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** All the owner's meetings with one contact, cancelled ones too, in time order. */
export async function listMeetingsOfContact(db: Executor, owner: Owner, contactId: number): Promise<Meeting[]> {
  const rows = await selectMeetingsWithContacts(db, owner)
    .where('m.contact_id', '=', contactId)
    .orderBy('m.starts_at')
    .orderBy('m.id')
    .execute();
  return rows.map((row) => toMeetingWithContact(row).meeting);
}

/** For each contact: its latest scheduled meeting before `nowIso` and its next one from then on. */
export async function meetingBoundsOfContacts(
  db: Executor,
  owner: Owner,
  contactIds: readonly number[],
  nowIso: string,
): Promise<Map<number, { last: Date | null; next: Date | null }>> {
  if (contactIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('meetings')
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('status', '=', 'scheduled')
    .where('contact_id', 'in', paddedList(contactIds))
    .select((eb) => [
      'contact_id',
      eb.fn.max(eb.case().when('starts_at', '<', nowIso).then(eb.ref('starts_at')).end()).as('last'),
      eb.fn.min(eb.case().when('starts_at', '>=', nowIso).then(eb.ref('starts_at')).end()).as('next'),
    ])
    .groupBy('contact_id')
    .execute();
  return new Map(
    rows.map((row) => [
      row.contact_id,
      { last: row.last ? fromDbInstant(row.last) : null, next: row.next ? fromDbInstant(row.next) : null },
    ]),
  );
}

export async function countMeetingsOfContact(
  db: Executor,
  owner: Owner,
  contactId: number,
  nowIso: string,
): Promise<{ total: number; upcoming: number }> {
  const row = await db
    .selectFrom('meetings')
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('contact_id', '=', contactId)
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('status', '=', 'scheduled'), eb('ends_at', '>', nowIso)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('upcoming'),
    ])
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), upcoming: Number(row.upcoming ?? 0) };
}

export async function setThankYouSent(db: Executor, owner: Owner, meetingId: number, nowIso: string): Promise<void> {
  await ownMeeting(db, owner, meetingId).set({ thank_you_sent_at: nowIso, updated_at: nowIso }).execute();
}

/** The zone a meeting's times are shown and planned in, as the owner's zone is known now. */
export async function setMeetingTimeZone(
  db: Executor,
  owner: Owner,
  meetingId: number,
  zone: string,
  nowIso: string,
): Promise<void> {
  await ownMeeting(db, owner, meetingId).set({ time_zone: zone, updated_at: nowIso }).execute();
}

/** "Snooze a day" on the thank-you nudge; null when the snooze no longer stands (the meeting moved). */
export async function setThankYouSnoozedUntil(
  db: Executor,
  owner: Owner,
  meetingId: number,
  untilIso: string | null,
): Promise<void> {
  await ownMeeting(db, owner, meetingId).set({ thank_you_snoozed_until: untilIso }).execute();
}

/** Sets the meeting's after-the-meeting marks and drafts that are given; the owner's meetings only. */
export async function updateMeetingFollowUp(
  db: Executor,
  owner: Owner,
  meetingId: number,
  values: Partial<Record<'debriefed_at' | 'reported_back_at' | 'thank_you_draft' | 'report_back_draft', string | null>>,
  nowIso: string,
): Promise<void> {
  await ownMeeting(db, owner, meetingId)
    .set({ ...values, updated_at: nowIso })
    .execute();
}

/** The owner's meetings that have started, are not cancelled and have no debrief yet, most recent first. */
export async function listMeetingsAwaitingDebrief(
  db: Executor,
  owner: Owner,
  nowIso: string,
  limit: number,
): Promise<MeetingWithContact[]> {
  const rows = await selectMeetingsWithContacts(db, owner)
    .where('m.status', '=', 'scheduled')
    .where('m.starts_at', '<=', nowIso)
    .where('m.debriefed_at', 'is', null)
    .orderBy('m.starts_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toMeetingWithContact);
}

export async function updateMeetingQuestions(
  db: Executor,
  owner: Owner,
  meetingId: number,
  questions: string,
  nowIso: string,
): Promise<void> {
  await ownMeeting(db, owner, meetingId).set({ questions, updated_at: nowIso }).execute();
}
