import { describe, expect, it } from 'vitest';
import {
  asksToClose,
  chooseReminderRows,
  joinNotes,
  type MergeSide,
  planMerge,
  unionTags,
} from '../../src/domain/contacts/merge-rules.js';
import type { ReminderRow } from '../../src/domain/reminders/reconcile-rows.js';

function side(id: number, extra: Partial<MergeSide> = {}): MergeSide {
  return {
    id,
    name: `Person ${id}`,
    pronunciation: null,
    title: null,
    company: null,
    email: null,
    profileUrl: null,
    timeZone: null,
    howMet: null,
    referredById: null,
    tags: [],
    notes: null,
    keepInTouchDays: 0,
    slackUserId: null,
    lastTouchAt: null,
    keepInTouchSnoozedUntil: null,
    lastActivityAt: new Date('2026-12-01T00:00:00Z'),
    ...extra,
  };
}

function row(id: number, kind: ReminderRow['kind'], state: ReminderRow['state'], deliveryKey: string): ReminderRow {
  return { id, kind, state, deliveryKey, plannedDueAt: new Date('2026-12-09T15:00:00Z'), replan: false };
}

describe('merge rules', () => {
  it('keeps both notes, the duplicate after a line naming it', () => {
    expect(joinNotes('Mine', side(2, { name: 'A. Lovelace', notes: 'Theirs' }))).toBe(
      'Mine\n\n--- merged from A. Lovelace ---\nTheirs',
    );
    expect(joinNotes(null, side(2, { notes: 'Theirs' }))).toBe('Theirs');
    expect(joinNotes('Mine', side(2))).toBe('Mine');
  });

  it('unites tags once each, case and accents aside, the kept ones first', () => {
    expect(unionTags(['data', 'Café'], ['DATA', 'cafe', 'research'])).toEqual(['data', 'Café', 'research']);
  });

  it('fills only empty fields, keeps the kept cadence if it has one, and takes the later touch with its snooze', () => {
    const kept = side(1, { title: 'Analyst', email: null, keepInTouchDays: 90, lastTouchAt: new Date('2026-11-01') });
    const duplicate = side(2, {
      title: 'Engineer',
      email: 'ada@example.com',
      keepInTouchDays: 30,
      lastTouchAt: new Date('2026-11-20'),
      keepInTouchSnoozedUntil: new Date('2026-12-20'),
    });
    const plan = planMerge(kept, duplicate);
    expect(plan.profile).toMatchObject({ name: 'Person 1', title: 'Analyst', email: 'ada@example.com' });
    expect(plan.profile.keepInTouchDays).toBe(90);
    expect(plan.cadenceFrom).toBe('kept');
    expect(plan.filled).toEqual(['email']);
    expect(plan.lastTouchAt).toEqual(new Date('2026-11-20'));
    expect(plan.keepInTouchSnoozedUntil).toEqual(new Date('2026-12-20'));
    expect(planMerge(side(1), side(2, { keepInTouchDays: 30 })).cadenceFrom).toBe('duplicate');
    expect(planMerge(side(1), side(2)).cadenceFrom).toBe('none');
  });

  it('never leaves a contact referred by itself', () => {
    expect(planMerge(side(1, { referredById: 2 }), side(2, { referredById: 7 })).profile.referredById).toBe(7);
    expect(planMerge(side(1, { referredById: 2 }), side(2, { referredById: 1 })).profile.referredById).toBeNull();
    expect(planMerge(side(1, { referredById: 5 }), side(2, { referredById: 7 })).profile.referredById).toBe(5);
  });

  it('refuses notes or tags too long for one contact', () => {
    expect(planMerge(side(1, { notes: 'a'.repeat(1600) }), side(2, { notes: 'b'.repeat(1600) })).problems).toHaveLength(
      1,
    );
    const many = (prefix: string) => Array.from({ length: 8 }, (_, i) => `${prefix}${i}`);
    expect(planMerge(side(1, { tags: many('a') }), side(2, { tags: many('b') })).problems).toHaveLength(1);
    expect(planMerge(side(1, { notes: 'a' }), side(2, { notes: 'b' })).problems).toEqual([]);
  });

  it('closes every waiting ask but the latest', () => {
    expect(asksToClose([3, 8], 8)).toEqual([3]);
    expect(asksToClose([3], 9)).toEqual([3]);
    expect(asksToClose([9], 9)).toEqual([]);
  });

  it('keeps, per kind, the row for the delivery wanted, else the one that went furthest, else the kept one', () => {
    const wanted = new Map([
      ['ask_next', '8|2026-12-04'],
      ['ask_follow_up', '8|2026-12-04'],
    ] as const);
    const kept = [row(1, 'ask_next', 'sent', '3|2026-12-01'), row(2, 'keep_in_touch', 'pending', 'a|')];
    const duplicate = [
      row(11, 'ask_next', 'pending', '8|2026-12-04'),
      row(12, 'ask_follow_up', 'pending', '8|2026-12-04'),
      row(13, 'keep_in_touch', 'sent', 'b|'),
    ];
    expect(chooseReminderRows(kept, duplicate, wanted)).toEqual({ move: [11, 12, 13], drop: [1, 2] });
    expect(
      chooseReminderRows(
        [row(2, 'keep_in_touch', 'pending', 'a|')],
        [row(3, 'keep_in_touch', 'pending', 'b|')],
        new Map(),
      ),
    ).toEqual({
      move: [],
      drop: [3],
    });
  });
});
