import { type Kysely, sql } from 'kysely';
import { generatedId } from './support/dialect.js';

// Frozen in time: this file never imports application code and never changes once released.
// Instants are ISO-8601 UTC text; ids are integers; booleans are 0 | 1.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('slack_users')
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('time_zone', 'text')
    .addColumn('time_zone_checked_at', 'text')
    .addColumn('dm_channel_id', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('slack_users_pk', ['team_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('owner_id', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('pronunciation', 'text')
    .addColumn('title', 'text')
    .addColumn('company', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('contacts_owner_idx').on('contacts').columns(['team_id', 'owner_id']).execute();

  await db.schema
    .createTable('meetings')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('owner_id', 'text', (col) => col.notNull())
    .addColumn('contact_id', 'integer', (col) => col.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('starts_at', 'text', (col) => col.notNull())
    .addColumn('duration_minutes', 'integer', (col) => col.notNull())
    .addColumn('ends_at', 'text', (col) => col.notNull())
    .addColumn('time_zone', 'text', (col) => col.notNull())
    .addColumn('location', 'text')
    .addColumn('goal', 'text')
    .addColumn('questions', 'text')
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('scheduled', 'cancelled')`))
    .addColumn('source_view_id', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  // "My upcoming meetings" reads this index in order; it is the query behind /infoview upcoming and Home.
  await db.schema
    .createIndex('meetings_owner_start_idx')
    .on('meetings')
    .columns(['team_id', 'owner_id', 'status', 'starts_at'])
    .execute();
  await db.schema.createIndex('meetings_contact_idx').on('meetings').column('contact_id').execute();
  await db.schema
    .createIndex('meetings_source_view_uq')
    .on('meetings')
    .columns(['team_id', 'source_view_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('meetings').execute();
  await db.schema.dropTable('contacts').execute();
  await db.schema.dropTable('slack_users').execute();
}
