import { DateTime } from 'luxon';

/** The DMs around one meeting, in the order they are due. */
export const MEETING_REMINDER_KINDS = ['prep', 'heads_up', 'debrief', 'thank_you', 'thank_you_followup', 'report_back'] as const;
export type MeetingReminderKind = (typeof MEETING_REMINDER_KINDS)[number];
/** Every kind: the meeting ones, and keep-in-touch, which is about a contact. */
export type ReminderKind = MeetingReminderKind | 'keep_in_touch';

/** The kinds a user can turn off; the follow-up thank-you nudge goes with the thank-you one. */
export const SWITCHABLE_KINDS = ['prep', 'heads_up', 'debrief', 'thank_you', 'report_back'] as const;
export type SwitchableKind = (typeof SWITCHABLE_KINDS)[number];

export interface ReminderSettings {
  prepLeadMinutes: number;
  headsUpLeadMinutes: number;
  /** Local wall-clock "HH:mm"; quiet hours run from start to end, across midnight when end < start. */
  quietStart: string;
  quietEnd: string;
  disabledKinds: SwitchableKind[];
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = {
  prepLeadMinutes: 24 * 60,
  headsUpLeadMinutes: 60,
  quietStart: '21:00',
  quietEnd: '08:00',
  disabledKinds: [],
};

export const DEBRIEF_DELAY_MINUTES = 10;
export const THANK_YOU_DELAY_MINUTES = 120;
export const REPORT_BACK_DAYS = 14;
/** A prep tip that would fall in quiet hours comes this long before they start, the evening before. */
export const PREP_EVENING_LEAD_MINUTES = 60;
/** Too close to the meeting for a prep tip or heads-up to help. */
const TOO_CLOSE_MINUTES = 5;

export interface MeetingTimes {
  startsAt: Date;
  durationMinutes: number;
}

export interface PlannedReminder {
  kind: MeetingReminderKind;
  dueAt: Date;
}

function switchOf(kind: MeetingReminderKind): SwitchableKind {
  return kind === 'thank_you_followup' ? 'thank_you' : kind;
}

export function isEnabled(kind: MeetingReminderKind, settings: ReminderSettings): boolean {
  return !settings.disabledKinds.includes(switchOf(kind));
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** True when `instant` falls in the user's quiet hours, read in their zone. */
export function isQuiet(instant: Date, zone: string, settings: ReminderSettings): boolean {
  const local = DateTime.fromJSDate(instant, { zone });
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(settings.quietStart);
  const end = minutesOf(settings.quietEnd);
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** The first moment at or after `instant` when the local clock shows `hhmm` (DST-safe: luxon walks wall time). */
function nextWallTime(instant: Date, zone: string, hhmm: string, strictlyAfter = false): Date {
  const local = DateTime.fromJSDate(instant, { zone });
  const minutes = minutesOf(hhmm);
  let candidate = local.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
  if (candidate < local || (strictlyAfter && candidate.toMillis() === local.toMillis())) candidate = candidate.plus({ days: 1 });
  return candidate.toJSDate();
}

/** When the quiet hours containing `instant` end: the next local quiet-end time. */
export function quietEndAfter(instant: Date, zone: string, settings: ReminderSettings): Date {
  return nextWallTime(instant, zone, settings.quietEnd);
}

/** The evening before the quiet hours containing `instant`: their start, less PREP_EVENING_LEAD_MINUTES. */
function eveningBefore(instant: Date, zone: string, settings: ReminderSettings): Date {
  const local = DateTime.fromJSDate(instant, { zone });
  const start = minutesOf(settings.quietStart);
  let quietStarted = local.set({ hour: Math.floor(start / 60), minute: start % 60, second: 0, millisecond: 0 });
  if (quietStarted > local) quietStarted = quietStarted.minus({ days: 1 });
  return quietStarted.minus({ minutes: PREP_EVENING_LEAD_MINUTES }).toJSDate();
}

function laterOutOfQuiet(instant: Date, zone: string, settings: ReminderSettings): Date {
  return isQuiet(instant, zone, settings) ? quietEndAfter(instant, zone, settings) : instant;
}

const minutes = (n: number) => n * 60_000;

/**
 * The reminders a meeting gets, with due times in UTC, for a user in `zone`. Pure. Quiet hours move a prep tip to
 * the evening before and a nudge after the meeting to when they end; the heads-up is about a meeting the user chose
 * to hold, so it keeps its time. A prep tip or heads-up whose moment has passed is sent now if there is still time.
 */
export function planMeetingReminders(meeting: MeetingTimes, settings: ReminderSettings, zone: string, now: Date): PlannedReminder[] {
  const start = meeting.startsAt.getTime();
  const end = start + minutes(meeting.durationMinutes);
  const plan: PlannedReminder[] = [];
  const soonest = (due: Date): Date | null => {
    if (due.getTime() >= now.getTime()) return due;
    return now.getTime() < start - minutes(TOO_CLOSE_MINUTES) ? now : null;
  };

  let prep = new Date(start - minutes(settings.prepLeadMinutes));
  if (isQuiet(prep, zone, settings)) prep = eveningBefore(prep, zone, settings);
  const prepDue = soonest(prep);
  if (prepDue && !(prepDue === now && isQuiet(now, zone, settings))) plan.push({ kind: 'prep', dueAt: prepDue });

  const headsUp = soonest(new Date(start - minutes(settings.headsUpLeadMinutes)));
  if (headsUp) plan.push({ kind: 'heads_up', dueAt: headsUp });

  plan.push({ kind: 'debrief', dueAt: laterOutOfQuiet(new Date(end + minutes(DEBRIEF_DELAY_MINUTES)), zone, settings) });
  const thankYou = laterOutOfQuiet(new Date(end + minutes(THANK_YOU_DELAY_MINUTES)), zone, settings);
  plan.push({ kind: 'thank_you', dueAt: thankYou });
  plan.push({ kind: 'thank_you_followup', dueAt: thankYouFollowUp(thankYou, end, zone, settings) });
  plan.push({ kind: 'report_back', dueAt: laterOutOfQuiet(new Date(start + REPORT_BACK_DAYS * 86_400_000), zone, settings) });

  return plan.filter((reminder) => isEnabled(reminder.kind, settings));
}

/**
 * "Once more the next morning": the first end of quiet hours after the first nudge. When that first nudge was
 * itself held until morning, the next morning would be a day and a half after the meeting, past the 24 hours
 * guidance gives, so the second comes FOLLOW_UP_GAP_HOURS after the first instead.
 */
export const FOLLOW_UP_GAP_HOURS = 4;
function thankYouFollowUp(first: Date, end: number, zone: string, settings: ReminderSettings): Date {
  const nextMorning = nextWallTime(first, zone, settings.quietEnd, true);
  if (nextMorning.getTime() - end <= 22 * 3_600_000) return nextMorning;
  return laterOutOfQuiet(new Date(first.getTime() + FOLLOW_UP_GAP_HOURS * 3_600_000), zone, settings);
}

export interface MeetingState extends MeetingTimes {
  status: 'scheduled' | 'cancelled';
  thankYouSentAt: Date | null;
  reportedBackAt?: Date | null;
  debriefedAt?: Date | null;
}

export type SendDecision = { action: 'send' } | { action: 'skip'; reason: string } | { action: 'defer'; until: Date };

/** How long after the meeting a late nudge still makes sense. */
const STILL_USEFUL_MS: Record<MeetingReminderKind, (m: { start: number; end: number }) => number> = {
  prep: ({ start }) => start - minutes(TOO_CLOSE_MINUTES),
  heads_up: ({ start }) => start,
  debrief: ({ end }) => end + 3 * 86_400_000,
  thank_you: ({ end }) => end + 86_400_000,
  thank_you_followup: ({ end }) => end + 86_400_000,
  report_back: ({ start }) => start + (REPORT_BACK_DAYS + 16) * 86_400_000,
};

/**
 * Whether a due reminder is sent now. Decided at send time, because the bot may have been down, the meeting
 * moved, or the user acted meanwhile: a reminder that no longer makes sense is skipped with the reason. Pure.
 */
export function decideAtSend(kind: MeetingReminderKind, meeting: MeetingState, settings: ReminderSettings, zone: string, now: Date): SendDecision {
  const start = meeting.startsAt.getTime();
  const end = start + minutes(meeting.durationMinutes);
  if (meeting.status === 'cancelled') return { action: 'skip', reason: 'meeting cancelled' };
  if (!isEnabled(kind, settings)) return { action: 'skip', reason: 'turned off in settings' };
  if ((kind === 'thank_you' || kind === 'thank_you_followup') && meeting.thankYouSentAt) {
    return { action: 'skip', reason: 'thank-you already marked as sent' };
  }
  if (kind === 'debrief' && meeting.debriefedAt) return { action: 'skip', reason: 'debrief already written' };
  if (kind === 'report_back' && meeting.reportedBackAt) return { action: 'skip', reason: 'already reported back' };
  const usefulUntil = STILL_USEFUL_MS[kind]({ start, end });
  if (now.getTime() >= usefulUntil) {
    return { action: 'skip', reason: kind === 'prep' || kind === 'heads_up' ? 'the meeting had already started' : 'too late to be useful' };
  }
  if (kind !== 'heads_up' && isQuiet(now, zone, settings)) {
    const until = quietEndAfter(now, zone, settings);
    if (until.getTime() >= usefulUntil) return { action: 'skip', reason: 'quiet hours last until it is too late' };
    return { action: 'defer', until };
  }
  return { action: 'send' };
}

/** Retries after a transient failure: exponential from 30 s, capped at 30 min, with ±20% jitter; null = give up. */
export const MAX_ATTEMPTS = 6;
export function retryDelayMs(attempts: number, random: number): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const base = Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
  return Math.round(base * (0.8 + 0.4 * random));
}

/** Keep in touch: how often a user may pick for a contact (0 = off); 90 days by default. */
export const KEEP_IN_TOUCH_CHOICES = [0, 30, 60, 90, 180] as const;
export const DEFAULT_KEEP_IN_TOUCH_DAYS = 90;
/** The local hour a keep-in-touch nudge comes at, when it is not in quiet hours. */
const KEEP_IN_TOUCH_HOUR = '10:00';

/** When the cadence since the last touch runs out: that day at 10:00 local, or after quiet hours. Null when off. */
export function keepInTouchDue(lastTouch: Date, cadenceDays: number, zone: string, settings: ReminderSettings): Date | null {
  if (cadenceDays <= 0) return null;
  const day = DateTime.fromJSDate(lastTouch, { zone }).plus({ days: cadenceDays }).startOf('day');
  const due = nextWallTime(day.toJSDate(), zone, KEEP_IN_TOUCH_HOUR);
  return laterOutOfQuiet(due, zone, settings);
}

export type KeepInTouchState = { cadenceDays: number; lastTouch: Date | null };

/** At send time: off, touched meanwhile (due later now), quiet hours, or send. Pure. */
export function decideKeepInTouch(contact: KeepInTouchState, settings: ReminderSettings, zone: string, now: Date): SendDecision {
  if (contact.cadenceDays <= 0 || contact.lastTouch === null) return { action: 'skip', reason: 'keep in touch turned off' };
  const due = keepInTouchDue(contact.lastTouch, contact.cadenceDays, zone, settings);
  if (due !== null && due.getTime() > now.getTime()) return { action: 'defer', until: due };
  if (isQuiet(now, zone, settings)) return { action: 'defer', until: quietEndAfter(now, zone, settings) };
  return { action: 'send' };
}
