import { type ExpressionBuilder, sql } from 'kysely';
import { contactNameKey, contactSearchText } from '../../domain/contacts/contact-text.js';
import { DEFAULT_KEEP_IN_TOUCH_DAYS } from '../../domain/reminders/reminder-plan.js';
import type { Contact, ContactDetails, ContactProfile, Owner } from '../../domain/types.js';
import type { Executor } from '../database.js';
import { paddedList } from '../in-list.js';
import type { ContactRow, Database } from '../schema.js';

/** The columns a Contact is made of, for selects on `contacts` (optionally aliased). */
export const CONTACT_COLUMNS = [
  'id',
  'name',
  'pronunciation',
  'title',
  'company',
  'email',
  'profile_url',
  'time_zone',
  'how_met',
  'referred_by_id',
  'tags',
  'notes',
  'keep_in_touch_days',
  'slack_user_id',
] as const;

export type ContactColumns = Pick<ContactRow, (typeof CONTACT_COLUMNS)[number]>;

export function toContact(row: ContactColumns): Contact {
  return {
    id: row.id,
    name: row.name,
    pronunciation: row.pronunciation,
    title: row.title,
    company: row.company,
    email: row.email,
    profileUrl: row.profile_url,
    timeZone: row.time_zone,
    howMet: row.how_met,
    referredById: row.referred_by_id,
    tags: row.tags ? row.tags.split(',').filter((tag) => tag !== '') : [],
    notes: row.notes,
    keepInTouchDays: row.keep_in_touch_days,
    slackUserId: row.slack_user_id,
  };
}

/** A profile with only the schedule modal's fields, for a person first met through /infoview schedule. */
export function profileFromDetails(details: ContactDetails): ContactProfile {
  return {
    ...details,
    email: null,
    profileUrl: null,
    timeZone: null,
    howMet: null,
    referredById: null,
    tags: [],
    notes: null,
    keepInTouchDays: DEFAULT_KEEP_IN_TOUCH_DAYS,
    slackUserId: null,
  };
}

/** A profile as the columns of `contacts` it is stored in (with its name key and search text). */
export function profileColumns(profile: ContactProfile) {
  return {
    name: profile.name,
    pronunciation: profile.pronunciation,
    title: profile.title,
    company: profile.company,
    email: profile.email,
    profile_url: profile.profileUrl,
    time_zone: profile.timeZone,
    how_met: profile.howMet,
    referred_by_id: profile.referredById,
    // Commas separate tags in storage, so a tag never contains one (parseTags splits on them).
    tags: profile.tags.length > 0 ? profile.tags.join(',') : null,
    notes: profile.notes,
    keep_in_touch_days: profile.keepInTouchDays,
    slack_user_id: profile.slackUserId,
    name_key: contactNameKey(profile.name, profile.company),
    search_text: contactSearchText(profile),
  };
}

function ownedBy(owner: Owner) {
  return (eb: ExpressionBuilder<Database, 'contacts'>) =>
    eb.and([eb('contacts.team_id', '=', owner.teamId), eb('contacts.owner_id', '=', owner.userId)]);
}

export async function insertContact(
  db: Executor,
  owner: Owner,
  profile: ContactProfile,
  nowIso: string,
): Promise<Contact> {
  const row = await db
    .insertInto('contacts')
    .values({
      team_id: owner.teamId,
      owner_id: owner.userId,
      ...profileColumns(profile),
      created_at: nowIso,
      updated_at: nowIso,
      last_activity_at: nowIso,
    })
    .returning(CONTACT_COLUMNS)
    .executeTakeFirstOrThrow();
  return toContact(row);
}

/** Replaces the owner's contact's profile; undefined when it is not theirs. */
export async function updateContactProfile(
  db: Executor,
  owner: Owner,
  contactId: number,
  profile: ContactProfile,
  nowIso: string,
): Promise<Contact | undefined> {
  const row = await db
    .updateTable('contacts')
    .set({ ...profileColumns(profile), updated_at: nowIso, last_activity_at: nowIso })
    .where('id', '=', contactId)
    .where(ownedBy(owner))
    .returning(CONTACT_COLUMNS)
    .executeTakeFirst();
  return row === undefined ? undefined : toContact(row);
}

export async function findContact(db: Executor, owner: Owner, contactId: number): Promise<Contact | undefined> {
  const row = await db
    .selectFrom('contacts')
    .select(CONTACT_COLUMNS)
    .where('id', '=', contactId)
    .where(ownedBy(owner))
    .executeTakeFirst();
  return row === undefined ? undefined : toContact(row);
}

/** The owner's contacts among `ids` (others' ids are silently absent). */
export async function findContacts(db: Executor, owner: Owner, ids: readonly number[]): Promise<Contact[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('contacts')
    .select(CONTACT_COLUMNS)
    .where('id', 'in', paddedList(ids))
    .where(ownedBy(owner))
    .execute();
  return rows.map(toContact);
}

/**
 * The owner's contacts whose normalised name is `namePart` (the part of a name key before '|'), whatever their
 * company, oldest first (a range on contacts_owner_name_key_idx).
 */
