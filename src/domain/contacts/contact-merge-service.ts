import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import { lockSubjects } from '../../db/dialect.js';
import {
  asksOf,
  closeSupersededAsk,
  countMergeItems,
  findMergeSide,
  handOverReminderRows,
  type MergeCounts,
  moveContactRows,
  reminderBeingSent,
  updateMergedContact,
} from '../../db/repositories/contact-merge-repository.js';
import { deleteContact, findContact } from '../../db/repositories/contacts-repository.js';
import { loadContactFacts, loadReminderRows } from '../../db/repositories/reminders/reminder-facts-repository.js';
import type { Database } from '../../db/schema.js';
import { NotFoundError, UserInputError } from '../../lib/errors.js';
import { FALLBACK_TIME_ZONE, toDbInstant } from '../../lib/zoned-time.js';
import { planContact } from '../reminders/contact-plan.js';
import { reconcileContacts } from '../reminders/reconciler.js';
import type { ReminderKind } from '../reminders/reminder-plan.js';
import type { Contact, Owner } from '../types.js';
import { asksToClose, chooseReminderRows, type MergePlan, type MergeSide, planMerge } from './merge-rules.js';

/** Either contact is not the user's, or is gone (a merge already done, a double click): we never say which. */
export const MERGE_GONE =
  'One of these two contacts is not one of yours, or no longer exists (already merged, or deleted). Nothing was changed.';
export const MERGE_BUSY =
  'A reminder about one of them is being sent right now. Try the merge again in a minute; nothing was changed.';
export const MERGE_SELF = 'A contact cannot be merged with itself. Pick the other entry for this person.';

/** What merging `duplicate` into `kept` would do, for the confirmation. */
export interface MergeSummary {
  kept: Contact;
  duplicate: Contact;
  /** What hangs off the duplicate and moves. */
  counts: MergeCounts;
  plan: MergePlan;
  /** The duplicate's last touch is the later one: keep-in-touch counts from it. */
  touchMoves: boolean;
}

async function loadPair(db: Db | Transaction<Database>, owner: Owner, keptId: number, duplicateId: number) {
  if (keptId === duplicateId) throw new UserInputError(MERGE_SELF);
  const kept = await findMergeSide(db, owner, keptId);
  const duplicate = await findMergeSide(db, owner, duplicateId);
  if (kept === undefined || duplicate === undefined) throw new NotFoundError(MERGE_GONE);
  return { kept, duplicate };
}

function summaryOf(kept: MergeSide, duplicate: MergeSide, counts: MergeCounts): MergeSummary {
  const plan = planMerge(kept, duplicate);
  return { kept, duplicate, counts, plan, touchMoves: plan.lastTouchAt !== kept.lastTouchAt };
}

/** What a merge of two of the owner's contacts would move; NotFoundError / UserInputError when it cannot be. */
export async function describeMerge(db: Db, owner: Owner, keptId: number, duplicateId: number): Promise<MergeSummary> {
  const { kept, duplicate } = await loadPair(db, owner, keptId, duplicateId);
  return summaryOf(kept, duplicate, await countMergeItems(db, owner, duplicateId, keptId));
}

/**
 * The kept contact's "referred by", unless following it up reaches one of the pair (after the merge, a loop back to
 * the contact itself: the duplicate's referrals become the kept contact's).
 */
async function referrerWithoutLoop(
  trx: Transaction<Database>,
  owner: Owner,
  pair: readonly number[],
  referrerId: number | null,
): Promise<number | null> {
  let next = referrerId;
  for (let hop = 0; next !== null && hop < 100; hop++) {
    if (pair.includes(next)) return null;
    next = (await findContact(trx, owner, next))?.referredById ?? null;
  }
  return referrerId;
}

/**
 * Merges the owner's contact `duplicateId` into `keptId` in one transaction: meetings (with their debriefs, advice
 * items and reminders), asks, referrals both ways, tags, notes, the later touch and a cadence move to the kept
 * contact, its empty fields are filled from the duplicate, the duplicate's reminder rows are handed over (none
 * sent twice, none lost), the duplicate is deleted, and the kept contact's reminders are re-planned. The two rows
 * are locked first, so a second merge of the same pair (a double click) finds the duplicate gone: NotFoundError.
 * While a reminder about either is being sent (claimed), the merge is refused (UserInputError): the engine holds
 * the old contact's id until it records.
 */
export async function mergeContacts(
  db: Db,
  owner: Owner,
  keptId: number,
  duplicateId: number,
  now: Date,
): Promise<MergeSummary> {
  const nowIso = toDbInstant(now);
  return db.transaction().execute(async (trx) => {
    await lockSubjects(trx, 'contacts', [keptId, duplicateId]);
    const { kept, duplicate } = await loadPair(trx, owner, keptId, duplicateId);
    const summary = summaryOf(kept, duplicate, await countMergeItems(trx, owner, duplicateId, keptId));
    const { plan } = summary;
    if (plan.problems.length > 0) throw new UserInputError(plan.problems.join(' '));
    // A reminder about either being posted now was read under its old contact: the merge waits for it.
    if (await reminderBeingSent(trx, owner, [keptId, duplicateId])) throw new UserInputError(MERGE_BUSY);

    // One waiting ask at most per contact (asks_one_waiting_uq): only the latest of both stays waiting.
    const asks = await asksOf(trx, owner, [keptId, duplicateId]);
    for (const askId of asksToClose(asks.waiting, asks.latest)) await closeSupersededAsk(trx, owner, askId, nowIso);
    plan.profile.referredById = await referrerWithoutLoop(trx, owner, [keptId, duplicateId], plan.profile.referredById);
    const lastActivity = new Date(Math.max(kept.lastActivityAt.getTime(), duplicate.lastActivityAt.getTime()));
    await updateMergedContact(trx, owner, keptId, {
      profile: plan.profile,
      lastTouchAt: plan.lastTouchAt,
      snoozedUntil: plan.keepInTouchSnoozedUntil,
      lastActivityIso: toDbInstant(lastActivity),
      nowIso,
    });
    await moveContactRows(trx, owner, duplicateId, keptId, nowIso);

    // The reminder rows: per kind, the row standing for the delivery the merged facts call for stays.
    const rows = await loadReminderRows(trx, 'contact_id', [keptId, duplicateId]);
    const [subject] = await loadContactFacts(trx, [keptId], FALLBACK_TIME_ZONE);
    const wanted = new Map<ReminderKind, string>(
      subject === undefined ? [] : planContact(subject.facts, subject.user, now).wanted.map((w) => [w.kind, w.key]),
    );
    const moves = chooseReminderRows(rows.get(keptId) ?? [], rows.get(duplicateId) ?? [], wanted);
    await handOverReminderRows(trx, owner, moves, keptId);
    await deleteContact(trx, owner, duplicateId);
    await reconcileContacts(trx, [keptId], now);
    return { ...summary, kept: { ...kept, ...plan.profile, id: keptId } };
  });
}
