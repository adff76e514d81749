import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import {
  deleteContact,
  findContact,
  findContactByNameKey,
  findContactBySlackUser,
  findContacts,
  findContactsReferredBy,
  insertContact,
  searchContacts,
  updateContactProfile,
} from '../../db/repositories/contacts-repository.js';
import {
  countMeetingsOfContact,
  listMeetingsOfContact,
  meetingBoundsOfContacts,
} from '../../db/repositories/meetings-repository.js';
import type { Database } from '../../db/schema.js';
import { NotFoundError } from '../../lib/errors.js';
import { toDbInstant } from '../../lib/zoned-time.js';
import { CONTACT_NOT_FOUND } from '../not-found.js';
import { reconcileContacts } from '../reminders/reconciler.js';
import type { Contact, ContactProfile, Meeting, Owner } from '../types.js';
import type { ContactFieldErrors } from './contact-rules.js';
import { contactNameKey, searchTerms } from './contact-text.js';

export { CONTACT_NOT_FOUND };

/** How far the history walks the referral chain up (who referred whom to me) and down. */
const REFERRAL_HOPS = 10;
const MAX_REFERRALS_SHOWN = 50;

export type SaveContactResult =
  | { kind: 'saved'; contact: Contact; created: boolean }
  | { kind: 'duplicate'; existing: Contact }
  | { kind: 'invalid'; errors: ContactFieldErrors };

/**
 * Creates (contactId null) or replaces the owner's contact. A contact whose normalised name and company match
 * another of the owner's, or that is linked to the same Slack user as another, is not saved: the caller offers to edit that one instead. "Referred by" must be one of the
 * owner's contacts and must not make a loop.
 */
export async function saveContact(
  db: Db,
  owner: Owner,
  profile: ContactProfile,
  context: { now: Date; contactId: number | null; zone: string },
): Promise<SaveContactResult> {
  const nowIso = toDbInstant(context.now);
  return db.transaction().execute(async (trx): Promise<SaveContactResult> => {
    const before = context.contactId === null ? null : await findContact(trx, owner, context.contactId);
    if (before === undefined) throw new NotFoundError(CONTACT_NOT_FOUND);
    const referralProblem = await referredByProblem(trx, owner, profile.referredById, context.contactId);
    if (referralProblem !== undefined) return { kind: 'invalid', errors: { referredById: referralProblem } };
    // The same Slack colleague is the same person whatever name was typed; else the same name at the same organisation.
    const existing =
      (profile.slackUserId === null
        ? undefined
        : await findContactBySlackUser(trx, owner, profile.slackUserId, context.contactId)) ??
      (await findContactByNameKey(trx, owner, contactNameKey(profile.name, profile.company), context.contactId));
    if (existing !== undefined) return { kind: 'duplicate', existing };
    if (context.contactId === null) {
      return { kind: 'saved', contact: await insertContact(trx, owner, profile, nowIso), created: true };
    }
    const updated = await updateContactProfile(trx, owner, context.contactId, profile, nowIso);
    if (updated === undefined) throw new NotFoundError(CONTACT_NOT_FOUND);
    // A changed cadence moves (or cancels) the keep-in-touch nudge; any other edit plans the same one, so nothing changes.
    await reconcileContacts(trx, [updated.id], context.now);
    return { kind: 'saved', contact: updated, created: false };
  });
}

async function referredByProblem(
  trx: Transaction<Database>,
  owner: Owner,
  referredById: number | null,
  contactId: number | null,
): Promise<string | undefined> {
  if (referredById === null) return undefined;
  if (referredById === contactId) return 'Someone cannot refer themselves. Pick who introduced you.';
  let current = await findContact(trx, owner, referredById);
  if (current === undefined) return 'Pick one of your own contacts.';
  for (let hop = 0; current !== undefined && hop < REFERRAL_HOPS * 10; hop++) {
    if (contactId !== null && current.referredById === contactId) {
      return `${current.name} was introduced to you through this person, so they cannot have referred them.`;
    }
    current = current.referredById === null ? undefined : await findContact(trx, owner, current.referredById);
  }
  return undefined;
}

export async function getContact(db: Db, owner: Owner, contactId: number): Promise<Contact> {
  const contact = await findContact(db, owner, contactId);
  if (contact === undefined) throw new NotFoundError(CONTACT_NOT_FOUND);
  return contact;
}

/** The owner's contact linked to this Slack user (the oldest, if several), or null. */
export async function contactOfSlackUser(db: Db, owner: Owner, slackUserId: string): Promise<Contact | null> {
  return (await findContactBySlackUser(db, owner, slackUserId, null)) ?? null;
}

