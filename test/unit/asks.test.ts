import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  askRecordProblems,
  composeAskDraft,
  composeFollowUpDraft,
  PURPOSE_MAX_WORDS,
  PURPOSE_PLACEHOLDER,
  parseHolidayLines,
  purposeProblem,
  wordCount,
} from '../../src/domain/asks/asks-service.js';
import { addBusinessDays, businessDaysSince, isBusinessDay, parseDay } from '../../src/domain/business-days.js';
import { type AskFacts, askNudgeDue, planAsk } from '../../src/domain/reminders/contact-plan.js';
import { DEFAULT_REMINDER_SETTINGS, type UserFacts } from '../../src/domain/reminders/reminder-plan.js';

const none = new Set<string>();

describe('business days', () => {
  it.each([
    // [sent on, n, holidays, expected]
    ['2026-12-04', 3, [], '2026-12-09'], // a Friday ask: day 3 is Wednesday
    ['2026-12-04', 7, [], '2026-12-15'], // and day 7 the Tuesday after next
    ['2026-12-05', 1, [], '2026-12-07'], // sent on a Saturday: Monday is day 1
    ['2026-12-23', 3, ['2026-12-25'], '2026-12-29'], // Wed; Thu 24 (1), Fri 25 holiday, Mon 28 (2), Tue 29 (3)
    ['2026-12-30', 3, ['2027-01-01'], '2027-01-05'], // across the year end, New Year's Day off
    ['2027-12-29', 7, ['2027-12-31', '2028-01-03'], '2028-01-11'], // Wed; Thu 30 (1), Fri 31 off, Mon 3 off, Tue 4 (2) … Tue 11 (7)
    ['2028-02-25', 3, [], '2028-03-01'], // Fri; across 29 February of a leap year
  ])('%s + %i business days (holidays %j) = %s', (sentOn, n, holidays, expected) => {
    expect(addBusinessDays(sentOn, n, new Set(holidays))).toBe(expected);
    expect(businessDaysSince(sentOn, expected, new Set(holidays))).toBe(n);
  });

  it('counts the days that have begun, not the day itself', () => {
    expect(businessDaysSince('2026-12-04', '2026-12-04', none)).toBe(0);
    expect(businessDaysSince('2026-12-04', '2026-12-06', none)).toBe(0); // the weekend counts for nothing
    expect(businessDaysSince('2026-12-04', '2026-12-07', none)).toBe(1);
  });

  it('reads only real dates', () => {
    expect(parseDay('2026-02-29')).toBeNull();
    expect(parseDay('2028-02-29')).toBe('2028-02-29');
    expect(parseDay('2026-1-5')).toBeNull();
    expect(isBusinessDay('2026-12-06', none)).toBe(false);
  });

  it('counting is the inverse of adding, for any day and count (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 40 }),
        (date, n) => {
          const day = date.toISOString().slice(0, 10);
          const later = addBusinessDays(day, n, none);
          expect(businessDaysSince(day, later, none)).toBe(n);
          if (n > 0) expect(isBusinessDay(later, none)).toBe(true);
        },
      ),
    );
  });
});

