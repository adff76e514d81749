import { z } from 'zod';
import { webLinkProblem, withScheme } from '../../links.js';
import type { Contact, ContactProfile } from '../../types.js';
import { CONTACT_LIMITS } from '../contact-rules.js';
import { contactNameKey } from '../contact-text.js';
import type { ImportRow, UnreadableRow } from './import-file.js';

// What an import does with each person a file gives: a new contact, empty fields of one the user has filled in, or
// nothing (already there, or a repeat of an earlier row). Pure: the caller loads the user's contacts and writes.

const emailSchema = z.email();

/** The fields an import may fill in on a contact that has them empty. */
export type FillableField = 'title' | 'company' | 'email' | 'profileUrl' | 'howMet' | 'notes';
const FILLABLE: readonly FillableField[] = ['title', 'company', 'email', 'profileUrl', 'howMet', 'notes'];

export interface ImportPlan {
  created: ContactProfile[];
  filled: { contact: Contact; fields: Partial<Pick<ContactProfile, FillableField>> }[];
  /** Matched a contact that already has everything this row brings. */
  unchanged: number;
  /** The same person as an earlier row of the file. */
  repeated: number;
  unreadable: UnreadableRow[];
}

/** "linkedin.com/in/ada" -> "https://linkedin.com/in/ada"; "www.x.org" as withScheme; anything else as written. */
export function asWebLink(text: string): string {
  const trimmed = withScheme(text.trim());
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/\S*)?$/i.test(trimmed) ? `https://${trimmed}` : trimmed;
}

/** "https://www.LinkedIn.com/in/Ada/?trk=x" and "linkedin.com/in/ada" are one profile. */
export function profileLinkKey(url: string): string {
  try {
    const parsed = new URL(asWebLink(url));
    const host = parsed.hostname
      .toLowerCase()
      .replace(/^www\./, '')
      .replace(/^[a-z]{2}\.(linkedin\.com)$/, '$1');
    return `${host}${decodeURIComponent(parsed.pathname).replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return url.trim().toLowerCase();
  }
}

const emailKey = (email: string) => email.trim().toLowerCase();

const cutTo = (text: string, max: number) =>
  [...text].length <= max ? text : `${[...text].slice(0, max - 1).join('')}…`;
const orNull = (text: string) => (text === '' ? null : text);

/** A row as a contact profile (keep-in-touch `cadenceDays`), or why it cannot be one. */
export function profileOfRow(row: ImportRow, cadenceDays: number): { profile: ContactProfile } | { why: string } {
  if (row.name === '') return { why: 'it has no name' };
  if ([...row.name].length > CONTACT_LIMITS.name)
    return { why: `the name is longer than ${CONTACT_LIMITS.name} characters` };
  const emails = row.emails.map((e) => e.replace(/^mailto:/i, ''));
  const email = emails.find((e) => [...e].length <= CONTACT_LIMITS.email && emailSchema.safeParse(e).success);
  const link = row.links
    .map(asWebLink)
    .find((l) => [...l].length <= CONTACT_LIMITS.profileUrl && webLinkProblem(l) === undefined);
  const extras = [
    row.phones.length > 0 ? `Phone: ${row.phones.join(', ')}` : '',
    emails.filter((e) => e !== email).length > 0 ? `Other email: ${emails.filter((e) => e !== email).join(', ')}` : '',
    row.links.filter((l) => asWebLink(l) !== link).length > 0
      ? `Other link: ${row.links.filter((l) => asWebLink(l) !== link).join(', ')}`
      : '',
  ].filter((line) => line !== '');
  const notes = [row.notes, ...extras].filter((part) => part !== '').join('\n');
  return {
    profile: {
      name: row.name,
      pronunciation: null,
      title: orNull(cutTo(row.title, CONTACT_LIMITS.title)),
      company: orNull(cutTo(row.company, CONTACT_LIMITS.company)),
      email: email ?? null,
      profileUrl: link ?? null,
      timeZone: null,
      howMet: orNull(cutTo(row.howMet, CONTACT_LIMITS.howMet)),
      referredById: null,
      tags: [],
      notes: orNull(cutTo(notes, CONTACT_LIMITS.notes)),
      keepInTouchDays: cadenceDays,
      slackUserId: null,
    },
  };
}

/** The ways one person is recognised: each email, the profile link, the name with the organisation. */
function keysOf(profile: ContactProfile, row: ImportRow | null): string[] {
  const emails = row === null ? [profile.email ?? ''] : row.emails.map((e) => e.replace(/^mailto:/i, ''));
  return [
    ...emails.filter((e) => e.trim() !== '').map((e) => `e:${emailKey(e)}`),
    ...(profile.profileUrl ? [`l:${profileLinkKey(profile.profileUrl)}`] : []),
    `n:${contactNameKey(profile.name, profile.company)}`,
  ];
}

/**
 * Decides what importing `rows` does to the user's `existing` contacts: a row matching a contact (same email,
 * case ignored; same profile link; or same name and organisation) fills that contact's empty fields or changes
 * nothing; a row matching an earlier row is a repeat; the rest are new, with `cadenceDays` keep-in-touch.
 */
export function planImport(
  rows: readonly ImportRow[],
  unreadable: readonly UnreadableRow[],
  existing: readonly Contact[],
  cadenceDays: number,
): ImportPlan {
  const plan: ImportPlan = { created: [], filled: [], unchanged: 0, repeated: 0, unreadable: [...unreadable] };
  const byKey = new Map<string, Contact>();
  for (const contact of existing) for (const key of keysOf(contact, null)) if (!byKey.has(key)) byKey.set(key, contact);
  const seen = new Set<string>();
  const touched = new Set<number>();
  for (const row of rows) {
    const read = profileOfRow(row, cadenceDays);
    if ('why' in read) {
      plan.unreadable.push({ line: row.line, why: read.why });
      continue;
    }
    const keys = keysOf(read.profile, row);
    const match = keys.map((key) => byKey.get(key)).find((c) => c !== undefined);
    if (match !== undefined && !touched.has(match.id)) {
      touched.add(match.id);
      const fields: Partial<Pick<ContactProfile, FillableField>> = {};
      for (const field of FILLABLE) {
        const value = read.profile[field];
        if (match[field] === null && value !== null) fields[field] = value;
      }
      if (Object.keys(fields).length > 0) plan.filled.push({ contact: match, fields });
      else plan.unchanged += 1;
    } else if (match !== undefined || keys.some((key) => seen.has(key))) {
      plan.repeated += 1;
    } else {
      plan.created.push(read.profile);
    }
    for (const key of keys) seen.add(key);
  }
  plan.unreadable.sort((a, b) => a.line - b.line);
  return plan;
}
