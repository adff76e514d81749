import type { Executor } from '../../database.js';

// The Monday chart of each advisor and week, sent once: a row is claimed with a lease (a replica that dies loses it
// when it runs out), the file Slack numbers is stored before the chart is shared, and the row is marked sent.

export interface ChartKey {
  teamId: string;
  advisorId: string;
  /** The advisor's local Monday the chart is for ("YYYY-MM-DD"). */
  weekStart: string;
}

export interface ChartClaim {
  /** This claim's number: every later write is conditional on it, so a claim taken over writes nothing. */
  claims: number;
  /** The file an earlier claim had Slack number: it may have been shared. */
  fileId: string | null;
}

function row(db: Executor, key: ChartKey) {
  return db
    .updateTable('advisor_charts')
    .where('team_id', '=', key.teamId)
    .where('advisor_id', '=', key.advisorId)
    .where('week_start', '=', key.weekStart);
}

/** The chart's state, or null before anyone claimed it. */
export async function findChartState(db: Executor, key: ChartKey): Promise<string | null> {
  const found = await db
    .selectFrom('advisor_charts')
    .select('state')
    .where('team_id', '=', key.teamId)
    .where('advisor_id', '=', key.advisorId)
    .where('week_start', '=', key.weekStart)
    .executeTakeFirst();
  return found?.state ?? null;
}

/**
 * Claims the chart until `leaseUntilIso`: the first claim creates the row; a later one takes over only a claim whose
 * lease ran out (its outcome unknown). Null when the chart is sent, skipped, or someone else holds it.
 */
export async function claimChart(
  db: Executor,
  key: ChartKey,
  nowIso: string,
  leaseUntilIso: string,
): Promise<ChartClaim | null> {
  const inserted = await db
    .insertInto('advisor_charts')
    .values({
      team_id: key.teamId,
      advisor_id: key.advisorId,
      week_start: key.weekStart,
      state: 'claimed',
      claims: 1,
      lease_until: leaseUntilIso,
      file_id: null,
      sent_at: null,
      last_error: null,
      updated_at: nowIso,
    })
    .onConflict((oc) => oc.columns(['team_id', 'advisor_id', 'week_start']).doNothing())
    .returning('claims')
    .executeTakeFirst();
  if (inserted !== undefined) return { claims: 1, fileId: null };
  const current = await db
    .selectFrom('advisor_charts')
    .select(['state', 'claims', 'lease_until', 'file_id'])
    .where('team_id', '=', key.teamId)
    .where('advisor_id', '=', key.advisorId)
    .where('week_start', '=', key.weekStart)
    .executeTakeFirst();
  if (current === undefined || current.state !== 'claimed') return null;
  if (current.lease_until !== null && current.lease_until > nowIso) return null;
  const taken = await row(db, key)
    .set({ claims: current.claims + 1, lease_until: leaseUntilIso, updated_at: nowIso })
    .where('state', '=', 'claimed')
    .where('claims', '=', current.claims)
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1 ? { claims: current.claims + 1, fileId: current.file_id } : null;
}

/** Stores (or clears) the file numbered for this claim; false when the claim was taken over. */
export async function saveChartFile(
  db: Executor,
  key: ChartKey,
  claim: ChartClaim,
  fileId: string | null,
  nowIso: string,
): Promise<boolean> {
  const result = await row(db, key)
    .set({ file_id: fileId, updated_at: nowIso })
    .where('state', '=', 'claimed')
    .where('claims', '=', claim.claims)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends the chart: sent, or skipped (nothing to show, or Slack refused for good). */
export async function finishChart(
  db: Executor,
  key: ChartKey,
  claim: ChartClaim,
  state: 'sent' | 'skipped',
  nowIso: string,
  error: string | null,
): Promise<void> {
  await row(db, key)
    .set({
      state,
      lease_until: null,
      sent_at: state === 'sent' ? nowIso : null,
      last_error: error,
      updated_at: nowIso,
    })
    .where('state', '=', 'claimed')
    .where('claims', '=', claim.claims)
    .execute();
}

/** Keeps the chart claimed but lets a later run take it from `retryAtIso` (the file, if any, is looked for first). */
export async function releaseChart(
  db: Executor,
  key: ChartKey,
  claim: ChartClaim,
  retryAtIso: string,
  error: string,
  nowIso: string,
): Promise<void> {
  await row(db, key)
    .set({ lease_until: retryAtIso, last_error: error, updated_at: nowIso })
    .where('state', '=', 'claimed')
    .where('claims', '=', claim.claims)
    .execute();
}

/** Every advisor of every centre that is on, with their zone when known. */
export async function listActiveAdvisors(
  db: Executor,
): Promise<{ teamId: string; advisorId: string; timeZone: string | null }[]> {
  const rows = await db
    .selectFrom('centre_advisors')
    .innerJoin('centre_settings', 'centre_settings.team_id', 'centre_advisors.team_id')
    .leftJoin('slack_users', (join) =>
      join
        .onRef('slack_users.team_id', '=', 'centre_advisors.team_id')
        .onRef('slack_users.user_id', '=', 'centre_advisors.advisor_id'),
    )
    .leftJoin('workspaces', 'workspaces.team_id', 'centre_advisors.team_id')
    .select(['centre_advisors.team_id', 'centre_advisors.advisor_id', 'slack_users.time_zone'])
    .where('centre_settings.enabled', '=', 1)
    // Uninstalled or its token revoked: the centre view ended with the rest (its rows go at the purge).
    .where('workspaces.reminders_stopped_at', 'is', null)
    // An advisor whose token was revoked hears nothing, as with reminders.
    .where('slack_users.reminders_stopped_at', 'is', null)
    .orderBy('centre_advisors.team_id')
    .orderBy('centre_advisors.advisor_id')
    .execute();
  return rows.map((r) => ({ teamId: r.team_id, advisorId: r.advisor_id, timeZone: r.time_zone ?? null }));
}
