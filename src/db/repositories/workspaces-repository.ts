import type { Db, Executor } from '../database.js';

/** The workspace's reminders stop (a fact the planner reads): uninstalled, or its bot token revoked. */
export async function stopWorkspaceReminders(db: Executor, teamId: string, nowIso: string): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({
      team_id: teamId,
      uninstalled_at: null,
      purge_after: null,
      reminders_stopped_at: nowIso,
      updated_at: nowIso,
    })
    .onConflict((oc) =>
      oc
        .column('team_id')
        .doUpdateSet({ reminders_stopped_at: nowIso, updated_at: nowIso })
        .where('workspaces.reminders_stopped_at', 'is', null),
    )
    .execute();
}

/** These users' reminders stop (their tokens were revoked) until the workspace uses the app again. */
export async function stopUserReminders(
  db: Executor,
  teamId: string,
  userIds: string[],
  nowIso: string,
): Promise<void> {
  for (const userId of userIds) {
    await db
      .insertInto('slack_users')
      .values({ team_id: teamId, user_id: userId, reminders_stopped_at: nowIso, created_at: nowIso })
      .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ reminders_stopped_at: nowIso }))
      .execute();
  }
}

/** Marks the workspace uninstalled (the first time only) with the date its data may be purged. */
export async function markWorkspaceUninstalled(
  db: Executor,
  teamId: string,
  nowIso: string,
  purgeAfterIso: string,
): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({
      team_id: teamId,
      uninstalled_at: nowIso,
      purge_after: purgeAfterIso,
      reminders_stopped_at: nowIso,
      updated_at: nowIso,
    })
    .onConflict((oc) =>
      oc
        .column('team_id')
        .doUpdateSet({
          uninstalled_at: nowIso,
          purge_after: purgeAfterIso,
          reminders_stopped_at: nowIso,
          updated_at: nowIso,
        })
        .where('workspaces.uninstalled_at', 'is', null),
    )
    .execute();
}

/** A workspace that uses the app again is no longer due for purging, and its reminders (and its users') resume. */
export async function clearWorkspaceUninstalled(db: Executor, teamId: string, nowIso: string): Promise<boolean> {
  const result = await db
    .updateTable('workspaces')
    .set({ uninstalled_at: null, purge_after: null, reminders_stopped_at: null, updated_at: nowIso })
    .where('team_id', '=', teamId)
    .where((eb) => eb.or([eb('uninstalled_at', 'is not', null), eb('reminders_stopped_at', 'is not', null)]))
    .executeTakeFirst();
  const users = await db
    .updateTable('slack_users')
    .set({ reminders_stopped_at: null })
    .where('team_id', '=', teamId)
    .where('reminders_stopped_at', 'is not', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n || users.numUpdatedRows > 0n;
}

/** The workspaces known to be in an Enterprise Grid organisation (as requests from them recorded it). */
export async function workspacesInEnterprise(db: Executor, enterpriseId: string): Promise<string[]> {
  const rows = await db.selectFrom('workspaces').select('team_id').where('enterprise_id', '=', enterpriseId).execute();
  return rows.map((row) => row.team_id);
}

export async function workspacesToPurge(db: Db, nowIso: string): Promise<string[]> {
  const rows = await db.selectFrom('workspaces').select('team_id').where('purge_after', '<=', nowIso).execute();
  return rows.map((row) => row.team_id);
}

const PURGE_BATCH = 5_000;

/**
 * Deletes every row of a workspace, in batches of PURGE_BATCH per statement with a turn of the event loop between,
 * so purging a large workspace never holds up the acks of others; the workspaces row goes last, so an interrupted
 * purge is simply taken up again by the next run.
 */
export async function purgeWorkspace(db: Db, teamId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    'reminders',
    'advice_items',
    'debriefs',
    'meetings',
    'asks',
    'contacts',
    'saved_questions',
    'advisor_views',
  ] as const) {
    counts[table] = 0;
    for (;;) {
      const batch = db.selectFrom(table).select('id').where('team_id', '=', teamId).limit(PURGE_BATCH);
      const deleted = Number((await db.deleteFrom(table).where('id', 'in', batch).executeTakeFirst()).numDeletedRows);
      counts[table] += deleted;
      if (deleted < PURGE_BATCH) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  for (const table of [
    'reminder_settings',
    'reminder_replans',
    'workspace_holidays',
    'calendar_feeds',
    'advisor_home_prefs',
    'advisor_departed',
    'slack_users',
    'centre_settings',
    'centre_advisors',
    'progress_shares',
    'cohort_weeks',
    'advisor_charts',
    'processed_events',
    'workspaces',
  ] as const) {
    counts[table] = Number(
      (await db.deleteFrom(table).where('team_id', '=', teamId).executeTakeFirst()).numDeletedRows,
    );
  }
  return counts;
}
