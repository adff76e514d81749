import type { WebClient } from '@slack/web-api';
import { renderFunnelChart } from '../charts/funnel-chart.js';
import type { ListenerDeps } from '../deps.js';
import type { MyProgressWeek } from '../domain/centre/my-progress-service.js';
import type { Owner } from '../domain/types.js';
import { sendFilesToUser } from './direct-messages.js';
import {
  MY_PROGRESS,
  MY_PROGRESS_TITLE,
  myProgressAltText,
  myProgressComment,
} from './ui/messages/my-progress-messages.js';

/**
 * Draws the person's funnel (PNG, server-side) and uploads it to their DM with the app (files.uploadV2), the same
 * figures as text in the comment and the image's alt text. Throws what Slack says.
 */
export async function sendMyProgressChart(
  client: WebClient,
  deps: Pick<ListenerDeps, 'db'>,
  owner: Owner,
  weeks: readonly MyProgressWeek[],
  now: Date,
): Promise<void> {
  const chart = renderFunnelChart(MY_PROGRESS_TITLE, weeks);
  await sendFilesToUser(
    client,
    deps.db,
    owner,
    [{ filename: MY_PROGRESS.filename, content: chart.png, title: 'My progress', altText: myProgressAltText(weeks) }],
    myProgressComment(weeks),
    now,
  );
}
