import type { Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import { findMeeting, setThankYouSent } from '../db/repositories/meetings.js';
import {
  cancelMeetingReminders,
  findReminderSettings,
  meetingsWithPendingReminders,
  replaceMeetingReminders,
  saveReminderSettings,
  snoozeReminder,
} from '../db/repositories/reminders.js';
import type { Database } from '../db/schema.js';
import { MEETING_NOT_FOUND } from './not-found.js';
import { recordTouch } from './keep-in-touch.js';
import { NotFoundError } from '../lib/errors.js';
import { toDbInstant } from '../lib/time.js';
import {
  DEFAULT_REMINDER_SETTINGS,
  isQuiet,
  type MeetingReminderKind,
  planMeetingReminders,
  type PlannedReminder,
  quietEndAfter,
  type ReminderSettings,
} from './reminder-plan.js';
import type { Meeting, Owner } from './types.js';

export async function reminderSettingsOf(db: Db | Transaction<Database>, owner: Owner): Promise<ReminderSettings> {
  return (await findReminderSettings(db, owner)) ?? DEFAULT_REMINDER_SETTINGS;
}

/** The meeting's follow-ups the user has already done: their nudges are never planned again. */
export interface DoneFollowUps {
  thankYouSent?: boolean;
  debriefed?: boolean;
  reportedBack?: boolean;
}

function stillToDo(plan: PlannedReminder[], done: DoneFollowUps): PlannedReminder[] {
  return plan.filter(
    ({ kind }) =>
      !(done.thankYouSent && (kind === 'thank_you' || kind === 'thank_you_followup')) &&
      !(done.debriefed && kind === 'debrief') &&
      !(done.reportedBack && kind === 'report_back'),
  );
}

/**
 * Plans (or re-plans) a scheduled meeting's reminders; call inside the transaction that changed the meeting.
 * `rearmSent`: kinds to send again though already sent (the prep tip and heads-up of a meeting moved).
 */
export async function planRemindersFor(
  trx: Transaction<Database>,
  owner: Owner,
  meeting: Pick<Meeting, 'id' | 'startsAt' | 'durationMinutes'>,
  zone: string,
  now: Date,
  options: { done?: DoneFollowUps; rearmSent?: MeetingReminderKind[] } = {},
): Promise<void> {
  const settings = await reminderSettingsOf(trx, owner);
  const plan = stillToDo(planMeetingReminders(meeting, settings, zone, now), options.done ?? {});
  await replaceMeetingReminders(trx, owner, meeting.id, plan, toDbInstant(now), options.rearmSent);
}

/** Saves the user's settings and re-plans every meeting that still has reminders to send, in one transaction. */
export async function updateReminderSettings(db: Db, owner: Owner, settings: ReminderSettings, zone: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await saveReminderSettings(trx, owner, settings, toDbInstant(now));
    for (const meeting of await meetingsWithPendingReminders(trx, owner)) {
      const plan = stillToDo(planMeetingReminders(meeting, settings, zone, now), meeting.done);
      await replaceMeetingReminders(trx, owner, meeting.id, plan, toDbInstant(now));
    }
  });
}

/** Records the thank-you as sent and cancels the thank-you nudges still pending, together. */
export async function markThankYouSent(db: Db, owner: Owner, meetingId: number, zone: string, now: Date): Promise<{ alreadyMarked: boolean }> {
  return db.transaction().execute(async (trx) => {
    const found = await findMeeting(trx, owner, meetingId);
    if (found === undefined) throw new NotFoundError(MEETING_NOT_FOUND);
    const alreadyMarked = found.meeting.thankYouSentAt !== null;
    if (!alreadyMarked) await setThankYouSent(trx, owner, meetingId, toDbInstant(now));
    await cancelMeetingReminders(trx, meetingId, toDbInstant(now), ['thank_you', 'thank_you_followup']);
    if (!alreadyMarked) await recordTouch(trx, owner, found.contact.id, zone, now);
    return { alreadyMarked };
  });
}

/** A snoozed thank-you nudge still comes this long before the 24 hours after the meeting run out. */
const THANK_YOU_LAST_CALL_MS = 60 * 60_000;

/**
 * "Snooze a day": the thank-you nudge comes again in 24 hours (later if that is in quiet hours), but never after
 * the 24 hours that follow the meeting, when it would only be skipped: then it comes an hour before they end.
 * Null when even that has passed, and nothing is changed.
 */
export async function snoozeThankYou(db: Db, owner: Owner, meetingId: number, zone: string, now: Date): Promise<Date | null> {
  return db.transaction().execute(async (trx) => {
    const found = await findMeeting(trx, owner, meetingId);
    if (found === undefined) throw new NotFoundError(MEETING_NOT_FOUND);
    const settings = await reminderSettingsOf(trx, owner);
    const lastCall = found.meeting.startsAt.getTime() + found.meeting.durationMinutes * 60_000 + 86_400_000 - THANK_YOU_LAST_CALL_MS;
    let due = new Date(now.getTime() + 86_400_000);
    if (isQuiet(due, zone, settings)) due = quietEndAfter(due, zone, settings);
    if (due.getTime() > lastCall) due = new Date(lastCall);
    if (due.getTime() <= now.getTime()) return null;
    await cancelMeetingReminders(trx, meetingId, toDbInstant(now), ['thank_you']);
    await snoozeReminder(trx, owner, meetingId, 'thank_you_followup', toDbInstant(due), toDbInstant(now));
    return due;
  });
}
