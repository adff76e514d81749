import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planImport } from '../../src/domain/contacts/import/import-rules.js';
import { readContactsFile } from '../../src/domain/contacts/import/read-contacts-file.js';
import type { Contact } from '../../src/domain/types.js';
import { buildImportPreviewView, parseImportConfirm } from '../../src/slack/ui/modals/import-modal.js';
import { assertWithinBlockKitLimits } from '../support/block-kit-limits.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/imports/${name}`, import.meta.url));

function read(bytes: Uint8Array) {
  const result = readContactsFile(bytes);
  if (!result.ok) throw new Error(`not read: ${result.problem}`);
  return result;
}

describe('reading contact files as the programs that export them write them', () => {
  it("reads LinkedIn's Connections.csv below its notes lines, with the BOM, empty emails and quoted commas", () => {
    const file = read(fixture('linkedin-connections.csv'));
    expect(file.format).toBe('linkedin');
    expect(file.rows.map((r) => r.name)).toEqual([
      'Ada Lovelace',
      'Grace Hopper',
      'José Müller',
      '',
      'Katherine Johnson',
      'Alan Turing',
    ]);
    expect(file.rows[0]).toMatchObject({
      line: 5,
      company: 'Analytical Engines, Ltd',
      title: 'Analyst',
      emails: ['ada@engines.example'],
      links: ['https://www.linkedin.com/in/ada-lovelace'],
      howMet: 'Connected on LinkedIn on 12 Jan 2021',
    });
    expect(file.rows[1]).toMatchObject({ emails: [], title: 'Rear Admiral, Data' });
    expect(file.rows[4]?.title).toBe('Mathematician "human computer"');
    const plan = planImport(file.rows, file.unreadable, [], 0);
    expect(plan.created).toHaveLength(5);
    // LinkedIn leaves a member who hides their name as an empty row: it is pointed at, not imported.
    expect(plan.unreadable).toEqual([{ line: 8, why: 'it has no name' }]);
    expect(plan.created[0]).toMatchObject({ keepInTouchDays: 0, email: 'ada@engines.example', notes: null });
  });

  it('reads a Google Contacts CSV: first, middle and last names, several emails in one cell, multi-line notes', () => {
    const file = read(fixture('google-contacts.csv'));
    expect(file.format).toBe('google');
    expect(file.rows.map((r) => r.name)).toEqual(['Grace Hopper', 'Margaret Heafield Hamilton', '', 'Radia Perlman']);
    expect(file.rows[0]).toMatchObject({
      company: 'US Navy',
      title: 'Rear Admiral',
      emails: ['grace@navy.example', 'g.hopper@home.example'],
      phones: ['+1 555 0100'],
      notes: 'Met at the Computer History talk.\nAsk about COBOL.',
    });
    expect(file.rows[1]).toMatchObject({
      company: 'MIT, Instrumentation Lab',
      links: ['https://www.linkedin.com/in/mhamilton'],
    });
    const plan = planImport(file.rows, file.unreadable, [], 0);
    expect(plan.created[0]).toMatchObject({
      email: 'grace@navy.example',
      notes:
        'Met at the Computer History talk.\nAsk about COBOL.\nPhone: +1 555 0100\nOther email: g.hopper@home.example',
    });
    expect(plan.unreadable).toEqual([{ line: 5, why: 'it has no name' }]);
  });

  it("reads an Outlook CSV with CRLF line ends: Job Title is the title, not Outlook's Mr./Dr. Title", () => {
    const file = read(fixture('outlook-contacts.csv'));
    expect(file.format).toBe('outlook');
    expect(file.rows[0]).toMatchObject({
      name: 'Frances Allen',
      title: 'IBM Fellow',
      company: 'IBM Research',
      emails: ['fran@ibm.example'],
      phones: ['+1 914 555 0199'],
      links: ['www.example.org/fran'],
      notes: 'Compilers; ask about PTRAN.',
    });
    expect(file.rows[1]?.emails).toEqual(['LISKOV@MIT.EXAMPLE', 'barbara@home.example']);
    const plan = planImport(file.rows, file.unreadable, [], 90);
    expect(plan.created[0]).toMatchObject({ profileUrl: 'https://www.example.org/fran', keepInTouchDays: 90 });
  });

  it('reads vCard 3.0 with folded lines, quoted-printable with soft breaks, 2.1 bare parameters, and ignores photos', () => {
    const file = read(fixture('vcard-3.vcf'));
    expect(file.format).toBe('vcard');
    expect(file.rows.map((r) => r.name)).toEqual(['Ada King Lovelace', 'José Müller', 'Grace Hopper', '']);
    expect(file.rows[0]).toMatchObject({
      line: 1,
      company: 'Analytical Engines, Ltd',
      title: 'Analyst',
      emails: ['ada@engines.example', 'ada@home.example'],
      phones: ['+44 20 7946 0000', '+44 20 7946 0001'],
      links: ['https://www.linkedin.com/in/ada-lovelace'],
      notes:
        "Wrote the first program, for the Analytical Engine. Ask about the notes on Menabrea's paper and how she chose the Bernoulli numbers.",
    });
    expect(file.rows[1]).toMatchObject({
      company: 'Überweg GmbH',
      notes: 'Café at the conference – talked about data teams and hiring.',
    });
    expect(file.rows[2]).toMatchObject({ phones: ['+1 555 0100'], emails: ['grace@navy.example'], company: 'US Navy' });
    const plan = planImport(file.rows, file.unreadable, [], 0);
    expect(plan.created).toHaveLength(3);
    expect(plan.unreadable).toEqual([{ line: expect.any(Number), why: 'it has no name' }]);
  });

  it('reads vCard 4.0: tel: URIs, a LinkedIn social profile first among links, N when there is no FN', () => {
    const file = read(fixture('vcard-4.vcf'));
    expect(file.rows[0]).toMatchObject({
      name: 'Grace Hopper',
      company: 'US Navy',
      title: 'Director of Data',
      emails: ['grace@navy.example', 'grace@home.example'],
      phones: ['+1-555-555-0100'],
      links: ['https://www.linkedin.com/in/gracehopper', 'https://www.navy.example/hopper'],
    });
    expect(file.rows[1]).toMatchObject({ name: 'Katherine Johnson', company: 'NASA', line: 14 });
  });

  it('decodes UTF-16 with its BOM, as Excel saves "Unicode Text"', () => {
    const text = 'Name,Company\r\nZoë Ångström,Fjord AS\r\n';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(read(bytes).rows[0]).toMatchObject({ name: 'Zoë Ångström', company: 'Fjord AS' });
  });

  it.each([
    ['empty', Buffer.alloc(0), 'That file is empty.'],
    ['only blank lines', Buffer.from('\r\n\r\n  \n'), 'That file is empty.'],
    ['Latin-1', Buffer.from('First Name,Last Name\nZo\xeb,M\xfcller\n', 'latin1'), 'not UTF-8'],
    ['UTF-16 without a BOM', Buffer.from('Name,Company\r\nAda,Engines\r\n', 'utf16le'), 'not a text file'],
    ['binary (a PNG)', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'not'],
    ['a CSV with no name column', fixture('no-name-column.csv'), 'no name column'],
    ['over 5 MB', Buffer.alloc(5 * 1024 * 1024 + 1, 0x41), 'over 5 MB'],
    ['a calendar', Buffer.from('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n'), 'calendar'],
  ])('refuses a file that is %s with one sentence', (_what, bytes, says) => {
    const result = readContactsFile(bytes);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toContain(says);
    expect(result.problem.split('. ').length).toBeLessThanOrEqual(2);
  });

  it('refuses more than 10,000 people, and reads 10,000', () => {
    const header = 'First Name,Last Name,URL,Email Address,Company,Position,Connected On\n';
    const rows = (n: number) => Array.from({ length: n }, (_, i) => `P${i},L${i},,,Co,,01 Jan 2020`).join('\n');
    expect(readContactsFile(Buffer.from(header + rows(10_001))).ok).toBe(false);
    const ok = readContactsFile(Buffer.from(header + rows(10_000)));
    expect(ok.ok && ok.rows.length).toBe(10_000);
  });

  it('points at a row whose quote is never closed, by its line', () => {
    const file = read(Buffer.from('Name,Company\nAda,Engines\nGrace,"Navy\n'));
    expect(file.rows.map((r) => r.name)).toEqual(['Ada']);
    expect(file.unreadable).toEqual([{ line: 3, why: expect.stringContaining('quote') }]);
  });
});

