import type { Kysely } from 'kysely';
import { generatedId } from './support/dialect.js';

// Frozen in time. The career-centre view (issue 29): a workspace turns it on and names its advisors; each person
// chooses whom to share progress with and at which level; each time an advisor looks is logged for the person; the
// cohort's weekly figures are frozen once a week has ended (aggregates only: a later change or deletion cannot be
// worked out by comparing two tables); the Monday chart is sent once per advisor and week.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('centre_settings')
    .addColumn('team_id', 'text', (col) => col.primaryKey())
    .addColumn('enabled', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('min_cohort', 'integer', (col) => col.notNull().defaultTo(10))
    .addColumn('changed_by', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('centre_advisors')
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('advisor_id', 'text', (col) => col.notNull())
    .addColumn('added_by', 'text', (col) => col.notNull())
    .addColumn('added_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('centre_advisors_pk', ['team_id', 'advisor_id'])
    .execute();
  await db.schema
    .createTable('progress_shares')
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('owner_id', 'text', (col) => col.notNull())
    .addColumn('advisor_id', 'text', (col) => col.notNull())
    .addColumn('level', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('progress_shares_pk', ['team_id', 'owner_id', 'advisor_id'])
    .execute();
  await db.schema
    .createIndex('progress_shares_advisor')
    .on('progress_shares')
    .columns(['team_id', 'advisor_id'])
    .execute();
  await db.schema
    .createTable('advisor_views')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('owner_id', 'text', (col) => col.notNull())
    .addColumn('advisor_id', 'text', (col) => col.notNull())
    .addColumn('surface', 'text', (col) => col.notNull())
    .addColumn('viewed_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('advisor_views_owner')
    .on('advisor_views')
    .columns(['team_id', 'owner_id', 'viewed_at'])
    .execute();
  await db.schema
    .createTable('cohort_weeks')
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('week_start', 'text', (col) => col.notNull())
    .addColumn('metric', 'text', (col) => col.notNull())
    .addColumn('value', 'integer', (col) => col.notNull())
    .addColumn('contributors', 'integer', (col) => col.notNull())
    .addColumn('frozen_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('cohort_weeks_pk', ['team_id', 'week_start', 'metric'])
    .execute();
  await db.schema
    .createTable('advisor_charts')
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('advisor_id', 'text', (col) => col.notNull())
    .addColumn('week_start', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('claims', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('lease_until', 'text')
    .addColumn('file_id', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('advisor_charts_pk', ['team_id', 'advisor_id', 'week_start'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'advisor_charts',
    'cohort_weeks',
    'advisor_views',
    'progress_shares',
    'centre_advisors',
    'centre_settings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
