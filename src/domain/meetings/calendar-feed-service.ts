import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.js';
import {
  calendarFeedCreatedAt,
  deleteCalendarFeed,
  findCalendarFeedOwner,
  listFeedMeetings,
  replaceCalendarFeed,
} from '../../db/repositories/calendar-feeds-repository.js';
import { toDbInstant } from '../../lib/zoned-time.js';
import type { Owner } from '../types.js';
import { calendarFeed, FEED_DAYS } from './calendar-feed.js';

/** The path under which feeds are served: `/calendar/<secret>.ics`. */
export const CALENDAR_FEED_PREFIX = '/calendar/';
/** Events in one feed at most (a calendar program reads the whole file at each refresh). */
export const FEED_EVENT_LIMIT = 2_000;

/** A new feed secret: 32 random bytes, base64url (43 characters, safe in a URL path as is). */
export function newFeedSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a secret: its SHA-256, hex. The secret itself is never stored or logged. */
export function feedSecretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The address a calendar subscribes to; `publicUrl` without a trailing slash (config.publicUrl). */
export function feedAddress(publicUrl: string, secret: string): string {
  return `${publicUrl}${CALENDAR_FEED_PREFIX}${secret}.ics`;
}

/**
 * Makes the owner's feed secret, replacing the one they had at once (a reset: the old address answers 404 from now
 * on). Returns the secret: the only time it exists outside the user's calendar.
 */
export async function createFeedSecret(db: Db, owner: Owner, now: Date): Promise<string> {
  const secret = newFeedSecret();
  await replaceCalendarFeed(db, owner, feedSecretHash(secret), toDbInstant(now));
  return secret;
}

/** When the owner's current feed address was made, or null when they have none. */
export function feedCreatedAt(db: Db, owner: Owner): Promise<Date | null> {
  return calendarFeedCreatedAt(db, owner);
}

/** Ends the owner's feed (its address answers 404); true if there was one. */
export function stopFeed(db: Db, owner: Owner): Promise<boolean> {
  return deleteCalendarFeed(db, owner);
}

/**
 * The feed behind a secret's hash, or null when no feed has it. The same single indexed lookup runs for a known and
 * an unknown hash (nothing returns before it), then the meetings are read scoped by the workspace and user it found.
 */
export async function feedByHash(db: Db, secretHash: string, now: Date): Promise<string | null> {
  const owner = await findCalendarFeedOwner(db, secretHash);
  if (owner === null) return null;
  const since = toDbInstant(new Date(now.getTime() - FEED_DAYS * 86_400_000));
  return calendarFeed(owner, await listFeedMeetings(db, owner, since, since, FEED_EVENT_LIMIT));
}