describe('3B7 nudges across DST and year ends, both hemispheres', () => {
  const user = (zone: string): UserFacts => ({ settings: DEFAULT_REMINDER_SETTINGS, zone, stopped: null });
  it.each([
    // zone, sent on, business day, instant (10:00 local on that day)
    ['America/New_York', '2026-10-30', 3, '2026-11-04T15:00:00.000Z'], // DST ends Sun 1 Nov: 10:00 EST
    ['America/New_York', '2026-03-06', 3, '2026-03-11T14:00:00.000Z'], // DST starts Sun 8 Mar: 10:00 EDT
    ['Europe/London', '2026-03-27', 3, '2026-04-01T09:00:00.000Z'], // BST from Sun 29 Mar
    ['Australia/Sydney', '2026-10-01', 3, '2026-10-05T23:00:00.000Z'], // AEDT from Sun 4 Oct: Tue 6 Oct 10:00
    ['Australia/Sydney', '2026-04-02', 3, '2026-04-07T00:00:00.000Z'], // AEST from Sun 5 Apr: Tue 7 Apr 10:00
    ['Pacific/Auckland', '2026-12-30', 7, '2027-01-07T21:00:00.000Z'], // NZDT across the year end: Fri 8 Jan 10:00
    ['Asia/Kolkata', '2026-12-31', 3, '2027-01-05T04:30:00.000Z'], // no DST, half-hour offset
  ])('%s: ask on %s, day %i at %s', (zone, sentOn, day, expected) => {
    expect(askNudgeDue(sentOn, day, none, zone, DEFAULT_REMINDER_SETTINGS).toISOString()).toBe(expected);
    const facts: AskFacts = { id: 1, sentOn, status: 'waiting', followedUpAt: null, holidays: none };
    const kind = day === 3 ? 'ask_next' : 'ask_follow_up';
    expect(
      planAsk(facts, user(zone), new Date('2026-01-01T00:00:00Z'))
        .wanted.find((w) => w.kind === kind)
        ?.dueAt.toISOString(),
    ).toBe(expected);
  });

  it('keeps quiet hours: a 10:00 nudge for someone quiet until 11:00 comes at 11:00', () => {
    const settings = { ...DEFAULT_REMINDER_SETTINGS, quietEnd: '11:00' };
    expect(askNudgeDue('2026-12-04', 3, none, 'Europe/Berlin', settings).toISOString()).toBe(
      '2026-12-09T10:00:00.000Z',
    );
  });
});

describe('the plan of an ask', () => {
  const user: UserFacts = { settings: DEFAULT_REMINDER_SETTINGS, zone: 'America/New_York', stopped: null };
  const waiting: AskFacts = { id: 7, sentOn: '2026-12-04', status: 'waiting', followedUpAt: null, holidays: none };
  const now = new Date('2026-12-04T18:00:00Z');

  it('wants day 3 and day 7 while waiting, keyed by the ask and its day', () => {
    const plan = planAsk(waiting, user, now);
    expect(plan.wanted.map((w) => [w.kind, w.key, w.dueAt.toISOString()])).toEqual([
      ['ask_next', '7|2026-12-04', '2026-12-09T15:00:00.000Z'],
      ['ask_follow_up', '7|2026-12-04', '2026-12-15T15:00:00.000Z'],
    ]);
  });

  it.each([
    [{ status: 'replied' as const }, 'the ask is closed (replied)'],
    [{ status: 'no_answer' as const }, 'the ask is closed (no answer)'],
    [{ followedUpAt: new Date('2026-12-15T16:00:00Z') }, 'already followed up'],
  ])('drops both nudges when %j', (change, reason) => {
    const plan = planAsk({ ...waiting, ...change }, user, now);
    expect(plan.wanted).toEqual([]);
    expect(plan.dropped).toEqual({ ask_next: reason, ask_follow_up: reason });
  });

  it('drops them when turned off or when reminders are stopped, and has nothing without an ask', () => {
    expect(
      planAsk(waiting, { ...user, settings: { ...user.settings, disabledKinds: ['asks'] } }, now).dropped.ask_next,
    ).toBe('turned off in settings');
    expect(planAsk(waiting, { ...user, stopped: 'uninstalled' }, now).wanted).toEqual([]);
    expect(planAsk(null, user, now).dropped).toEqual({ ask_next: 'no ask sent', ask_follow_up: 'no ask sent' });
  });

  it('an ask recorded late: day 3 passed comes now (outside quiet hours), until day 7 is due', () => {
    const late = { ...waiting, sentOn: '2026-11-27' }; // day 3 was Wed 2 Dec, day 7 is Tue 8 Dec
    const plan = planAsk(late, user, now);
    expect(plan.wanted.find((w) => w.kind === 'ask_next')).toMatchObject({ asap: true, dueAt: now });
    const afterDay7 = planAsk(late, user, new Date('2026-12-08T16:00:00Z'));
    expect(afterDay7.wanted.map((w) => w.kind)).toEqual(['ask_follow_up']);
  });
});

