import type { Transaction } from 'kysely';
import type { ReminderKind } from '../../../domain/reminders/reminder-plan.js';
import type { Owner } from '../../../domain/types.js';
import { fromDbInstant } from '../../../lib/zoned-time.js';
import type { Executor } from '../../database.js';
import { paddedList } from '../../in-list.js';
import type { Database } from '../../schema.js';

// The operators' side of the reminders table (`npm run reminders -- --failed`, `--retry`): failed rows listed, and one
// put back to pending for the same delivery.

/** A reminder that failed for good, as the operators' CLI lists it: ids and the reason, never what the DM said. */
export interface FailedReminder {
  id: number;
  owner: Owner;
  kind: ReminderKind;
  /** Exactly one of meetingId and contactId is set; a meeting's start says which one it is at a glance. */
  meetingId: number | null;
  meetingStartsAt: Date | null;
  contactId: number | null;
  /** When it was marked failed (its last write). */
  failedAt: Date;
  attempts: number;
  /** `last_error`: the Slack error, or why the engine gave up. */
  reason: string | null;
}

/** Failed reminders, newest first, of these workspaces (all when `teamIds` is empty). */
export async function listFailedReminders(
  db: Executor,
  filter: { teamIds: readonly string[]; limit: number },
): Promise<FailedReminder[]> {
  let query = db
    .selectFrom('reminders as r')
    .leftJoin('meetings as m', 'm.id', 'r.meeting_id')
    .select([
      'r.id',
      'r.team_id',
      'r.owner_id',
      'r.kind',
      'r.meeting_id',
      'm.starts_at',
      'r.contact_id',
      'r.updated_at',
      'r.attempts',
      'r.last_error',
    ])
    .where('r.state', '=', 'failed');
  if (filter.teamIds.length > 0) query = query.where('r.team_id', 'in', paddedList(filter.teamIds));
  const rows = await query.orderBy('r.updated_at', 'desc').orderBy('r.id', 'desc').limit(filter.limit).execute();
  return rows.map((row) => ({
    id: row.id,
    owner: { teamId: row.team_id, userId: row.owner_id },
    kind: row.kind as ReminderKind,
    meetingId: row.meeting_id,
    meetingStartsAt: row.starts_at === null ? null : fromDbInstant(row.starts_at),
    contactId: row.contact_id,
    failedAt: fromDbInstant(row.updated_at),
    attempts: row.attempts,
    reason: row.last_error,
  }));
}

/** One reminder by id, as much as deciding a retry needs; undefined when there is none. */
export async function findReminderForRetry(db: Executor, id: number) {
  const row = await db
    .selectFrom('reminders')
    .select([
      'id',
      'team_id',
      'owner_id',
      'kind',
      'state',
      'meeting_id',
      'contact_id',
      'delivery_key',
      'check_before_send',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    owner: { teamId: row.team_id, userId: row.owner_id } satisfies Owner,
    kind: row.kind as ReminderKind,
    state: row.state,
    meetingId: row.meeting_id,
    contactId: row.contact_id,
    deliveryKey: row.delivery_key,
    checkBeforeSend: row.check_before_send === 1,
  };
}

/**
 * A failed reminder pending again, for the same delivery: due at `dueIso`, attempts from zero. `check_before_send`
 * and `first_attempt_at` are kept (a failed post may have reached Slack: then the engine looks in the DM first).
 * Guarded by the state and key it was decided on; false when the row changed meanwhile. Call inside the transaction
 * that read the facts.
 */
export async function retryFailedReminder(
  trx: Transaction<Database>,
  retry: { id: number; deliveryKey: string; dueIso: string; plannedDueIso: string },
  nowIso: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('reminders')
    .set({
      state: 'pending',
      attempts: 0,
      lease_until: null,
      replan: 0,
      due_at: retry.dueIso,
      planned_due_at: retry.plannedDueIso,
      updated_at: nowIso,
    })
    .where('id', '=', retry.id)
    .where('state', '=', 'failed')
    .where('delivery_key', '=', retry.deliveryKey)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
