import type { Db } from '../../db/database.js';
import { deleteWorkspaceCalendarFeeds } from '../../db/repositories/calendar-feeds-repository.js';
import { releaseLeases, takeLeases } from '../../db/repositories/reminders/leases-repository.js';
import {
  clearWorkspaceUninstalled,
  markWorkspaceUninstalled,
  purgeWorkspace,
  stopUserReminders,
  stopWorkspaceReminders,
  workspacesInEnterprise,
  workspacesToPurge,
} from '../../db/repositories/workspaces-repository.js';
import type { LogSink } from '../../lib/logger.js';
import { THIS_REPLICA } from '../../lib/replica.js';
import { toDbInstant } from '../../lib/zoned-time.js';
import { requestRemindersReplan, runPendingReplans } from '../reminders/reconciler.js';

/**
 * `app_uninstalled`: the workspace's reminders stop at once (a fact; the reconciler cancels them in batches), so do
 * its calendar feeds, and its data is purged after the retention period. Repeating it changes nothing (the first uninstall's date stands).
 */
export async function workspaceUninstalled(
  db: Db,
  teamId: string,
  now: Date,
  retentionDays: number,
  logger: Pick<LogSink, 'warn'>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await markWorkspaceUninstalled(
      trx,
      teamId,
      toDbInstant(now),
      toDbInstant(new Date(now.getTime() + retentionDays * 86_400_000)),
    );
    await requestRemindersReplan(trx, teamId, '', now);
    // Calendar feed addresses stop at once (a reinstall does not bring them back: users make new ones).
    await deleteWorkspaceCalendarFeeds(trx, teamId);
  });
  await runPendingReplans(db, now, logger);
}

/**
 * `tokens_revoked`: the users named stop getting reminders; a revoked bot token means nothing can be posted in the
 * workspace any more, so all its reminders stop. Safe in any order with `app_uninstalled`, and repeated.
 */
export async function tokensRevoked(
  db: Db,
  teamId: string,
  revoked: { oauth: string[]; bot: string[] },
  now: Date,
  logger: Pick<LogSink, 'warn'>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await stopUserReminders(trx, teamId, revoked.oauth, toDbInstant(now));
    for (const userId of revoked.oauth) await requestRemindersReplan(trx, teamId, userId, now);
    if (revoked.bot.length > 0) {
      await stopWorkspaceReminders(trx, teamId, toDbInstant(now));
      await requestRemindersReplan(trx, teamId, '', now);
    }
  });
  await runPendingReplans(db, now, logger);
}

/**
 * Someone in the workspace used the app: it was reinstalled, so nothing of it is purged, and the reminders the
 * uninstall stopped are planned again, in short batches (a large workspace never holds up other requests). A cheap
 * no-op for a workspace that never stopped.
 */
export async function workspaceActive(
  db: Db,
  teamId: string,
  now: Date,
  logger: Pick<LogSink, 'warn'>,
): Promise<boolean> {
  const reinstalled = await db.transaction().execute(async (trx) => {
    const cleared = await clearWorkspaceUninstalled(trx, teamId, toDbInstant(now));
    if (cleared) await requestRemindersReplan(trx, teamId, '', now);
    return cleared;
  });
  if (reinstalled) await runPendingReplans(db, now, logger);
  return reinstalled;
}

/**
 * The app was (re)installed by OAuth: the workspace, or every workspace known in the organisation for an org-wide
 * install, is active again at once (nothing purged, reminders planned again), without waiting for a request from it.
 */
export async function installedAgain(
  db: Db,
  installed: { teamId: string | null; enterpriseId: string | null },
  now: Date,
  logger: Pick<LogSink, 'warn'>,
): Promise<string[]> {
  const teams =
    installed.teamId !== null
      ? [installed.teamId]
      : installed.enterpriseId !== null
        ? await workspacesInEnterprise(db, installed.enterpriseId)
        : [];
  const reactivated: string[] = [];
  for (const teamId of teams) if (await workspaceActive(db, teamId, now, logger)) reactivated.push(teamId);
  return reactivated;
}

/** Deletes the data of workspaces whose retention period after uninstalling has passed. */
export async function purgeExpiredWorkspaces(db: Db, now: Date, logger: Pick<LogSink, 'info'>): Promise<number> {
  // One replica at a time (the lease runs out by itself if this one dies halfway; the next run takes it up).
  // Nothing to purge (nearly every tick): no lease taken and handed back, a look instead of two writes.
  if ((await workspacesToPurge(db, toDbInstant(now))).length === 0) return 0;
  const until = toDbInstant(new Date(now.getTime() + PURGE_LEASE_MS));
  if (!(await takeLeases(db, [PURGE_LEASE], THIS_REPLICA, toDbInstant(now), until)).has(PURGE_LEASE)) return 0;
  const teams = await workspacesToPurge(db, toDbInstant(now));
  for (const teamId of teams) {
    const counts = await purgeWorkspace(db, teamId);
    logger.info(`purged uninstalled workspace ${teamId}: ${JSON.stringify(counts)}`);
  }
  await releaseLeases(db, [PURGE_LEASE], THIS_REPLICA);
  return teams.length;
}

const PURGE_LEASE = 'housekeeping:purge';
const PURGE_LEASE_MS = 30 * 60_000;
