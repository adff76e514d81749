// What every reader of an imported file gives back, and the limits an import keeps. Pure types and constants.

/** At most this many bytes are read from a file (the download stops past it, whatever size Slack reported). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** At most this many people in one file. */
export const MAX_IMPORT_ROWS = 10_000;

export type ImportFormat = 'linkedin' | 'google' | 'outlook' | 'csv' | 'vcard';

export const FORMAT_LABELS: Readonly<Record<ImportFormat, string>> = {
  linkedin: 'LinkedIn connections',
  google: 'Google Contacts',
  outlook: 'Outlook contacts',
  csv: 'contacts CSV',
  vcard: 'vCard',
};

/** One person as a file gives them, before the contact rules: raw text, trimmed, '' when absent. */
export interface ImportRow {
  /** The line of the file the person starts on (1-based), for the preview to point at. */
  line: number;
  name: string;
  company: string;
  title: string;
  emails: string[];
  phones: string[];
  links: string[];
  notes: string;
  howMet: string;
}

/** A row that cannot become a contact, and why (a sentence for the user, without the row's contents). */
export interface UnreadableRow {
  line: number;
  why: string;
}

export type ReadFile =
  | { ok: true; format: ImportFormat; rows: ImportRow[]; unreadable: UnreadableRow[] }
  | { ok: false; problem: string };

export function emptyRow(line: number): ImportRow {
  return { line, name: '', company: '', title: '', emails: [], phones: [], links: [], notes: '', howMet: '' };
}

/** Spaces (tabs, non-breaking, newlines) collapsed to one and trimmed. */
export function clean(text: string | undefined | null): string {
  return (text ?? '').replace(/[\s\u00a0]+/g, ' ').trim();
}
