import type { ShareLevel } from '../../db/schema.js';

// The centre's values as the surfaces see them (slack/ui reads no db/ module).
export type { AdvisorView, CentreSettings, ProgressShare } from '../../db/repositories/centre-repository.js';
export type { ShareLevel } from '../../db/schema.js';

// The rules of the centre's consent side: what an admin may set, what a person may choose, and what changed between
// two sets of shares (for the receipt). Pure.

/** k by default: a cohort figure needs at least this many people. */
export const DEFAULT_MIN_COHORT = 10;
/** k is never below this, whatever an admin types (issue 29). */
export const MIN_COHORT_FLOOR = 5;
/** A bound that keeps the form honest; a centre larger than this publishes no cohort figure anyway. */
export const MIN_COHORT_CEILING = 1000;
/** The most advisors a centre names: the share form lists them in groups of ten ticks (Slack's checkbox limit). */
export const MAX_ADVISORS = 50;

export const SHARE_LEVELS: readonly ShareLevel[] = ['counts', 'stages'];

export function isShareLevel(value: unknown): value is ShareLevel {
  return value === 'counts' || value === 'stages';
}

/** k as typed: a whole number from 5 to 1000, else the problem to show under the field. */
export function parseMinCohort(raw: string | null | undefined): { value: number } | { problem: string } {
  const text = (raw ?? '').trim();
  const range = `a whole number from ${MIN_COHORT_FLOOR} to ${MIN_COHORT_CEILING}`;
  if (text === '') return { problem: `Give the fewest people a cohort figure needs: ${range}.` };
  if (!/^\d{1,7}$/.test(text)) return { problem: `The fewest people must be ${range}.` };
  const value = Number(text);
  if (value < MIN_COHORT_FLOOR)
    return {
      problem: `At least ${MIN_COHORT_FLOOR} people: with fewer, a cohort figure could single someone out.`,
    };
  if (value > MIN_COHORT_CEILING) return { problem: `The fewest people must be ${range}.` };
  return { value };
}

/** The advisors an admin picked, without repeats; a problem when there are more than a centre can name. */
export function checkAdvisorPicks(picked: readonly string[]): { advisorIds: string[] } | { problem: string } {
  const advisorIds = [...new Set(picked)].sort();
  if (advisorIds.length > MAX_ADVISORS) return { problem: `A centre names at most ${MAX_ADVISORS} advisors.` };
  return { advisorIds };
}

/** What a person's share form asks of the server, as submitted (nothing trusted yet). */
export interface ShareChoice {
  advisorIds: string[];
  level: string | null;
}

export type ShareProblem = 'centre_off' | 'no_advisor' | 'not_an_advisor' | 'self' | 'no_level';

/**
 * Why a choice cannot be stored, or null when it can: the centre must be on, every pick one of its current advisors
 * (never the person themselves), at least one pick, and a level. A pick the form never offered means a forged payload.
 */
export function shareChoiceProblem(
  choice: ShareChoice,
  centre: { enabled: boolean; advisorIds: readonly string[] } | null,
  ownerId: string,
): ShareProblem | null {
  if (centre === null || !centre.enabled) return 'centre_off';
  if (choice.advisorIds.length === 0) return 'no_advisor';
  if (choice.advisorIds.includes(ownerId)) return 'self';
  const advisors = new Set(centre.advisorIds);
  if (choice.advisorIds.some((id) => !advisors.has(id))) return 'not_an_advisor';
  if (!isShareLevel(choice.level)) return 'no_level';
  return null;
}

/** The advisors a person may choose: the centre's, except themselves. */
export function choosableAdvisors(advisorIds: readonly string[], ownerId: string): string[] {
  return advisorIds.filter((id) => id !== ownerId);
}

export interface ShareLike {
  advisorId: string;
  level: ShareLevel;
}

export interface ShareChange {
  /** Who sees what now. */
  now: ShareLike[];
  /** Advisors who saw something before and see nothing now. */
  stopped: string[];
}

/** What changed between two sets of one person's shares: for the receipt. */
export function shareChange(before: readonly ShareLike[], after: readonly ShareLike[]): ShareChange {
  const kept = new Set(after.map((share) => share.advisorId));
  return {
    now: [...after],
    stopped: before.filter((share) => !kept.has(share.advisorId)).map((share) => share.advisorId),
  };
}

/** Per person, the advisors they shared with that a new advisor list drops. */
export function droppedByAdvisorChange(
  shares: readonly { ownerId: string; advisorId: string }[],
  keptAdvisors: readonly string[],
): Map<string, string[]> {
  const kept = new Set(keptAdvisors);
  const dropped = new Map<string, string[]>();
  for (const share of shares) {
    if (kept.has(share.advisorId)) continue;
    dropped.set(share.ownerId, [...(dropped.get(share.ownerId) ?? []), share.advisorId]);
  }
  return dropped;
}
