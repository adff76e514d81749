import { FIELD_LIMITS } from '../meetings/schedule-rules.js';

export const DEBRIEF_LIMITS = {
  topics: 2000,
  learned: 2000,
  advice: 2000,
  referrals: 2000,
  commitments: 2000,
  notes: 3000,
} as const;
export const MAX_REFERRALS = 20;
export const MAX_COMMITMENTS = 20;
export const MAX_COMMITMENT_LENGTH = 300;

export interface Referral {
  name: string;
  title: string | null;
  company: string | null;
}

/** "• ", "- ", "* ", "1. ", "2) " at the start of a line: list markers, not content. */
const BULLET = /^\s*(?:[•*·▪◦‣-]|\d{1,2}[.)])\s+/u;
/** The separator between a name and the rest: an em or en dash, or a hyphen with spaces around it. */
const SEPARATOR = /\s+(?:—|–|--|-)\s+|\s*[—–]\s*/u;

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(BULLET, '').replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '');
}

export type ParsedLines<T> = { ok: true; items: T[] } | { ok: false; error: string };

/**
 * "Grace Hopper — Rear Admiral, US Navy" -> name, title, company (the last comma splits title from company).
 * Accepts em/en dashes or " - ", bullets, odd spacing and names in any script; a line with no letter in its name
 * part cannot be a person and is reported by number.
 */
export function parseReferralLines(text: string): ParsedLines<Referral> {
  const items: Referral[] = [];
  const found = lines(text);
  for (const [index, line] of found.entries()) {
    const separator = line.search(SEPARATOR);
    const namePart = (separator === -1 ? line : line.slice(0, separator)).replace(/[,;:]+$/, '').trim();
    const rest = separator === -1 ? '' : line.slice(separator).replace(SEPARATOR, '').trim();
    if (!/\p{L}/u.test(namePart)) {
      return {
        ok: false,
        error: `Line ${index + 1} ("${line.slice(0, 40)}") has no name. Write one person a line: Name — title, organisation.`,
      };
    }
    if ([...namePart].length > FIELD_LIMITS.name) {
      return { ok: false, error: `Line ${index + 1}: a name is at most ${FIELD_LIMITS.name} characters.` };
    }
    const comma = rest.lastIndexOf(',');
    const title = (comma === -1 ? rest : rest.slice(0, comma)).trim();
    const company = comma === -1 ? '' : rest.slice(comma + 1).trim();
    items.push({
      name: namePart,
      title: title === '' ? null : title.slice(0, FIELD_LIMITS.title),
      company: company === '' ? null : company.slice(0, FIELD_LIMITS.company),
    });
  }
  if (items.length > MAX_REFERRALS) return { ok: false, error: `Up to ${MAX_REFERRALS} people, please.` };
  return { ok: true, items };
}

/** "Things I said I would do", one a line, bullets dropped. */
export function parseCommitmentLines(text: string): ParsedLines<string> {
  const items = lines(text);
  if (items.length > MAX_COMMITMENTS)
    return { ok: false, error: `Up to ${MAX_COMMITMENTS} things, please: one a line.` };
  const long = items.findIndex((item) => [...item].length > MAX_COMMITMENT_LENGTH);
  if (long !== -1)
    return {
      ok: false,
      error: `Line ${long + 1} is longer than ${MAX_COMMITMENT_LENGTH} characters: keep each to one thing.`,
    };
  return { ok: true, items };
}

/** "How did your interest in this path change", 1 to 5: the form offers these, the full report says them. */
export const INTEREST_CHOICES: readonly { value: number; label: string }[] = [
  { value: 1, label: 'Much less interested' },
  { value: 2, label: 'A little less interested' },
  { value: 3, label: 'About the same' },
  { value: 4, label: 'A little more interested' },
  { value: 5, label: 'Much more interested' },
];

export interface DebriefDraft {
  topics: string;
  learned: string;
  advice: string;
  referrals: string;
  commitments: string;
  interestChange: number | null;
  notes: string;
}

export type DebriefField = keyof DebriefDraft;

export interface Debrief {
  topics: string | null;
  learned: string | null;
  advice: string | null;
  referralsText: string | null;
  referrals: Referral[];
  commitmentsText: string | null;
  commitments: string[];
  interestChange: number | null;
  notes: string | null;
}

export type DebriefValidation =
  | { ok: true; debrief: Debrief }
  | { ok: false; errors: Partial<Record<DebriefField, string>> };

/** Checks a debrief; pure. An empty debrief is allowed: even "nothing to note" closes the loop. */
export function validateDebriefDraft(draft: DebriefDraft): DebriefValidation {
  const errors: Partial<Record<DebriefField, string>> = {};
  for (const field of Object.keys(DEBRIEF_LIMITS) as (keyof typeof DEBRIEF_LIMITS)[]) {
    const length = [...draft[field]].length;
    if (length > DEBRIEF_LIMITS[field])
      errors[field] = `Please keep this under ${DEBRIEF_LIMITS[field]} characters (it has ${length}).`;
  }
  const referrals = parseReferralLines(draft.referrals);
  if (!errors.referrals && !referrals.ok) errors.referrals = referrals.error;
  const commitments = parseCommitmentLines(draft.commitments);
  if (!errors.commitments && !commitments.ok) errors.commitments = commitments.error;
  if (
    draft.interestChange !== null &&
    !(Number.isInteger(draft.interestChange) && draft.interestChange >= 1 && draft.interestChange <= 5)
  ) {
    errors.interestChange = 'Pick one of the choices.';
  }
  if (Object.keys(errors).length > 0 || !referrals.ok || !commitments.ok) return { ok: false, errors };
  const orNull = (text: string) => (text === '' ? null : text);
  return {
    ok: true,
    debrief: {
      topics: orNull(draft.topics),
      learned: orNull(draft.learned),
      advice: orNull(draft.advice),
      referralsText: orNull(draft.referrals),
      referrals: referrals.items,
      commitmentsText: orNull(draft.commitments),
      commitments: commitments.items,
      interestChange: draft.interestChange,
      notes: orNull(draft.notes),
    },
  };
}

/** What a debrief's edited "things I said I would do" do to the items already stored. */
export interface AdvicePlan {
  /** Existing items that stay (their id and tick with them), at their new position. */
  keep: { id: number; position: number; text: string }[];
  insert: { position: number; text: string }[];
  remove: number[];
}

const sameItem = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Matches the edited lines to the stored items by content, not position: a line added at the top moves the others
 * down with their ticks; a removed line removes its item; a changed line is a new item. Pure.
 */
export function planAdviceItems(existing: { id: number; text: string }[], texts: string[]): AdvicePlan {
  const unused = [...existing];
  const plan: AdvicePlan = { keep: [], insert: [], remove: [] };
  for (const [position, text] of texts.entries()) {
    const at = unused.findIndex((item) => sameItem(item.text) === sameItem(text));
    if (at === -1) plan.insert.push({ position, text });
    else plan.keep.push({ id: (unused.splice(at, 1)[0] as { id: number }).id, position, text });
  }
  plan.remove = unused.map((item) => item.id);
  return plan;
}
