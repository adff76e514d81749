import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Db } from '../../db/database.js';
import { recordWorkspaceEnterprise } from '../../db/repositories/installations-repository.js';
import type { Clock } from '../../lib/clock.js';
import { toDbInstant } from '../../lib/zoned-time.js';
import { ACTIVE_RECHECK_MS } from './workspace-activity.js';

/**
 * Records which organisation a request's workspace is in, before the listener runs: with an org-wide install, what
 * the app does without the request's token (publishing Home, reminders) finds the organisation's token by it.
 */
export function recordWorkspaceOrganisation(db: Db, clock: Clock): Middleware<AnyMiddlewareArgs> {
  /** Per workspace, its organisation as this process last recorded it, and when (re-recorded after a while: a purge deletes it). */
  const knownEnterprise = new Map<string, { enterpriseId: string; at: number }>();
  return async ({ context, next }) => {
    const known = context.teamId ? knownEnterprise.get(context.teamId) : undefined;
    const at = clock.now();
    if (
      context.teamId &&
      context.enterpriseId &&
      (known?.enterpriseId !== context.enterpriseId || known.at < at.getTime() - ACTIVE_RECHECK_MS)
    ) {
      await recordWorkspaceEnterprise(db, context.teamId, context.enterpriseId, toDbInstant(at));
      // In the order recorded, forgotten once past the recheck (as workspace-activity.ts): not every workspace ever seen.
      knownEnterprise.delete(context.teamId);
      knownEnterprise.set(context.teamId, { enterpriseId: context.enterpriseId, at: at.getTime() });
      for (const [team, entry] of knownEnterprise) {
        if (entry.at >= at.getTime() - ACTIVE_RECHECK_MS) break;
        knownEnterprise.delete(team);
      }
    }
    await next();
  };
}
