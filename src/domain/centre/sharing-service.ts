import type { Db } from '../../db/database.js';
import { lockCentre } from '../../db/dialect.js';
import {
  type AdvisorView,
  deleteShares,
  findCentre,
  listShares,
  listViews,
  type ProgressShare,
  replaceShares,
} from '../../db/repositories/centre-repository.js';
import type { ShareLevel } from '../../db/schema.js';
import { pausePoint } from '../../lib/pause-points.js';
import { toDbInstant } from '../../lib/zoned-time.js';
import type { Owner } from '../types.js';
import {
  choosableAdvisors,
  type ShareChange,
  type ShareChoice,
  type ShareProblem,
  shareChange,
  shareChoiceProblem,
} from './consent-rules.js';

// Each person's side of the centre view: they choose whom to share their progress with and at which level, stop in
// one tap, and see at any time who sees what and each time an advisor looked.

/** How many looks the "Who sees my progress" view lists. */
export const VIEW_LOG_SIZE = 20;

export interface SharingState {
  centreOn: boolean;
  /** The advisors the person may pick: the centre's, never themselves. */
  advisors: string[];
  shares: ProgressShare[];
}

/** What the share form needs: whether the centre is on, whom the person may pick, and what they share now. */
export async function sharingState(db: Db, owner: Owner): Promise<SharingState> {
  const [centre, shares] = await Promise.all([findCentre(db, owner.teamId), listShares(db, owner)]);
  const centreOn = centre?.enabled === true;
  return { centreOn, advisors: centreOn ? choosableAdvisors(centre.advisorIds, owner.userId) : [], shares };
}

/**
 * Home's sharing section: null when the centre is off and the person shares nothing (Home then says nothing about it).
 * With the centre off, choices made earlier are kept and shown, so the person sees what would resume if it came back.
 */
export async function sharingForHome(db: Db, owner: Owner): Promise<SharingState | null> {
  // Most workspaces never turn the centre on: one cheap read, and their Home costs nothing more.
  const centre = await findCentre(db, owner.teamId);
  if (centre === null) return null;
  const shares = await listShares(db, owner);
  if (!centre.enabled) return shares.length === 0 ? null : { centreOn: false, advisors: [], shares };
  return { centreOn: true, advisors: choosableAdvisors(centre.advisorIds, owner.userId), shares };
}

export type ShareResult = { ok: true; change: ShareChange } | { ok: false; problem: ShareProblem };

/**
 * Stores the person's choice in one transaction, checked against the centre as it is now: a pick that is not one of
 * its current advisors (or the person), or a centre that is off, stores nothing and says why.
 */
export async function shareProgress(db: Db, owner: Owner, choice: ShareChoice, now: Date): Promise<ShareResult> {
  return db.transaction().execute(async (trx) => {
    await lockCentre(trx, owner.teamId);
    const problem = shareChoiceProblem(choice, await findCentre(trx, owner.teamId), owner.userId);
    if (problem !== null) return { ok: false, problem };
    await pausePoint('centre:share-checked', owner);
    const level = choice.level as ShareLevel;
    const before = await listShares(trx, owner);
    const after = await replaceShares(
      trx,
      owner,
      [...new Set(choice.advisorIds)].map((advisorId) => ({ advisorId, level })),
      toDbInstant(now),
    );
    return { ok: true, change: shareChange(before, after) };
  });
}

/** Stops every share of the person at once; the advisors who could see them (none when they shared nothing). */
export function stopSharing(db: Db, owner: Owner): Promise<string[]> {
  return deleteShares(db, owner);
}

export interface WhoSees {
  centreOn: boolean;
  shares: ProgressShare[];
  /** The latest looks, newest first. */
  views: AdvisorView[];
}

/** Who can see what of the person, and the latest times an advisor looked. */
export async function whoSees(db: Db, owner: Owner): Promise<WhoSees> {
  const [centre, shares, views] = await Promise.all([
    findCentre(db, owner.teamId),
    listShares(db, owner),
    listViews(db, owner, VIEW_LOG_SIZE),
  ]);
  return { centreOn: centre?.enabled === true, shares, views };
}
