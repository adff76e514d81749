import type { Db, Executor } from '../../db/database.js';
import {
  findContact,
  setKeepInTouchDays,
  setKeepInTouchSnoozedUntil,
  setLastTouch,
} from '../../db/repositories/contacts-repository.js';
import { loadContactFacts } from '../../db/repositories/reminders/reminder-facts-repository.js';
import { NotFoundError } from '../../lib/errors.js';
import { FALLBACK_TIME_ZONE, toDbInstant } from '../../lib/zoned-time.js';
import { CONTACT_NOT_FOUND } from '../not-found.js';
import { reconcileContacts } from '../reminders/reconciler.js';
import { keepInTouchSnoozeUntil } from '../reminders/reminder-plan.js';
import type { Owner } from '../types.js';

/**
 * A touch (a meeting, a debrief, a thank-you, a report-back, or "Log a touch"): the cadence counts again from now
 * and any snooze is over. Call inside the transaction of the change that is the touch.
 */
export async function recordTouch(trx: Executor, owner: Owner, contactId: number, now: Date): Promise<void> {
  await setLastTouch(trx, owner, contactId, toDbInstant(now));
  await reconcileContacts(trx, [contactId], now);
}

/** "Log a touch" on a keep-in-touch nudge. */
export async function logTouch(db: Db, owner: Owner, contactId: number, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if ((await findContact(trx, owner, contactId)) === undefined) throw new NotFoundError(CONTACT_NOT_FOUND);
    await recordTouch(trx, owner, contactId, now);
  });
}

/** "Snooze a week": the nudge comes again in 7 days, outside quiet hours (a fact of the contact). */
export async function snoozeKeepInTouch(db: Db, owner: Owner, contactId: number, now: Date): Promise<Date> {
  return db.transaction().execute(async (trx) => {
    if ((await findContact(trx, owner, contactId)) === undefined) throw new NotFoundError(CONTACT_NOT_FOUND);
    const [subject] = await loadContactFacts(trx, [contactId], FALLBACK_TIME_ZONE);
    if (subject === undefined) throw new NotFoundError(CONTACT_NOT_FOUND);
    const until = keepInTouchSnoozeUntil(subject.user, now);
    await setKeepInTouchSnoozedUntil(trx, owner, contactId, toDbInstant(until));
    await reconcileContacts(trx, [contactId], now);
    return until;
  });
}

/** Sets the contact's cadence (days, 0 = off) and re-plans its nudge. */
export async function setKeepInTouchCadence(
  trx: Executor,
  owner: Owner,
  contactId: number,
  days: number,
  now: Date,
): Promise<void> {
  await setKeepInTouchDays(trx, owner, contactId, days);
  await reconcileContacts(trx, [contactId], now);
}
