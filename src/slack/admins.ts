import type { WebClient } from '@slack/web-api';
import type { Db } from '../db/database.js';
import { findIsAdmin, saveIsAdmin } from '../db/repositories/slack-users-repository.js';
import type { Owner } from '../domain/types.js';
import type { LogSink } from '../lib/logger.js';
import { toDbInstant } from '../lib/zoned-time.js';

/** Whether Slack last said the user is a workspace admin or owner; null when it has not said. */
export function knownAdmin(db: Db, owner: Owner): Promise<boolean | null> {
  return findIsAdmin(db, owner);
}

/** Asks Slack (users.info) whether the user is an admin or owner and remembers it; null when Slack cannot say. */
export async function refreshAdmin(
  client: WebClient,
  db: Db,
  owner: Owner,
  now: Date,
  logger: Pick<LogSink, 'warn'>,
): Promise<boolean | null> {
  try {
    const result = await client.users.info({ user: owner.userId });
    const user = result.user;
    if (user === undefined) return null;
    const isAdmin = Boolean(user.is_admin || user.is_owner || user.is_primary_owner);
    await saveIsAdmin(db, owner, isAdmin, toDbInstant(now));
    return isAdmin;
  } catch (error) {
    logger.warn(`users.info failed for ${owner.teamId}/${owner.userId}; admin status unknown`, error);
    return null;
  }
}
