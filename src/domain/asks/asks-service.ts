import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import {
  closeWaitingAsk,
  countAsks,
  findAsk,
  findAskOfView,
  findAskPurpose,
  findLatestAsk,
  findNextToAsk,
  insertAsk,
  listHolidays,
  listWaitingAsks,
  markAskFollowedUp,
  replaceHolidays,
  saveAskPurpose,
} from '../../db/repositories/asks-repository.js';
import { findContact, findContactsByNamePart } from '../../db/repositories/contacts-repository.js';
import type { Database } from '../../db/schema.js';
import { NotFoundError, UserInputError } from '../../lib/errors.js';
import { pausePoint } from '../../lib/pause-points.js';
import { toDbInstant } from '../../lib/zoned-time.js';
import { addBusinessDays, businessDaysSince, formatDay, localDay, parseDay } from '../business-days.js';
import { contactNameKey } from '../contacts/contact-text.js';
import { firstName } from '../debriefs/drafts.js';
import { CONTACT_NOT_FOUND } from '../not-found.js';
import { ASK_FOLLOW_UP_BUSINESS_DAY, ASK_NEXT_BUSINESS_DAY } from '../reminders/contact-plan.js';
import { reconcileContacts, requestRemindersReplan } from '../reminders/reconciler.js';
import { DEFAULT_REMINDER_SETTINGS } from '../reminders/reminder-plan.js';
import type { Ask, AskChannel, AskStatus, Contact, Owner } from '../types.js';

// Asking for the conversation (issue 12): a short draft composed from facts, the ask recorded when sent, and the
// 3B7 rhythm (business day 3: ask the next person; day 7: follow up once) planned by the reconciler from its state.

export const ASK_CHANNELS: readonly AskChannel[] = ['email', 'linkedin', 'slack', 'phone', 'other'];
export const ASK_CHANNEL_LABELS: Record<AskChannel, string> = {
  email: 'Email',
  linkedin: 'LinkedIn',
  slack: 'Slack',
  phone: 'Phone',
  other: 'Other',
};
/** "Who I am and what I am exploring": one line, short enough that every draft stays under 120 words. */
export const PURPOSE_MAX_WORDS = 40;
export const PURPOSE_MAX_CHARS = 300;
export const ASK_DRAFT_MAX_CHARS = 2000;
/** An ask recorded as sent this long ago or more is past any 3B7 nudge: refuse the date rather than nudge at once. */
const OLDEST_SENT_ON_DAYS = 60;

export const ASK_NOT_FOUND = 'That ask is not one of yours, or it no longer exists. Nothing was changed.';

