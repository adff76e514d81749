import type { Kysely } from 'kysely';

// Frozen in time. When the claim that holds a reminder handed its post to Slack (null: not handed over under this
// claim). A claim that expires was looked for in the DM only if its post may have gone out: with OAuth, DM history
// reads are one a minute per workspace, so a dead replica's never-posted reminders must not wait for them.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reminders').addColumn('handed_over_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reminders').dropColumn('handed_over_at').execute();
}
