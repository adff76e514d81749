import { stringify } from 'csv-stringify/sync';
import type { CohortTable } from './cohort-table.js';
import { METRIC_LABELS, PROGRESS_METRICS } from './progress-facts.js';

/** The note under every cohort table: what the figures are and why some are empty. */
export function cohortNote(k: number): string {
  return `Counts rounded to the nearest 5. A figure is left empty where fewer than ${k} people contribute to it, or where you could work out someone you see one by one; a total is left empty when any of its weeks is. Weeks run Monday to Sunday (UTC) and never change once they have ended.`;
}

function cell(value: number | null): string {
  return value === null ? '' : String(value);
}

/**
 * The table as CSV (RFC 4180, CRLF): one row per week (its Monday), one column per figure, the 8 weeks' totals, then
 * the note. Empty where a figure is not shown. Only fixed labels and numbers: nothing anyone wrote.
 */
export function cohortCsv(table: CohortTable): string {
  const header = ['Week starting (Monday, UTC)', ...PROGRESS_METRICS.map((metric) => METRIC_LABELS[metric])];
  const rows = table.weeks.map((week) => [week.weekStart, ...PROGRESS_METRICS.map((m) => cell(week.values[m]))]);
  const totals = [`Total (${table.weeks.length} weeks)`, ...PROGRESS_METRICS.map((m) => cell(table.totals[m]))];
  return stringify([header, ...rows, totals, [], [cohortNote(table.k)]], { record_delimiter: 'windows' });
}
