import { type Kysely, sql } from 'kysely';
import { generatedId } from './support/dialect.js';

// Frozen in time. The durable reminder table (one row per meeting and kind), per-user reminder settings, and the
// meeting's thank-you mark that stops the thank-you nudges.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reminders')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('owner_id', 'text', (col) => col.notNull())
    .addColumn('meeting_id', 'integer', (col) => col.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('due_at', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) =>
      col.notNull().check(sql`state in ('pending', 'claimed', 'sent', 'failed', 'skipped', 'cancelled')`),
    )
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    // While claimed: the claim expires then, and a reminder still claimed after it had an unknown outcome.
    .addColumn('lease_until', 'text')
    // 1 when a post may have reached Slack without being recorded: look in the DM before posting again.
    .addColumn('check_before_send', 'integer', (col) => col.notNull().defaultTo(0))
    // The first claim: no post of this reminder can be older, so a search of the DM history starts there.
    .addColumn('first_attempt_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('channel_id', 'text')
    .addColumn('message_ts', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('reminders_meeting_kind_uq', ['meeting_id', 'kind'])
    .execute();
  // A tick reads "pending and due" and "claimed with an expired lease" in due order: both are range scans here.
  await db.schema.createIndex('reminders_state_due_idx').on('reminders').columns(['state', 'due_at']).execute();
  await db.schema.createIndex('reminders_state_lease_idx').on('reminders').columns(['state', 'lease_until']).execute();
  await db.schema
    .createIndex('reminders_owner_idx')
    .on('reminders')
    .columns(['team_id', 'owner_id', 'state'])
    .execute();

  await db.schema
    .createTable('reminder_settings')
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('prep_lead_minutes', 'integer', (col) => col.notNull())
    .addColumn('heads_up_lead_minutes', 'integer', (col) => col.notNull())
    .addColumn('quiet_start', 'text', (col) => col.notNull())
    .addColumn('quiet_end', 'text', (col) => col.notNull())
    // Comma-separated kinds the user turned off.
    .addColumn('disabled_kinds', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('reminder_settings_pk', ['team_id', 'user_id'])
    .execute();

  await db.schema.alterTable('meetings').addColumn('thank_you_sent_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('meetings').dropColumn('thank_you_sent_at').execute();
  await db.schema.dropTable('reminder_settings').execute();
  await db.schema.dropTable('reminders').execute();
}
