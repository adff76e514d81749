import type { FeedMeeting } from '../../domain/meetings/calendar-feed.js';
import type { Owner } from '../../domain/types.js';
import { fromDbInstant } from '../../lib/zoned-time.js';
import type { Executor } from '../database.js';
import { selectMeetingsWithContacts, toMeetingWithContact } from './meetings-repository.js';

/** Gives the owner a feed under this secret's hash, replacing the one they had (its address stops at once). */
export async function replaceCalendarFeed(
  db: Executor,
  owner: Owner,
  secretHash: string,
  nowIso: string,
): Promise<void> {
  await db
    .insertInto('calendar_feeds')
    .values({ team_id: owner.teamId, owner_id: owner.userId, secret_hash: secretHash, created_at: nowIso })
    .onConflict((oc) =>
      oc.columns(['team_id', 'owner_id']).doUpdateSet({ secret_hash: secretHash, created_at: nowIso }),
    )
    .execute();
}

/** When the owner's feed was made, or null when they have none. */
export async function calendarFeedCreatedAt(db: Executor, owner: Owner): Promise<Date | null> {
  const row = await db
    .selectFrom('calendar_feeds')
    .select('created_at')
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .executeTakeFirst();
  return row === undefined ? null : fromDbInstant(row.created_at);
}

/** Ends the owner's feed; true if they had one. */
export async function deleteCalendarFeed(db: Executor, owner: Owner): Promise<boolean> {
  const result = await db
    .deleteFrom('calendar_feeds')
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Ends every feed of a workspace (it uninstalled the app). */
export async function deleteWorkspaceCalendarFeeds(db: Executor, teamId: string): Promise<number> {
  const result = await db.deleteFrom('calendar_feeds').where('team_id', '=', teamId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Whose feed a secret's hash opens: one lookup on the unique index, the same query whether the hash is known or not.
 */
export async function findCalendarFeedOwner(db: Executor, secretHash: string): Promise<Owner | null> {
  const row = await db
    .selectFrom('calendar_feeds')
    .select(['team_id', 'owner_id'])
    .where('secret_hash', '=', secretHash)
    .executeTakeFirst();
  return row === undefined ? null : { teamId: row.team_id, userId: row.owner_id };
}

/**
 * The owner's meetings for the feed, in time order: those starting at `sinceIso` or later, scheduled, or cancelled at
 * `cancelledSinceIso` or later. At most `limit`.
 */
export async function listFeedMeetings(
  db: Executor,
  owner: Owner,
  sinceIso: string,
  cancelledSinceIso: string,
  limit: number,
): Promise<FeedMeeting[]> {
  const rows = await selectMeetingsWithContacts(db, owner)
    .select(['m.updated_at', 'm.cancelled_at'])
    .where('m.starts_at', '>=', sinceIso)
    .where((eb) =>
      eb.or([
        eb('m.status', '=', 'scheduled'),
        eb.and([eb('m.status', '=', 'cancelled'), eb('m.cancelled_at', '>=', cancelledSinceIso)]),
      ]),
    )
    .orderBy('m.starts_at')
    .orderBy('m.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    ...toMeetingWithContact(row),
    updatedAt: fromDbInstant(row.updated_at),
    cancelledAt: row.cancelled_at === null ? null : fromDbInstant(row.cancelled_at),
  }));
}
