import { inZone, localMinuteOfDay } from '../../lib/zoned-time.js';

/** The DMs around one meeting, in the order they are due. */
export const MEETING_REMINDER_KINDS = [
  'prep',
  'heads_up',
  'debrief',
  'thank_you',
  'thank_you_followup',
  'report_back',
] as const;
export type MeetingReminderKind = (typeof MEETING_REMINDER_KINDS)[number];
/** The 3B7 nudges of an ask: on business day 3, ask the next person; on day 7, follow up once. */
export const ASK_REMINDER_KINDS = ['ask_next', 'ask_follow_up'] as const;
export type AskReminderKind = (typeof ASK_REMINDER_KINDS)[number];
/** The kinds about a contact: keep-in-touch, and the nudges of the contact's latest ask. */
export const CONTACT_REMINDER_KINDS = ['keep_in_touch', ...ASK_REMINDER_KINDS] as const;
export type ContactReminderKind = (typeof CONTACT_REMINDER_KINDS)[number];
/** Every kind: the meeting ones, and the ones about a contact. */
export type ReminderKind = MeetingReminderKind | ContactReminderKind;

/** The kinds a user can turn off; the follow-up thank-you nudge goes with the thank-you one, both 3B7 nudges with 'asks'. */
export const SWITCHABLE_KINDS = ['prep', 'heads_up', 'debrief', 'thank_you', 'report_back', 'asks'] as const;
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

function switchOf(kind: MeetingReminderKind | AskReminderKind): SwitchableKind {
  if (kind === 'ask_next' || kind === 'ask_follow_up') return 'asks';
  return kind === 'thank_you_followup' ? 'thank_you' : kind;
}

