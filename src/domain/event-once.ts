import type { Db } from '../db/database.js';
import { forgetEvent, recordEventOnce } from '../db/repositories/housekeeping/processed-events-repository.js';
import { toDbInstant } from '../lib/zoned-time.js';

/**
 * Runs `work` for the first delivery of Slack's event `eventId` in workspace `teamId`: a redelivery (Slack retries an
 * event it thinks was lost) runs nothing. When `work` fails the id is forgotten, so that the redelivery runs it. An
 * event without an id is run every time.
 */
export async function onceForEvent(
  db: Db,
  event: { teamId: string; eventId: string | undefined },
  now: Date,
  work: () => Promise<void>,
): Promise<void> {
  const { teamId, eventId } = event;
  if (eventId === undefined) return work();
  if (!(await recordEventOnce(db, teamId, eventId, toDbInstant(now)))) return;
  try {
    await work();
  } catch (error) {
    await forgetEvent(db, teamId, eventId);
    throw error;
  }
}
