import type { Db } from '../db/database.js';
import { deleteUserRows } from '../db/repositories/export.js';
import {
  cancelWorkspaceReminders,
  clearWorkspaceUninstalled,
  markWorkspaceUninstalled,
  purgeWorkspace,
  workspaceFollowUps,
  workspacesToPurge,
} from '../db/repositories/workspaces.js';
import type { LogSink } from '../lib/logger.js';
import { FALLBACK_TIME_ZONE, toDbInstant } from '../lib/time.js';
import { replanKeepInTouch } from './keep-in-touch.js';
import { planRemindersFor } from './reminders.js';
import { knownTimeZone } from './user-zone.js';
import type { Owner } from './types.js';

/** Deletes everything of the user (one transaction); their pending reminders go with their rows, so none fires. */
export function deleteMyData(db: Db, owner: Owner): Promise<Record<string, number>> {
  return deleteUserRows(db, owner);
}

/**
 * `app_uninstalled`: the workspace's reminders stop at once, and its data is purged after the retention period.
 * Repeating it changes nothing (the first uninstall's date stands).
 */
export async function workspaceUninstalled(db: Db, teamId: string, now: Date, retentionDays: number): Promise<void> {
  await cancelWorkspaceReminders(db, teamId, toDbInstant(now));
  await markWorkspaceUninstalled(db, teamId, toDbInstant(now), toDbInstant(new Date(now.getTime() + retentionDays * 86_400_000)));
}

/**
 * `tokens_revoked`: the users named stop getting reminders; a revoked bot token means nothing can be posted in the
 * workspace any more, so all its reminders stop. Safe in any order with `app_uninstalled`, and repeated.
 */
export async function tokensRevoked(db: Db, teamId: string, revoked: { oauth: string[]; bot: string[] }, now: Date): Promise<void> {
  await cancelWorkspaceReminders(db, teamId, toDbInstant(now), revoked.oauth);
  if (revoked.bot.length > 0) await cancelWorkspaceReminders(db, teamId, toDbInstant(now));
}

/**
 * Someone in the workspace used the app: it was reinstalled, so nothing of it is purged, and the reminders the
 * uninstall stopped are planned again. A cheap no-op for a workspace that never uninstalled.
 */
export async function workspaceActive(db: Db, teamId: string, now: Date): Promise<boolean> {
  const reinstalled = await clearWorkspaceUninstalled(db, teamId, toDbInstant(now));
  if (reinstalled) await replanWorkspace(db, teamId, now);
  return reinstalled;
}

/** Plans again the reminders of every meeting and contact of a workspace that come back after a reinstall. */
async function replanWorkspace(db: Db, teamId: string, now: Date): Promise<void> {
  const { meetings, contacts } = await workspaceFollowUps(db, teamId, toDbInstant(new Date(now.getTime() - 31 * 86_400_000)));
  await db.transaction().execute(async (trx) => {
    for (const m of meetings) {
      const owner = { teamId, userId: m.ownerId };
      const zone = (await knownTimeZone(trx, owner)) ?? m.timeZone;
      await planRemindersFor(trx, owner, m, zone, now, { done: m.done });
    }
    for (const c of contacts) {
      const owner = { teamId, userId: c.ownerId };
      await replanKeepInTouch(trx, owner, c.id, (await knownTimeZone(trx, owner)) ?? FALLBACK_TIME_ZONE, now);
    }
  });
}

/** Deletes the data of workspaces whose retention period after uninstalling has passed. */
export async function purgeExpiredWorkspaces(db: Db, now: Date, logger: Pick<LogSink, 'info'>): Promise<number> {
  const teams = await workspacesToPurge(db, toDbInstant(now));
  for (const teamId of teams) {
    const counts = await purgeWorkspace(db, teamId);
    logger.info(`purged uninstalled workspace ${teamId}: ${JSON.stringify(counts)}`);
  }
  return teams.length;
}
