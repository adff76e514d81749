import type { Contact, MeetingWithContact, Owner } from '../../domain/types.js';
import type { Db } from '../database.js';
import { CONTACT_COLUMNS, toContact } from './contacts-repository.js';
import {
  listMeetingsAwaitingDebrief,
  selectMeetingsWithContacts,
  toMeetingWithContact,
} from './meetings-repository.js';

/**
 * Ended, not cancelled meetings whose thank-you is not marked sent, that ended at or after `sinceIso`.
 * `earliestStartIso` (since less the longest meeting) bounds the range read on meetings_owner_start_idx.
 */
export async function listThankYousToSend(
  db: Db,
  owner: Owner,
  range: { sinceIso: string; nowIso: string; earliestStartIso: string },
  limit: number,
): Promise<MeetingWithContact[]> {
  const rows = await selectMeetingsWithContacts(db, owner)
    .where('m.status', '=', 'scheduled')
    .where('m.starts_at', '>=', range.earliestStartIso)
    .where('m.ends_at', '<=', range.nowIso)
    .where('m.ends_at', '>=', range.sinceIso)
    .where('m.thank_you_sent_at', 'is', null)
    .orderBy('m.ends_at')
    .limit(limit)
    .execute();
  return rows.map(toMeetingWithContact);
}

/** Meetings that started in [fromIso, toIso] and are not reported back: the report-backs due. */
export async function listReportBacksDue(
  db: Db,
  owner: Owner,
  range: { fromIso: string; toIso: string },
  limit: number,
): Promise<MeetingWithContact[]> {
  const rows = await selectMeetingsWithContacts(db, owner)
    .where('m.status', '=', 'scheduled')
    .where('m.starts_at', '>=', range.fromIso)
    .where('m.starts_at', '<=', range.toIso)
    .where('m.reported_back_at', 'is', null)
    .orderBy('m.starts_at')
    .limit(limit)
    .execute();
  return rows.map(toMeetingWithContact);
}

/** Contacts whose keep-in-touch nudge is due or was sent and not acted on. */
export async function listKeepInTouchDue(db: Db, owner: Owner, nowIso: string, limit: number): Promise<Contact[]> {
  const rows = await db
    .selectFrom('reminders as r')
    .innerJoin('contacts', 'contacts.id', 'r.contact_id')
    .select(CONTACT_COLUMNS.map((column) => `contacts.${column}` as const))
    .where('r.team_id', '=', owner.teamId)
    .where('r.owner_id', '=', owner.userId)
    .where('r.kind', '=', 'keep_in_touch')
    // Turned off since: the nudge sent then no longer asks for anything.
    .where('contacts.keep_in_touch_days', '>', 0)
    .where((eb) =>
      eb.or([eb('r.state', '=', 'sent'), eb.and([eb('r.state', '=', 'pending'), eb('r.due_at', '<=', nowIso)])]),
    )
    .orderBy('r.due_at')
    .limit(limit)
    .execute();
  return rows.map(toContact);
}

export { listMeetingsAwaitingDebrief };

export interface ProgressCounts {
  meetingsTotal: number;
  meetingsThisMonth: number;
  thankYousSent: number;
  thankYousOnTime: number;
  /** Meetings whose thank-you can be judged: their 24 hours are over, or they were thanked in time already. */
  thankYousDue: number;
  reportBacks: number;
  referrals: number;
}

/** The progress figures, each one aggregate over the owner's rows (indexes on team_id, owner_id lead every scan). */
export async function progressCounts(
  db: Db,
  owner: Owner,
  range: { monthStartIso: string; nowIso: string; dayAgoIso: string },
): Promise<ProgressCounts> {
  const meetings = await db
    .selectFrom('meetings')
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('status', '=', 'scheduled')
    .where('starts_at', '<=', range.nowIso)
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number>(eb.case().when('starts_at', '>=', range.monthStartIso).then(1).else(0).end()).as('month'),
      eb.fn.count<number>('reported_back_at').as('reported'),
      eb.fn.sum<number>(eb.case().when('ends_at', '<=', range.dayAgoIso).then(1).else(0).end()).as('window_over'),
    ])
    .executeTakeFirstOrThrow();
  // On time = marked within 24 hours of the end; compared here, not in SQL, so no dialect's date functions are needed.
  const thanked = await db
    .selectFrom('meetings')
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('thank_you_sent_at', 'is not', null)
    .where('status', '=', 'scheduled')
    .select(['ends_at', 'thank_you_sent_at'])
    .execute();
  const inTime = thanked.filter(
    (row) => Date.parse(row.thank_you_sent_at ?? '') - Date.parse(row.ends_at) <= 86_400_000,
  );
  // Thanked in time while their 24 hours still run: judged already, though the window is not over.
  const earlyJudged = inTime.filter((row) => row.ends_at > range.dayAgoIso).length;
  const referrals = await db
    .selectFrom('contacts')
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('referred_by_id', 'is not', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return {
    meetingsTotal: Number(meetings.total),
    meetingsThisMonth: Number(meetings.month ?? 0),
    thankYousSent: thanked.length,
    thankYousOnTime: inTime.length,
    thankYousDue: Number(meetings.window_over ?? 0) + earlyJudged,
    reportBacks: Number(meetings.reported),
    referrals: Number(referrals.n),
  };
}

export async function countContacts(db: Db, owner: Owner): Promise<number> {
  const row = await db
    .selectFrom('contacts')
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listSavedQuestions(db: Db, owner: Owner): Promise<{ id: number; text: string }[]> {
  return db
    .selectFrom('saved_questions')
    .select(['id', 'text'])
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function insertSavedQuestion(db: Db, owner: Owner, text: string, nowIso: string): Promise<void> {
  await db
    .insertInto('saved_questions')
    .values({ team_id: owner.teamId, owner_id: owner.userId, text, created_at: nowIso })
    .execute();
}
