import type { Db } from '../database.js';

/** Stops every reminder of a workspace that has not been sent: pending ones, and claimed ones not yet recorded. */
export async function cancelWorkspaceReminders(db: Db, teamId: string, nowIso: string, userIds?: string[]): Promise<number> {
  let query = db.updateTable('reminders').set({ state: 'cancelled', lease_until: null, updated_at: nowIso }).where('team_id', '=', teamId).where('state', 'in', ['pending', 'claimed']);
  if (userIds) {
    if (userIds.length === 0) return 0;
    query = query.where('owner_id', 'in', userIds);
  }
  return Number((await query.executeTakeFirst()).numUpdatedRows);
}

/** Marks the workspace uninstalled (the first time only) with the date its data may be purged. */
export async function markWorkspaceUninstalled(db: Db, teamId: string, nowIso: string, purgeAfterIso: string): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({ team_id: teamId, uninstalled_at: nowIso, purge_after: purgeAfterIso, updated_at: nowIso })
    .onConflict((oc) =>
      oc.column('team_id').doUpdateSet({ uninstalled_at: nowIso, purge_after: purgeAfterIso, updated_at: nowIso }).where('workspaces.uninstalled_at', 'is', null),
    )
    .execute();
}

/** A workspace that uses the app again is no longer due for purging. */
export async function clearWorkspaceUninstalled(db: Db, teamId: string, nowIso: string): Promise<boolean> {
  const result = await db
    .updateTable('workspaces')
    .set({ uninstalled_at: null, purge_after: null, updated_at: nowIso })
    .where('team_id', '=', teamId)
    .where('uninstalled_at', 'is not', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
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
  for (const table of ['reminders', 'advice_items', 'debriefs', 'meetings', 'contacts', 'saved_questions'] as const) {
    counts[table] = 0;
    for (;;) {
      const batch = db.selectFrom(table).select('id').where('team_id', '=', teamId).limit(PURGE_BATCH);
      const deleted = Number((await db.deleteFrom(table).where('id', 'in', batch).executeTakeFirst()).numDeletedRows);
      counts[table] += deleted;
      if (deleted < PURGE_BATCH) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  for (const table of ['reminder_settings', 'slack_users', 'workspaces'] as const) {
    counts[table] = Number((await db.deleteFrom(table).where('team_id', '=', teamId).executeTakeFirst()).numDeletedRows);
  }
  return counts;
}

/** The scheduled meetings since `sinceIso` and the contacts with a keep-in-touch cadence of a workspace. */
export async function workspaceFollowUps(db: Db, teamId: string, sinceIso: string) {
  const meetings = await db
    .selectFrom('meetings')
    .select(['id', 'owner_id', 'starts_at', 'duration_minutes', 'time_zone', 'thank_you_sent_at', 'debriefed_at', 'reported_back_at'])
    .where('team_id', '=', teamId)
    .where('status', '=', 'scheduled')
    .where('starts_at', '>=', sinceIso)
    .execute();
  const contacts = await db
    .selectFrom('contacts')
    .select(['id', 'owner_id'])
    .where('team_id', '=', teamId)
    .where('keep_in_touch_days', '>', 0)
    .where('last_touch_at', 'is not', null)
    .execute();
  return {
    meetings: meetings.map((m) => ({
      id: m.id,
      ownerId: m.owner_id,
      startsAt: new Date(m.starts_at),
      durationMinutes: m.duration_minutes,
      timeZone: m.time_zone,
      done: { thankYouSent: m.thank_you_sent_at !== null, debriefed: m.debriefed_at !== null, reportedBack: m.reported_back_at !== null },
    })),
    contacts: contacts.map((c) => ({ id: c.id, ownerId: c.owner_id })),
  };
}