export function wordCount(text: string): number {
  return text.split(/\s+/u).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/** The purpose as a sentence: trimmed, one line, ending in a full stop. */
function sentence(text: string): string {
  const line = text.replace(/\s+/gu, ' ').trim();
  return /[.!?…]$/u.test(line) ? line : `${line}.`;
}

export interface AskDraftInput {
  contactName: string;
  /** Who referred the user to them, when someone did. */
  referrerName: string | null;
  /** "Who I am and what I am exploring", or null (a placeholder shows where it goes). */
  purpose: string | null;
}

export const PURPOSE_PLACEHOLDER = '[One line on who you are and what you are exploring.]';

/**
 * The ask, under 120 words: who referred them, the purpose in one line, that it is to learn and not to ask for a
 * job, 15–20 minutes, and flexibility. Plain text, exact as the user copies it; whoever shows it in mrkdwn escapes it.
 */
export function composeAskDraft(input: AskDraftInput): string {
  const purpose = input.purpose?.trim() ? sentence(input.purpose) : PURPOSE_PLACEHOLDER;
  const intro = input.referrerName ? `${input.referrerName.trim()} suggested I get in touch. ${purpose}` : purpose;
  return [
    `Hi ${firstName(input.contactName)},`,
    intro,
    "I'm not asking about jobs: I would simply like to learn from your experience. Could you spare 15–20 minutes for a short conversation, by video or a call, whenever suits you?",
    'Thank you for considering it.',
  ].join('\n\n');
}

/** The one follow-up, a week of business days on: short, no pressure, easy to say yes or no to. */
export function composeFollowUpDraft(contactName: string, sentOnLabel: string): string {
  return [
    `Hi ${firstName(contactName)},`,
    `I wanted to follow up on my note of ${sentOnLabel}. I know how busy things get. If you could spare 15–20 minutes in the coming weeks to tell me about your work, I would be very grateful; and if now is not a good time, no problem at all.`,
    'Thank you either way.',
  ].join('\n\n');
}

/** Checks the purpose line; the message is for the form's inline error. */
export function purposeProblem(purpose: string | null): string | null {
  if (purpose === null || purpose.trim() === '') return null;
  if ([...purpose].length > PURPOSE_MAX_CHARS)
    return `Keep it under ${PURPOSE_MAX_CHARS} characters: one line is enough.`;
  if (wordCount(purpose) > PURPOSE_MAX_WORDS)
    return `Keep it under ${PURPOSE_MAX_WORDS} words: the whole ask should be short.`;
  return null;
}

export interface AskStart {
  contact: Contact;
  referrer: Contact | null;
  purpose: string | null;
  draft: string;
  /** The contact's ask still waiting for a reply, if any: a second one is not recorded. */
  waiting: Ask | null;
  today: string;
}

/** What the ask modal shows for one of the user's contacts. */
export async function startAsk(
  db: Db,
  owner: Owner,
  contactId: number,
  zone: string,
  now: Date,
  purposeOverride?: string | null,
): Promise<AskStart> {
  const contact = await findContact(db, owner, contactId);
  if (contact === undefined) throw new NotFoundError(CONTACT_NOT_FOUND);
  const referrer =
    contact.referredById === null ? null : ((await findContact(db, owner, contact.referredById)) ?? null);
  const purpose = purposeOverride !== undefined ? purposeOverride : await findAskPurpose(db, owner);
  const latest = await findLatestAsk(db, owner, contactId);
  return {
    contact,
    referrer,
    purpose,
    draft: composeAskDraft({ contactName: contact.name, referrerName: referrer?.name ?? null, purpose }),
    waiting: latest?.status === 'waiting' ? latest : null,
    today: localDay(now, zone),
  };
}

export interface AskRecord {
  contactId: number;
  channel: AskChannel;
  sentOn: string;
  purpose: string | null;
  draft: string | null;
  viewId: string | null;
}

/** Field problems of an ask being recorded, keyed by field; empty when it can be recorded. */
export function askRecordProblems(
  record: AskRecord,
  today: string,
): Partial<Record<'sentOn' | 'purpose' | 'draft', string>> {
  const problems: Partial<Record<'sentOn' | 'purpose' | 'draft', string>> = {};
  const day = parseDay(record.sentOn);
  if (day === null) problems.sentOn = 'Pick the day you sent it.';
  else if (day > today) problems.sentOn = 'That day is still to come: record the ask once it is sent.';
  else if (businessDaysSince(day, today, new Set()) > OLDEST_SENT_ON_DAYS)
    problems.sentOn = 'That is too long ago for a follow-up rhythm: pick a day in the last few weeks.';
  const purpose = purposeProblem(record.purpose);
  if (purpose !== null) problems.purpose = purpose;
  if (record.draft !== null && [...record.draft].length > ASK_DRAFT_MAX_CHARS)
    problems.draft = `Keep the draft under ${ASK_DRAFT_MAX_CHARS} characters.`;
  return problems;
}

/**
 * Records an ask as sent and plans its 3B7 nudges, in one transaction. Refuses a contact that is not the user's and
 * a second ask while one is waiting; a repeated submission of the same view records nothing twice. The first
 * purpose typed becomes the saved one.
 */
export async function recordAsk(
  db: Db,
  owner: Owner,
  record: AskRecord,
  now: Date,
): Promise<{ ask: Ask; contact: Contact; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const contact = await findContact(trx, owner, record.contactId);
    if (contact === undefined) throw new NotFoundError(CONTACT_NOT_FOUND);
    const nowIso = toDbInstant(now);
    // A retried submission of the same view: recorded already, nothing twice.
    const recorded = record.viewId === null ? undefined : await findAskOfView(trx, owner, record.viewId);
    if (recorded !== undefined) return { ask: recorded, contact, created: false };
    await refuseSecondWaitingAsk(trx, owner, contact);
    await pausePoint('asks:before-insert', record);
    const id = await insertAsk(trx, owner, record, nowIso);
    if (id === null) {
      // Recorded at the same moment on another connection (the unique indexes said so): the same answer as if it had
      // come first, a repeated submission of this view or a second waiting ask.
      const same = record.viewId === null ? undefined : await findAskOfView(trx, owner, record.viewId);
      if (same !== undefined) return { ask: same, contact, created: false };
      await refuseSecondWaitingAsk(trx, owner, contact);
      throw new Error(`ask for contact ${contact.id} was not recorded, and no other ask explains why`);
    }
    const purpose = record.purpose?.trim() || null;
    if (purpose !== null && (await findAskPurpose(trx, owner)) === null)
      await saveAskPurpose(trx, owner, purpose, defaultsForSettings(), nowIso);
    await reconcileContacts(trx, [contact.id], now);
    return { ask: (await findAsk(trx, owner, id)) as Ask, contact, created: true };
  });
}

