import { describe, expect, it } from 'vitest';
import { type ReminderRow, reconcileRows } from '../../src/domain/reminders/reconcile-rows.js';
import type { ReminderPlan, WantedReminder } from '../../src/domain/reminders/reminder-plan.js';

const NOW = new Date('2026-12-02T12:00:00Z');
const LATER = new Date('2026-12-03T12:00:00Z');
const EARLIER = new Date('2026-12-01T12:00:00Z');

const want = (dueAt: Date, key = 'k1', asap = false): ReminderPlan => ({
  wanted: [{ kind: 'prep', key, dueAt, asap } satisfies WantedReminder],
  dropped: {},
});
const none: ReminderPlan = { wanted: [], dropped: { prep: 'turned off in settings' } };
const row = (change: Partial<ReminderRow>): ReminderRow => ({
  id: 7,
  kind: 'prep',
  state: 'pending',
  deliveryKey: 'k1',
  plannedDueAt: LATER,
  replan: false,
  ...change,
});
const reconcile = (rows: ReminderRow[], plan: ReminderPlan) => reconcileRows(rows, plan, ['prep'], NOW);

describe('reconcileRows', () => {
  it('adds what is missing and leaves what matches', () => {
    expect(reconcile([], want(LATER))).toEqual([{ type: 'insert', kind: 'prep', key: 'k1', dueAt: LATER }]);
    expect(reconcile([row({})], want(LATER))).toEqual([]);
  });

  it('moves a pending row whose plan moved; one already due stays due when the plan says "as soon as allowed"', () => {
    expect(reconcile([row({})], want(new Date('2026-12-04T12:00:00Z')))).toEqual([
      { type: 'move', id: 7, dueAt: new Date('2026-12-04T12:00:00Z') },
    ]);
    expect(reconcile([row({ plannedDueAt: EARLIER })], want(new Date('2026-12-02T13:00:00Z'), 'k1', true))).toEqual([]);
    expect(
      reconcile([row({ plannedDueAt: EARLIER })], want(new Date('2026-12-02T13:00:00Z'), 'k1', false)),
    ).toHaveLength(1);
  });

  it('cancels a pending row no longer wanted, leaves sent and failed ones alone, and flags a claimed one once', () => {
    expect(reconcile([row({})], none)).toEqual([{ type: 'cancel', id: 7 }]);
    for (const state of ['sent', 'failed', 'cancelled', 'skipped'] as const)
      expect(reconcile([row({ state })], none)).toEqual([]);
    // Being sent: the engine decides again before posting, and reconciles after it records (a retry, say).
    expect(reconcile([row({ state: 'claimed' })], none)).toEqual([{ type: 'flag_replan', id: 7 }]);
    expect(reconcile([row({ state: 'claimed', replan: true })], none)).toEqual([]);
  });

  it('never sends the same delivery twice, but a new key is a new delivery', () => {
    expect(reconcile([row({ state: 'sent' })], want(LATER))).toEqual([]);
    expect(reconcile([row({ state: 'failed' })], want(LATER))).toEqual([]);
    expect(reconcile([row({ state: 'sent' })], want(LATER, 'k2'))).toEqual([
      { type: 'new_delivery', id: 7, key: 'k2', dueAt: LATER },
    ]);
  });

  it('reopens a cancelled or skipped delivery that is wanted again (turned back on)', () => {
    expect(reconcile([row({ state: 'cancelled' })], want(LATER))).toEqual([{ type: 'reopen', id: 7, dueAt: LATER }]);
    expect(reconcile([row({ state: 'skipped' })], want(LATER))).toEqual([{ type: 'reopen', id: 7, dueAt: LATER }]);
  });

  it('flags a claimed row whose delivery changed, once', () => {
    expect(reconcile([row({ state: 'claimed' })], want(LATER, 'k2'))).toEqual([{ type: 'flag_replan', id: 7 }]);
    expect(reconcile([row({ state: 'claimed', replan: true })], want(LATER, 'k2'))).toEqual([]);
    // The same delivery at another time (a settings change while it is being sent): flagged too, so a retry
    // recorded under the old plan is moved to the new one right after.
    expect(reconcile([row({ state: 'claimed' })], want(new Date('2026-12-04T12:00:00Z')))).toEqual([
      { type: 'flag_replan', id: 7 },
    ]);
    expect(reconcile([row({ state: 'claimed' })], want(LATER))).toEqual([]);
  });
});
