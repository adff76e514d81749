import type { Kysely } from 'kysely';

// Frozen in time. Cohort figures (issue 29) are shown to an advisor only where enough contributors are people the
// advisor cannot see one by one. Who they can see is their sharers and the people their looks were logged at; when such
// a person deletes their data those rows go, but the advisor remembers. So each deletion adds one to a count per
// advisor who knew the person: a count only, never who.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('advisor_departed')
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('advisor_id', 'text', (col) => col.notNull())
    .addColumn('departed', 'integer', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('advisor_departed_pk', ['team_id', 'advisor_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('advisor_departed').execute();
}
