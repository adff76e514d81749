import type { Db, Executor } from '../../db/database.js';
import { saveAskPurpose } from '../../db/repositories/asks-repository.js';
import { findMeeting, setThankYouSent, setThankYouSnoozedUntil } from '../../db/repositories/meetings-repository.js';
import { loadMeetingFacts } from '../../db/repositories/reminders/reminder-facts-repository.js';
import {
  findReminderSettings,
  saveReminderSettings,
} from '../../db/repositories/reminders/reminder-plans-repository.js';
import { NotFoundError } from '../../lib/errors.js';
import { toDbInstant } from '../../lib/zoned-time.js';
import { recordTouch } from '../contacts/keep-in-touch-service.js';
import { MEETING_NOT_FOUND } from '../not-found.js';
import type { Owner } from '../types.js';
import { reconcileMeetings, requestRemindersReplan } from './reconciler.js';
import {
  DEFAULT_REMINDER_SETTINGS,
  type ReminderSettings,
  type ThankYouSnooze,
  thankYouSnoozeUntil,
} from './reminder-plan.js';

export async function reminderSettingsOf(db: Executor, owner: Owner): Promise<ReminderSettings> {
  return (await findReminderSettings(db, owner)) ?? DEFAULT_REMINDER_SETTINGS;
}

/** Saves the user's settings (and the purpose line of their asks, when given) and asks for a re-plan, in one transaction. */
export async function updateReminderSettings(
  db: Db,
  owner: Owner,
  settings: ReminderSettings,
  now: Date,
  purpose?: string | null,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await saveReminderSettings(trx, owner, settings, toDbInstant(now));
    if (purpose !== undefined)
      await saveAskPurpose(
        trx,
        owner,
        purpose,
        {
          prep: settings.prepLeadMinutes,
          headsUp: settings.headsUpLeadMinutes,
          quietStart: settings.quietStart,
          quietEnd: settings.quietEnd,
        },
        toDbInstant(now),
      );
    await requestRemindersReplan(trx, owner.teamId, owner.userId, now);
  });
}

/** Records the thank-you as sent (its nudges stop), together with a keep-in-touch touch. */
export async function markThankYouSent(
  db: Db,
  owner: Owner,
  meetingId: number,
  now: Date,
): Promise<{ alreadyMarked: boolean }> {
  return db.transaction().execute(async (trx) => {
    const found = await findMeeting(trx, owner, meetingId);
    if (found === undefined) throw new NotFoundError(MEETING_NOT_FOUND);
    const alreadyMarked = found.meeting.thankYouSentAt !== null;
    if (!alreadyMarked) {
      await setThankYouSent(trx, owner, meetingId, toDbInstant(now));
      await recordTouch(trx, owner, found.contact.id, now);
    }
    await reconcileMeetings(trx, [meetingId], now);
    return { alreadyMarked };
  });
}

/**
 * "Snooze a day" on a thank-you nudge: records the snooze (a fact) and lets the reconciler move the nudge; says when
 * it comes and why sooner than a day. Null when the 24 hours after the meeting are nearly up, and nothing is changed.
 */
export async function snoozeThankYou(
  db: Db,
  owner: Owner,
  meetingId: number,
  now: Date,
): Promise<ThankYouSnooze | null> {
  return db.transaction().execute(async (trx) => {
    if ((await findMeeting(trx, owner, meetingId)) === undefined) throw new NotFoundError(MEETING_NOT_FOUND);
    const [subject] = await loadMeetingFacts(trx, [meetingId]);
    if (subject === undefined) throw new NotFoundError(MEETING_NOT_FOUND);
    const snooze = thankYouSnoozeUntil(subject.facts, subject.user, now);
    if (snooze === null) return null;
    await setThankYouSnoozedUntil(trx, owner, meetingId, toDbInstant(snooze.until));
    await reconcileMeetings(trx, [meetingId], now);
    return snooze;
  });
}
