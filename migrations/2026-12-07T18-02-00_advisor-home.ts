import type { Kysely } from 'kysely';

// Frozen in time. The advisor's Home (issue 29): how each advisor last chose to sort the people who share with them
// and which page they are on. Home is republished after every button, so the choice lives where every publish (any
// replica) reads it. Only the advisor's own choice is kept here: nothing about the people they see.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('advisor_home_prefs')
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('advisor_id', 'text', (col) => col.notNull())
    .addColumn('sort', 'text', (col) => col.notNull())
    .addColumn('page', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('advisor_home_prefs_pk', ['team_id', 'advisor_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('advisor_home_prefs').execute();
}
