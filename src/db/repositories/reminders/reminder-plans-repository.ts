import { sql } from 'kysely';
import type { ReminderChange } from '../../../domain/reminders/reconcile-rows.js';
import type { ReminderSettings, SwitchableKind } from '../../../domain/reminders/reminder-plan.js';
import type { Owner } from '../../../domain/types.js';
import { toDbInstant } from '../../../lib/zoned-time.js';
import type { Executor } from '../../database.js';
import { paddedList } from '../../in-list.js';

// The planning side of the reminders table (docs/reminders.md, "Facts, the planner and the reconciler"): a user's
// reminder settings, what the Home tab shows of a prep tip, and the reconciler's writes. The engine's claims and
// outcomes are in reminders-repository.ts.

export async function findReminderSettings(db: Executor, owner: Owner): Promise<ReminderSettings | undefined> {
  const row = await db
    .selectFrom('reminder_settings')
    .selectAll()
    .where('team_id', '=', owner.teamId)
    .where('user_id', '=', owner.userId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    prepLeadMinutes: row.prep_lead_minutes,
    headsUpLeadMinutes: row.heads_up_lead_minutes,
    quietStart: row.quiet_start,
    quietEnd: row.quiet_end,
    disabledKinds: row.disabled_kinds.split(',').filter(Boolean) as SwitchableKind[],
  };
}

export async function saveReminderSettings(
  db: Executor,
  owner: Owner,
  settings: ReminderSettings,
  nowIso: string,
): Promise<void> {
  const values = {
    prep_lead_minutes: settings.prepLeadMinutes,
    heads_up_lead_minutes: settings.headsUpLeadMinutes,
    quiet_start: settings.quietStart,
    quiet_end: settings.quietEnd,
    disabled_kinds: settings.disabledKinds.join(','),
    updated_at: nowIso,
  };
  await db
    .insertInto('reminder_settings')
    .values({ team_id: owner.teamId, user_id: owner.userId, ...values })
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet(values))
    .execute();
}

/** For each meeting: whether its prep tip was sent, is still to come, or is not planned. */
export async function findPrepStates(
  db: Executor,
  meetingIds: number[],
): Promise<Map<number, 'sent' | 'pending' | 'off'>> {
  if (meetingIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('reminders')
    .select(['meeting_id', 'state'])
    .where('meeting_id', 'in', paddedList(meetingIds))
    .where('kind', '=', 'prep')
    .execute();
  return new Map(
    rows.map((row) => [
      row.meeting_id as number,
      row.state === 'sent' ? 'sent' : row.state === 'pending' || row.state === 'claimed' ? 'pending' : 'off',
    ]),
  );
}

/** A meeting's or a contact's reminders. */
export type ReminderSubject =
  | { owner: Owner; meetingId: number; contactId?: never }
  | { owner: Owner; contactId: number; meetingId?: never };

/** The reconciler's changes for one subject. */
export interface SubjectChanges {
  subject: ReminderSubject;
  changes: ReminderChange[];
}

type Change<T extends ReminderChange['type']> = Extract<ReminderChange, { type: T }>;

/**
 * Writes the reconciler's changes, for any number of subjects: inserts in one statement, every other change as a
 * prepared statement run for its row, scoped by the subject's team and owner. Each write is guarded by the
 * state it was decided on, so a row claimed meanwhile (on another connection) is never overwritten. The reconciler
 * is the only caller.
 */
export async function applyReminderChanges(db: Executor, all: SubjectChanges[], nowIso: string): Promise<void> {
  const of = <T extends ReminderChange['type']>(type: T) =>
    all.flatMap(({ subject, changes }) =>
      changes.filter((c): c is Change<T> => c.type === type).map((change) => ({ subject, change })),
    );
  const inserts = of('insert');
  if (inserts.length > 0) {
    await db
      .insertInto('reminders')
      .values(
        inserts.map(({ subject, change }) => ({
          team_id: subject.owner.teamId,
          owner_id: subject.owner.userId,
          meeting_id: subject.meetingId ?? null,
          contact_id: subject.contactId ?? null,
          kind: change.kind,
          due_at: toDbInstant(change.dueAt),
          planned_due_at: toDbInstant(change.dueAt),
          delivery_key: change.key,
          state: 'pending' as const,
          created_at: nowIso,
          updated_at: nowIso,
        })),
      )
      .execute();
  }
  // One short statement a row, scoped by the subject's team and owner: its text is the same every time, so it is
  // prepared once (a grouped update with a CASE per row would be a new statement for every count of rows).
  for (const { subject, change } of of('new_delivery')) {
    const due = toDbInstant(change.dueAt);
    await sql`update reminders set state = 'pending', attempts = 0, lease_until = null, first_attempt_at = null,
      check_before_send = 0, last_error = null, channel_id = null, message_ts = null, sent_at = null, replan = 0,
      delivery = delivery + 1, delivery_key = ${change.key}, due_at = ${due}, planned_due_at = ${due}, updated_at = ${nowIso}
      where id = ${change.id} and team_id = ${subject.owner.teamId} and owner_id = ${subject.owner.userId} and state <> 'claimed'`.execute(
      db,
    );
  }
  for (const { subject, change } of of('reopen')) {
    const due = toDbInstant(change.dueAt);
    await sql`update reminders set state = 'pending', attempts = 0, lease_until = null, last_error = null, replan = 0,
      due_at = ${due}, planned_due_at = ${due}, updated_at = ${nowIso}
      where id = ${change.id} and team_id = ${subject.owner.teamId} and owner_id = ${subject.owner.userId} and state in ('cancelled', 'skipped')`.execute(
      db,
    );
  }
  for (const { subject, change } of of('move')) {
    const due = toDbInstant(change.dueAt);
    await sql`update reminders set due_at = ${due}, planned_due_at = ${due}, updated_at = ${nowIso}
      where id = ${change.id} and team_id = ${subject.owner.teamId} and owner_id = ${subject.owner.userId} and state = 'pending'`.execute(
      db,
    );
  }
  for (const { subject, change } of of('cancel')) {
    await sql`update reminders set state = 'cancelled', replan = 0, updated_at = ${nowIso}
      where id = ${change.id} and team_id = ${subject.owner.teamId} and owner_id = ${subject.owner.userId} and state = 'pending'`.execute(
      db,
    );
  }
  for (const { subject, change } of of('flag_replan')) {
    await sql`update reminders set replan = 1
      where id = ${change.id} and team_id = ${subject.owner.teamId} and owner_id = ${subject.owner.userId} and state = 'claimed'`.execute(
      db,
    );
  }
}

/** Clears the replan flag of these rows (no longer claimed): the reconcile it asked for has just run. */
export async function clearReplanFlags(db: Executor, reminderIds: number[]): Promise<void> {
  if (reminderIds.length === 0) return;
  await db
    .updateTable('reminders')
    .set({ replan: 0 })
    .where('id', 'in', paddedList(reminderIds))
    .where('replan', '=', 1)
    .where('state', '!=', 'claimed')
    .execute();
}
