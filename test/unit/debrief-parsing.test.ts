import { describe, expect, it } from 'vitest';
import {
  parseCommitmentLines,
  parseReferralLines,
  validateDebriefDraft,
} from '../../src/domain/debriefs/debrief-rules.js';
import { composeReportBack, composeThankYou, firstPoint } from '../../src/domain/debriefs/drafts.js';

describe('parseReferralLines', () => {
  it.each([
    ['Grace Hopper — Rear Admiral, US Navy', { name: 'Grace Hopper', title: 'Rear Admiral', company: 'US Navy' }],
    ['Grace Hopper – Rear Admiral, US Navy', { name: 'Grace Hopper', title: 'Rear Admiral', company: 'US Navy' }],
    ['Grace Hopper - Rear Admiral, US Navy', { name: 'Grace Hopper', title: 'Rear Admiral', company: 'US Navy' }],
    ['Grace Hopper—Rear Admiral,US Navy', { name: 'Grace Hopper', title: 'Rear Admiral', company: 'US Navy' }],
    [
      '  •   Grace   Hopper  —  Director of Research,  Acme, Inc.  ',
      { name: 'Grace Hopper', title: 'Director of Research, Acme', company: 'Inc.' },
    ],
    ['1. Jean-Luc Picard — Captain, Starfleet', { name: 'Jean-Luc Picard', title: 'Captain', company: 'Starfleet' }],
    ['Ada Lovelace', { name: 'Ada Lovelace', title: null, company: null }],
    ['Ada Lovelace — Analyst', { name: 'Ada Lovelace', title: 'Analyst', company: null }],
    ['山田 太郎 — エンジニア, 東京株式会社', { name: '山田 太郎', title: 'エンジニア', company: '東京株式会社' }],
    ['Zoë Ångström — Designer, Nordisk', { name: 'Zoë Ångström', title: 'Designer', company: 'Nordisk' }],
    ['محمد علي — مهندس, شركة', { name: 'محمد علي', title: 'مهندس', company: 'شركة' }],
  ])('%j', (line, expected) => {
    expect(parseReferralLines(line)).toEqual({ ok: true, items: [expected] });
  });

  it('reads one person a line and skips blank lines', () => {
    const parsed = parseReferralLines('Ada Lovelace — Analyst, Engines\n\n  \nGrace Hopper\r\n');
    expect(parsed.ok && parsed.items.map((r) => r.name)).toEqual(['Ada Lovelace', 'Grace Hopper']);
  });

  it.each(['— Analyst, Engines', '123 — x', '- , -', '…'])('refuses %j: no name', (line) => {
    const parsed = parseReferralLines(`Ada\n${line}`);
    expect(parsed).toEqual({ ok: false, error: expect.stringContaining('Line 2') });
  });
});

describe('parseCommitmentLines', () => {
  it('drops bullets and blank lines', () => {
    expect(
      parseCommitmentLines('- Read "The Design of Everyday Things"\n\n• Email Grace\n3) Join the UX meetup'),
    ).toEqual({
      ok: true,
      items: ['Read "The Design of Everyday Things"', 'Email Grace', 'Join the UX meetup'],
    });
  });
  it('refuses an over-long line by number', () => {
    expect(parseCommitmentLines(`ok\n${'x'.repeat(301)}`)).toEqual({
      ok: false,
      error: expect.stringContaining('Line 2'),
    });
  });
});

describe('validateDebriefDraft', () => {
  const empty = {
    topics: '',
    learned: '',
    advice: '',
    referrals: '',
    commitments: '',
    interestChange: null,
    notes: '',
  };
  it('accepts an empty debrief', () => {
    expect(validateDebriefDraft(empty)).toMatchObject({
      ok: true,
      debrief: { referrals: [], commitments: [], topics: null },
    });
  });
  it('reports each bad field', () => {
    const result = validateDebriefDraft({
      ...empty,
      learned: 'x'.repeat(2001),
      referrals: '— nobody',
      interestChange: 9,
    });
    expect(result.ok ? [] : Object.keys(result.errors).sort()).toEqual(['interestChange', 'learned', 'referrals']);
  });
});

describe('composeThankYou', () => {
  it('is deterministic, by first name, with one specific thing learned and one action', () => {
    const input = {
      contactName: 'Ada Lovelace',
      topics: 'Day to day',
      learned: 'Analysts spend half their time cleaning data. Also tooling.\nSecond line',
      advice: null,
      commitments: ['Take the SQL course she mentioned.', 'Email Grace'],
    };
    const draft = composeThankYou(input);
    expect(draft).toBe(
      "Hi Ada,\n\nThank you for taking the time to talk with me. I especially appreciated what you shared about analysts spend half their time cleaning data.\n\nFollowing your advice, I'm going to take the SQL course she mentioned. I'll let you know how it goes.\n\nThank you again for your time and generosity.\n\nBest regards,",
    );
    expect(composeThankYou(input)).toBe(draft);
  });

  it('falls back gracefully with an empty debrief, and keeps user text as it is (escaping is the renderer\u2019s job)', () => {
    expect(
      composeThankYou({ contactName: '<!channel>', topics: null, learned: null, advice: null, commitments: [] }),
    ).toBe(
      'Hi <!channel>,\n\nThank you for taking the time to talk with me. Hearing about your path was really helpful.\n\nThank you again for your time and generosity.\n\nBest regards,',
    );
  });

  it('keeps acronyms and "I" capitalised', () => {
    expect(
      composeThankYou({
        contactName: 'A',
        topics: null,
        learned: 'UX research at scale',
        advice: null,
        commitments: [],
      }),
    ).toContain('about UX research at scale.');
  });
});

describe('composeReportBack', () => {
  it('lists what they suggested that the user did', () => {
    expect(composeReportBack('Grace Hopper', ['Read the COBOL paper.', 'Join the meetup'])).toBe(
      'Hi Grace,\n\nI wanted to follow up on our conversation and let you know what I did with your advice.\n\n• You suggested I read the COBOL paper: I did, and …\n• You suggested I join the meetup: I did, and …\n\nThank you again: it made a real difference.\n\nBest regards,',
    );
  });
});

describe('firstPoint', () => {
  it.each([
    [null, null],
    ['', null],
    ['- First bullet.\n- Second', 'First bullet'],
    ['One! Two.', 'One'],
  ])('%j', (text, expected) => {
    expect(firstPoint(text)).toBe(expected);
  });
});

describe('planAdviceItems: items keep their identity by content', () => {
  it('a line added at the top moves the others with their ids; a removed line removes its item; a changed one is new', async () => {
    const { planAdviceItems } = await import('../../src/domain/debriefs/debrief-rules.js');
    const existing = [
      { id: 1, text: 'Read the book' },
      { id: 2, text: 'Email Grace' },
      { id: 3, text: 'Join the meetup' },
    ];
    expect(
      planAdviceItems(existing, ['Update my CV', 'read  the book', 'Email Grace Hopper', 'Join the meetup']),
    ).toEqual({
      keep: [
        { id: 1, position: 1, text: 'read  the book' },
        { id: 3, position: 3, text: 'Join the meetup' },
      ],
      insert: [
        { position: 0, text: 'Update my CV' },
        { position: 2, text: 'Email Grace Hopper' },
      ],
      remove: [2],
    });
    // The same line twice keeps two items.
    expect(
      planAdviceItems(
        [
          { id: 1, text: 'x' },
          { id: 2, text: 'x' },
        ],
        ['x', 'x'],
      ).keep.map((k) => k.id),
    ).toEqual([1, 2]);
  });
});
