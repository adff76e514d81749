import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { calendarFeed, escapeIcsText, type FeedMeeting, foldIcsLine } from '../../src/domain/meetings/calendar-feed.js';

const owner = { teamId: 'T0001', userId: 'U0001' };

function entry(overrides: { id?: number; name?: string; location?: string | null; questions?: string | null } = {}) {
  return {
    meeting: {
      id: overrides.id ?? 7,
      contactId: 3,
      startsAt: new Date('2026-11-03T20:00:00Z'),
      durationMinutes: 30,
      timeZone: 'America/New_York',
      location: overrides.location ?? null,
      goal: null,
      questions: overrides.questions ?? null,
      status: 'scheduled',
      thankYouSentAt: null,
      debriefedAt: null,
      reportedBackAt: null,
      thankYouDraft: null,
      reportBackDraft: null,
      calendarSequence: 2,
    },
    contact: {
      id: 3,
      name: overrides.name ?? 'Ada Lovelace',
      pronunciation: null,
      title: null,
      company: null,
      email: null,
      profileUrl: null,
      timeZone: null,
      howMet: null,
      referredById: null,
      tags: [],
      notes: null,
      keepInTouchDays: 0,
      slackUserId: null,
    },
    updatedAt: new Date('2026-10-29T14:00:00Z'),
    cancelledAt: null,
  } as FeedMeeting;
}

describe('the calendar feed writer (RFC 5545)', () => {
  it('escapes TEXT: backslash, semicolon, comma and line breaks; drops other control characters', () => {
    expect(escapeIcsText('a\\b;c,d\r\ne\nf\rg\u0007h\ti')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng' + 'h\ti');
  });

  it('folds lines at 75 octets without splitting a UTF-8 character', () => {
    const line = `SUMMARY:${'é'.repeat(100)}`;
    const folded = foldIcsLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
    expect(parts.slice(1).every((part) => part.startsWith(' '))).toBe(true);
    expect(parts.map((part, i) => (i === 0 ? part : part.slice(1))).join('')).toBe(line);
  });

  it('writes any name, place and questions so that a calendar library reads them back as typed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), fc.string({ unit: 'grapheme' }), (name, questions) => {
        const text = calendarFeed(owner, [entry({ name, questions: questions || null, location: `Room; ${name}` })]);
        expect(text.endsWith('\r\n')).toBe(true);
        for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
        const event = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent');
        const clean = (s: string) => s.replace(/\r\n|\r/g, '\n').replace(/(?!\t|\n)\p{Cc}/gu, '');
        expect(event?.getFirstPropertyValue('summary')).toBe(clean(`Informational interview: ${name}`));
        expect(event?.getFirstPropertyValue('location')).toBe(clean(`Room; ${name}`));
        expect(String(event?.getFirstPropertyValue('description'))).toContain(clean(name));
      }),
      { numRuns: 200 },
    );
  });

  it('is the same bytes for the same meetings, with the UID of the calendar file and its SEQUENCE', () => {
    const text = calendarFeed(owner, [entry()]);
    expect(calendarFeed(owner, [entry()])).toBe(text);
    expect(text).toContain('\r\nUID:meeting-T0001-7@infoview\r\n');
    expect(text).toContain('\r\nSEQUENCE:2\r\n');
    expect(text).toContain('\r\nDTSTART:20261103T200000Z\r\nDTEND:20261103T203000Z\r\n');
    expect(text).toContain('\r\nDTSTAMP:20261029T140000Z\r\n');
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
  });
});
