import { parse } from 'csv-parse/sync';
import {
  clean,
  emptyRow,
  type ImportFormat,
  type ImportRow,
  type ReadFile,
  type UnreadableRow,
} from './import-file.js';

// Contacts CSV as LinkedIn (Connections.csv), Google Contacts and Outlook write it, read by header name so that
// columns may come in any order and extra columns are ignored.

/** How far down a file the header row may be: LinkedIn puts a few "Notes:" lines above its own. */
const HEADER_SEARCH_LINES = 20;

type Column = { index: number; header: string };

/** Header names, lower-cased, for each part of a person. Outlook's bare "Title" is Mr./Dr., so it is not a title. */
const FIRST = ['first name', 'given name'];
const MIDDLE = ['middle name', 'additional name'];
const LAST = ['last name', 'family name', 'surname'];
const FULL = ['name', 'full name', 'display name', 'file as'];
const COMPANY = ['company', 'organization name', 'organization 1 - name', 'organisation', 'organization'];
const TITLE = ['position', 'job title', 'organization title', 'organization 1 - title'];
const NOTES = ['notes', 'note'];
const LINKEDIN_CONNECTED = 'connected on';

const isEmailHeader = (h: string) =>
  /^(e-?mail( address)?|e-?mail \d+ address|e-?mail \d+ - value|e-?mail address \d+)$/.test(h);
const isPhoneHeader = (h: string) =>
  /^((primary|home|business|mobile|other|company main|car) phone( \d)?|phone \d+ - value|phone( number)?)$/.test(h);
const isLinkHeader = (h: string) => /^(url|web page|website|website \d+ - value|personal web page)$/.test(h);

function detectFormat(headers: readonly string[]): ImportFormat {
  const has = (name: string) => headers.includes(name);
  if (has('url') && has(LINKEDIN_CONNECTED)) return 'linkedin';
  if (headers.some((h) => /^e-mail \d+ - value$/.test(h)) || has('organization name')) return 'google';
  if (has('e-mail address') || has('job title')) return 'outlook';
  return 'csv';
}

const hasNameColumn = (headers: readonly string[]) =>
  headers.some((h) => FIRST.includes(h) || LAST.includes(h) || FULL.includes(h));

/** Google puts several values in one cell joined by " ::: ". */
const values = (cell: string) =>
  cell
    .split(':::')
    .map((part) => clean(part))
    .filter((part) => part !== '');

/**
 * Reads a contacts CSV (text already decoded). The first record among the first few that names a name column is the
 * header; records above it are the exporter's notes. A record with a broken quote is reported with its line and
 * the rest of the file is still read. Pure; never throws.
 */
export function readContactsCsv(text: string): ReadFile {
  const header = findHeader(text);
  if (header === null) {
    return {
      ok: false,
      problem:
        'That CSV has no name column (such as "First Name", "Last Name" or "Name"): export it from LinkedIn, Google Contacts or Outlook.',
    };
  }
  // Parsed from the header on: csv-parse makes (and, relaxed, drops) an error object for every record whose column
  // count differs from the first record's, which costs more than the parse when the first is a one-cell note.
  const bytes = Buffer.from(text.slice(header.offset), 'utf8');
  const linesAbove = header.line - 1;
  const unreadable: UnreadableRow[] = [];
  const lineAt = lineFinder(bytes, linesAbove);
  let raw: unknown[];
  try {
    // With `info`, each record comes as { record, info }, which csv-parse's types do not say: checked below.
    raw = parse(bytes, {
      info: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        if (error)
          unreadable.push({
            line: linesAbove + Number(error.lines),
            why: 'a quote is not closed, so the row cannot be split',
          });
      },
    });
  } catch {
    return { ok: false, problem: 'That file could not be read as CSV: export your contacts again and import that.' };
  }
  const records = raw.filter(isRecordWithInfo);
  const headers = header.cells;
  const format = detectFormat(headers);
  const columns = (test: (h: string) => boolean): Column[] =>
    headers.flatMap((header, index) => (test(header) ? [{ index, header }] : []));
  const one = (names: readonly string[]) => columns((h) => names.includes(h));
  const map = {
    first: one(FIRST),
    middle: one(MIDDLE),
    last: one(LAST),
    full: one(FULL),
    company: one(COMPANY),
    title: one(TITLE),
    notes: one(NOTES),
    connected: one([LINKEDIN_CONNECTED]),
    emails: columns(isEmailHeader),
    phones: columns(isPhoneHeader),
    links: columns(isLinkHeader),
  };
  const rows: ImportRow[] = [];
  let end = records[0]?.info.bytes ?? 0;
  for (const { record, info } of records.slice(1)) {
    const line = lineAt(end);
    end = info.bytes;
    const cell = (cols: Column[]) => clean(cols.map((c) => record[c.index] ?? '').find((v) => clean(v) !== ''));
    const all = (cols: Column[]) => cols.flatMap((c) => values(record[c.index] ?? ''));
    if (record.every((value) => clean(value) === '')) continue;
    const row = emptyRow(line);
    const parts = [cell(map.first), cell(map.middle), cell(map.last)].filter((p) => p !== '');
    row.name = parts.length > 0 ? parts.join(' ') : cell(map.full);
    row.company = cell(map.company);
    row.title = cell(map.title);
    row.emails = all(map.emails);
    row.phones = all(map.phones);
    row.links = all(map.links);
    row.notes = map.notes.map((c) => (record[c.index] ?? '').trim()).find((v) => v !== '') ?? '';
    const connected = cell(map.connected);
    if (format === 'linkedin') row.howMet = connected ? `Connected on LinkedIn on ${connected}` : 'LinkedIn connection';
    rows.push(row);
  }
  return { ok: true, format, rows, unreadable };
}

type RecordWithInfo = { record: string[]; info: { bytes: number } };

function isRecordWithInfo(value: unknown): value is RecordWithInfo {
  const candidate = value as Partial<RecordWithInfo> | null;
  return Array.isArray(candidate?.record) && typeof candidate?.info?.bytes === 'number';
}

/**
 * The header row: the first of the first few lines that names a name column (lines above it are the exporter's
 * notes, each on one line as LinkedIn writes them), its 1-based line, its offset in the text and its cells, lower-cased.
 */
function findHeader(text: string): { line: number; offset: number; cells: string[] } | null {
  let offset = 0;
  for (let line = 1; line <= HEADER_SEARCH_LINES && offset < text.length; line++) {
    const end = text.slice(offset).search(/\r\n|\n|\r/);
    const lineText = end === -1 ? text.slice(offset) : text.slice(offset, offset + end);
    let cells: string[] = [];
    try {
      cells = (parse(lineText, { relax_quotes: true, relax_column_count: true })[0] ?? []).map((cell) =>
        clean(cell).toLowerCase(),
      );
    } catch {
      cells = [];
    }
    if (hasNameColumn(cells)) return { line, offset, cells };
    if (end === -1) break;
    offset += end + (text.startsWith('\r\n', offset + end) ? 2 : 1);
  }
  return null;
}

/** The line (1-based, after `linesAbove`) of the first character at or after byte `offset` that is not a line end. */
function lineFinder(bytes: Buffer, linesAbove: number): (offset: number) => number {
  const newlines: number[] = [];
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) newlines.push(i);
  return (offset: number) => {
    let start = offset;
    while (start < bytes.length && (bytes[start] === 0x0a || bytes[start] === 0x0d)) start++;
    let low = 0;
    let high = newlines.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((newlines[mid] as number) < start) low = mid + 1;
      else high = mid;
    }
    return linesAbove + low + 1;
  };
}
