import { describe, expect, it } from 'vitest';
import {
  decideAtSend,
  DEFAULT_REMINDER_SETTINGS,
  isQuiet,
  type MeetingState,
  MAX_ATTEMPTS,
  planMeetingReminders,
  type MeetingReminderKind,
  type ReminderSettings,
  retryDelayMs,
} from '../../src/domain/reminder-plan.js';

const NY = 'America/New_York';
const settings = DEFAULT_REMINDER_SETTINGS;

function plan(startsAt: string, now: string, zone = NY, options: Partial<ReminderSettings> = {}, duration = 30) {
  const planned = planMeetingReminders({ startsAt: new Date(startsAt), durationMinutes: duration }, { ...settings, ...options }, zone, new Date(now));
  return Object.fromEntries(planned.map((r) => [r.kind, r.dueAt.toISOString()]));
}

describe('planMeetingReminders', () => {
  it('plans every kind at its default moment (Tue 3 Nov 2026 15:00 EST)', () => {
    expect(plan('2026-11-03T20:00:00Z', '2026-10-29T14:00:00Z')).toEqual({
      prep: '2026-11-02T20:00:00.000Z', // Mon 15:00 EST, 24 h before
      heads_up: '2026-11-03T19:00:00.000Z', // 14:00
      debrief: '2026-11-03T20:40:00.000Z', // 10 minutes after the end
      thank_you: '2026-11-03T22:30:00.000Z', // 2 hours after the end
      thank_you_followup: '2026-11-04T13:00:00.000Z', // next morning 08:00 EST
      report_back: '2026-11-17T20:00:00.000Z', // 14 days after
    });
  });

  // Wall-clock rules across DST changes, in both directions and hemispheres.
  it.each([
    // Meeting Mon 2 Nov 07:30 EST; 24 h before is Sun 1 Nov 07:30, in quiet hours; quiet hours began Sat 31 Oct
    // 21:00 EDT (before the change), so the prep tip comes Sat 20:00 EDT = 00:00Z.
    ['prep moved to the evening before, across the autumn change', '2026-11-02T12:30:00Z', NY, 'prep', '2026-11-01T00:00:00.000Z'],
    // Meeting Mon 9 Mar 07:30 EDT (after the spring change on Sun 8 Mar); quiet began Sat 7 Mar 21:00 EST.
    ['prep moved to the evening before, across the spring change', '2026-03-09T11:30:00Z', NY, 'prep', '2026-03-08T01:00:00.000Z'],
    // Meeting Sat 28 Mar 2026 20:30–21:00 GMT in London; the debrief nudge at 21:10 is quiet, so 08:00 BST on
    // Sunday 29 Mar, after clocks went forward at 01:00 UTC: 07:00Z.
    ['nudge after the meeting held until 08:00, across the spring change', '2026-03-28T20:30:00Z', 'Europe/London', 'debrief', '2026-03-29T07:00:00.000Z'],
    // Sydney: meeting Sat 4 Apr 2026 20:00 AEDT; thank-you due 22:30 is quiet; 08:00 on Sun 5 Apr is AEST (UTC+10).
    ['thank-you held until 08:00, across the southern autumn change', '2026-04-04T09:00:00Z', 'Australia/Sydney', 'thank_you', '2026-04-04T22:00:00.000Z'],
  ])('%s', (_case, startsAt, zone, kind, due) => {
    expect(plan(startsAt, '2026-01-01T00:00:00Z', zone)[kind]).toBe(due);
  });

  it('keeps the heads-up even in quiet hours: the user chose to meet then', () => {
    // Meeting 08:30 EST: the heads-up at 07:30 is in quiet hours and stays there.
    expect(plan('2026-11-10T13:30:00Z', '2026-11-01T00:00:00Z').heads_up).toBe('2026-11-10T12:30:00.000Z');
  });

  it('sends the second thank-you nudge the same day when the first was held until morning', () => {
    // Meeting 20:00–20:30 EST: thank-you due 22:30 is quiet -> 08:00; the next morning would be 35 h later.
    const due = plan('2026-11-10T01:00:00Z', '2026-11-01T00:00:00Z');
    expect(due.thank_you).toBe('2026-11-10T13:00:00.000Z');
    expect(due.thank_you_followup).toBe('2026-11-10T17:00:00.000Z');
  });

  it('sends a prep tip now when scheduled inside the lead time, and none when too close', () => {
    expect(plan('2026-11-10T20:00:00Z', '2026-11-10T17:00:00Z').prep).toBe('2026-11-10T17:00:00.000Z');
    const close = plan('2026-11-10T20:00:00Z', '2026-11-10T19:57:00Z');
    expect(close.prep).toBeUndefined();
    expect(close.heads_up).toBeUndefined();
  });

  it('does not send a late prep tip in quiet hours', () => {
    // Scheduled at 23:00 EST for 09:00 tomorrow: the prep moment has passed and now is quiet.
    expect(plan('2026-11-11T14:00:00Z', '2026-11-11T04:00:00Z').prep).toBeUndefined();
  });

  it('leaves out what the user turned off; turning off thank-you stops both nudges', () => {
    const due = plan('2026-11-03T20:00:00Z', '2026-10-29T14:00:00Z', NY, { disabledKinds: ['thank_you', 'prep'] });
    expect(Object.keys(due).sort()).toEqual(['debrief', 'heads_up', 'report_back']);
  });

  it('honours other lead times and quiet hours', () => {
    const due = plan('2026-11-03T20:00:00Z', '2026-10-29T14:00:00Z', NY, { prepLeadMinutes: 48 * 60, headsUpLeadMinutes: 15, quietStart: '17:00', quietEnd: '09:00' });
    expect(due.prep).toBe('2026-11-01T20:00:00.000Z');
    expect(due.heads_up).toBe('2026-11-03T19:45:00.000Z');
    expect(due.thank_you).toBe('2026-11-04T14:00:00.000Z'); // 17:30 EST is quiet from 17:00: 09:00 next day
  });
});