describe('the draft of an ask', () => {
  it('names the referrer, the purpose, that it is to learn, the time asked for and flexibility', () => {
    const draft = composeAskDraft({
      contactName: 'Grace Hopper',
      referrerName: 'Ada Lovelace',
      purpose: 'I am a chemistry graduate exploring a move into data science',
    });
    expect(draft).toBe(
      [
        'Hi Grace,',
        'Ada Lovelace suggested I get in touch. I am a chemistry graduate exploring a move into data science.',
        "I'm not asking about jobs: I would simply like to learn from your experience. Could you spare 15–20 minutes for a short conversation, by video or a call, whenever suits you?",
        'Thank you for considering it.',
      ].join('\n\n'),
    );
    expect(wordCount(draft)).toBeLessThan(120);
  });

  it('keeps a placeholder where the purpose goes, and no referral line without a referrer', () => {
    const draft = composeAskDraft({ contactName: 'Grace Hopper', referrerName: null, purpose: '  ' });
    expect(draft).toContain(PURPOSE_PLACEHOLDER);
    expect(draft).not.toContain('suggested');
  });

  it('keeps names in any script and markup characters exactly as typed (the text to copy is plain)', () => {
    const draft = composeAskDraft({
      contactName: '李 小龍',
      referrerName: '<Zoë & *Ωmega*> 😀',
      purpose: 'Curious about R&D <labs>',
    });
    expect(draft.startsWith('Hi 李,')).toBe(true);
    expect(draft).toContain('<Zoë & *Ωmega*> 😀 suggested I get in touch. Curious about R&D <labs>.');
    expect(draft).not.toContain('&amp;');
  });

  it('stays under 120 words for any purpose the form accepts (property)', () => {
    const word = fc.stringMatching(/^[A-Za-zÀ-ÿ]{1,12}$/);
    const words = (min: number, max: number) =>
      fc.array(word, { minLength: min, maxLength: max }).map((w) => w.join(' '));
    fc.assert(
      fc.property(words(1, 5), fc.option(words(1, 5)), words(0, PURPOSE_MAX_WORDS + 5), (name, referrer, purpose) => {
        fc.pre(purposeProblem(purpose) === null);
        expect(wordCount(composeAskDraft({ contactName: name, referrerName: referrer, purpose }))).toBeLessThan(120);
      }),
    );
  });

  it('refuses a purpose that is too long, a future day and a day too long ago', () => {
    expect(
      purposeProblem(
        Array(PURPOSE_MAX_WORDS + 1)
          .fill('word')
          .join(' '),
      ),
    ).toMatch(/under 40 words/);
    const record = {
      contactId: 1,
      channel: 'email' as const,
      sentOn: '2026-12-05',
      purpose: null,
      draft: null,
      viewId: null,
    };
    expect(askRecordProblems(record, '2026-12-04').sentOn).toMatch(/still to come/);
    expect(askRecordProblems({ ...record, sentOn: '2026-08-01' }, '2026-12-04').sentOn).toMatch(/too long ago/);
    expect(askRecordProblems({ ...record, sentOn: 'yesterday' }, '2026-12-04').sentOn).toMatch(/Pick the day/);
    expect(askRecordProblems({ ...record, sentOn: '2026-12-04' }, '2026-12-04')).toEqual({});
  });

  it('drafts the one follow-up from the day of the ask', () => {
    expect(composeFollowUpDraft('Grace Hopper', 'Fri 4 Dec 2026')).toContain('follow up on my note of Fri 4 Dec 2026');
  });
});

describe('holiday lines', () => {
  it('reads a date and an optional name a line, sorted, and names the first bad line', () => {
    expect(parseHolidayLines('2026-12-25 Christmas Day\n\n 2026-12-24\n2026-12-25 again')).toEqual({
      days: [
        { day: '2026-12-24', name: null },
        { day: '2026-12-25', name: 'again' },
      ],
    });
    expect(parseHolidayLines('2026-12-25 Christmas\n25/12/2026 Boxing')).toEqual({
      problem: '"25/12/2026 Boxing" does not start with a date like 2026-12-25.',
    });
  });
});
