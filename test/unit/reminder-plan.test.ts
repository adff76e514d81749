import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REMINDER_SETTINGS,
  isQuiet,
  type MeetingFacts,
  planKeepInTouch,
  planMeeting,
  type ReminderSettings,
  SNOOZE_BEFORE_QUIET_MINUTES,
  thankYouSnoozeUntil,
} from '../../src/domain/reminders/reminder-plan.js';
import { MAX_ATTEMPTS, retryDelayMs } from '../../src/engine/failure-policy.js';

const NY = 'America/New_York';
const settings = DEFAULT_REMINDER_SETTINGS;

function plan(startsAt: string, now: string, zone = NY, options: Partial<ReminderSettings> = {}, duration = 30) {
  const meeting: MeetingFacts = {
    startsAt: new Date(startsAt),
    durationMinutes: duration,
    status: 'scheduled',
    thankYouSentAt: null,
    debriefedAt: null,
    reportedBackAt: null,
    thankYouSnoozedUntil: null,
  };
  const planned = planMeeting(meeting, { settings: { ...settings, ...options }, zone, stopped: null }, new Date(now));
  return Object.fromEntries(planned.wanted.map((r) => [r.kind, r.dueAt.toISOString()]));
}

describe('planMeeting: when each kind comes', () => {
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
    // Meeting Mon 2 Nov 07:30 EST; 24 h before is Sun 1 Nov 07:30 (after the change at 02:00), in quiet hours, so
    // the prep tip comes the evening before the meeting: Sun 20:00 EST = 01:00Z (not Saturday evening).
    [
      'prep moved to the evening before, across the autumn change',
      '2026-11-02T12:30:00Z',
      NY,
      'prep',
      '2026-11-02T01:00:00.000Z',
    ],
    // Meeting Mon 9 Mar 07:30 EDT (after the spring change on Sun 8 Mar): Sun 20:00 EDT = 00:00Z.
    [
      'prep moved to the evening before, across the spring change',
      '2026-03-09T11:30:00Z',
      NY,
      'prep',
      '2026-03-09T00:00:00.000Z',
    ],
    // Meeting Sat 28 Mar 2026 20:30–21:00 GMT in London; the debrief nudge at 21:10 is quiet, so 08:00 BST on
    // Sunday 29 Mar, after clocks went forward at 01:00 UTC: 07:00Z.
    [
      'nudge after the meeting held until 08:00, across the spring change',
      '2026-03-28T20:30:00Z',
      'Europe/London',
      'debrief',
      '2026-03-29T07:00:00.000Z',
    ],
    // Sydney: meeting Sat 4 Apr 2026 20:00 AEDT; thank-you due 22:30 is quiet; 08:00 on Sun 5 Apr is AEST (UTC+10).
    [
      'thank-you held until 08:00, across the southern autumn change',
      '2026-04-04T09:00:00Z',
      'Australia/Sydney',
      'thank_you',
      '2026-04-04T22:00:00.000Z',
    ],
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

  it('sends a late prep tip at the first allowed time before the meeting, never in quiet hours', () => {
    // Scheduled at 23:00 EST for 09:00 tomorrow: the prep moment has passed and now is quiet: 08:00 EST.
    expect(plan('2026-11-11T14:00:00Z', '2026-11-11T04:00:00Z').prep).toBe('2026-11-11T13:00:00.000Z');
    // Scheduled at 22:00 for 10:00 (the case): 08:00 too.
    expect(plan('2026-11-11T15:00:00Z', '2026-11-11T03:00:00Z').prep).toBe('2026-11-11T13:00:00.000Z');
    // For 08:02 there is no allowed time before it (quiet until 08:00, too close after): none, said why.
    const facts = meetingFacts('2026-11-11T13:02:00Z');
    const early = planMeeting(facts, { settings, zone: NY, stopped: null }, new Date('2026-11-11T04:00:00Z'));
    expect(early.wanted.map((w) => w.kind)).not.toContain('prep');
    expect(early.dropped.prep).toBe('quiet hours last until it is too late');
  });

  it('puts "the evening before" on the previous calendar day of an early meeting', () => {
    // Monday 7 Dec 2026 07:30 EST: Sunday 6 Dec 20:00 EST, not Saturday.
    expect(plan('2026-12-07T12:30:00Z', '2026-12-01T00:00:00Z').prep).toBe('2026-12-07T01:00:00.000Z');
    // With a one-hour lead for an 08:30 meeting (ideal 07:30, quiet), the same evening would be after it: the one before.
    expect(plan('2026-12-07T13:30:00Z', '2026-12-01T00:00:00Z', NY, { prepLeadMinutes: 60 }).prep).toBe(
      '2026-12-07T01:00:00.000Z',
    );
  });

  it('leaves out what the user turned off; turning off thank-you stops both nudges', () => {
    const due = plan('2026-11-03T20:00:00Z', '2026-10-29T14:00:00Z', NY, { disabledKinds: ['thank_you', 'prep'] });
    expect(Object.keys(due).sort()).toEqual(['debrief', 'heads_up', 'report_back']);
  });

  it('honours other lead times and quiet hours', () => {
    const due = plan('2026-11-03T20:00:00Z', '2026-10-29T14:00:00Z', NY, {
      prepLeadMinutes: 48 * 60,
      headsUpLeadMinutes: 15,
      quietStart: '17:00',
      quietEnd: '09:00',
    });
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

function meetingFacts(startsAt: string, change: Partial<MeetingFacts> = {}): MeetingFacts {
  return {
    startsAt: new Date(startsAt),
    durationMinutes: 30,
    status: 'scheduled',
    thankYouSentAt: null,
    debriefedAt: null,
    reportedBackAt: null,
    thankYouSnoozedUntil: null,
    ...change,
  };
}

describe('planMeeting: what the facts call for', () => {
  const user = { settings, zone: NY, stopped: null };
  const start = '2026-11-03T20:00:00Z';
  const kinds = (change: Partial<MeetingFacts>, now = '2026-10-29T14:00:00Z', who = user) =>
    planMeeting(meetingFacts(start, change), who, new Date(now)).wanted.map((w) => w.kind);

  it('keys every delivery by the meeting start, so a moved meeting is a new delivery', () => {
    const a = planMeeting(meetingFacts(start), user, new Date('2026-10-29T14:00:00Z'));
    const b = planMeeting(meetingFacts('2026-11-03T21:00:00Z'), user, new Date('2026-10-29T14:00:00Z'));
    expect(a.wanted.find((w) => w.kind === 'prep')?.key).not.toBe(b.wanted.find((w) => w.kind === 'prep')?.key);
    expect(a.wanted.every((w) => !w.asap)).toBe(true);
  });

  it.each([
    ['cancelled', { status: 'cancelled' as const }, [], 'meeting cancelled'],
    [
      'debriefed',
      { debriefedAt: new Date() },
      ['prep', 'heads_up', 'thank_you', 'thank_you_followup', 'report_back'],
      'debrief already written',
    ],
    [
      'thanked',
      { thankYouSentAt: new Date() },
      ['prep', 'heads_up', 'debrief', 'report_back'],
      'thank-you already marked as sent',
    ],
    [
      'reported back',
      { reportedBackAt: new Date() },
      ['prep', 'heads_up', 'debrief', 'thank_you', 'thank_you_followup'],
      'already reported back',
    ],
  ])('%s', (_case, change, expected, reason) => {
    expect(kinds(change)).toEqual(expected);
    const dropped = planMeeting(meetingFacts(start, change), user, new Date('2026-10-29T14:00:00Z')).dropped;
    expect(Object.values(dropped)).toContain(reason);
  });

  it('stops everything when the workspace or user is stopped, and says why', () => {
    const plan = planMeeting(
      meetingFacts(start),
      { ...user, stopped: 'the app was uninstalled or its token revoked' },
      new Date('2026-10-29T14:00:00Z'),
    );
    expect(plan.wanted).toEqual([]);
    expect(plan.dropped.prep).toBe('the app was uninstalled or its token revoked');
  });

  it('a snooze replaces the first thank-you nudge and is a new delivery of the second', () => {
    const snoozed = new Date('2026-11-04T19:30:00Z');
    const plan = planMeeting(
      meetingFacts(start, { thankYouSnoozedUntil: snoozed }),
      user,
      new Date('2026-11-03T23:00:00Z'),
    );
    expect(plan.dropped.thank_you).toBe('snoozed');
    const second = plan.wanted.find((w) => w.kind === 'thank_you_followup');
    expect(second?.dueAt).toEqual(snoozed);
    expect(second?.key).toBe(`2026-11-03T20:00:00.000Z|${snoozed.toISOString()}`);
  });

  it('drops what is past its use, with the reason', () => {
    const late = planMeeting(meetingFacts(start), user, new Date('2026-11-05T21:00:00Z'));
    expect(late.dropped.thank_you).toBe('too late to be useful');
    expect(late.dropped.prep).toBe('the meeting had already started');
    expect(late.wanted.map((w) => w.kind)).toEqual(['debrief', 'report_back']);
    expect(late.wanted.find((w) => w.kind === 'debrief')).toMatchObject({
      asap: true,
      dueAt: new Date('2026-11-05T21:00:00Z'),
    });
  });

  it('a late nudge after the meeting waits for the end of quiet hours', () => {
    const plan = planMeeting(meetingFacts(start), user, new Date('2026-11-04T04:00:00Z')); // 23:00 EST
    expect(plan.wanted.find((w) => w.kind === 'debrief')).toMatchObject({
      asap: true,
      dueAt: new Date('2026-11-04T13:00:00Z'),
    });
  });

  it('snoozes a thank-you a day, but never past the 24 hours after the meeting', () => {
    expect(thankYouSnoozeUntil(meetingFacts(start), user, new Date('2026-11-03T21:00:00Z'))).toEqual({
      until: new Date('2026-11-04T19:30:00Z'),
      shortened: 'last_call',
    });
    expect(thankYouSnoozeUntil(meetingFacts(start), user, new Date('2026-11-04T20:00:00Z'))).toBeNull();
  });
});

describe('thankYouSnoozeUntil: a snooze that cannot run a full day', () => {
  // An early meeting's nudge snoozed at 09:35: a day later is past the 24 hours, and an hour before they run out is
  // in quiet hours, so it comes SNOOZE_BEFORE_QUIET_MINUTES before they start, that evening (local wall time).
  it.each([
    // Tue 3 Nov 2026 07:00 EST; Wed 06:30 is quiet: Tue 20:45 EST.
    ['New York', NY, '2026-11-03T12:00:00Z', '2026-11-03T14:35:00Z', {}, '2026-11-04T01:45:00.000Z'],
    // Sat 31 Oct 07:00 EDT; the last call, Sun 05:30 EST, is after the autumn change: Sat 20:45 EDT.
    [
      'New York, across the autumn change',
      NY,
      '2026-10-31T11:00:00Z',
      '2026-10-31T13:35:00Z',
      {},
      '2026-11-01T00:45:00.000Z',
    ],
    // Sat 28 Mar 07:00 GMT; the last call, Sun 07:30 BST, is after the spring change: Sat 20:45 GMT.
    [
      'London, across the spring change',
      'Europe/London',
      '2026-03-28T07:00:00Z',
      '2026-03-28T09:35:00Z',
      {},
      '2026-03-28T20:45:00.000Z',
    ],
    // Sat 4 Apr 07:00 AEDT; the last call, Sun 05:30 AEST, is after the southern autumn change: Sat 20:45 AEDT.
    [
      'Sydney, across the southern change',
      'Australia/Sydney',
      '2026-04-03T20:00:00Z',
      '2026-04-03T22:35:00Z',
      {},
      '2026-04-04T09:45:00.000Z',
    ],
    // Wed 4 Nov 06:30 JST with quiet hours 22:00–07:00; Thu 06:00 is quiet: Wed 21:45 JST.
    [
      'Tokyo, own quiet hours',
      'Asia/Tokyo',
      '2026-11-03T21:30:00Z',
      '2026-11-04T00:35:00Z',
      { quietStart: '22:00', quietEnd: '07:00' },
      '2026-11-04T12:45:00.000Z',
    ],
  ] as const)('%s: that evening, before quiet hours start', (_where, zone, startsAt, now, options, expected) => {
    const user = { settings: { ...settings, ...options }, zone, stopped: null };
    const snooze = thankYouSnoozeUntil(meetingFacts(startsAt), user, new Date(now));
    expect(snooze).toEqual({ until: new Date(expected), shortened: 'before_quiet' });
    expect(isQuiet(new Date(expected), zone, user.settings)).toBe(false);
  });

  it('is refused (null) when that evening has already begun', () => {
    const user = { settings, zone: NY, stopped: null };
    // Tue 20:50 EST, after 20:45.
    expect(
      thankYouSnoozeUntil(meetingFacts('2026-11-03T12:00:00Z'), user, new Date('2026-11-04T01:50:00Z')),
    ).toBeNull();
  });

  it('is never planned inside quiet hours nor after the window closes, and the engine would send it then', () => {
    const zones = [NY, 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata', 'America/Sao_Paulo', 'UTC'];
    const hhmm = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        hhmm,
        hhmm,
        // A start anywhere in 2026 (both DST changes in both hemispheres), to the minute.
        fc.integer({ min: 0, max: 365 * 24 * 60 }),
        fc.integer({ min: 15, max: 120 }),
        // Pressed from 2 hours (the first nudge) up to 24 hours after the end.
        fc.integer({ min: 120, max: 24 * 60 }),
        (zone, quietStart, quietEnd, startMinute, durationMinutes, pressedAfter) => {
          const user = { settings: { ...settings, quietStart, quietEnd }, zone, stopped: null };
          const startsAt = new Date(Date.UTC(2026, 0, 1) + startMinute * 60_000);
          const end = startsAt.getTime() + durationMinutes * 60_000;
          const now = new Date(end + pressedAfter * 60_000);
          const snooze = thankYouSnoozeUntil({ startsAt, durationMinutes }, user, now);
          if (snooze === null) return;
          expect(isQuiet(snooze.until, zone, user.settings)).toBe(false);
          expect(snooze.until.getTime()).toBeGreaterThan(now.getTime());
          expect(snooze.until.getTime()).toBeLessThanOrEqual(end + 23 * 3_600_000);
          // At its time, and a little after (a busy tick), the plan still calls for this very delivery.
          for (const late of [0, SNOOZE_BEFORE_QUIET_MINUTES - 1]) {
            const at = new Date(snooze.until.getTime() + late * 60_000);
            const plan = planMeeting(
              meetingFacts(startsAt.toISOString(), { durationMinutes, thankYouSnoozedUntil: snooze.until }),
              user,
              at,
            );
            const wanted = plan.wanted.find((w) => w.kind === 'thank_you_followup');
            expect(wanted?.dueAt.getTime()).toBe(late === 0 ? snooze.until.getTime() : at.getTime());
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('planKeepInTouch', () => {
  const user = { settings, zone: NY, stopped: null };
  const now = new Date('2026-12-01T15:00:00Z');
  it('plans the nudge at 10:00 local when the cadence runs out, keyed by the touch', () => {
    const plan = planKeepInTouch(
      { cadenceDays: 30, lastTouch: new Date('2026-11-20T15:00:00Z'), snoozedUntil: null },
      user,
      now,
    );
    expect(plan.wanted).toEqual([
      { kind: 'keep_in_touch', key: '2026-11-20T15:00:00.000Z|', dueAt: new Date('2026-12-20T15:00:00Z'), asap: false },
    ]);
  });
  it('a snooze holds it until then; turned off or never touched plans nothing', () => {
    const snoozedUntil = new Date('2027-01-05T15:00:00Z');
    const snoozed = planKeepInTouch(
      { cadenceDays: 30, lastTouch: new Date('2026-11-20T15:00:00Z'), snoozedUntil },
      user,
      now,
    );
    expect(snoozed.wanted[0]?.dueAt).toEqual(snoozedUntil);
    expect(
      planKeepInTouch({ cadenceDays: 0, lastTouch: new Date(), snoozedUntil: null }, user, now).dropped.keep_in_touch,
    ).toBe('keep in touch turned off');
    expect(planKeepInTouch({ cadenceDays: 30, lastTouch: null, snoozedUntil: null }, user, now).wanted).toEqual([]);
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

describe('inZone (offsets remembered per quarter hour)', () => {
  it('gives the same local time as luxon asking Intl, on both sides of every offset change in many zones', async () => {
    const { DateTime } = await import('luxon');
    const { inZone, localMinuteOfDay } = await import('../../src/lib/zoned-time.js');
    const zones = [
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'America/St_Johns',
      'Africa/Casablanca',
      'Asia/Kathmandu',
    ];
    const start = Date.parse('2026-01-01T00:00:00Z');
    const offset = (t: number, zone: string) => DateTime.fromMillis(t, { zone }).offset;
    for (const zone of zones) {
      let changes = 0;
      for (let t = start; t < start + 2 * 365 * 86_400_000; t += 3_600_000) {
        if (offset(t, zone) === offset(t + 3_600_000, zone)) continue;
        // The change is within this hour: find it to the millisecond, then compare around it.
        let [low, high] = [t, t + 3_600_000];
        while (high - low > 1) {
          const mid = Math.floor((low + high) / 2);
          if (offset(mid, zone) === offset(t, zone)) low = mid;
          else high = mid;
        }
        changes += 1;
        for (const at of [high - 1, high, high + 1, high - 420_000, high + 420_000, high + 899_999]) {
          const truth = DateTime.fromMillis(at, { zone });
          expect(inZone(new Date(at), zone).toISO(), `${zone} ${new Date(at).toISOString()}`).toBe(truth.toISO());
          expect(localMinuteOfDay(new Date(at), zone)).toBe(truth.hour * 60 + truth.minute);
        }
      }
      if (zone !== 'Asia/Kathmandu') expect(changes, zone).toBeGreaterThan(0);
    }
  });
});
