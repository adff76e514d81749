import type { Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import { findContact, findKeepInTouch, setKeepInTouchDays, setLastTouch } from '../db/repositories/contacts.js';
import { planContactReminder } from '../db/repositories/reminders.js';
import type { Database } from '../db/schema.js';
import { NotFoundError } from '../lib/errors.js';
import { toDbInstant } from '../lib/time.js';
import { CONTACT_NOT_FOUND } from './not-found.js';
import { isQuiet, keepInTouchDue, quietEndAfter } from './reminder-plan.js';
import { reminderSettingsOf } from './reminders.js';
import type { Owner } from './types.js';

type Executor = Db | Transaction<Database>;

/** Re-plans the contact's keep-in-touch nudge from its last touch and cadence (none when off or never touched). */
export async function replanKeepInTouch(trx: Executor, owner: Owner, contactId: number, zone: string, now: Date): Promise<void> {
  const { cadenceDays, lastTouch } = await findKeepInTouch(trx, owner, contactId);
  const settings = await reminderSettingsOf(trx, owner);
  const due = lastTouch === null ? null : keepInTouchDue(lastTouch, cadenceDays, zone, settings);
  await planContactReminder(trx, owner, contactId, due === null ? null : toDbInstant(due), toDbInstant(now));
}

/**
 * A touch (a meeting, a debrief, a thank-you, a report-back, or "Log a touch"): the cadence counts again from now.
 * Call inside the transaction of the change that is the touch.
 */
export async function recordTouch(trx: Executor, owner: Owner, contactId: number, zone: string, now: Date): Promise<void> {
  await setLastTouch(trx, owner, contactId, toDbInstant(now));
  await replanKeepInTouch(trx, owner, contactId, zone, now);
}

/** "Log a touch" on a keep-in-touch nudge. */
export async function logTouch(db: Db, owner: Owner, contactId: number, zone: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if ((await findContact(trx, owner, contactId)) === undefined) throw new NotFoundError(CONTACT_NOT_FOUND);
    await recordTouch(trx, owner, contactId, zone, now);
  });
}

/** "Snooze a week": the nudge comes again in 7 days, outside quiet hours. */
export async function snoozeKeepInTouch(db: Db, owner: Owner, contactId: number, zone: string, now: Date): Promise<Date> {
  return db.transaction().execute(async (trx) => {
    if ((await findContact(trx, owner, contactId)) === undefined) throw new NotFoundError(CONTACT_NOT_FOUND);
    const settings = await reminderSettingsOf(trx, owner);
    let due = new Date(now.getTime() + 7 * 86_400_000);
    if (isQuiet(due, zone, settings)) due = quietEndAfter(due, zone, settings);
    await planContactReminder(trx, owner, contactId, toDbInstant(due), toDbInstant(now));
    return due;
  });
}

/** Sets the contact's cadence (days, 0 = off) and re-plans its nudge. */
export async function setKeepInTouchCadence(trx: Executor, owner: Owner, contactId: number, days: number, zone: string, now: Date): Promise<void> {
  await setKeepInTouchDays(trx, owner, contactId, days);
  await replanKeepInTouch(trx, owner, contactId, zone, now);
}
