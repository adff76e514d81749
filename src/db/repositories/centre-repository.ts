import type { Owner } from '../../domain/types.js';
import type { Executor } from '../database.js';
import type { AdvisorViewsTable, ShareLevel } from '../schema.js';

// The centre view's settings, advisors, each person's shares and the log of each look. A share counts only while the
// centre is on and its advisor is still named: every read that serves an advisor joins both.

export interface CentreSettings {
  enabled: boolean;
  /** k: the fewest contributors a cohort figure needs (never below 5). */
  minCohort: number;
  advisorIds: string[];
}

export interface ProgressShare {
  advisorId: string;
  level: ShareLevel;
  since: string;
}

export interface Sharer {
  ownerId: string;
  level: ShareLevel;
  since: string;
}

export interface AdvisorView {
  advisorId: string;
  surface: AdvisorViewsTable['surface'];
  viewedAt: string;
}

/** The workspace's centre settings and advisors; null before anyone set them. */
export async function findCentre(db: Executor, teamId: string): Promise<CentreSettings | null> {
  const settings = await db
    .selectFrom('centre_settings')
    .select(['enabled', 'min_cohort'])
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  if (settings === undefined) return null;
  const advisors = await db
    .selectFrom('centre_advisors')
    .select('advisor_id')
    .where('team_id', '=', teamId)
    .orderBy('advisor_id')
    .execute();
  return {
    enabled: settings.enabled === 1,
    minCohort: settings.min_cohort,
    advisorIds: advisors.map((row) => row.advisor_id),
  };
}

/**
 * Stores the settings and the advisors; shares with anyone no longer an advisor are deleted (they would show nothing
 * anyway). Returns the owners whose shares were deleted. Run inside a transaction.
 */
