import type { AnyMiddlewareArgs, Logger, Middleware } from '@slack/bolt';
import type { Db } from '../../db/database.js';
import { workspaceActive } from '../../domain/installs/workspaces-service.js';
import type { Clock } from '../../lib/clock.js';
import { requestLog } from './request-logger.js';
import { eventType } from './uninstall.js';

/** How long a process trusts that it marked a workspace active (other replicas may change it meanwhile). */
export const ACTIVE_RECHECK_MS = 60_000;

/**
 * After a listener ran: someone uses the app, so the workspace (re)installed it, nothing of it is purged and its
 * reminders resume. Once a minute per workspace per process: a write on every request costs every request. Not once
 * for good: another replica may have marked the workspace uninstalled since (its app_uninstalled went there).
 */
export function recordWorkspaceActivity(db: Db, clock: Clock, logger: Logger): Middleware<AnyMiddlewareArgs> {
  const activeTeams = new Map<string, number>();
  return async ({ context, body, next }) => {
    await next();
    const type = eventType(body);
    const now = clock.now();
    if (type === 'app_uninstalled' || type === 'tokens_revoked') {
      if (context.teamId) activeTeams.delete(context.teamId);
    } else if (context.teamId && (activeTeams.get(context.teamId) ?? -Infinity) < now.getTime() - ACTIVE_RECHECK_MS) {
      // Kept in the order marked, and forgotten once past the recheck (it would be asked again anyway): the map holds
      // the workspaces of the last minute, not every one ever seen.
      activeTeams.delete(context.teamId);
      activeTeams.set(context.teamId, now.getTime());
      for (const [team, at] of activeTeams) {
        if (at >= now.getTime() - ACTIVE_RECHECK_MS) break;
        activeTeams.delete(team);
      }
      await workspaceActive(db, context.teamId, now, requestLog(context, logger));
    }
  };
}
