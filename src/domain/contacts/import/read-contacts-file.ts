import { decodeText } from './decode-text.js';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, type ReadFile } from './import-file.js';
import { readContactsCsv } from './read-csv.js';
import { readVcards } from './read-vcard.js';

/**
 * Reads an uploaded contacts file, whatever its name says: vCard when its first line is BEGIN:VCARD, else CSV
 * (LinkedIn, Google, Outlook or any CSV with a name column). A file that is not one of these, too big, or with more
 * than MAX_IMPORT_ROWS people gets one sentence and no rows. Pure; never throws; the problem never quotes the file.
 */
export function readContactsFile(bytes: Uint8Array): ReadFile {
  if (bytes.length > MAX_IMPORT_BYTES) return { ok: false, problem: TOO_BIG };
  const decoded = decodeText(bytes);
  if (!decoded.ok) return decoded;
  const text = decoded.text.replace(/^\uFEFF/, '');
  const firstLine =
    text
      .trimStart()
      .slice(0, 40)
      .split(/\r\n|\n|\r/)[0]
      ?.trim()
      .toUpperCase() ?? '';
  let read: ReadFile;
  if (firstLine === 'BEGIN:VCARD') read = readVcards(text);
  else if (/^BEGIN:VCALENDAR/.test(firstLine))
    return { ok: false, problem: 'That is a calendar file, not contacts: export your contacts as CSV or vCard.' };
  else read = readContactsCsv(text);
  if (!read.ok) return read;
  const people = read.rows.length + read.unreadable.length;
  if (people === 0) return { ok: false, problem: 'That file has no contacts in it.' };
  if (people > MAX_IMPORT_ROWS)
    return {
      ok: false,
      problem: `That file has ${people.toLocaleString('en')} contacts; infoview imports up to ${MAX_IMPORT_ROWS.toLocaleString('en')} at a time: split it and import each part.`,
    };
  return read;
}

export const TOO_BIG = 'That file is over 5 MB; infoview imports files up to 5 MB: split it and import each part.';