export async function findContactsByNamePart(
  db: Executor,
  owner: Owner,
  namePart: string,
  limit: number,
): Promise<Contact[]> {
  const rows = await db
    .selectFrom('contacts')
    .select(CONTACT_COLUMNS)
    .where(ownedBy(owner))
    .where('name_key', '>=', `${namePart}|`)
    .where('name_key', '<', `${namePart}|\uffff`)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toContact);
}

/** Another of the owner's contacts with the same normalised name and company (contacts_owner_name_key_idx). */
export async function findContactByNameKey(
  db: Executor,
  owner: Owner,
  nameKey: string,
  exceptId: number | null,
): Promise<Contact | undefined> {
  let query = db.selectFrom('contacts').select(CONTACT_COLUMNS).where(ownedBy(owner)).where('name_key', '=', nameKey);
  if (exceptId !== null) query = query.where('id', '!=', exceptId);
  const row = await query.orderBy('id').executeTakeFirst();
  return row === undefined ? undefined : toContact(row);
}

/** Another of the owner's contacts linked to the same Slack user, oldest first. */
export async function findContactBySlackUser(
  db: Executor,
  owner: Owner,
  slackUserId: string,
  exceptId: number | null,
): Promise<Contact | undefined> {
  let query = db
    .selectFrom('contacts')
    .select(CONTACT_COLUMNS)
    .where(ownedBy(owner))
    .where('slack_user_id', '=', slackUserId);
  if (exceptId !== null) query = query.where('id', '!=', exceptId);
  const row = await query.orderBy('id').executeTakeFirst();
  return row === undefined ? undefined : toContact(row);
}

export async function touchContactActivity(
  db: Executor,
  owner: Owner,
  contactId: number,
  nowIso: string,
): Promise<void> {
  await db
    .updateTable('contacts')
    .set({ last_activity_at: nowIso })
    .where('id', '=', contactId)
    .where(ownedBy(owner))
    .execute();
}

function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The owner's contacts whose search text contains every term, newest activity first. Walks
 * contacts_owner_activity_search_idx in order for this owner only, testing the terms on the index entries, and stops
 * at `limit`.
 */
export async function searchContacts(
  db: Executor,
  owner: Owner,
  terms: readonly string[],
  page: { limit: number; offset: number },
): Promise<Contact[]> {
  let query = db.selectFrom('contacts').select(CONTACT_COLUMNS).where(ownedBy(owner));
  for (const term of terms) query = query.where(sql<boolean>`search_text like ${likePattern(term)} escape '\\'`);
  const rows = await query
    .orderBy('last_activity_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map(toContact);
}

/** The contacts the owner logged as referred by `contactId`. */
export async function findContactsReferredBy(
  db: Executor,
  owner: Owner,
  contactIds: readonly number[],
): Promise<Contact[]> {
  if (contactIds.length === 0) return [];
  const rows = await db
    .selectFrom('contacts')
    .select(CONTACT_COLUMNS)
    .where('referred_by_id', 'in', paddedList(contactIds))
    .where(ownedBy(owner))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toContact);
}

/** Deletes the owner's contact; its meetings go with it (ON DELETE CASCADE). False when it is not theirs. */
export async function deleteContact(db: Executor, owner: Owner, contactId: number): Promise<boolean> {
  const result = await db.deleteFrom('contacts').where('id', '=', contactId).where(ownedBy(owner)).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The contact's keep-in-touch cadence (days, 0 = off) and last logged touch. */
export async function findKeepInTouch(
  db: Executor,
  owner: Owner,
  contactId: number,
): Promise<{ cadenceDays: number; lastTouch: Date | null }> {
  const row = await db
    .selectFrom('contacts')
    .select(['keep_in_touch_days', 'last_touch_at'])
    .where('id', '=', contactId)
    .where(ownedBy(owner))
    .executeTakeFirst();
  return {
    cadenceDays: row?.keep_in_touch_days ?? 0,
    lastTouch: row?.last_touch_at ? new Date(row.last_touch_at) : null,
  };
}

/** A touch: the cadence counts from now, and a snooze of the nudge is over. */
export async function setLastTouch(db: Executor, owner: Owner, contactId: number, nowIso: string): Promise<void> {
  await db
    .updateTable('contacts')
    .set({ last_touch_at: nowIso, last_activity_at: nowIso, keep_in_touch_snoozed_until: null })
    .where('id', '=', contactId)
    .where(ownedBy(owner))
    .execute();
}

export async function setKeepInTouchSnoozedUntil(
  db: Executor,
  owner: Owner,
  contactId: number,
  untilIso: string,
): Promise<void> {
  await db
    .updateTable('contacts')
    .set({ keep_in_touch_snoozed_until: untilIso })
    .where('id', '=', contactId)
    .where(ownedBy(owner))
    .execute();
}

export async function setKeepInTouchDays(db: Executor, owner: Owner, contactId: number, days: number): Promise<void> {
  await db
    .updateTable('contacts')
    .set({ keep_in_touch_days: days })
    .where('id', '=', contactId)
    .where(ownedBy(owner))
    .execute();
}
