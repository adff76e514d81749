import type { Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { findSlackUser, saveTimeZone } from '../db/repositories/slack-users.js';
import type { LogSink } from '../lib/logger.js';
import { FALLBACK_TIME_ZONE, isValidTimeZone, toDbInstant } from '../lib/time.js';
import type { UserDirectory } from './ports.js';
import { requestRemindersReplan } from './reminder-reconciler.js';
import type { Owner } from './types.js';

/** Slack zones change when people travel; re-read them at most this often. */
export const TIME_ZONE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** The zone we already know for the user, without asking Slack; null when we have never asked. */
export async function knownTimeZone(db: Db | Transaction<Database>, owner: Owner): Promise<string | null> {
  return (await findSlackUser(db, owner))?.timeZone ?? null;
}

/**
 * The user's zone, refreshed from Slack when older than a day. A Slack failure falls back to the last known
 * zone (or UTC) rather than failing the user's action; never throws.
 */
export async function resolveTimeZone(
  db: Db,
  directory: UserDirectory,
  owner: Owner,
  now: Date,
  logger: Pick<LogSink, 'warn'>,
): Promise<string> {
  const known = await findSlackUser(db, owner);
  const checkedAt = known?.timeZoneCheckedAt ? Date.parse(known.timeZoneCheckedAt) : Number.NaN;
  if (known?.timeZone && now.getTime() - checkedAt < TIME_ZONE_MAX_AGE_MS) return known.timeZone;
  try {
    const zone = await directory.timeZoneOf(owner);
    if (zone !== null && isValidTimeZone(zone)) {
      await db.transaction().execute(async (trx) => {
        await saveTimeZone(trx, owner, zone, toDbInstant(now));
        // A new zone moves every wall-clock rule: the engine's next tick re-plans the user's reminders.
        if (known?.timeZone && known.timeZone !== zone) await requestRemindersReplan(trx, owner.teamId, owner.userId, now);
      });
      return zone;
    }
  } catch (error) {
    logger.warn(`users.info failed for ${owner.teamId}/${owner.userId}; using the last known zone`, error);
  }
  return known?.timeZone ?? FALLBACK_TIME_ZONE;
}