/** One waiting ask per contact: a second one is refused while the first waits for a reply. */
async function refuseSecondWaitingAsk(trx: Transaction<Database>, owner: Owner, contact: Contact): Promise<void> {
  const latest = await findLatestAsk(trx, owner, contact.id);
  if (latest?.status === 'waiting') {
    throw new UserInputError(
      `You asked ${contact.name} on ${formatDay(latest.sentOn)} and that ask is still waiting for a reply: record their answer, or your follow-up, on it instead.`,
    );
  }
}

function defaultsForSettings() {
  const d = DEFAULT_REMINDER_SETTINGS;
  return { prep: d.prepLeadMinutes, headsUp: d.headsUpLeadMinutes, quietStart: d.quietStart, quietEnd: d.quietEnd };
}

export function askPurposeOf(db: Db, owner: Owner): Promise<string | null> {
  return findAskPurpose(db, owner);
}

export type AskOutcome = Exclude<AskStatus, 'waiting'>;

/** "They replied", "They declined", "No answer": closes the ask (its nudges stop). Refuses a closed or foreign ask. */
export async function closeAsk(
  db: Db,
  owner: Owner,
  askId: number,
  outcome: AskOutcome,
  now: Date,
): Promise<{ ask: Ask; contact: Contact }> {
  return db.transaction().execute(async (trx) => {
    const ask = await findAsk(trx, owner, askId);
    if (ask === undefined) throw new NotFoundError(ASK_NOT_FOUND);
    if (!(await closeWaitingAsk(trx, owner, askId, outcome, toDbInstant(now))))
      throw new UserInputError(`That ask is already closed (${statusLabel(ask.status)}). Nothing was changed.`);
    await reconcileContacts(trx, [ask.contactId], now);
    const contact = (await findContact(trx, owner, ask.contactId)) as Contact;
    return { ask: (await findAsk(trx, owner, askId)) as Ask, contact };
  });
}

/** "I followed up": the one follow-up an ask gets. Refuses a second one, a closed ask and another user's. */
export async function recordFollowUp(
  db: Db,
  owner: Owner,
  askId: number,
  now: Date,
): Promise<{ ask: Ask; contact: Contact }> {
  return db.transaction().execute(async (trx) => {
    const ask = await findAsk(trx, owner, askId);
    if (ask === undefined) throw new NotFoundError(ASK_NOT_FOUND);
    if (!(await markAskFollowedUp(trx, owner, askId, toDbInstant(now)))) {
      throw new UserInputError(
        ask.status !== 'waiting'
          ? `That ask is already closed (${statusLabel(ask.status)}). Nothing was changed.`
          : 'You already followed up on that ask once: one follow-up is enough. Nothing was changed.',
      );
    }
    await reconcileContacts(trx, [ask.contactId], now);
    return {
      ask: (await findAsk(trx, owner, askId)) as Ask,
      contact: (await findContact(trx, owner, ask.contactId)) as Contact,
    };
  });
}

/** A meeting scheduled with a contact answers their waiting ask: it is closed as replied, and its nudges stop. */
export async function closeAskByMeeting(
  trx: Transaction<Database>,
  owner: Owner,
  contactId: number,
  now: Date,
): Promise<void> {
  const latest = await findLatestAsk(trx, owner, contactId);
  if (latest?.status !== 'waiting') return;
  await closeWaitingAsk(trx, owner, latest.id, 'replied', toDbInstant(now));
  await reconcileContacts(trx, [contactId], now);
}

export function statusLabel(status: AskStatus): string {
  return { waiting: 'waiting for a reply', replied: 'they replied', declined: 'they declined', no_answer: 'no answer' }[
    status
  ];
}

