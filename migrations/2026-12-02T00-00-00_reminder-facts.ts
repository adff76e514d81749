import { type Kysely, sql } from 'kysely';

// Frozen in time. Reminders become a function of facts: snoozes are facts of the meeting and the contact, and each
// reminder row remembers which delivery it stands for (delivery_key, from the facts; delivery, a number that grows
// with each new delivery and goes into the message metadata), what the planner last said (planned_due_at, so retry
// backoff in due_at is not mistaken for a change of plan), a claim counter that never goes back (the fence), and a
// flag set on a claimed row whose facts changed while it was being sent.
// Workspaces and users get a fact of their own: reminders stopped (uninstalled, token revoked).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('meetings').addColumn('thank_you_snoozed_until', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('keep_in_touch_snoozed_until', 'text').execute();
  await db.schema.alterTable('workspaces').addColumn('reminders_stopped_at', 'text').execute();
  await db.schema.alterTable('slack_users').addColumn('reminders_stopped_at', 'text').execute();

  await db.schema
    .alterTable('reminders')
    .addColumn('delivery', 'integer', (col) => col.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('reminders')
    .addColumn('delivery_key', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('reminders').addColumn('planned_due_at', 'text').execute();
  await db.schema
    .alterTable('reminders')
    .addColumn('claims', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('reminders')
    .addColumn('replan', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();

  // Existing rows keep their delivery: the keys are what the planner derives from the same facts.
  await sql`update reminders set claims = attempts, planned_due_at = due_at`.execute(db);
  // The old "Snooze a day" cancelled the first thank-you nudge and moved the second: that is a snooze until then.
  await sql`update meetings set thank_you_snoozed_until = (
      select f.due_at from reminders f where f.meeting_id = meetings.id and f.kind = 'thank_you_followup' and f.state = 'pending')
    where exists (select 1 from reminders t where t.meeting_id = meetings.id and t.kind = 'thank_you' and t.state = 'cancelled')
      and exists (select 1 from reminders f where f.meeting_id = meetings.id and f.kind = 'thank_you_followup' and f.state = 'pending')`.execute(
    db,
  );
  await sql`update reminders set delivery_key = (select m.starts_at from meetings m where m.id = reminders.meeting_id)
    || case when kind = 'thank_you_followup' then '|' || coalesce((select m.thank_you_snoozed_until from meetings m where m.id = reminders.meeting_id), '') else '' end
    where meeting_id is not null`.execute(db);
  // A pending keep-in-touch nudge keeps its due time as a snooze (it may have been snoozed; nothing else says so).
  await sql`update contacts set keep_in_touch_snoozed_until = (
      select r.due_at from reminders r where r.contact_id = contacts.id and r.kind = 'keep_in_touch' and r.state = 'pending')
    where exists (select 1 from reminders r where r.contact_id = contacts.id and r.kind = 'keep_in_touch' and r.state = 'pending')`.execute(
    db,
  );
  await sql`update reminders set delivery_key = coalesce((select c.last_touch_at from contacts c where c.id = reminders.contact_id), '')
    || '|' || coalesce((select c.keep_in_touch_snoozed_until from contacts c where c.id = reminders.contact_id), '')
    where contact_id is not null`.execute(db);
  await sql`update workspaces set reminders_stopped_at = uninstalled_at where uninstalled_at is not null`.execute(db);

  // Re-plans that cover many rows (a settings save, a zone change, a reinstall) run in short batches after the change
  // commits; this queue, written in the change's own transaction, makes sure a crash halfway leaves them to be done.
  // owner_id '' stands for the whole workspace.
  await db.schema
    .createTable('reminder_replans')
    .addColumn('team_id', 'text', (col) => col.notNull())
    .addColumn('owner_id', 'text', (col) => col.notNull())
    .addColumn('requested_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('reminder_replans_pk', ['team_id', 'owner_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reminder_replans').execute();
  for (const column of ['replan', 'claims', 'planned_due_at', 'delivery_key', 'delivery']) {
    await db.schema.alterTable('reminders').dropColumn(column).execute();
  }
  await db.schema.alterTable('slack_users').dropColumn('reminders_stopped_at').execute();
  await db.schema.alterTable('workspaces').dropColumn('reminders_stopped_at').execute();
  await db.schema.alterTable('contacts').dropColumn('keep_in_touch_snoozed_until').execute();
  await db.schema.alterTable('meetings').dropColumn('thank_you_snoozed_until').execute();
}