export async function saveCentre(
  db: Executor,
  teamId: string,
  settings: CentreSettings,
  changedBy: string,
  nowIso: string,
): Promise<string[]> {
  await db
    .insertInto('centre_settings')
    .values({
      team_id: teamId,
      enabled: settings.enabled ? 1 : 0,
      min_cohort: settings.minCohort,
      changed_by: changedBy,
      updated_at: nowIso,
    })
    .onConflict((oc) =>
      oc.column('team_id').doUpdateSet({
        enabled: settings.enabled ? 1 : 0,
        min_cohort: settings.minCohort,
        changed_by: changedBy,
        updated_at: nowIso,
      }),
    )
    .execute();
  const keep = settings.advisorIds.length === 0 ? [''] : settings.advisorIds;
  await db.deleteFrom('centre_advisors').where('team_id', '=', teamId).where('advisor_id', 'not in', keep).execute();
  if (settings.advisorIds.length > 0)
    await db
      .insertInto('centre_advisors')
      .values(
        settings.advisorIds.map((advisorId) => ({
          team_id: teamId,
          advisor_id: advisorId,
          added_by: changedBy,
          added_at: nowIso,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  const dropped = await db
    .deleteFrom('progress_shares')
    .where('team_id', '=', teamId)
    .where('advisor_id', 'not in', keep)
    .returning('owner_id')
    .execute();
  return [...new Set(dropped.map((row) => row.owner_id))];
}

/** Every share with one of `advisorIds` in the workspace (whoever shares): who loses what when advisors go. */
export async function sharesWithAdvisors(
  db: Executor,
  teamId: string,
  advisorIds: readonly string[],
): Promise<{ ownerId: string; advisorId: string }[]> {
  if (advisorIds.length === 0) return [];
  const rows = await db
    .selectFrom('progress_shares')
    .select(['owner_id', 'advisor_id'])
    .where('team_id', '=', teamId)
    .where('advisor_id', 'in', advisorIds)
    .orderBy('owner_id')
    .orderBy('advisor_id')
    .execute();
  return rows.map((row) => ({ ownerId: row.owner_id, advisorId: row.advisor_id }));
}

/** True when the centre is on and `userId` is one of its advisors. */
export async function isActiveAdvisor(db: Executor, teamId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('centre_advisors')
    .innerJoin('centre_settings', 'centre_settings.team_id', 'centre_advisors.team_id')
    .select('centre_advisors.advisor_id')
    .where('centre_advisors.team_id', '=', teamId)
    .where('centre_advisors.advisor_id', '=', userId)
    .where('centre_settings.enabled', '=', 1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The person's own shares (whatever the centre's state: they see what they chose). */
export async function listShares(db: Executor, owner: Owner): Promise<ProgressShare[]> {
  const rows = await db
    .selectFrom('progress_shares')
    .select(['advisor_id', 'level', 'created_at'])
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .orderBy('advisor_id')
    .execute();
  return rows.map((row) => ({ advisorId: row.advisor_id, level: row.level, since: row.created_at }));
}

/**
 * Replaces the person's shares with `shares`, kept only for current advisors of a centre that is on; an advisor kept
 * keeps its first date. Returns what was stored. Run inside a transaction.
 */
export async function replaceShares(
  db: Executor,
  owner: Owner,
  shares: readonly { advisorId: string; level: ShareLevel }[],
  nowIso: string,
): Promise<ProgressShare[]> {
  const centre = await findCentre(db, owner.teamId);
  const allowed = new Set(centre?.enabled ? centre.advisorIds : []);
  const wanted = shares.filter((share) => allowed.has(share.advisorId) && share.advisorId !== owner.userId);
  const keep = wanted.length === 0 ? [''] : wanted.map((share) => share.advisorId);
  await db
    .deleteFrom('progress_shares')
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('advisor_id', 'not in', keep)
    .execute();
  for (const share of wanted)
    await db
      .insertInto('progress_shares')
      .values({
        team_id: owner.teamId,
        owner_id: owner.userId,
        advisor_id: share.advisorId,
        level: share.level,
        created_at: nowIso,
        updated_at: nowIso,
      })
      .onConflict((oc) =>
        oc.columns(['team_id', 'owner_id', 'advisor_id']).doUpdateSet({ level: share.level, updated_at: nowIso }),
      )
      .execute();
  return listShares(db, owner);
}

/** Stops every share of the person; returns the advisors who could see them. */
export async function deleteShares(db: Executor, owner: Owner): Promise<string[]> {
  const rows = await db
    .deleteFrom('progress_shares')
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .returning('advisor_id')
    .execute();
  return rows.map((row) => row.advisor_id);
}

/** The workspace's shares that count: the centre is on and their advisor is still named (the rule, written once). */
function liveShares(db: Executor, teamId: string) {
  return db
    .selectFrom('progress_shares')
    .innerJoin('centre_advisors', (join) =>
      join
        .onRef('centre_advisors.team_id', '=', 'progress_shares.team_id')
        .onRef('centre_advisors.advisor_id', '=', 'progress_shares.advisor_id'),
    )
    .innerJoin('centre_settings', 'centre_settings.team_id', 'progress_shares.team_id')
    .where('progress_shares.team_id', '=', teamId)
    .where('centre_settings.enabled', '=', 1);
}

/** Who shares with `advisorId` now: nobody unless the centre is on and they are still one of its advisors. */
export async function sharersOf(db: Executor, teamId: string, advisorId: string): Promise<Sharer[]> {
  const rows = await liveShares(db, teamId)
    .select(['progress_shares.owner_id', 'progress_shares.level', 'progress_shares.created_at'])
    .where('progress_shares.advisor_id', '=', advisorId)
    .orderBy('progress_shares.owner_id')
    .execute();
  return rows.map((row) => ({ ownerId: row.owner_id, level: row.level, since: row.created_at }));
}

/** Everyone who shares with any current advisor of a centre that is on: the cohort. */
export async function cohortMembers(db: Executor, teamId: string): Promise<string[]> {
  const rows = await liveShares(db, teamId)
    .select('progress_shares.owner_id')
    .distinct()
    .orderBy('progress_shares.owner_id')
    .execute();
  return rows.map((row) => row.owner_id);
}

/** Logs that `advisorId` saw each of `ownerIds` (one row each). */
export async function recordViews(
  db: Executor,
  teamId: string,
  advisorId: string,
  ownerIds: readonly string[],
  surface: AdvisorView['surface'],
  nowIso: string,
): Promise<void> {
  if (ownerIds.length === 0) return;
  await db
    .insertInto('advisor_views')
    .values(
      ownerIds.map((ownerId) => ({
        team_id: teamId,
        owner_id: ownerId,
        advisor_id: advisorId,
        surface,
        viewed_at: nowIso,
      })),
    )
    .execute();
}

/** The latest looks at the person's figures, newest first. */
export async function listViews(db: Executor, owner: Owner, limit: number): Promise<AdvisorView[]> {
  const rows = await db
    .selectFrom('advisor_views')
    .select(['advisor_id', 'surface', 'viewed_at'])
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .orderBy('viewed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ advisorId: row.advisor_id, surface: row.surface, viewedAt: row.viewed_at }));
}
