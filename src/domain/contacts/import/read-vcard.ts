import ICAL from 'ical.js';
import { clean, emptyRow, type ImportRow, type ReadFile, type UnreadableRow } from './import-file.js';

// vCard 2.1, 3.0 and 4.0 (.vcf) as phones, Apple Contacts, Google and Outlook write them: several cards in one
// file, folded lines, quoted-printable values (2.1/3.0 style, with soft line breaks), bare 2.1 parameters
// (TEL;CELL), photos. ical.js parses each card; the line handling before it is what ical.js does not do.

/** Properties never read and often huge (base64 images, sounds, keys): dropped before parsing. */
const DROPPED = /^(photo|logo|sound|key)[;:]/i;

type Line = { text: string; line: number };

/** Physical lines joined into logical ones: folded lines (leading space or tab) and quoted-printable soft breaks. */
function logicalLines(text: string): Line[] {
  const physical = text.split(/\r\n|\n|\r/);
  const out: Line[] = [];
  for (let i = 0; i < physical.length; i++) {
    const raw = physical[i] as string;
    const previous = out.at(-1);
    if (previous !== undefined && (raw.startsWith(' ') || raw.startsWith('\t'))) {
      previous.text += raw.slice(1);
      continue;
    }
    let current = raw;
    const line = i + 1;
    // A quoted-printable value ending in "=" goes on to the next line, which is not indented.
    while (isQuotedPrintable(current) && current.endsWith('=') && i + 1 < physical.length) {
      current = current.slice(0, -1) + (physical[++i] as string);
    }
    out.push({ text: current, line });
  }
  return out;
}

function isQuotedPrintable(line: string): boolean {
  const colon = line.indexOf(':');
  return colon > 0 && /;(encoding=)?quoted-printable/i.test(line.slice(0, colon));
}

/**
 * "TEL;CELL;PREF:…" (vCard 2.1) -> "TEL;TYPE=CELL;TYPE=PREF:…", and Apple's grouped "item1.URL:…" -> "URL:…", which
 * ical.js reads.
 */
function withNamedParameters(line: string): string {
  const colon = line.indexOf(':');
  if (colon <= 0) return line;
  const [name = '', ...params] = line.slice(0, colon).split(';');
  const named = params.map((p) => (p.includes('=') ? p : `TYPE=${p}`));
  return [name.replace(/^[A-Za-z0-9-]+\./, ''), ...named].join(';') + line.slice(colon);
}

function decodeQuotedPrintable(value: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value.slice(i + 1, i + 3);
    if (value[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of Buffer.from(value[i] as string, 'utf8')) bytes.push(b);
    }
  }
  try {
    return new TextDecoder(charset || 'utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
  }
}

type JProperty = [string, Record<string, unknown>, string, ...unknown[]];

/** A property's values as text, quoted-printable decoded; structured values (N, ORG) as their parts. */
function textOf(prop: JProperty): string[] {
  const [, params, , ...rest] = prop;
  const parts = rest.flatMap((value) => (Array.isArray(value) ? value : [value])).map((v) => String(v ?? ''));
  const encoding = String(params.encoding ?? '').toLowerCase();
  if (encoding !== 'quoted-printable') return parts;
  const charset = String(params.charset ?? 'utf-8').toLowerCase();
  return parts.map((part) => decodeQuotedPrintable(part, charset));
}

function readCard(props: JProperty[], line: number): ImportRow {
  const row = emptyRow(line);
  const first = (name: string) => props.find((p) => p[0] === name);
  const fn = first('fn');
  const n = first('n');
  if (fn) row.name = clean(textOf(fn).join(' '));
  if (row.name === '' && n) {
    const [family = '', given = '', middle = ''] = textOf(n);
    row.name = clean([given, middle, family].join(' '));
  }
  const org = first('org');
  if (org) row.company = clean(textOf(org)[0]);
  const title = first('title');
  if (title) row.title = clean(textOf(title).join(' '));
  const note = first('note');
  if (note) row.notes = textOf(note).join('\n').trim();
  for (const prop of props) {
    const name = prop[0];
    const value = clean(textOf(prop).join(' '));
    if (value === '') continue;
    if (name === 'email') row.emails.push(value);
    else if (name === 'tel') row.phones.push(value.replace(/^tel:/i, ''));
    else if (name === 'x-socialprofile' && /linkedin/i.test(String(prop[1].type ?? '') + value))
      row.links.unshift(value);
    else if (name === 'url' || name === 'x-socialprofile') row.links.push(value);
  }
  return row;
}

/** Reads every card of a .vcf (text already decoded); a card that cannot be read is reported with its line. Pure. */
export function readVcards(text: string): ReadFile {
  const rows: ImportRow[] = [];
  const unreadable: UnreadableRow[] = [];
  let card: Line[] | null = null;
  let start = 0;
  for (const { text: raw, line } of logicalLines(text)) {
    const upper = raw.trim().toUpperCase();
    if (upper === 'BEGIN:VCARD') {
      if (card !== null) unreadable.push({ line: start, why: 'the card has no END:VCARD' });
      card = [];
      start = line;
    } else if (upper === 'END:VCARD' && card !== null) {
      const lines = card.map((l) => withNamedParameters(l.text)).filter((l) => l.trim() !== '' && !DROPPED.test(l));
      try {
        const parsed = ICAL.parse(['BEGIN:VCARD', ...lines, 'END:VCARD', ''].join('\r\n')) as [string, JProperty[]];
        rows.push(readCard(parsed[1], start));
      } catch {
        unreadable.push({ line: start, why: 'the card could not be read (a line is malformed)' });
      }
      card = null;
    } else if (card !== null) {
      card.push({ text: raw, line });
    }
  }
  if (card !== null) unreadable.push({ line: start, why: 'the card has no END:VCARD' });
  return { ok: true, format: 'vcard', rows, unreadable };
}
