import { type Kysely, sql } from 'kysely';

// Frozen in time. Contacts become first-class: how to reach them, their zone, who referred them, tags, notes, and
// the normalised keys that duplicate detection and search read.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('email', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('profile_url', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('time_zone', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('how_met', 'text').execute();
  await db.schema
    .alterTable('contacts')
    .addColumn('referred_by_id', 'integer', (col) => col.references('contacts.id').onDelete('set null'))
    .execute();
  await db.schema.alterTable('contacts').addColumn('tags', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('notes', 'text').execute();
  await db.schema
    .alterTable('contacts')
    .addColumn('name_key', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('contacts')
    .addColumn('search_text', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('contacts')
    .addColumn('last_activity_at', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  // Rows from before: lower-case keys are close enough for the few contacts the foundation release created.
  await sql`update contacts set name_key = lower(name) || '|' || lower(coalesce(company, '')),
    search_text = lower(name || ' ' || coalesce(title, '') || ' ' || coalesce(company, '')),
    last_activity_at = updated_at`.execute(db);

  await db.schema.dropIndex('contacts_owner_idx').execute();
  // Lists and searches walk one owner's contacts newest activity first; type-ahead reads the same range.
  await db.schema
    .createIndex('contacts_owner_activity_idx')
    .on('contacts')
    .columns(['team_id', 'owner_id', 'last_activity_at', 'id'])
    .execute();
  await db.schema
    .createIndex('contacts_owner_name_key_idx')
    .on('contacts')
    .columns(['team_id', 'owner_id', 'name_key'])
    .execute();
  await db.schema.createIndex('contacts_referred_by_idx').on('contacts').column('referred_by_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('contacts_referred_by_idx').execute();
  await db.schema.dropIndex('contacts_owner_name_key_idx').execute();
  await db.schema.dropIndex('contacts_owner_activity_idx').execute();
  await db.schema.createIndex('contacts_owner_idx').on('contacts').columns(['team_id', 'owner_id']).execute();
  for (const column of [
    'last_activity_at',
    'search_text',
    'name_key',
    'notes',
    'tags',
    'referred_by_id',
    'how_met',
    'time_zone',
    'profile_url',
    'email',
  ]) {
    await db.schema.alterTable('contacts').dropColumn(column).execute();
  }
}
