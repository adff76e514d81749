import type { Button } from '@slack/types';
import { type FunnelWeek, funnelChartText } from '../../../charts/funnel-chart.js';
import { METRIC_LABELS } from '../../../domain/centre/progress-facts.js';
import { plain } from '../text.js';

// "My progress" on Home: the person's own funnel as a picture in their DM, with the same figures as text. Pure.

export const MY_PROGRESS = { action: 'home_my_progress', filename: 'my-progress.png' } as const;

/** Home's "My progress" button (every person has it). */
export function myProgressButton(): Button {
  return { type: 'button', action_id: MY_PROGRESS.action, text: plain('My progress'), value: 'chart' };
}

export const MY_PROGRESS_TITLE = 'Your networking, week by week (this week so far)';

/** The text beside the image: every figure of the chart, week by week, for screen readers and a quick read. */
export function myProgressComment(weeks: readonly FunnelWeek[]): string {
  const lines = funnelChartText(weeks).map((text, index) =>
    index === weeks.length - 1 ? `• ${text.replace(/^Week of ([^:]+):/, 'Week of $1 (so far):')}` : `• ${text}`,
  );
  return [`*Your progress, the last ${weeks.length} weeks* (the same figures as the chart):`, ...lines].join('\n');
}

/** The image's alt text: what it is and its totals; each week's figures are in the comment. */
export function myProgressAltText(weeks: readonly FunnelWeek[]): string {
  const total = (metric: keyof typeof METRIC_LABELS) =>
    weeks.reduce((sum, week) => sum + (week.values[metric] ?? 0), 0);
  const totals = (['asks', 'replies', 'conversations', 'thank_yous', 'referrals'] as const)
    .map((metric) => `${METRIC_LABELS[metric].toLowerCase()} ${total(metric)}`)
    .join(', ');
  return `Bar chart of your networking per week over the last ${weeks.length} weeks. In total: ${totals}. Each week's figures are in the message.`;
}

/** Slack refused the upload: said plainly, with what to do. */
export function myProgressFailed(code: string | undefined): string {
  return `Your progress chart could not be sent${code ? ` (Slack said \`${code}\`)` : ''}. Nothing was lost: press *My progress* again in a minute.`;
}