describe('isQuiet', () => {
  it.each([
    ['2026-11-10T01:59:00Z', false], // 20:59 EST
    ['2026-11-10T02:00:00Z', true],
    ['2026-11-10T12:59:00Z', true],
    ['2026-11-10T13:00:00Z', false],
  ])('%s in New York', (instant, quiet) => {
    expect(isQuiet(new Date(instant), NY, settings)).toBe(quiet);
  });
});

describe('decideAtSend', () => {
  const meeting: MeetingState = { startsAt: new Date('2026-11-03T20:00:00Z'), durationMinutes: 30, status: 'scheduled', thankYouSentAt: null };
  const decide = (kind: MeetingReminderKind, now: string, change: Partial<typeof meeting> = {}) => decideAtSend(kind, { ...meeting, ...change }, settings, NY, new Date(now));

  it.each([
    ['prep', '2026-11-03T19:56:00Z', { action: 'skip', reason: 'the meeting had already started' }],
    ['heads_up', '2026-11-03T20:00:00Z', { action: 'skip', reason: 'the meeting had already started' }],
    ['heads_up', '2026-11-03T19:30:00Z', { action: 'send' }],
    ['thank_you', '2026-11-05T20:31:00Z', { action: 'skip', reason: 'too late to be useful' }],
    ['debrief', '2026-11-04T03:00:00Z', { action: 'defer', until: new Date('2026-11-04T13:00:00Z') }],
    ['report_back', '2026-11-17T20:00:00Z', { action: 'send' }],
  ] as const)('%s at %s', (kind, now, expected) => {
    expect(decide(kind, now)).toEqual(expected);
  });

  it('skips a heads-up never, but a prep tip in quiet hours that would last past the meeting', () => {
    const early = { startsAt: new Date('2026-11-04T12:30:00Z') }; // 07:30 EST
    expect(decide('prep', '2026-11-04T03:00:00Z', early)).toEqual({ action: 'skip', reason: 'quiet hours last until it is too late' });
    expect(decide('heads_up', '2026-11-04T11:30:00Z', early)).toEqual({ action: 'send' });
  });

  it('skips the thank-you nudges once it is marked sent, and everything once cancelled', () => {
    expect(decide('thank_you_followup', '2026-11-04T13:00:00Z', { thankYouSentAt: new Date() })).toMatchObject({ action: 'skip' });
    expect(decide('report_back', '2026-11-17T20:00:00Z', { status: 'cancelled' })).toEqual({ action: 'skip', reason: 'meeting cancelled' });
  });
});

describe('retryDelayMs', () => {
  it('backs off exponentially with jitter and gives up after the limit', () => {
    expect(retryDelayMs(1, 0.5)).toBe(30_000);
    expect(retryDelayMs(2, 0)).toBe(48_000);
    expect(retryDelayMs(3, 1)).toBe(144_000);
    expect(retryDelayMs(MAX_ATTEMPTS, 0.5)).toBeNull();
  });
});
