import type { Executor } from '../../database.js';
import { paddedList } from '../../in-list.js';
import type { AdvisorHomePrefsTable, AdvisorViewsTable } from '../../schema.js';

// What the advisor's Home keeps of its own: the advisor's sort and page, and which looks were logged lately (so a
// Home republished after every button does not flood the person's log).

export interface AdvisorHomePrefs {
  sort: AdvisorHomePrefsTable['sort'];
  page: number;
}

/** The advisor's sort and page; null before they chose any. */
export async function findAdvisorHomePrefs(
  db: Executor,
  teamId: string,
  advisorId: string,
): Promise<AdvisorHomePrefs | null> {
  const row = await db
    .selectFrom('advisor_home_prefs')
    .select(['sort', 'page'])
    .where('team_id', '=', teamId)
    .where('advisor_id', '=', advisorId)
    .executeTakeFirst();
  return row === undefined ? null : { sort: row.sort, page: row.page };
}

/** Stores the advisor's sort and page. */
export async function saveAdvisorHomePrefs(
  db: Executor,
  teamId: string,
  advisorId: string,
  prefs: AdvisorHomePrefs,
  nowIso: string,
): Promise<void> {
  await db
    .insertInto('advisor_home_prefs')
    .values({ team_id: teamId, advisor_id: advisorId, sort: prefs.sort, page: prefs.page, updated_at: nowIso })
    .onConflict((oc) =>
      oc.columns(['team_id', 'advisor_id']).doUpdateSet({ sort: prefs.sort, page: prefs.page, updated_at: nowIso }),
    )
    .execute();
}

/** Which of `ownerIds` already have a look by `advisorId` on `surface` logged at or after `sinceIso`. */
export async function ownersViewedSince(
  db: Executor,
  teamId: string,
  advisorId: string,
  ownerIds: readonly string[],
  surface: AdvisorViewsTable['surface'],
  sinceIso: string,
): Promise<Set<string>> {
  if (ownerIds.length === 0) return new Set();
  // The index advisor_views_owner (team_id, owner_id, viewed_at) finds each owner's recent rows.
  const rows = await db
    .selectFrom('advisor_views')
    .select('owner_id')
    .distinct()
    .where('team_id', '=', teamId)
    .where('owner_id', 'in', paddedList([...new Set(ownerIds)].sort()))
    .where('viewed_at', '>=', sinceIso)
    .where('advisor_id', '=', advisorId)
    .where('surface', '=', surface)
    .execute();
  return new Set(rows.map((row) => row.owner_id));
}
