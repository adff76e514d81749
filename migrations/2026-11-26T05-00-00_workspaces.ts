import type { Kysely } from 'kysely';

// Frozen in time. Uninstalled workspaces and when their data is purged; the calendar sequence of each meeting, so a
// rescheduled or cancelled event replaces the one in the user's calendar instead of adding another.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workspaces')
    .addColumn('team_id', 'text', (col) => col.primaryKey())
    .addColumn('uninstalled_at', 'text')
    .addColumn('purge_after', 'text')
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('workspaces_purge_idx').on('workspaces').column('purge_after').execute();
  await db.schema
    .alterTable('meetings')
    .addColumn('calendar_sequence', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('meetings').dropColumn('calendar_sequence').execute();
  await db.schema.dropTable('workspaces').execute();
}
