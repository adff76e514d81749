import type { Db, Executor } from '../../db/database.js';
import { setMeetingTimeZone } from '../../db/repositories/meetings-repository.js';
import { findSlackUser, saveEmail, saveTimeZone } from '../../db/repositories/slack-users-repository.js';
import type { LogSink } from '../../lib/logger.js';
import { FALLBACK_TIME_ZONE, isValidTimeZone, toDbInstant } from '../../lib/zoned-time.js';
import type { UserDirectory } from '../ports.js';
import { requestRemindersReplan, runPendingReplans } from '../reminders/reconciler.js';
import type { Owner } from '../types.js';

/** Slack zones change when people travel; re-read them at most this often. */
export const TIME_ZONE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** The zone we already know for the user, without asking Slack; null when we have never asked. */
export async function storedTimeZone(db: Executor, owner: Owner): Promise<string | null> {
  return (await findSlackUser(db, owner))?.timeZone ?? null;
}

/**
 * The zone to use on a path with a deadline (before an ack or a views.open), without asking Slack: the one last
 * known, else UTC. Call `latestTimeZone` after the deadline to refresh it.
 */
export async function storedTimeZoneOrUtc(db: Executor, owner: Owner): Promise<string> {
  return (await storedTimeZone(db, owner)) ?? FALLBACK_TIME_ZONE;
}

/**
 * The user's zone, refreshed from Slack when older than a day. A Slack failure falls back to the last known
 * zone (or UTC) rather than failing the user's action; never throws.
 */
export async function latestTimeZone(
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
        const email = directory.emailOf?.(owner) ?? null;
        if (email !== null) await saveEmail(trx, owner, email);
        // A new zone (or the first one known: what was planned meanwhile used a fallback) moves every wall-clock
        // rule: the user's reminders are re-planned (by the next tick, or by the caller with runPendingReplans).
        if (known?.timeZone !== zone) await requestRemindersReplan(trx, owner.teamId, owner.userId, now);
      });
      return zone;
    }
  } catch (error) {
    logger.warn(`users.info failed for ${owner.teamId}/${owner.userId}; using the last known zone`, error);
  }
  return known?.timeZone ?? FALLBACK_TIME_ZONE;
}

/**
 * After the ack of a form that used the cached zone: the zone from Slack (refreshed when stale); when it is not the
 * one the meeting was stored with, the meeting takes it and the user's reminders are re-planned with it at once.
 */
export async function settleMeetingTimeZone(
  deps: { db: Db; logger: Pick<LogSink, 'warn'> },
  directory: UserDirectory,
  owner: Owner,
  meetingId: number,
  usedZone: string,
  now: Date,
): Promise<string> {
  const zone = await latestTimeZone(deps.db, directory, owner, now, deps.logger);
  if (zone !== usedZone) {
    await deps.db.transaction().execute(async (trx) => {
      await setMeetingTimeZone(trx, owner, meetingId, zone, toDbInstant(now));
      // Asked for here, not left to the request made when the zone was first stored: that one may have run (the
      // form opens before users.info answers) before this form's reminders were planned with the fallback zone.
      await requestRemindersReplan(trx, owner.teamId, owner.userId, now);
    });
    await runPendingReplans(deps.db, now, deps.logger);
  }
  return zone;
}
