import type { Kysely } from 'kysely';

// Frozen in time. The user's email as Slack gives it (users.info, scope users:read.email): the ORGANIZER of the
// calendar files, which RFC 5546 requires for METHOD:REQUEST and CANCEL.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('slack_users').addColumn('email', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('slack_users').dropColumn('email').execute();
}
