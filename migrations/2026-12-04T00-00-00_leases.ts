import type { Kysely } from 'kysely';

// Frozen in time. Leases several replicas share (issue 15): `send:<team>` names the one replica that posts a
// workspace's reminders for now, so Slack's per-workspace and per-channel limits hold for the whole app; other names
// are housekeeping that runs on one replica at a time. A lease is held until `lease_until` and renewed while used;
// the lease of a replica that died simply runs out.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('holder', 'text', (col) => col.notNull())
    .addColumn('lease_until', 'text', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('leases').execute();
}
