import { describe, expect, it } from 'vitest';
import {
  buildFullReport,
  escapeReportText,
  type FullReportInput,
  fullReportFile,
  fullReportTitle,
} from '../../src/domain/debriefs/full-report.js';

const empty = {
  topics: null,
  learned: null,
  advice: null,
  referrals: null,
  commitments: null,
  interestChange: null,
  notes: null,
};

function input(overrides: Partial<FullReportInput> = {}): FullReportInput {
  return {
    contact: { name: 'Ada Lovelace', title: 'Analyst', company: 'Engines' },
    startsAt: new Date('2026-12-03T20:00:00Z'),
    zone: 'America/New_York',
    debrief: empty,
    commitments: [],
    ...overrides,
  };
}

describe('the full report', () => {
  it('is titled with the contact and the day in the user’s zone', () => {
    expect(buildFullReport(input()).title).toBe('Ada Lovelace · Thu 3 Dec 2026');
    // 02:00 UTC on the 4th is still the 3rd in New York, already the 4th in Tokyo.
    expect(fullReportTitle('Ada Lovelace', new Date('2026-12-04T02:00:00Z'), 'America/New_York')).toBe(
      'Ada Lovelace · Thu 3 Dec 2026',
    );
    expect(fullReportTitle('Ada Lovelace', new Date('2026-12-04T02:00:00Z'), 'Asia/Tokyo')).toBe(
      'Ada Lovelace · Fri 4 Dec 2026',
    );
    expect(fullReportTitle('  Ada\n Lovelace ', new Date('2026-12-03T20:00:00Z'), 'UTC')).toBe(
      'Ada Lovelace · Thu 3 Dec 2026',
    );
    expect([...fullReportTitle('x'.repeat(500), new Date('2026-12-03T20:00:00Z'), 'UTC')].length).toBeLessThanOrEqual(
      140,
    );
  });

  it('turns the outline into headings with bullets, a checklist and a prompt each', () => {
    const report = buildFullReport(
      input({
        debrief: {
          topics: 'Her path into analytics\n\n- a typical week',
          learned: 'Analysts spend half their time cleaning data.',
          advice: 'Learn SQL properly',
          referrals: '• Grace Hopper — Rear Admiral, US Navy\nKatherine Johnson',
          commitments: 'Take the SQL course\nEmail Grace',
          interestChange: 4,
          notes: 'Felt a good fit',
        },
        commitments: [
          { text: 'Take the SQL course', done: true },
          { text: 'Email Grace', done: false },
        ],
      }),
    );
    expect(report.markdown).toBe(
      [
        'Informational interview with **Ada Lovelace**, Analyst, Engines, on Thu 3 Dec 2026, 15:00 (America/New_York).',
        '',
        '## Topics covered',
        '',
        '- Her path into analytics',
        '- a typical week',
        '',
        '_Which of these surprised you, and why?_',
        '',
        '## What I learned',
        '',
        '- Analysts spend half their time cleaning data.',
        '',
        '_What does this change in how you picture the work?_',
        '',
        '## Advice I received',
        '',
        '- Learn SQL properly',
        '',
        '_Which piece will you act on first, and by when?_',
        '',
        '## People they suggested',
        '',
        '- **Grace Hopper** — Rear Admiral, US Navy',
        '- **Katherine Johnson**',
        '',
        '_Why each of them, and what would you ask them?_',
        '',
        '## Things I said I would do',
        '',
        '- [x] Take the SQL course',
        '- [ ] Email Grace',
        '',
        '_Give each a date, and tick it off when it is done._',
        '',
        '## How my interest changed',
        '',
        '- A little more interested',
        '',
        '_What moved it, and what would you need to find out next?_',
        '',
        '## My notes',
        '',
        '- Felt a good fit',
        '',
        '_Anything else worth keeping: how it felt, what you would do differently next time._',
        '',
      ].join('\n'),
    );
  });

  it('keeps every heading, with a prompt, when the debrief is empty', () => {
    const { markdown } = buildFullReport(input({ contact: { name: 'Mae Jemison', title: null, company: null } }));
    expect(markdown.split('\n').filter((line) => line.startsWith('## '))).toEqual([
      '## Topics covered',
      '## What I learned',
      '## Advice I received',
      '## People they suggested',
      '## Things I said I would do',
      '## How my interest changed',
      '## My notes',
    ]);
    expect(markdown).toContain('## My notes\n\n_Nothing written yet. Anything else worth keeping');
    expect(markdown.startsWith('Informational interview with **Mae Jemison**, on Thu 3 Dec 2026')).toBe(true);
  });

  it.each([
    ['Zoë Ångström', 'Zoë Ångström'],
    ['王小明', '王小明'],
    ['محمد الأحمد', 'محمد الأحمد'],
    ['Дмитрий Иванов', 'Дмитрий Иванов'],
    ['Ana 🚀 Silva', 'Ana 🚀 Silva'],
    ['<@U0002> & <!channel>', '\\<\u200b@U0002\\> \\& \\<\u200b!channel\\>'],
    ['![](@U0002) ![](#C0001)', '!\\[\\](\u200b@U0002) !\\[\\](\u200b#C0001)'],
    ['*bold* _it_ `code` ~gone~ a|b', '\\*bold\\* \\_it\\_ \\`code\\` \\~gone\\~ a\\|b'],
    ['# Not a heading', '\\# Not a heading'],
    ['- not a sub-list', '\\- not a sub-list'],
    ['1. not numbered', '1\\. not numbered'],
    ['> not a quote', '\\> not a quote'],
    ['[x] not ticked', '\\[x\\] not ticked'],
    ['&lt; stays as typed', '\\&lt; stays as typed'],
    ['C:\\path', 'C:\\\\path'],
    ['two\nlines', 'two lines'],
  ])('escapes %j so it is shown exactly, never as structure or a mention', (typed, expected) => {
    expect(escapeReportText(typed)).toBe(expected);
  });

  it('cannot be broken or made to ping by what the user typed', () => {
    const { markdown } = buildFullReport(
      input({
        contact: { name: '# <@U0002> *Ada*', title: '![](@U0003)', company: 'A & B <Co>' },
        debrief: {
          ...empty,
          topics: '## Injected heading\n<!here> please\n- [ ] fake task',
          referrals: 'Grace <@U0004> — Admiral, Navy',
          notes: '```\ncode fence',
        },
        commitments: [{ text: '[x] ![](@U0005)', done: false }],
      }),
    );
    const lines = markdown.split('\n');
    // Exactly our seven headings, and no line of the user's starts a structure of its own.
    expect(lines.filter((line) => line.startsWith('#'))).toHaveLength(7);
    expect(lines.filter((line) => line.startsWith('```'))).toEqual([]);
    expect(markdown).not.toMatch(/<@U|<!here|\]\(@U|\]\(#C/);
    expect(markdown).toContain('- \\## Injected heading');
    expect(markdown).toContain('- \\<\u200b!here\\> please');
    expect(markdown).toContain('- \\[ \\] fake task');
    expect(markdown).toContain('- [ ] \\[x\\] !\\[\\](\u200b@U0005)');
    expect(markdown).toContain('- **Grace \\<\u200b@U0004\\>** — Admiral, Navy');
    expect(markdown).toContain('**\\# \\<\u200b@U0002\\> \\*Ada\\***, !\\[\\](\u200b@U0003), A \\& B \\<Co\\>');
  });

  it('becomes a Markdown file named after its title, the title as its first heading', () => {
    const report = buildFullReport(input({ contact: { name: 'A/B: "C" <D>', title: null, company: null } }));
    const file = fullReportFile(report);
    expect(file.filename).toBe('A-B- -C- -D- · Thu 3 Dec 2026.md');
    expect(file.content).toBe(`# A/B: "C" \\<D\\> · Thu 3 Dec 2026\n\n${report.markdown}`);
  });
});
