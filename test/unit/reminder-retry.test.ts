import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REMINDER_SETTINGS,
  type MeetingFacts,
  planMeeting,
  type ReminderPlan,
  type UserFacts,
} from '../../src/domain/reminders/reminder-plan.js';
import { decideRetry } from '../../src/engine/retry-failed.js';

const NOW = new Date('2026-12-02T15:00:00Z');
const LATER = new Date('2026-12-03T13:00:00Z');
const failed = { kind: 'thank_you' as const, deliveryKey: 'k1' };
const want = (dueAt: Date, key = 'k1', asap = false): ReminderPlan => ({
  wanted: [{ kind: 'thank_you', key, dueAt, asap }],
  dropped: {},
});

describe('decideRetry', () => {
  it('retries a delivery the plan still wants, due now, with the plan its planned moment', () => {
    expect(decideRetry(failed, want(NOW, 'k1', true), NOW)).toEqual({ retry: true, dueAt: NOW, plannedDueAt: NOW });
    const past = new Date('2026-12-02T14:00:00Z');
    expect(decideRetry(failed, want(past), NOW)).toEqual({ retry: true, dueAt: NOW, plannedDueAt: past });
  });

  it('holds it until the plan allows (quiet hours): the engine would only defer it to then', () => {
    expect(decideRetry(failed, want(LATER, 'k1', true), NOW)).toEqual({
      retry: true,
      dueAt: LATER,
      plannedDueAt: LATER,
    });
  });

  it('refuses, with the planner’s reason, a kind the facts no longer call for', () => {
    expect(
      decideRetry(failed, { wanted: [], dropped: { thank_you: 'thank-you already marked as sent' } }, NOW),
    ).toEqual({
      retry: false,
      reason: 'thank-you already marked as sent',
    });
    expect(decideRetry(failed, { wanted: [], dropped: {} }, NOW)).toEqual({
      retry: false,
      reason: 'no longer planned',
    });
  });

  it('refuses a delivery superseded by another (the meeting moved: a new key is a new DM, never this one)', () => {
    expect(decideRetry(failed, want(NOW, 'k2'), NOW)).toMatchObject({
      retry: false,
      reason: expect.stringContaining('superseded'),
    });
  });

  it('refuses a reminder whose meeting or contact is gone', () => {
    expect(decideRetry(failed, null, NOW)).toEqual({ retry: false, reason: 'what it is about no longer exists' });
  });

  it('follows the real planner: a cancelled meeting or a stopped user is not reminded again', () => {
    const meeting: MeetingFacts = {
      startsAt: new Date('2026-12-02T13:00:00Z'),
      durationMinutes: 30,
      status: 'scheduled',
      thankYouSentAt: null,
      debriefedAt: null,
      reportedBackAt: null,
      thankYouSnoozedUntil: null,
    };
    const user: UserFacts = { settings: DEFAULT_REMINDER_SETTINGS, zone: 'Europe/London', stopped: null };
    const key = meeting.startsAt.toISOString();
    const debrief = { kind: 'debrief' as const, deliveryKey: key };
    expect(decideRetry(debrief, planMeeting(meeting, user, NOW), NOW)).toEqual({
      retry: true,
      dueAt: NOW,
      plannedDueAt: NOW,
    });
    expect(decideRetry(debrief, planMeeting({ ...meeting, status: 'cancelled' }, user, NOW), NOW)).toEqual({
      retry: false,
      reason: 'meeting cancelled',
    });
    expect(decideRetry(debrief, planMeeting({ ...meeting, debriefedAt: NOW }, user, NOW), NOW)).toEqual({
      retry: false,
      reason: 'debrief already written',
    });
    expect(
      decideRetry(debrief, planMeeting(meeting, { ...user, stopped: "the user's token was revoked" }, NOW), NOW),
    ).toEqual({
      retry: false,
      reason: "the user's token was revoked",
    });
    // Moved to another time: the failed row's key is an old delivery's.
    expect(
      decideRetry(debrief, planMeeting({ ...meeting, startsAt: new Date('2026-12-02T13:30:00Z') }, user, NOW), NOW),
    ).toMatchObject({ retry: false });
  });
});
