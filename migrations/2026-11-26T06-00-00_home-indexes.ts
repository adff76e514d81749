import type { Kysely } from 'kysely';

// Frozen in time. Home reads one user's keep-in-touch reminders and counts their referred contacts; these indexes
// let both read only those rows (bench/README.md, "Home tab": p95 after other users' Homes 14-16 ms -> 7 ms).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('reminders_owner_kind_idx')
    .on('reminders')
    .columns(['team_id', 'owner_id', 'kind', 'state', 'due_at'])
    .execute();
  await db.schema
    .createIndex('contacts_owner_referrer_idx')
    .on('contacts')
    .columns(['team_id', 'owner_id', 'referred_by_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('contacts_owner_referrer_idx').execute();
  await db.schema.dropIndex('reminders_owner_kind_idx').execute();
}
