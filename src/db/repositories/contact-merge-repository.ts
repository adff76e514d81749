import type { Transaction } from 'kysely';
import type { MergeSide } from '../../domain/contacts/merge-rules.js';
import type { ContactProfile, Owner } from '../../domain/types.js';
import { fromDbInstant, toDbInstant } from '../../lib/zoned-time.js';
import type { Executor } from '../database.js';
import { lockedInOrder } from '../dialect.js';
import { paddedList } from '../in-list.js';
import type { Database } from '../schema.js';
import { CONTACT_COLUMNS, profileColumns, toContact } from './contacts-repository.js';

// The queries of a contact merge (domain/contacts/contact-merge-service.ts). Every one is scoped by workspace and
// user: an id that is not the owner's matches nothing.

/** The owner's contact with its keep-in-touch facts; undefined when it is not theirs (or no longer exists). */
export async function findMergeSide(db: Executor, owner: Owner, contactId: number): Promise<MergeSide | undefined> {
  const row = await db
    .selectFrom('contacts')
    .select(CONTACT_COLUMNS)
    .select(['last_touch_at', 'keep_in_touch_snoozed_until', 'last_activity_at'])
    .where('id', '=', contactId)
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    ...toContact(row),
    lastTouchAt: row.last_touch_at === null ? null : fromDbInstant(row.last_touch_at),
    keepInTouchSnoozedUntil:
      row.keep_in_touch_snoozed_until === null ? null : fromDbInstant(row.keep_in_touch_snoozed_until),
    lastActivityAt: fromDbInstant(row.last_activity_at),
  };
}

/** How many rows of each kind hang off one of the owner's contacts: what a merge moves. */
export interface MergeCounts {
  meetings: number;
  asks: number;
  debriefs: number;
  adviceItems: number;
  /** Contacts this one referred the owner to. */
  referrals: number;
}

