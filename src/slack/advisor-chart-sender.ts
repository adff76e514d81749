import { renderFunnelChart } from '../charts/funnel-chart.js';
import type { Db } from '../db/database.js';
import type { CohortTable } from '../domain/centre/cohort-table.js';
import { type AdvisorChartSender, DeliveryError } from '../domain/ports.js';
import type { Owner } from '../domain/types.js';
import { openDirectMessage } from './direct-messages.js';
import type { TeamClients } from './installs/team-clients.js';
import { toDeliveryError } from './reminder-sender.js';
import {
  funnelWeeks,
  mondayChartAltText,
  mondayChartComment,
  mondayChartTitle,
} from './ui/messages/cohort-messages.js';
import { WEB_API_TIMEOUT_MS } from './web-api/client-options.js';

// The Monday chart as Slack's external upload does it, in its three steps, so that the file's id is known (and
// stored by the caller) before the file is shared: files.getUploadURLExternal numbers the file, the PNG is posted to
// the address it gave, files.completeUploadExternal shares it in the advisor's DM with the figures as text.

/** Nothing was shared: a failure before files.completeUploadExternal is never an unknown outcome. */
function notShared(error: unknown): DeliveryError {
  const failure = error instanceof DeliveryError ? error : toDeliveryError(error);
  return failure.kind === 'unknown_outcome' ? new DeliveryError('transient', failure.message) : failure;
}

/** Where the chart of `table` goes, through each workspace's client (scopes files:write, im:write). */
export function createAdvisorChartSender(teams: TeamClients, db: Db): AdvisorChartSender {
  return {
    async send(owner: Owner, table: CohortTable, now: Date, reserved: (fileId: string) => Promise<boolean>) {
      let channel: string;
      let fileId: string;
      try {
        const client = await teams.forTeam(owner.teamId);
        channel = await openDirectMessage(client, db, owner, now);
        const { png } = renderFunnelChart(mondayChartTitle(table), funnelWeeks(table));
        const slot = await client.files.getUploadURLExternal({
          filename: `cohort-funnel-${table.weeks.at(-1)?.weekStart ?? 'weeks'}.png`,
          length: png.length,
          alt_text: mondayChartAltText(table),
        });
        if (!slot.upload_url || !slot.file_id) throw new DeliveryError('transient', 'no_upload_url');
        fileId = slot.file_id;
        if (!(await reserved(fileId))) throw new DeliveryError('transient', 'claim_taken_over');
        const uploaded = await fetch(slot.upload_url, {
          method: 'POST',
          body: new Uint8Array(png),
          headers: { 'Content-Type': 'image/png' },
          signal: AbortSignal.timeout(WEB_API_TIMEOUT_MS),
        });
        if (!uploaded.ok) throw new DeliveryError('transient', `upload_http_${uploaded.status}`);
      } catch (error) {
        throw notShared(error);
      }
      try {
        const client = await teams.forTeam(owner.teamId);
        await client.files.completeUploadExternal({
          files: [{ id: fileId, title: mondayChartTitle(table) }],
          channel_id: channel,
          initial_comment: mondayChartComment(table),
        });
      } catch (error) {
        throw toDeliveryError(error);
      }
    },

    async isShared(owner: Owner, fileId: string, now: Date) {
      try {
        const client = await teams.forTeam(owner.teamId);
        const channel = await openDirectMessage(client, db, owner, now);
        const { file } = await client.files.info({ file: fileId });
        const shares = file?.shares as
          | { private?: Record<string, unknown>; public?: Record<string, unknown> }
          | undefined;
        return Boolean(
          file?.ims?.includes(channel) ||
            file?.channels?.includes(channel) ||
            shares?.private?.[channel] !== undefined ||
            shares?.public?.[channel] !== undefined,
        );
      } catch (error) {
        if ((error as { data?: { error?: string } })?.data?.error === 'file_not_found') return false;
        throw toDeliveryError(error);
      }
    },
  };
}