export function isEnabled(kind: MeetingReminderKind | AskReminderKind, settings: ReminderSettings): boolean {
  return !settings.disabledKinds.includes(switchOf(kind));
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** True when `instant` falls in the user's quiet hours, read in their zone. */
export function isQuiet(instant: Date, zone: string, settings: ReminderSettings): boolean {
  const minute = localMinuteOfDay(instant, zone);
  const start = minutesOf(settings.quietStart);
  const end = minutesOf(settings.quietEnd);
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** The first moment at or after `instant` when the local clock shows `hhmm` (DST-safe: luxon walks wall time). */
function nextWallTime(instant: Date, zone: string, hhmm: string, strictlyAfter = false): Date {
  const local = inZone(instant, zone);
  const minutes = minutesOf(hhmm);
  let candidate = local.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
  if (candidate < local || (strictlyAfter && candidate.toMillis() === local.toMillis()))
    candidate = candidate.plus({ days: 1 });
  return candidate.toJSDate();
}

/** When the quiet hours containing `instant` end: the next local quiet-end time. */
export function quietEndAfter(instant: Date, zone: string, settings: ReminderSettings): Date {
  return nextWallTime(instant, zone, settings.quietEnd);
}

/**
 * "The evening before": PREP_EVENING_LEAD_MINUTES before quiet hours start, on the local calendar day of `ideal`
 * (a Monday 07:30 meeting's prep tip, ideally Sunday 07:30, comes Sunday evening, not Saturday), or the day before
 * when that evening is already too close to the meeting.
 */
function eveningBefore(ideal: Date, meetingStart: number, zone: string, settings: ReminderSettings): Date {
  const start = minutesOf(settings.quietStart);
  const sameDay = inZone(ideal, zone).set({
    hour: Math.floor(start / 60),
    minute: start % 60,
    second: 0,
    millisecond: 0,
  });
  let evening = sameDay.minus({ minutes: PREP_EVENING_LEAD_MINUTES });
  if (evening.toMillis() >= meetingStart - minutes(TOO_CLOSE_MINUTES))
    evening = sameDay.minus({ days: 1 }).minus({ minutes: PREP_EVENING_LEAD_MINUTES });
  return evening.toJSDate();
}

export function laterOutOfQuiet(instant: Date, zone: string, settings: ReminderSettings): Date {
  return isQuiet(instant, zone, settings) ? quietEndAfter(instant, zone, settings) : instant;
}

const minutes = (n: number) => n * 60_000;
const DAY_MS = 86_400_000;

/** The facts about a meeting that decide its reminders. */
export interface MeetingFacts extends MeetingTimes {
  status: 'scheduled' | 'cancelled';
  thankYouSentAt: Date | null;
  debriefedAt: Date | null;
  reportedBackAt: Date | null;
  /** "Snooze a day" on a thank-you nudge: the second nudge comes then. */
  thankYouSnoozedUntil: Date | null;
}

/** The facts about a contact that decide its keep-in-touch nudge. */
export interface KeepInTouchFacts {
  cadenceDays: number;
  lastTouch: Date | null;
  /** "Snooze a week": not before then. */
  snoozedUntil: Date | null;
}

/** The facts about the user: settings, zone, and whether reminders are stopped (uninstalled, token revoked). */
export interface UserFacts {
  settings: ReminderSettings;
  zone: string;
  /** Why no reminder may be sent to this user at all, or null. */
  stopped: string | null;
}

/**
 * One reminder the facts call for. `key` names the delivery: the same key is the same DM (never sent twice); a new
 * key (the meeting moved, a snooze, a new touch) is a new DM. `asap`: the ideal moment had passed, so it is due as
 * soon as allowed from `now`.
 */
export interface WantedReminder {
  kind: ReminderKind;
  key: string;
  dueAt: Date;
  asap: boolean;
}

/** What the facts call for, and why each kind they do not call for is left out. */
export interface ReminderPlan {
  wanted: WantedReminder[];
  dropped: Partial<Record<ReminderKind, string>>;
}

/** How long after the meeting a late nudge still makes sense. */
const USEFUL_UNTIL: Record<MeetingReminderKind, (m: { start: number; end: number }) => number> = {
  prep: ({ start }) => start - minutes(TOO_CLOSE_MINUTES),
  heads_up: ({ start }) => start - minutes(TOO_CLOSE_MINUTES),
  debrief: ({ end }) => end + 3 * DAY_MS,
  thank_you: ({ end }) => end + DAY_MS,
  thank_you_followup: ({ end }) => end + DAY_MS,
  report_back: ({ start }) => start + (REPORT_BACK_DAYS + 16) * DAY_MS,
};

export class PlanBuilder {
  readonly plan: ReminderPlan = { wanted: [], dropped: {} };
  constructor(
    private readonly user: UserFacts,
    private readonly now: Date,
  ) {}

  drop(kind: ReminderKind, reason: string): void {
    this.plan.dropped[kind] = reason;
  }

  /**
   * Wants `kind` at `ideal`, or, when that has passed, at the first allowed moment from now (quiet hours kept unless
   * `anyHour`); dropped when that moment is no longer before `usefulUntil`.
   */
  want(
    kind: ReminderKind,
    key: string,
    ideal: Date,
    usefulUntil: number,
    options: { anyHour?: boolean; lateReason?: string } = {},
  ): void {
    const now = this.now;
    const asap = ideal.getTime() < now.getTime();
    const due = !asap ? ideal : options.anyHour ? now : laterOutOfQuiet(now, this.user.zone, this.user.settings);
    if (due.getTime() >= usefulUntil) {
      const late = now.getTime() >= usefulUntil;
      this.drop(kind, late ? (options.lateReason ?? 'too late to be useful') : 'quiet hours last until it is too late');
      return;
    }
    this.plan.wanted.push({ kind, key, dueAt: due, asap });
  }
}

/** The delivery key of a meeting's reminder: the meeting's start (a moved meeting is a new one to remind of). */
function meetingKey(startsAt: Date, extra?: string): string {
  return extra === undefined ? startsAt.toISOString() : `${startsAt.toISOString()}|${extra}`;
}

/**
 * The reminders a meeting's facts call for, for a user, at `now`. Pure. Quiet hours move a prep tip to the evening
 * before and a nudge after the meeting to when they end; the heads-up is about a meeting the user chose to hold, so
 * it keeps its time. A moment that has passed becomes the first allowed moment from now, while it still helps.
 */
export function planMeeting(meeting: MeetingFacts, user: UserFacts, now: Date): ReminderPlan {
  const builder = new PlanBuilder(user, now);
  const { settings, zone } = user;
  const start = meeting.startsAt.getTime();
  const end = start + minutes(meeting.durationMinutes);
  const useful = (kind: MeetingReminderKind) => USEFUL_UNTIL[kind]({ start, end });
  const key = meetingKey(meeting.startsAt);
  const before = {
    lateReason: now.getTime() >= start ? 'the meeting had already started' : 'too close to the meeting',
  };

  for (const kind of MEETING_REMINDER_KINDS) {
    const reason =
      user.stopped ??
      (meeting.status === 'cancelled' ? 'meeting cancelled' : null) ??
      (!isEnabled(kind, settings) ? 'turned off in settings' : null) ??
      ((kind === 'thank_you' || kind === 'thank_you_followup') && meeting.thankYouSentAt
        ? 'thank-you already marked as sent'
        : null) ??
      (kind === 'debrief' && meeting.debriefedAt ? 'debrief already written' : null) ??
      (kind === 'report_back' && meeting.reportedBackAt ? 'already reported back' : null) ??
      (kind === 'thank_you' && meeting.thankYouSnoozedUntil ? 'snoozed' : null);
    if (reason !== null) {
      builder.drop(kind, reason);
      continue;
    }
    switch (kind) {
      case 'prep': {
        let ideal = new Date(start - minutes(settings.prepLeadMinutes));
        if (isQuiet(ideal, zone, settings)) ideal = eveningBefore(ideal, start, zone, settings);
        builder.want(kind, key, ideal, useful(kind), before);
        break;
      }
      case 'heads_up':
        builder.want(kind, key, new Date(start - minutes(settings.headsUpLeadMinutes)), useful(kind), {
          ...before,
          anyHour: true,
        });
        break;
      case 'debrief':
        builder.want(
          kind,
          key,
          laterOutOfQuiet(new Date(end + minutes(DEBRIEF_DELAY_MINUTES)), zone, settings),
          useful(kind),
        );
        break;
      case 'thank_you':
        builder.want(kind, key, firstThankYou(end, zone, settings), useful(kind));
        break;
      case 'thank_you_followup': {
        const snoozed = meeting.thankYouSnoozedUntil;
        const ideal = snoozed ?? thankYouFollowUp(firstThankYou(end, zone, settings), end, zone, settings);
        builder.want(kind, meetingKey(meeting.startsAt, snoozed?.toISOString() ?? ''), ideal, useful(kind));
        break;
      }
      case 'report_back':
        builder.want(
          kind,
          key,
          laterOutOfQuiet(new Date(start + REPORT_BACK_DAYS * DAY_MS), zone, settings),
          useful(kind),
        );
        break;
    }
  }
  return builder.plan;
}

function firstThankYou(end: number, zone: string, settings: ReminderSettings): Date {
  return laterOutOfQuiet(new Date(end + minutes(THANK_YOU_DELAY_MINUTES)), zone, settings);
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

/** A snoozed thank-you nudge still comes this long before the 24 hours after the meeting run out. */
const THANK_YOU_LAST_CALL_MS = 60 * 60_000;
/**
 * A snooze cut short by quiet hours comes this long before they start: the engine decides again when it sends, and a
 * nudge it reaches after quiet hours began would wait for the morning, past the 24 hours, and be skipped.
 */
export const SNOOZE_BEFORE_QUIET_MINUTES = 15;

/**
 * When a snoozed thank-you nudge comes back, and why sooner than a day: `null` (a full day, later if that was in
 * quiet hours), `last_call` (a day would be past the 24 hours after the meeting: an hour before they run out), or
 * `before_quiet` (that hour is in quiet hours, or they start within SNOOZE_BEFORE_QUIET_MINUTES of it: that evening,
 * SNOOZE_BEFORE_QUIET_MINUTES before they start).
 */
export interface ThankYouSnooze {
  until: Date;
  shortened: null | 'last_call' | 'before_quiet';
}

/** When the quiet hours containing `instant` started: the last local quiet-start time at or before it. */
function quietStartBefore(instant: Date, zone: string, settings: ReminderSettings): Date {
  const local = inZone(instant, zone);
  const minutes = minutesOf(settings.quietStart);
  const at = { hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 };
  const sameDay = local.set(at);
  return (sameDay > local ? local.minus({ days: 1 }).set(at) : sameDay).toJSDate();
}

/**
 * "Snooze a day" on a thank-you nudge: 24 hours from now (later if that is in quiet hours), but never after the 24
 * hours that follow the meeting, when it would only be skipped: then an hour before they end, or, when that is in
 * quiet hours (or they start within SNOOZE_BEFORE_QUIET_MINUTES of it), SNOOZE_BEFORE_QUIET_MINUTES before they
 * start. Never inside quiet hours. Null when even that has passed. Pure.
 */
export function thankYouSnoozeUntil(meeting: MeetingTimes, user: UserFacts, now: Date): ThankYouSnooze | null {
  const { zone, settings } = user;
  const lastCall = meeting.startsAt.getTime() + minutes(meeting.durationMinutes) + DAY_MS - THANK_YOU_LAST_CALL_MS;
  const fullDay = laterOutOfQuiet(new Date(now.getTime() + DAY_MS), zone, settings);
  if (fullDay.getTime() <= lastCall) return { until: fullDay, shortened: null };
  let snooze: ThankYouSnooze = { until: new Date(lastCall), shortened: 'last_call' };
  // Quiet hours then, or starting so soon after that a busy engine would reach it in them.
  const margin = minutes(SNOOZE_BEFORE_QUIET_MINUTES);
  const probe = isQuiet(snooze.until, zone, settings) ? snooze.until : new Date(lastCall + margin);
  if (isQuiet(probe, zone, settings)) {
    const quietStart = quietStartBefore(probe, zone, settings);
    snooze = { until: new Date(quietStart.getTime() - margin), shortened: 'before_quiet' };
  }
  // Quiet hours with less free time between them than the margin: nothing allowed is left.
  if (snooze.until.getTime() <= now.getTime() || isQuiet(snooze.until, zone, settings)) return null;
  return snooze;
}

/** "Snooze a week" on a keep-in-touch nudge: 7 days from now, outside quiet hours. Pure. */
export function keepInTouchSnoozeUntil(user: UserFacts, now: Date): Date {
  return laterOutOfQuiet(new Date(now.getTime() + 7 * DAY_MS), user.zone, user.settings);
}

/** Keep in touch: how often a user may pick for a contact (0 = off); 90 days by default. */
export const KEEP_IN_TOUCH_CHOICES = [0, 30, 60, 90, 180] as const;
export const DEFAULT_KEEP_IN_TOUCH_DAYS = 90;
/** The local hour a keep-in-touch nudge comes at, when it is not in quiet hours. */
const KEEP_IN_TOUCH_HOUR = '10:00';

/** When the cadence since the last touch runs out: that day at 10:00 local, or after quiet hours. Null when off. */
export function keepInTouchDue(
  lastTouch: Date,
  cadenceDays: number,
  zone: string,
  settings: ReminderSettings,
): Date | null {
  if (cadenceDays <= 0) return null;
  const day = inZone(lastTouch, zone).plus({ days: cadenceDays }).startOf('day');
  const due = nextWallTime(day.toJSDate(), zone, KEEP_IN_TOUCH_HOUR);
  return laterOutOfQuiet(due, zone, settings);
}

/** The keep-in-touch nudge a contact's facts call for: when the cadence since the last touch runs out (or the snooze ends). */
export function planKeepInTouch(contact: KeepInTouchFacts, user: UserFacts, now: Date): ReminderPlan {
  const builder = new PlanBuilder(user, now);
  const kind = 'keep_in_touch';
  if (user.stopped !== null) builder.drop(kind, user.stopped);
  else if (contact.cadenceDays <= 0) builder.drop(kind, 'keep in touch turned off');
  else if (contact.lastTouch === null) builder.drop(kind, 'no touch logged');
  else {
    let due = keepInTouchDue(contact.lastTouch, contact.cadenceDays, user.zone, user.settings) as Date;
    if (contact.snoozedUntil !== null && contact.snoozedUntil.getTime() > due.getTime()) due = contact.snoozedUntil;
    builder.want(
      kind,
      `${contact.lastTouch.toISOString()}|${contact.snoozedUntil?.toISOString() ?? ''}`,
      due,
      Number.POSITIVE_INFINITY,
    );
  }
  return builder.plan;
}
