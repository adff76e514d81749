import type { KnownBlock } from '@slack/types';
import { cohortNote } from '../../../domain/centre/cohort-csv.js';
import type { CohortTable } from '../../../domain/centre/cohort-table.js';
import { METRIC_LABELS, PROGRESS_METRICS } from '../../../domain/centre/progress-facts.js';
import { mrkdwn, plain } from '../text.js';

/** The cohort section's own button: the CSV of the table, to the presser's DM. */
export const COHORT_ACTIONS = { downloadCsv: 'cohort_download_csv' } as const;

/** "2 Nov": a week's Monday as the table heads it (UTC, as the weeks are). */
export function weekLabel(weekStart: string): string {
  return new Date(`${weekStart}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
}

function figure(value: number | null): string {
  return value === null ? '–' : String(value);
}

/**
 * The advisor's cohort figures on Home: one line per figure over the last 8 ended weeks (oldest first) with its total,
 * the note, and the CSV button; nothing for anyone who is not an advisor. At most 5 blocks. Only numbers and fixed
 * labels: no one's name or words.
 */
export function cohortSection(table: CohortTable | null): KnownBlock[] {
  if (table === null) return [];
  const blocks: KnownBlock[] = [{ type: 'header', text: plain('Cohort figures') }];
  if (!table.shown) {
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `Fewer than ${table.k} people share their progress with the centre's advisors, so there are no cohort figures yet.`,
      ),
    });
    return blocks;
  }
  const first = table.weeks[0];
  const last = table.weeks.at(-1);
  if (first !== undefined && last !== undefined)
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          `Everyone who shares with an advisor, week by week from the week of ${weekLabel(first.weekStart)} to the week of ${weekLabel(last.weekStart)}, oldest first.`,
        ),
      ],
    });
  const lines = PROGRESS_METRICS.map((metric) => {
    const weeks = table.weeks.map((week) => figure(week.values[metric])).join(' · ');
    return `*${METRIC_LABELS[metric]}*: ${weeks} · total ${figure(table.totals[metric])}`;
  });
  blocks.push({ type: 'section', text: mrkdwn(lines.join('\n')) });
  blocks.push({ type: 'context', elements: [mrkdwn(`– not shown. ${cohortNote(table.k)}`)] });
  blocks.push({
    type: 'actions',
    block_id: 'cohort_actions',
    elements: [{ type: 'button', action_id: COHORT_ACTIONS.downloadCsv, text: plain('Download CSV'), value: 'csv' }],
  });
  return blocks;
}
