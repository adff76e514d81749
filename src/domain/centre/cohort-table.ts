import { addDays, countsBetween, PROGRESS_METRICS, type ProgressEvent, type ProgressMetric } from './progress-facts.js';

// What the cohort tables may show, and nothing more. Pure: the service freezes weeks and gathers the viewer's facts.
//
// The rules, and the attack each one stops (test/unit/cohort-table-privacy.test.ts tries them all):
// - Only ended weeks, each FROZEN the first time it is needed: the same cell never shows two values, so no one can
//   learn a person's figure from the difference of two tables (someone joining, leaving, deleting, logging late).
// - A whole table shows nothing while the cohort has fewer than k people.
// - A cell is shown only when at least k people contribute to it (a zero is hidden too: "nobody did this" tells
//   something about every member, while a hidden cell says only "fewer than k").
// - Per viewer: an advisor sees their own sharers one by one, so they could subtract them. A cell is shown to them
//   only when the contributors they cannot have seen number at least k (contributors less everyone they see or have
//   looked at, an upper bound on whom they can subtract), or when everyone in the frozen week is a current sharer of
//   theirs who already shared with them when it was frozen (they know them all: nobody left to single out).
// - Shown figures are rounded to the nearest 5.
// - A column's total is shown only when all of its cells are: a total minus the shown cells never yields a hidden
//   one, and two totals over windows a week apart differ by two cells that are both shown.

/** How many ended weeks a table covers. */
export const COHORT_WEEKS = 8;

/** The fewest contributors a figure can ever need (settings cannot go lower). */
export const MIN_K = 5;

/** One frozen cell: the true sum (never shown as is) and how many people had a non-zero value in it. */
export interface FrozenCell {
  value: number;
  contributors: number;
}

/** One ended week as it was frozen: aggregates only. */
export interface FrozenWeek {
  weekStart: string;
  /** When it was frozen (ISO instant): a share that began before then was part of it. */
  frozenAt: string;
  /** How many people were in the cohort when it was frozen. */
  members: number;
  cells: Record<ProgressMetric, FrozenCell>;
}

/** What the rules need to know about who is looking. */
export interface CohortViewer {
  /** Everyone the viewer sees or has looked at one by one (their sharers, the people their looks were logged at). */
  knownPeople: number;
  /** Per week: how many of the viewer's current sharers shared with them before that week was frozen. */
  sharersBeforeFreeze: (week: FrozenWeek) => number;
}

export type CohortRow = Record<ProgressMetric, number | null>;

/** A table as one viewer may see it: null is a hidden figure. */
export interface CohortTable {
  /** False when the cohort is under k: nothing at all is shown. */
  shown: boolean;
  k: number;
  weeks: { weekStart: string; values: CohortRow }[];
  totals: CohortRow;
}

/** k as the rules use it: the setting, never below 5. */
export function effectiveK(minCohort: number): number {
  return Math.max(MIN_K, Math.floor(minCohort));
}

/** The nearest multiple of 5 (halves up). */
export function roundToFive(value: number): number {
  return Math.round(value / 5) * 5;
}

/** One week's cells over the members' events: the true sum and the number of people with a non-zero value. */
export function freezeCells(
  weekStart: string,
  eventsByMember: readonly ProgressEvent[][],
): Record<ProgressMetric, FrozenCell> {
  const cells = emptyCells();
  const end = addDays(weekStart, 7);
  for (const events of eventsByMember) {
    const counts = countsBetween(events, weekStart, end);
    for (const metric of PROGRESS_METRICS) {
      if (counts[metric] === 0) continue;
      cells[metric].value += counts[metric];
      cells[metric].contributors += 1;
    }
  }
  return cells;
}

function emptyCells(): Record<ProgressMetric, FrozenCell> {
  return Object.fromEntries(PROGRESS_METRICS.map((metric) => [metric, { value: 0, contributors: 0 }])) as Record<
    ProgressMetric,
    FrozenCell
  >;
}

function emptyRow(): CohortRow {
  return Object.fromEntries(PROGRESS_METRICS.map((metric) => [metric, null])) as CohortRow;
}

/** True when `viewer` may see the cell's figure (before rounding). */
export function cellShown(week: FrozenWeek, metric: ProgressMetric, k: number, viewer: CohortViewer): boolean {
  const contributors = week.cells[metric].contributors;
  if (contributors < k) return false;
  if (contributors - viewer.knownPeople >= k) return true;
  return week.members > 0 && viewer.sharersBeforeFreeze(week) >= week.members;
}

/**
 * The table `viewer` may see over `weeks` (oldest first), for a cohort of `cohortSize` people now and k as set.
 * Shown figures are multiples of 5.
 */
/** The table of a cohort under k: the weeks and nothing else. */
export function hiddenCohortTable(weekStarts: readonly string[], minCohort: number): CohortTable {
  return {
    shown: false,
    k: effectiveK(minCohort),
    weeks: weekStarts.map((weekStart) => ({ weekStart, values: emptyRow() })),
    totals: emptyRow(),
  };
}

export function publishCohortTable(
  weeks: readonly FrozenWeek[],
  cohortSize: number,
  minCohort: number,
  viewer: CohortViewer,
): CohortTable {
  const k = effectiveK(minCohort);
  if (cohortSize < k)
    return hiddenCohortTable(
      weeks.map((week) => week.weekStart),
      minCohort,
    );
  const rows = weeks.map((week) => {
    const values = emptyRow();
    for (const metric of PROGRESS_METRICS)
      if (cellShown(week, metric, k, viewer)) values[metric] = roundToFive(week.cells[metric].value);
    return { weekStart: week.weekStart, values };
  });
  const totals = emptyRow();
  for (const metric of PROGRESS_METRICS) {
    if (rows.length === 0 || rows.some((row) => row.values[metric] === null)) continue;
    totals[metric] = roundToFive(weeks.reduce((sum, week) => sum + week.cells[metric].value, 0));
  }
  return { shown: true, k, weeks: rows, totals };
}