describe('matching imported rows with the contacts a user has', () => {
  const existing: Contact = {
    id: 7,
    name: 'Ada Lovelace',
    pronunciation: null,
    title: null,
    company: 'Analytical Engines, Ltd',
    email: null,
    profileUrl: null,
    timeZone: null,
    howMet: null,
    referredById: null,
    tags: [],
    notes: 'Mine',
    keepInTouchDays: 90,
    slackUserId: null,
  };
  const row = (fields: Partial<Parameters<typeof planImport>[0][number]>) => ({
    line: 2,
    name: '',
    company: '',
    title: '',
    emails: [],
    phones: [],
    links: [],
    notes: '',
    howMet: '',
    ...fields,
  });

  it('fills only the empty fields of the same name at the same organisation, keeping its cadence and notes', () => {
    const plan = planImport(
      [row({ name: 'ada  LOVELACE', company: 'analytical engines ltd', title: 'Analyst', notes: 'Theirs' })],
      [],
      [existing],
      30,
    );
    expect(plan.created).toEqual([]);
    expect(plan.filled).toEqual([{ contact: existing, fields: { title: 'Analyst' } }]);
  });

  it('matches on an email whatever its case, and on a profile link however it is written', () => {
    const known = { ...existing, email: 'Ada@Engines.example', profileUrl: 'https://uk.linkedin.com/in/Ada/' };
    const plan = planImport(
      [
        row({ name: 'A. Lovelace', emails: ['ada@engines.EXAMPLE'] }),
        row({ name: 'Countess of Lovelace', links: ['linkedin.com/in/ada?trk=people'] }),
        row({ name: 'Grace Hopper' }),
        row({ name: 'Grace Hopper' }),
      ],
      [],
      [known],
      0,
    );
    expect(plan.unchanged).toBe(1);
    expect(plan.repeated).toBe(2);
    expect(plan.created.map((p) => p.name)).toEqual(['Grace Hopper']);
  });

  it('points at a name too long for a contact, and cuts an over-long title', () => {
    const plan = planImport([row({ name: 'N'.repeat(101) }), row({ name: 'Ok', title: 'T'.repeat(200) })], [], [], 0);
    expect(plan.unreadable).toEqual([{ line: 2, why: 'the name is longer than 100 characters' }]);
    expect([...(plan.created[0]?.title ?? '')]).toHaveLength(150);
  });
});

describe('the import preview', () => {
  it('lists the first unreadable lines and counts the rest, within Block Kit limits, with user text escaped', () => {
    const view = buildImportPreviewView(
      {
        format: 'linkedin',
        created: 9_000,
        filled: 12,
        unchanged: 3,
        repeated: 2,
        unreadable: Array.from({ length: 983 }, (_, i) => ({ line: i + 5, why: 'it has no name' })),
        sample: ['<!channel> & Co', 'Ada Lovelace'],
      },
      { fileId: 'F0ABC', digest: 'a'.repeat(64) },
    );
    assertWithinBlockKitLimits('modal', view);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('Line 24: it has no name');
    expect(text).not.toContain('Line 25:');
    expect(text).toContain('…and 963 more rows');
    expect(text).toContain('&lt;!channel&gt; &amp; Co');
    expect(view.submit?.text).toBe('Import');
    expect(parseImportConfirm({ ...view, state: { values: {} } })).toEqual({
      fileId: 'F0ABC',
      digest: 'a'.repeat(64),
      cadenceDays: 0,
    });
    expect(parseImportConfirm({ ...view, private_metadata: '{"f":"../x","d":"1"}', state: { values: {} } })).toBeNull();
  });
});
