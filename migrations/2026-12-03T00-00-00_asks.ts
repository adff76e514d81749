import { type Kysely, sql } from 'kysely';
import { generatedId } from './support/dialect.js';

// Frozen in time. The ask for a conversation (issue 12): one row per request sent to a contact, whose state plans
// the 3B7 nudges (their reminder rows hang off the contact, one per kind, a new delivery per ask); the user's
// purpose line; workspace holidays for business days; a contact that is a Slack colleague; who may edit holidays.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('asks')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('owner_id', 'text', (col) => col.notNull())
    .addColumn('contact_id', 'integer', (col) => col.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('channel', 'text', (col) =>
      col.notNull().check(sql`channel in ('email', 'linkedin', 'slack', 'phone', 'other')`),
    )
    // The local day the ask went out ("YYYY-MM-DD" in the user's zone): business days count from it.
    .addColumn('sent_on', 'text', (col) => col.notNull())
    .addColumn('purpose', 'text')
    .addColumn('draft', 'text')
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('waiting', 'replied', 'declined', 'no_answer')`),
    )
    .addColumn('followed_up_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('source_view_id', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('asks_owner_status_idx')
    .on('asks')
    .columns(['team_id', 'owner_id', 'status', 'sent_on'])
    .execute();
  await db.schema.createIndex('asks_contact_idx').on('asks').columns(['contact_id', 'id']).execute();
  await db.schema.createIndex('asks_view_uq').on('asks').columns(['team_id', 'source_view_id']).unique().execute();

  await db.schema
    .createTable('workspace_holidays')
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('name', 'text')
    .addPrimaryKeyConstraint('workspace_holidays_pk', ['team_id', 'day'])
    .execute();

  await db.schema.alterTable('reminder_settings').addColumn('ask_purpose', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('slack_user_id', 'text').execute();
  // 1 when Slack said the user is a workspace admin or owner (users.info), who may edit the workspace's holidays.
  await db.schema.alterTable('slack_users').addColumn('is_admin', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('slack_users').dropColumn('is_admin').execute();
  await db.schema.alterTable('contacts').dropColumn('slack_user_id').execute();
  await db.schema.alterTable('reminder_settings').dropColumn('ask_purpose').execute();
  await db.schema.dropTable('workspace_holidays').execute();
  await db.schema.dropTable('asks').execute();
}
