import { type Kysely, sql } from 'kysely';

// Frozen in time. The calendar feed (issue 28): each user's private feed address is a random secret of which only the
// SHA-256 is kept, one per user in a workspace, found by that hash alone (unique, so one indexed lookup). Meetings
// learn when they were cancelled, so the feed keeps a cancellation for 30 days: meetings cancelled before this
// migration count from their last update, the closest date stored.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('calendar_feeds')
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('owner_id', 'text', (col) => col.notNull())
    .addColumn('secret_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('calendar_feeds_pk', ['team_id', 'owner_id'])
    .execute();
  await db.schema.createIndex('calendar_feeds_secret_uq').on('calendar_feeds').column('secret_hash').unique().execute();
  await db.schema.alterTable('meetings').addColumn('cancelled_at', 'text').execute();
  await sql`update meetings set cancelled_at = updated_at where status = 'cancelled'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('meetings').dropColumn('cancelled_at').execute();
  await db.schema.dropTable('calendar_feeds').execute();
}
