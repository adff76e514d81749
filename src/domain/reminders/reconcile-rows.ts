import type { ReminderKind, ReminderPlan, WantedReminder } from './reminder-plan.js';

export type ReminderRowState = 'pending' | 'claimed' | 'sent' | 'failed' | 'skipped' | 'cancelled';

/** A reminder row as the reconciler sees it. */
export interface ReminderRow {
  id: number;
  kind: ReminderKind;
  state: ReminderRowState;
  deliveryKey: string;
  /** What the planner said last; due_at itself may be later (retry backoff, Retry-After). */
  plannedDueAt: Date;
  replan: boolean;
}

/** One write that brings a subject's rows to its plan. */
export type ReminderChange =
  | { type: 'insert'; kind: ReminderKind; key: string; dueAt: Date }
  /** The row stands for another delivery now: a new number, nothing of the old one's attempts carried over. */
  | { type: 'new_delivery'; id: number; key: string; dueAt: Date }
  /** A cancelled or skipped row is wanted again, for the same delivery (its unknown outcome, if any, stays). */
  | { type: 'reopen'; id: number; dueAt: Date }
  | { type: 'move'; id: number; dueAt: Date }
  | { type: 'cancel'; id: number }
  /** Being sent right now, and its facts changed: the engine reconciles again once it records the outcome. */
  | { type: 'flag_replan'; id: number };

/**
 * Same due time as far as sending goes: the same instant, or both already due (a plan that says "as soon as
 * allowed" for a row that is already due changes nothing: the engine sends it, or holds it out of quiet hours).
 */
function sameDue(row: ReminderRow, wanted: WantedReminder, now: Date): boolean {
  if (row.plannedDueAt.getTime() === wanted.dueAt.getTime()) return true;
  return row.plannedDueAt.getTime() <= now.getTime() && (wanted.asap || wanted.dueAt.getTime() <= now.getTime());
}

/**
 * The writes that make one subject's rows (a meeting's, or a contact's) match its plan. Pure. A delivery already
 * sent (or failed for good) is never sent again; a claimed row is never written but flagged; a row whose delivery
 * key differs stands for a new delivery.
 */
export function reconcileRows(
  rows: ReminderRow[],
  plan: ReminderPlan,
  kinds: readonly ReminderKind[],
  now: Date,
): ReminderChange[] {
  const changes: ReminderChange[] = [];
  for (const kind of kinds) {
    const wanted = plan.wanted.find((w) => w.kind === kind);
    const row = rows.find((r) => r.kind === kind);
    if (wanted === undefined) {
      if (row?.state === 'pending') changes.push({ type: 'cancel', id: row.id });
      // Being sent while its facts stopped calling for it: whatever the engine records, reconcile after it.
      else if (row?.state === 'claimed' && !row.replan) changes.push({ type: 'flag_replan', id: row.id });
      continue;
    }
    if (row === undefined) {
      changes.push({ type: 'insert', kind, key: wanted.key, dueAt: wanted.dueAt });
      continue;
    }
    if (row.state === 'claimed') {
      // A new delivery, or the same one at another time (settings, quiet hours): if the engine records a retry or
      // a deferral under the old plan, the reconcile after it brings the row to this one.
      if (!row.replan && (row.deliveryKey !== wanted.key || !sameDue(row, wanted, now)))
        changes.push({ type: 'flag_replan', id: row.id });
      continue;
    }
    if (row.deliveryKey !== wanted.key) {
      changes.push({ type: 'new_delivery', id: row.id, key: wanted.key, dueAt: wanted.dueAt });
      continue;
    }
    if (row.state === 'cancelled' || row.state === 'skipped')
      changes.push({ type: 'reopen', id: row.id, dueAt: wanted.dueAt });
    else if (row.state === 'pending' && !sameDue(row, wanted, now))
      changes.push({ type: 'move', id: row.id, dueAt: wanted.dueAt });
  }
  return changes;
}
