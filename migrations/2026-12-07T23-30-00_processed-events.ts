import type { Kysely } from 'kysely';

// Frozen in time. Slack redelivers an event it thinks was not received (no 2xx within 3 s, up to 3 retries within
// about 6 minutes). The one event with a visible effect, a file shared in the DM (its preview), is recorded here by
// its id the first time, so a redelivery posts nothing more. Kept an hour by housekeeping.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('processed_events')
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('event_id', 'text', (col) => col.notNull())
    .addColumn('received_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('processed_events_pk', ['team_id', 'event_id'])
    .execute();
  await db.schema.createIndex('processed_events_received').on('processed_events').column('received_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('processed_events').execute();
}
