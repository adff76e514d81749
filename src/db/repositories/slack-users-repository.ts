import type { Owner } from '../../domain/types.js';
import { compiledQuery } from '../compiled-query.js';
import type { Db, Executor } from '../database.js';

export interface SlackUserProfile {
  timeZone: string | null;
  timeZoneCheckedAt: string | null;
  dmChannelId: string | null;
}

// On every command and button (the user's zone): compiled once.
const findSlackUserQuery = compiledQuery('find slack user', (db, { teamId, userId }: Owner) =>
  db
    .selectFrom('slack_users')
    .select(['time_zone', 'time_zone_checked_at', 'dm_channel_id'])
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId),
);

// After every users.info (a new user's first command): compiled once.
const saveTimeZoneQuery = compiledQuery(
  'save time zone',
  (db, { teamId, userId, timeZone, nowIso }: Owner & { timeZone: string; nowIso: string }) =>
    db
      .insertInto('slack_users')
      .values({
        team_id: teamId,
        user_id: userId,
        time_zone: timeZone,
        time_zone_checked_at: nowIso,
        created_at: nowIso,
      })
      .onConflict((oc) =>
        oc.columns(['team_id', 'user_id']).doUpdateSet({ time_zone: timeZone, time_zone_checked_at: nowIso }),
      ),
);

/** The user's zone and DM channel as last stored. */
export async function findSlackUser(db: Executor, owner: Owner): Promise<SlackUserProfile | undefined> {
  const [row] = await findSlackUserQuery(db, { teamId: owner.teamId, userId: owner.userId });
  if (row === undefined) return undefined;
  return { timeZone: row.time_zone, timeZoneCheckedAt: row.time_zone_checked_at, dmChannelId: row.dm_channel_id };
}

/** The zone users.info gave, and when. */
export async function saveTimeZone(db: Executor, owner: Owner, timeZone: string, nowIso: string): Promise<void> {
  await saveTimeZoneQuery(db, { teamId: owner.teamId, userId: owner.userId, timeZone, nowIso });
}

/** The user's email as Slack gave it (only with scope users:read.email). */
export async function saveEmail(db: Executor, owner: Owner, email: string): Promise<void> {
  await db
    .updateTable('slack_users')
    .set({ email })
    .where('team_id', '=', owner.teamId)
    .where('user_id', '=', owner.userId)
    .execute();
}

/** The user's email, when Slack has given it. */
export async function findEmail(db: Executor, owner: Owner): Promise<string | null> {
  const row = await db
    .selectFrom('slack_users')
    .select('email')
    .where('team_id', '=', owner.teamId)
    .where('user_id', '=', owner.userId)
    .executeTakeFirst();
  return row?.email ?? null;
}

export async function saveDmChannel(db: Db, owner: Owner, channelId: string, nowIso: string): Promise<void> {
  await db
    .insertInto('slack_users')
    .values({ team_id: owner.teamId, user_id: owner.userId, dm_channel_id: channelId, created_at: nowIso })
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ dm_channel_id: channelId }))
    .execute();
}

/** Whether Slack said the user is a workspace admin or owner; null when it never said. */
export async function findIsAdmin(db: Executor, owner: Owner): Promise<boolean | null> {
  const row = await db
    .selectFrom('slack_users')
    .select('is_admin')
    .where('team_id', '=', owner.teamId)
    .where('user_id', '=', owner.userId)
    .executeTakeFirst();
  return row?.is_admin === undefined || row.is_admin === null ? null : row.is_admin === 1;
}

export async function saveIsAdmin(db: Db, owner: Owner, isAdmin: boolean, nowIso: string): Promise<void> {
  await db
    .insertInto('slack_users')
    .values({ team_id: owner.teamId, user_id: owner.userId, is_admin: isAdmin ? 1 : 0, created_at: nowIso })
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ is_admin: isAdmin ? 1 : 0 }))
    .execute();
}
