import { describe, expect, it } from 'vitest';
import { parseScheduleText } from '../../src/domain/meetings/schedule-text.js';

describe('parseScheduleText', () => {
  // Each row: now (UTC), zone, text -> name, start (UTC). Rows cross DST changes in both hemispheres.
  it.each([
    [
      '2026-10-29T14:00:00Z',
      'America/New_York',
      'Ada Lovelace next Tuesday 3pm',
      'Ada Lovelace',
      '2026-11-03T20:00:00.000Z',
    ],
    [
      '2026-10-29T14:00:00Z',
      'America/New_York',
      'Ada Lovelace tomorrow 3pm',
      'Ada Lovelace',
      '2026-10-30T19:00:00.000Z',
    ],
    [
      '2026-03-05T12:00:00Z',
      'America/New_York',
      'Grace Hopper on March 10 at 9:30am',
      'Grace Hopper',
      '2026-03-10T13:30:00.000Z',
    ],
    [
      '2026-03-27T10:00:00Z',
      'Europe/London',
      'with Alan Turing next Monday at 10',
      'Alan Turing',
      '2026-03-30T09:00:00.000Z',
    ],
    [
      '2026-04-01T00:00:00Z',
      'Australia/Sydney',
      'Mary Jackson April 7 2pm',
      'Mary Jackson',
      '2026-04-07T04:00:00.000Z',
    ],
    ['2026-11-25T23:30:00Z', 'Asia/Kolkata', 'Raman tomorrow 11am', 'Raman', '2026-11-27T05:30:00.000Z'],
    ['2026-11-25T12:00:00Z', 'UTC', 'Ada next Friday', 'Ada', '2026-12-04T10:00:00.000Z'],
  ])('at %s in %s reads %j', (now, zone, text, name, start) => {
    expect(parseScheduleText(text, new Date(now), zone)).toEqual({ name, startsAt: new Date(start) });
  });

  it.each([
    ['', { name: null, startsAt: null }],
    ['   ', { name: null, startsAt: null }],
    ['Alan Turing', { name: 'Alan Turing', startsAt: null }],
    ['x'.repeat(101), { name: null, startsAt: null }],
  ])('keeps what it cannot read unfilled: %j', (text, expected) => {
    expect(parseScheduleText(text, new Date('2026-11-25T12:00:00Z'), 'Europe/Paris')).toEqual(expected);
  });

  it('picks the future occurrence of a weekday', () => {
    // Wednesday 25 November: "Monday" is the coming one.
    const hint = parseScheduleText('Lin Monday 9am', new Date('2026-11-25T12:00:00Z'), 'Europe/Paris');
    expect(hint.startsAt).toEqual(new Date('2026-11-30T08:00:00.000Z'));
  });
});
