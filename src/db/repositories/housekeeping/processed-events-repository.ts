import type { Executor } from '../../database.js';

// Event ids seen once (migrations/2026-12-07T23-30-00_processed-events.ts), so that Slack's redelivery of an event
// with a visible effect does nothing more. Deleted by housekeeping after an hour (`deleteOldProcessedEvents`).

/** Records `eventId` of workspace `teamId`: true the first time, false for a redelivery, whichever replica saw it. */
export async function recordEventOnce(db: Executor, teamId: string, eventId: string, nowIso: string): Promise<boolean> {
  const row = await db
    .insertInto('processed_events')
    .values({ team_id: teamId, event_id: eventId, received_at: nowIso })
    .onConflict((oc) => oc.columns(['team_id', 'event_id']).doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets `eventId` when handling it failed, so that Slack's redelivery is handled. */
export async function forgetEvent(db: Executor, teamId: string, eventId: string): Promise<void> {
  await db.deleteFrom('processed_events').where('team_id', '=', teamId).where('event_id', '=', eventId).execute();
}
