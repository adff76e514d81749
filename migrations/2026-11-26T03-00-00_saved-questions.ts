import type { Kysely } from 'kysely';
import { generatedId } from './support/dialect.js';

// Frozen in time. Questions a user saves for themselves; the question bank shows them first.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('saved_questions')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('owner_id', 'text', (col) => col.notNull())
    .addColumn('text', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('saved_questions_owner_idx')
    .on('saved_questions')
    .columns(['team_id', 'owner_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('saved_questions').execute();
}
