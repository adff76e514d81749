import type { StoredFullReport } from '../../../domain/debriefs/full-report.js';
import { escapeToFit, linkTo, mrkdwn, plain, truncate } from '../text.js';
import type { OutgoingMessage } from './meeting-messages.js';

/** The comment above the Markdown file, where the workspace cannot make canvases. */
export const FULL_REPORT_FILE_COMMENT =
  'Your full report, as a Markdown file: this workspace cannot create canvases. It has a heading for each part of your debrief; open it in any editor and expand them while the conversation is fresh.';

function note(text: string): OutgoingMessage {
  return { text, blocks: [{ type: 'section', text: plain(text) }] };
}

/** Said when Slack would not take the report; nothing was recorded, so pressing again tries again. */
export const FULL_REPORT_FAILED = note(
  'Slack could not create your full report just now, so nothing was saved. Please press "Write the full report" again in a minute.',
);

/** Said to a second click while the first is still writing. */
export const FULL_REPORT_BUSY = note(
  'Your full report is being written: its link will arrive in this conversation in a moment.',
);

/** The link to the full report: after writing it, and to any later click instead of writing another. */
export function buildFullReportMessage(report: StoredFullReport, title: string): OutgoingMessage {
  const name = escapeToFit(title, 300);
  const where =
    report.format === 'canvas' ? 'a canvas only you can see and edit' : 'a Markdown file in this conversation';
  const link = report.url === null ? `*${name}*` : linkTo(report.url, truncate(title, 300));
  const hint = report.url === null && report.format === 'canvas' ? ' Find it under Canvases in Slack.' : '';
  return {
    text: `Your full report: ${title}`,
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `:page_facing_up: Your full report is ${where}: ${link}.${hint}\nExpand each heading while the conversation is fresh.`,
        ),
      },
    ],
  };
}
