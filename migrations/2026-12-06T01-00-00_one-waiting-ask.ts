import { type Kysely, sql } from 'kysely';

// Frozen in time. One waiting ask per contact (issue 12's rule, until now only checked before the insert): two
// submissions at once on PostgreSQL could both pass the check, and the older ask stayed "waiting" on Home for good.
// Such pairs already stored are settled first: the older of them is closed as unanswered (the user asked again).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update asks set status = 'no_answer', closed_at = updated_at
    where status = 'waiting'
      and exists (select 1 from asks newer where newer.contact_id = asks.contact_id and newer.status = 'waiting' and newer.id > asks.id)`.execute(
    db,
  );
  await db.schema
    .createIndex('asks_one_waiting_uq')
    .on('asks')
    .column('contact_id')
    .unique()
    .where(sql<boolean>`status = 'waiting'`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('asks_one_waiting_uq').execute();
}