export interface ContactSummary {
  contact: Contact;
  lastMeeting: Date | null;
  nextMeeting: Date | null;
}

/** One page of the owner's contacts matching `query` (every word, accents and case ignored), newest activity first. */
export async function findContactsPage(
  db: Db,
  owner: Owner,
  query: string,
  page: { offset: number; limit: number; now: Date },
): Promise<{ summaries: ContactSummary[]; hasMore: boolean }> {
  const found = await searchContacts(db, owner, searchTerms(query), { limit: page.limit + 1, offset: page.offset });
  const shown = found.slice(0, page.limit);
  const bounds = await meetingBoundsOfContacts(
    db,
    owner,
    shown.map((c) => c.id),
    toDbInstant(page.now),
  );
  return {
    summaries: shown.map((contact) => ({
      contact,
      lastMeeting: bounds.get(contact.id)?.last ?? null,
      nextMeeting: bounds.get(contact.id)?.next ?? null,
    })),
    hasMore: found.length > page.limit,
  };
}

/** The owner's contacts for a type-ahead: at most `limit` (Slack shows 100), matching every word typed. */
export async function suggestContacts(db: Db, owner: Owner, query: string, limit: number): Promise<Contact[]> {
  return searchContacts(db, owner, searchTerms(query), { limit, offset: 0 });
}

export interface ContactHistory {
  contact: Contact;
  /** Who referred this contact to me, then who referred them, nearest first. */
  referredByChain: Contact[];
  /** Whom this contact referred me to, and whom those referred, with their distance (1 = direct). */
  referrals: { contact: Contact; hops: number }[];
  meetings: Meeting[];
}

/** Everything about one of the owner's contacts, in time order; NotFoundError for anyone else's. */
export async function contactHistory(db: Db, owner: Owner, contactId: number): Promise<ContactHistory> {
  const contact = await getContact(db, owner, contactId);
  const referredByChain: Contact[] = [];
  const seen = new Set<number>([contact.id]);
  let next = contact.referredById;
  while (next !== null && !seen.has(next) && referredByChain.length < REFERRAL_HOPS) {
    const referrer = await findContact(db, owner, next);
    if (referrer === undefined) break;
    referredByChain.push(referrer);
    seen.add(referrer.id);
    next = referrer.referredById;
  }
  const referrals: { contact: Contact; hops: number }[] = [];
  let frontier = [contact.id];
  for (let hops = 1; hops <= REFERRAL_HOPS && frontier.length > 0 && referrals.length < MAX_REFERRALS_SHOWN; hops++) {
    const found = (await findContactsReferredBy(db, owner, frontier)).filter((c) => !seen.has(c.id));
    for (const referred of found) seen.add(referred.id);
    referrals.push(...found.slice(0, MAX_REFERRALS_SHOWN - referrals.length).map((c) => ({ contact: c, hops })));
    frontier = found.map((c) => c.id);
  }
  return { contact, referredByChain, referrals, meetings: await listMeetingsOfContact(db, owner, contactId) };
}

export interface DeletionSummary {
  contact: Contact;
  meetings: number;
  upcomingMeetings: number;
}

/** What deleting the contact would remove, for the confirmation. */
export async function describeContactDeletion(
  db: Db,
  owner: Owner,
  contactId: number,
  now: Date,
): Promise<DeletionSummary> {
  const contact = await getContact(db, owner, contactId);
  const counts = await countMeetingsOfContact(db, owner, contactId, toDbInstant(now));
  return { contact, meetings: counts.total, upcomingMeetings: counts.upcoming };
}

/** Deletes the contact and everything that hangs off it (meetings and what belongs to them) in one transaction. */
export async function removeContact(db: Db, owner: Owner, contactId: number, now: Date): Promise<DeletionSummary> {
  return db.transaction().execute(async (trx) => {
    const contact = await findContact(trx, owner, contactId);
    if (contact === undefined) throw new NotFoundError(CONTACT_NOT_FOUND);
    const counts = await countMeetingsOfContact(trx, owner, contactId, toDbInstant(now));
    await deleteContact(trx, owner, contactId);
    return { contact, meetings: counts.total, upcomingMeetings: counts.upcoming };
  });
}

/** The owner's contacts by id, for labels (e.g. the "referred by" of a form); others' ids are dropped. */
export async function contactsById(db: Db, owner: Owner, ids: number[]): Promise<Map<number, Contact>> {
  return new Map((await findContacts(db, owner, ids)).map((c) => [c.id, c]));
}