/** The ask and what its follow-up draft says, for the follow-up view. */
export async function followUpDraftOf(
  db: Db,
  owner: Owner,
  askId: number,
  sentOnLabel: (day: string) => string,
): Promise<{ ask: Ask; contact: Contact; draft: string }> {
  const ask = await findAsk(db, owner, askId);
  if (ask === undefined) throw new NotFoundError(ASK_NOT_FOUND);
  const contact = await findContact(db, owner, ask.contactId);
  if (contact === undefined) throw new NotFoundError(ASK_NOT_FOUND);
  return { ask, contact, draft: composeFollowUpDraft(contact.name, sentOnLabel(ask.sentOn)) };
}

/** The user's contacts whose name is `name` (folded as duplicates are), at most `limit`. */
export function contactsCalled(db: Db, owner: Owner, name: string, limit: number): Promise<Contact[]> {
  const key = contactNameKey(name, null);
  const namePart = key.slice(0, key.indexOf('|'));
  return namePart === '' ? Promise.resolve([]) : findContactsByNamePart(db, owner, namePart, limit);
}

export function nextToAsk(db: Db, owner: Owner, exceptId: number | null): Promise<Contact | undefined> {
  return findNextToAsk(db, owner, exceptId);
}

/** A waiting ask as Home shows it: which business day of the 7 it is on, and whether its follow-up is due. */
export interface WaitingAsk {
  ask: Ask;
  contact: Contact;
  businessDay: number;
  followUpDue: boolean;
}

export interface AskOverview {
  waiting: WaitingAsk[];
  next: Contact | null;
  sent: number;
  replied: number;
}

/** Home's Asks section: the asks waiting for a reply (day n of 7), the next person to ask, and counts. */
export async function askOverview(db: Db, owner: Owner, now: Date, zone: string, limit: number): Promise<AskOverview> {
  const [waiting, next, counts] = await Promise.all([
    listWaitingAsks(db, owner, limit),
    findNextToAsk(db, owner, null),
    countAsks(db, owner),
  ]);
  const today = localDay(now, zone);
  const holidays = new Set((await listHolidays(db, owner.teamId, waiting[0]?.ask.sentOn ?? today)).map((h) => h.day));
  return {
    waiting: waiting.map(({ ask, contact }) => {
      const businessDay = businessDaysSince(ask.sentOn, today, holidays);
      return {
        ask,
        contact,
        businessDay,
        followUpDue: businessDay >= ASK_FOLLOW_UP_BUSINESS_DAY && ask.followedUpAt === null,
      };
    }),
    next: next ?? null,
    ...counts,
  };
}

/** The days of the 3B7 nudges of an ask sent on `sentOn`, for the confirmation. */
export async function askNudgeDays(
  db: Db,
  teamId: string,
  sentOn: string,
): Promise<{ next: string; followUp: string }> {
  const holidays = new Set((await listHolidays(db, teamId, sentOn)).map((h) => h.day));
  return {
    next: addBusinessDays(sentOn, ASK_NEXT_BUSINESS_DAY, holidays),
    followUp: addBusinessDays(sentOn, ASK_FOLLOW_UP_BUSINESS_DAY, holidays),
  };
}

// Workspace holidays: days that are not business days for anyone's 3B7 clock in the workspace.

export const MAX_HOLIDAYS = 100;

/** "2026-12-25 Christmas Day" lines into days; a problem names the first bad line. */
export function parseHolidayLines(
  text: string,
): { days: { day: string; name: string | null }[] } | { problem: string } {
  const days = new Map<string, string | null>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const match = /^(\S+)\s*(.*)$/u.exec(line);
    const day = match ? parseDay(match[1] as string) : null;
    if (day === null) return { problem: `"${line.slice(0, 60)}" does not start with a date like 2026-12-25.` };
    days.set(day, match?.[2]?.trim().slice(0, 100) || null);
  }
  if (days.size > MAX_HOLIDAYS) return { problem: `At most ${MAX_HOLIDAYS} days.` };
  return { days: [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, name]) => ({ day, name })) };
}

export function workspaceHolidays(db: Db, teamId: string, fromDay: string) {
  return listHolidays(db, teamId, fromDay);
}

/**
 * Replaces the workspace's holidays from `fromDay` on, with a durable request to re-plan every reminder of the
 * workspace (run it with `runPendingReplans` after the ack; a crash leaves it to the engine's next tick).
 */
export async function saveWorkspaceHolidays(
  db: Db,
  teamId: string,
  fromDay: string,
  days: { day: string; name: string | null }[],
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await replaceHolidays(
      trx,
      teamId,
      fromDay,
      days.filter((d) => d.day >= fromDay),
    );
    await requestRemindersReplan(trx, teamId, '', now);
  });
}
