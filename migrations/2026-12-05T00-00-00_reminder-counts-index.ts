import type { Kysely } from 'kysely';

// Frozen in time. /metrics counts the open reminders by kind and state at every scrape (cached 15 s); without an
// index holding both, that read every open row of the table: 440 ms on SQLite's event loop with a million pending
// (bench/README.md). With it the count reads this index alone (70 ms).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('reminders_state_kind_idx').on('reminders').columns(['state', 'kind']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('reminders_state_kind_idx').execute();
}