/** What hangs off `contactId`; its referrals leave out `keptId` (the kept contact is never referred by itself). */
export async function countMergeItems(
  db: Executor,
  owner: Owner,
  contactId: number,
  keptId: number,
): Promise<MergeCounts> {
  const meetingsOf = db
    .selectFrom('meetings')
    .select('meetings.id')
    .where('meetings.contact_id', '=', contactId)
    .where('meetings.team_id', '=', owner.teamId)
    .where('meetings.owner_id', '=', owner.userId);
  const [meetings, asks, debriefs, adviceItems, referrals] = await Promise.all([
    db
      .selectFrom('meetings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('contact_id', '=', contactId)
      .where('team_id', '=', owner.teamId)
      .where('owner_id', '=', owner.userId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('asks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('contact_id', '=', contactId)
      .where('team_id', '=', owner.teamId)
      .where('owner_id', '=', owner.userId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('debriefs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('meeting_id', 'in', meetingsOf)
      .where('team_id', '=', owner.teamId)
      .where('owner_id', '=', owner.userId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('advice_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('meeting_id', 'in', meetingsOf)
      .where('team_id', '=', owner.teamId)
      .where('owner_id', '=', owner.userId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('referred_by_id', '=', contactId)
      .where('id', '<>', keptId)
      .where('team_id', '=', owner.teamId)
      .where('owner_id', '=', owner.userId)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    meetings: Number(meetings.n),
    asks: Number(asks.n),
    debriefs: Number(debriefs.n),
    adviceItems: Number(adviceItems.n),
    referrals: Number(referrals.n),
  };
}

/**
 * Locks these contacts' reminder rows (PostgreSQL: a claim skips them until the merge commits) and says whether one
 * is claimed: being sent right now, by an engine that read its contact before the merge.
 */
export async function reminderBeingSent(
  trx: Transaction<Database>,
  owner: Owner,
  contactIds: readonly number[],
): Promise<boolean> {
  const rows = await lockedInOrder(
    trx,
    trx
      .selectFrom('reminders')
      .select(['id', 'state'])
      .where('contact_id', 'in', paddedList(contactIds))
      .where('team_id', '=', owner.teamId)
      .where('owner_id', '=', owner.userId),
    { integer: 'id' },
  ).execute();
  return rows.some((row) => row.state === 'claimed');
}

/** The waiting asks of these contacts, and the latest ask of all of them (the one the planner follows). */
export async function asksOf(
  trx: Transaction<Database>,
  owner: Owner,
  contactIds: readonly number[],
): Promise<{ waiting: number[]; latest: number | null }> {
  const rows = await trx
    .selectFrom('asks')
    .select(['id', 'status'])
    .where('contact_id', 'in', paddedList(contactIds))
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .execute();
  return {
    waiting: rows.filter((row) => row.status === 'waiting').map((row) => row.id),
    latest: rows.reduce<number | null>((max, row) => (max === null || row.id > max ? row.id : max), null),
  };
}

/** Closes an ask a newer one of the same person supersedes, as unanswered (as asking again would). */
export async function closeSupersededAsk(
  trx: Transaction<Database>,
  owner: Owner,
  askId: number,
  nowIso: string,
): Promise<void> {
  await trx
    .updateTable('asks')
    .set({ status: 'no_answer', closed_at: nowIso, updated_at: nowIso })
    .where('id', '=', askId)
    .where('status', '=', 'waiting')
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .execute();
}

/**
 * Moves the duplicate's meetings (their debriefs, advice items and reminders hang off the meeting and go with it),
 * asks, and the contacts it referred to the kept contact. Call inside the merge's transaction, after the kept
 * contact's own "referred by" was settled (it never points at itself).
 */
export async function moveContactRows(
  trx: Transaction<Database>,
  owner: Owner,
  from: number,
  to: number,
  nowIso: string,
): Promise<void> {
  for (const table of ['meetings', 'asks'] as const) {
    await trx
      .updateTable(table)
      .set({ contact_id: to, updated_at: nowIso })
      .where('contact_id', '=', from)
      .where('team_id', '=', owner.teamId)
      .where('owner_id', '=', owner.userId)
      .execute();
  }
  await trx
    .updateTable('contacts')
    .set({ referred_by_id: to, updated_at: nowIso })
    .where('referred_by_id', '=', from)
    .where('id', '<>', to)
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .execute();
}

/** The kept contact after the merge: its profile, the later touch with its snooze, the later activity. */
export async function updateMergedContact(
  trx: Transaction<Database>,
  owner: Owner,
  contactId: number,
  merged: {
    profile: ContactProfile;
    lastTouchAt: Date | null;
    snoozedUntil: Date | null;
    lastActivityIso: string;
    nowIso: string;
  },
): Promise<void> {
  const { profile } = merged;
  await trx
    .updateTable('contacts')
    .set({
      ...profileColumns(profile),
      last_touch_at: merged.lastTouchAt === null ? null : toDbInstant(merged.lastTouchAt),
      keep_in_touch_snoozed_until: merged.snoozedUntil === null ? null : toDbInstant(merged.snoozedUntil),
      last_activity_at: merged.lastActivityIso,
      updated_at: merged.nowIso,
    })
    .where('id', '=', contactId)
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .execute();
}

/**
 * The merge's part of the reminder rows (the reconciler's exception, as deleting a contact is): rows that give way
 * are deleted, the duplicate's others move to the kept contact, as they are. Call inside the merge's transaction,
 * then reconcile the kept contact.
 */
export async function handOverReminderRows(
  trx: Transaction<Database>,
  owner: Owner,
  moves: { move: readonly number[]; drop: readonly number[] },
  to: number,
): Promise<void> {
  if (moves.drop.length > 0)
    await trx
      .deleteFrom('reminders')
      .where('id', 'in', paddedList(moves.drop))
      .where('team_id', '=', owner.teamId)
      .where('owner_id', '=', owner.userId)
      .execute();
  if (moves.move.length > 0)
    await trx
      .updateTable('reminders')
      .set({ contact_id: to })
      .where('id', 'in', paddedList(moves.move))
      .where('team_id', '=', owner.teamId)
      .where('owner_id', '=', owner.userId)
      .execute();
}
