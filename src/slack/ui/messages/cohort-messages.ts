import type { FunnelWeek } from '../../../charts/funnel-chart.js';
import { funnelChartText } from '../../../charts/funnel-chart.js';
import type { CohortTable } from '../../../domain/centre/cohort-table.js';
import { weekLabel } from '../home/cohort-section.js';

// What an advisor receives of the cohort: only numbers and fixed words, never anyone's name or text.

/** The note when the cohort is too small for any figure (plain text). */
export function noCohortFigures(k: number): string {
  return `Fewer than ${k} people share their progress with the centre's advisors, so there are no cohort figures to download yet.`;
}

function span(weeks: readonly { weekStart: string }[]): string {
  const first = weeks[0];
  const last = weeks.at(-1);
  return first === undefined || last === undefined
    ? ''
    : ` from the week of ${weekLabel(first.weekStart)} to the week of ${weekLabel(last.weekStart)}`;
}

/** The comment above the CSV (plain words, numbers only). */
export function cohortCsvComment(table: CohortTable): string {
  return `Your cohort's figures${span(table.weeks)}, rounded to the nearest 5. Empty cells are figures not shown (fewer than ${table.k} people behind them).`;
}

/** The Monday chart's weeks: the funnel's figures of each week, null where not shown. */
export function funnelWeeks(table: CohortTable): FunnelWeek[] {
  return table.weeks.map((week) => ({ weekStart: week.weekStart, values: week.values }));
}

/** The message beside the Monday chart: the same figures as text, for screen readers and anyone reading. */
export function mondayChartComment(table: CohortTable): string {
  return [
    `Your cohort's weekly funnel${span(table.weeks)} (rounded to the nearest 5; "not shown" where fewer than ${table.k} people are behind a figure):`,
    ...funnelChartText(funnelWeeks(table)),
  ].join('\n');
}

/** The chart's alt text (at most 2000 characters, Slack's limit for an image's). */
export function mondayChartAltText(table: CohortTable): string {
  const text = `Bar chart of the cohort's weekly funnel: asks, replies, conversations, thank-yous and referrals. ${funnelChartText(funnelWeeks(table)).join('. ')}`;
  return text.length <= 2000 ? text : `${text.slice(0, 1999)}…`;
}

/** The chart's title, drawn on it. */
export function mondayChartTitle(table: CohortTable): string {
  return `Cohort funnel${span(table.weeks)}`;
}
