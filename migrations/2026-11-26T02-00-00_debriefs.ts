import { type Kysely, sql } from 'kysely';
import { continueIdsAfterCopy, generatedId } from './support/dialect.js';

// Frozen in time. After the meeting: debriefs, the advice ledger, thank-you drafts, report-back marks, and
// keep-in-touch cadences. Reminders may now belong to a contact instead of a meeting (keep in touch), so the
// reminders table is rebuilt with meeting_id nullable and a contact_id (SQLite cannot relax NOT NULL in place).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('meetings').addColumn('debriefed_at', 'text').execute();
  await db.schema.alterTable('meetings').addColumn('reported_back_at', 'text').execute();
  await db.schema.alterTable('meetings').addColumn('thank_you_draft', 'text').execute();
  await db.schema.alterTable('meetings').addColumn('report_back_draft', 'text').execute();

  await db.schema
    .alterTable('contacts')
    .addColumn('keep_in_touch_days', 'integer', (col) => col.notNull().defaultTo(90))
    .execute();
  await db.schema.alterTable('contacts').addColumn('last_touch_at', 'text').execute();

  await db.schema
    .createTable('debriefs')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('owner_id', 'text', (col) => col.notNull())
    .addColumn('meeting_id', 'integer', (col) => col.notNull().unique().references('meetings.id').onDelete('cascade'))
    .addColumn('topics', 'text')
    .addColumn('learned', 'text')
    .addColumn('advice', 'text')
    .addColumn('referrals', 'text')
    .addColumn('commitments', 'text')
    .addColumn('interest_change', 'integer')
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('advice_items')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('owner_id', 'text', (col) => col.notNull())
    .addColumn('meeting_id', 'integer', (col) => col.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('text', 'text', (col) => col.notNull())
    .addColumn('done_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('advice_items_meeting_position_uq', ['meeting_id', 'position'])
    .execute();
  await db.schema
    .createIndex('advice_items_owner_idx')
    .on('advice_items')
    .columns(['team_id', 'owner_id', 'done_at'])
    .execute();

  // Rebuild reminders: meeting_id nullable, contact_id added; rows and ids kept.
  await db.schema
    .createTable('reminders_next')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('owner_id', 'text', (col) => col.notNull())
    .addColumn('meeting_id', 'integer', (col) => col.references('meetings.id').onDelete('cascade'))
    .addColumn('contact_id', 'integer', (col) => col.references('contacts.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('due_at', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) =>
      col.notNull().check(sql`state in ('pending', 'claimed', 'sent', 'failed', 'skipped', 'cancelled')`),
    )
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('lease_until', 'text')
    .addColumn('check_before_send', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('first_attempt_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('channel_id', 'text')
    .addColumn('message_ts', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addCheckConstraint('reminders_owner_of_one', sql`(meeting_id is null) <> (contact_id is null)`)
    .execute();
  await sql`insert into reminders_next (id, team_id, owner_id, meeting_id, contact_id, kind, due_at, state, attempts,
    lease_until, check_before_send, first_attempt_at, last_error, channel_id, message_ts, sent_at, created_at, updated_at)
    select id, team_id, owner_id, meeting_id, null, kind, due_at, state, attempts, lease_until, check_before_send,
    first_attempt_at, last_error, channel_id, message_ts, sent_at, created_at, updated_at from reminders`.execute(db);
  await db.schema.dropTable('reminders').execute();
  await db.schema.alterTable('reminders_next').renameTo('reminders').execute();
  await continueIdsAfterCopy(db, 'reminders');
  await db.schema
    .createIndex('reminders_meeting_kind_uq')
    .on('reminders')
    .columns(['meeting_id', 'kind'])
    .unique()
    .execute();
  await db.schema
    .createIndex('reminders_contact_kind_uq')
    .on('reminders')
    .columns(['contact_id', 'kind'])
    .unique()
    .execute();
  await db.schema.createIndex('reminders_state_due_idx').on('reminders').columns(['state', 'due_at']).execute();
  await db.schema.createIndex('reminders_state_lease_idx').on('reminders').columns(['state', 'lease_until']).execute();
  await db.schema
    .createIndex('reminders_owner_idx')
    .on('reminders')
    .columns(['team_id', 'owner_id', 'state'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from reminders where meeting_id is null`.execute(db);
  // The rebuilt table's constraint takes this name back (index names are per schema on PostgreSQL).
  await db.schema.dropIndex('reminders_meeting_kind_uq').execute();
  await db.schema
    .createTable('reminders_prev')
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
    .addColumn('lease_until', 'text')
    .addColumn('check_before_send', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('first_attempt_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('channel_id', 'text')
    .addColumn('message_ts', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('reminders_meeting_kind_uq', ['meeting_id', 'kind'])
    .execute();
  await sql`insert into reminders_prev select id, team_id, owner_id, meeting_id, kind, due_at, state, attempts, lease_until,
    check_before_send, first_attempt_at, last_error, channel_id, message_ts, sent_at, created_at, updated_at from reminders`.execute(
    db,
  );
  await db.schema.dropTable('reminders').execute();
  await db.schema.alterTable('reminders_prev').renameTo('reminders').execute();
  await continueIdsAfterCopy(db, 'reminders');
  await db.schema.createIndex('reminders_state_due_idx').on('reminders').columns(['state', 'due_at']).execute();
  await db.schema.createIndex('reminders_state_lease_idx').on('reminders').columns(['state', 'lease_until']).execute();
  await db.schema
    .createIndex('reminders_owner_idx')
    .on('reminders')
    .columns(['team_id', 'owner_id', 'state'])
    .execute();
  await db.schema.dropTable('advice_items').execute();
  await db.schema.dropTable('debriefs').execute();
  for (const column of ['last_touch_at', 'keep_in_touch_days'])
    await db.schema.alterTable('contacts').dropColumn(column).execute();
  for (const column of ['report_back_draft', 'thank_you_draft', 'reported_back_at', 'debriefed_at']) {
    await db.schema.alterTable('meetings').dropColumn(column).execute();
  }
}
