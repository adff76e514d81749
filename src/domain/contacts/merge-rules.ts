import type { ReminderRow } from '../reminders/reconcile-rows.js';
import type { ReminderKind } from '../reminders/reminder-plan.js';
import type { Contact, ContactProfile } from '../types.js';
import { CONTACT_LIMITS, MAX_TAGS } from './contact-rules.js';
import { foldForSearch } from './contact-text.js';

// Merging two contacts that are one person (the pure rules; contact-merge-service.ts does it in one transaction).
// The contact the user merges from is kept; the duplicate they choose moves into it and goes.

/** A contact with the keep-in-touch facts a merge carries over. */
export interface MergeSide extends Contact {
  lastTouchAt: Date | null;
  keepInTouchSnoozedUntil: Date | null;
  lastActivityAt: Date;
}

/** The fields an empty value of the kept contact takes from the duplicate, with the label the summary shows. */
const FILLED_FIELDS = [
  ['pronunciation', 'how to pronounce it'],
  ['title', 'title'],
  ['company', 'organisation'],
  ['email', 'email'],
  ['profileUrl', 'profile link'],
  ['timeZone', 'time zone'],
  ['howMet', 'how you met'],
  ['slackUserId', 'Slack colleague'],
] as const satisfies readonly (readonly [keyof ContactProfile, string])[];

export interface MergePlan {
  /** The kept contact's profile after the merge. */
  profile: ContactProfile;
  /** The labels of the kept contact's empty fields the duplicate fills. */
  filled: string[];
  /** The duplicate's tags the kept contact does not have yet. */
  newTags: string[];
  /** The later touch of the two, with the snooze that went with it (a touch ends any earlier snooze). */
  lastTouchAt: Date | null;
  keepInTouchSnoozedUntil: Date | null;
  /** Whose keep-in-touch cadence the kept contact has after the merge. */
  cadenceFrom: 'kept' | 'duplicate' | 'none';
  /** Why the merge cannot be done as it stands (the user shortens something first); empty when it can. */
  problems: string[];
}

/** The notes of both, the duplicate's after a line naming it: nothing of either is lost. Pure. */
export function joinNotes(kept: string | null, duplicate: Contact): string | null {
  if (!duplicate.notes) return kept;
  if (!kept) return duplicate.notes;
  return `${kept}\n\n--- merged from ${duplicate.name} ---\n${duplicate.notes}`;
}

/** Both contacts' tags, the kept one's first; a tag both have (case and accents aside) once. Pure. */
export function unionTags(kept: readonly string[], duplicate: readonly string[]): string[] {
  const seen = new Set(kept.map(foldForSearch));
  const tags = [...kept];
  for (const tag of duplicate) {
    const key = foldForSearch(tag);
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  return tags;
}

const later = (a: Date | null, b: Date | null): 'a' | 'b' => (b !== null && (a === null || b > a) ? 'b' : 'a');

/** What the kept contact becomes when `duplicate` is merged into it, and anything that stops the merge. Pure. */
export function planMerge(kept: MergeSide, duplicate: MergeSide): MergePlan {
  const profile: ContactProfile = {
    name: kept.name,
    pronunciation: kept.pronunciation,
    title: kept.title,
    company: kept.company,
    email: kept.email,
    profileUrl: kept.profileUrl,
    timeZone: kept.timeZone,
    howMet: kept.howMet,
    referredById: kept.referredById,
    tags: unionTags(kept.tags, duplicate.tags),
    notes: joinNotes(kept.notes, duplicate),
    keepInTouchDays: kept.keepInTouchDays > 0 ? kept.keepInTouchDays : duplicate.keepInTouchDays,
    slackUserId: kept.slackUserId,
  };
  const filled: string[] = [];
  for (const [field, label] of FILLED_FIELDS) {
    const value = duplicate[field];
    if (!profile[field] && value) {
      profile[field] = value;
      filled.push(label);
    }
  }
  // Who referred the person: the kept contact's, else the duplicate's; never one of the two themselves.
  const referrer = [kept.referredById, duplicate.referredById].find(
    (id) => id !== null && id !== kept.id && id !== duplicate.id,
  );
  profile.referredById = referrer ?? null;
  if (kept.referredById === null && referrer !== undefined) filled.push('referred by');
  const touch = later(kept.lastTouchAt, duplicate.lastTouchAt) === 'a' ? kept : duplicate;
  const problems: string[] = [];
  if ((profile.notes ?? '').length > CONTACT_LIMITS.notes)
    problems.push(
      `Their notes together are ${(profile.notes ?? '').length} characters, over the ${CONTACT_LIMITS.notes} a contact holds. Shorten the notes of one of them first.`,
    );
  if (profile.tags.length > MAX_TAGS || profile.tags.join(', ').length > CONTACT_LIMITS.tags)
    problems.push(
      `Their tags together are more than a contact holds (${MAX_TAGS} tags, ${CONTACT_LIMITS.tags} characters). Remove some tags from one of them first.`,
    );
  return {
    profile,
    filled,
    newTags: profile.tags.slice(kept.tags.length),
    lastTouchAt: touch.lastTouchAt,
    keepInTouchSnoozedUntil: touch.keepInTouchSnoozedUntil,
    cadenceFrom: kept.keepInTouchDays > 0 ? 'kept' : duplicate.keepInTouchDays > 0 ? 'duplicate' : 'none',
    problems,
  };
}

/**
 * The waiting asks to close when two contacts become one: all but the merged contact's latest ask (the one the
 * planner follows), as asking again would; so one ask at most stays waiting, and it is the one with 3B7 nudges. Pure.
 */
export function asksToClose(waiting: readonly number[], latestAskId: number | null): number[] {
  return waiting.filter((id) => id !== latestAskId);
}

/** What becomes of the two contacts' reminder rows: the kept contact holds one row per kind after the merge. */
export interface ReminderRowMoves {
  /** Rows of the duplicate that move to the kept contact (their history and any post under way go with them). */
  move: number[];
  /** Rows that give way to the other contact's row of the same kind. */
  drop: number[];
}

const STATE_RANK: Record<ReminderRow['state'], number> = {
  claimed: 5,
  sent: 4,
  failed: 3,
  pending: 2,
  skipped: 1,
  cancelled: 0,
};

/**
 * Which rows of each kind the kept contact keeps, given the delivery keys the merged facts call for (`wanted`). A row
 * for the delivery wanted wins (a nudge already sent for it is not sent again; one pending goes out once, in the kept
 * contact's name); between two such rows, or none, the one that went furthest (sent before pending), then the kept
 * contact's. (The merge is refused while a row of either is claimed; the rank has it first all the same.) Pure.
 */
export function chooseReminderRows(
  kept: readonly ReminderRow[],
  duplicate: readonly ReminderRow[],
  wanted: ReadonlyMap<ReminderKind, string>,
): ReminderRowMoves {
  const moves: ReminderRowMoves = { move: [], drop: [] };
  for (const row of duplicate) {
    const mine = kept.find((r) => r.kind === row.kind);
    if (mine === undefined) {
      moves.move.push(row.id);
      continue;
    }
    const score = (r: ReminderRow) => (r.deliveryKey === wanted.get(r.kind) ? 10 : 0) + STATE_RANK[r.state];
    if (score(row) > score(mine)) {
      moves.drop.push(mine.id);
      moves.move.push(row.id);
    } else moves.drop.push(row.id);
  }
  return moves;
}
