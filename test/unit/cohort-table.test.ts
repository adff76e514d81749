import { describe, expect, it } from 'vitest';
import {
  type CohortViewer,
  effectiveK,
  type FrozenWeek,
  freezeCells,
  publishCohortTable,
  roundToFive,
} from '../../src/domain/centre/cohort-table.js';
import { addDays, type ProgressEvent } from '../../src/domain/centre/progress-facts.js';

const MONDAY = '2026-11-02';

/** A frozen week where `askers` people sent `each` asks each (and nothing else happened). */
function week(index: number, askers: number, each = 1, members = askers): FrozenWeek {
  const weekStart = addDays(MONDAY, index * 7);
  const events: ProgressEvent[][] = Array.from({ length: askers }, () =>
    Array.from({ length: each }, () => ({ metric: 'asks' as const, day: addDays(weekStart, 2) })),
  );
  return { weekStart, frozenAt: '2026-12-01T00:00:00.000Z', members, cells: freezeCells(weekStart, events) };
}

const stranger: CohortViewer = { knownPeople: 0, sharersBeforeFreeze: () => 0 };

describe('cohort figures', () => {
  it('k is never below 5', () => {
    expect([effectiveK(10), effectiveK(5), effectiveK(3), effectiveK(0)]).toEqual([10, 5, 5, 5]);
  });

  it.each([
    [0, 0],
    [2, 0],
    [3, 5],
    [12, 10],
    [13, 15],
    [17, 15],
    [18, 20],
  ])('rounds %i to %i', (value, rounded) => {
    expect(roundToFive(value)).toBe(rounded);
  });

  it('counts a week per person: the true sum, and only people with something count as contributors', () => {
    const cells = freezeCells(MONDAY, [
      [
        { metric: 'asks', day: MONDAY },
        { metric: 'asks', day: addDays(MONDAY, 6) },
        { metric: 'asks', day: addDays(MONDAY, 7) },
      ],
      [{ metric: 'replies', day: addDays(MONDAY, 3) }],
      [],
    ]);
    expect(cells.asks).toEqual({ value: 2, contributors: 1 });
    expect(cells.replies).toEqual({ value: 1, contributors: 1 });
    expect(cells.referrals).toEqual({ value: 0, contributors: 0 });
  });

  it('a cohort of 9 shows no figure at all, whatever the cells hold', () => {
    const weeks = Array.from({ length: 8 }, (_, i) => week(i, 9, 3, 9));
    const tenTable = publishCohortTable(weeks, 9, 10, stranger);
    expect(tenTable.shown).toBe(false);
    // With k set to 5 the same cohort shows.
    expect(publishCohortTable(weeks, 9, 5, stranger).weeks[0]?.values.asks).toBe(25);
    expect(tenTable.weeks.every((row) => Object.values(row.values).every((value) => value === null))).toBe(true);
    expect(Object.values(tenTable.totals).every((value) => value === null)).toBe(true);
  });

  it('a cohort of 10 shows rounded figures where 10 people contribute, and their total', () => {
    const weeks = Array.from({ length: 8 }, (_, i) => week(i, 10, 2));
    const table = publishCohortTable(weeks, 10, 10, stranger);
    expect(table.weeks.map((row) => row.values.asks)).toEqual([20, 20, 20, 20, 20, 20, 20, 20]);
    expect(table.totals.asks).toBe(160);
    // Nobody replied: a zero is hidden too ("nobody did this" tells something of everyone).
    expect(table.weeks[0]?.values.replies).toBeNull();
    expect(table.totals.replies).toBeNull();
  });

  it('a cell with fewer than k contributors is hidden, and so is its column total', () => {
    const weeks = Array.from({ length: 8 }, (_, i) => (i === 3 ? week(i, 9, 1, 12) : week(i, 12, 1)));
    const table = publishCohortTable(weeks, 12, 10, stranger);
    expect(table.weeks[3]?.values.asks).toBeNull();
    expect(table.weeks[2]?.values.asks).toBe(10);
    expect(table.totals.asks).toBeNull();
  });

  it('an advisor who could subtract people they see one by one does not see the cell', () => {
    const weeks = Array.from({ length: 8 }, (_, i) => week(i, 12, 1, 20));
    // 12 contributors; an advisor who knows 3 people leaves at most 9 they cannot see: under k.
    const table = publishCohortTable(weeks, 20, 10, { knownPeople: 3, sharersBeforeFreeze: () => 3 });
    expect(table.weeks.every((row) => row.values.asks === null)).toBe(true);
    // One who knows 2 leaves at least 10.
    const other = publishCohortTable(weeks, 20, 10, { knownPeople: 2, sharersBeforeFreeze: () => 2 });
    expect(other.weeks.every((row) => row.values.asks === 10)).toBe(true);
  });

  it('an advisor who shared every member of the frozen week since before it froze sees it (nobody to single out)', () => {
    const weeks = Array.from({ length: 8 }, (_, i) => week(i, 10, 1, 10));
    const all = publishCohortTable(weeks, 10, 10, { knownPeople: 10, sharersBeforeFreeze: () => 10 });
    expect(all.weeks.every((row) => row.values.asks === 10)).toBe(true);
    // One of them joined after the week froze: someone in it may be a stranger to this advisor.
    const late = publishCohortTable(weeks, 10, 10, { knownPeople: 10, sharersBeforeFreeze: () => 9 });
    expect(late.weeks.every((row) => row.values.asks === null)).toBe(true);
  });
});
