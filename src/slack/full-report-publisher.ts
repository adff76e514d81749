import type { WebClient } from '@slack/web-api';
import type { ListenerDeps } from '../deps.js';
import { type FullReport, fullReportFile, type PublishedReport } from '../domain/debriefs/full-report.js';
import type { Owner } from '../domain/types.js';
import { sendFilesToUser } from './direct-messages.js';
import { FULL_REPORT_FILE_COMMENT } from './ui/messages/full-report-messages.js';
import { platformErrorCode } from './web-api/web-api-errors.js';

/**
 * canvases.create errors that mean this workspace (or this token) cannot make the canvas at all, documented on the
 * method: a free plan (whose only canvases are channel tabs), canvases turned off, or a token without
 * canvases:write. The report then goes as a Markdown file instead.
 */
const NO_CANVAS = new Set([
  'free_teams_cannot_create_non_tabbed_canvases',
  'free_teams_cannot_create_standalone_canvases',
  'canvas_disabled_user_team',
  'not_allowed_token_type',
]);

function cannotMakeCanvas(error: unknown): boolean {
  const code = platformErrorCode(error);
  if (code === 'missing_scope')
    return String((error as { data?: { needed?: unknown } }).data?.needed ?? '').includes('canvases:write');
  return code !== undefined && NO_CANVAS.has(code);
}

/** A file's permalink (files.info, scope files:read), or null when Slack does not give it: the report exists anyway. */
async function permalinkOf(client: WebClient, deps: ListenerDeps, fileId: string): Promise<string | null> {
  try {
    return (await client.files.info({ file: fileId })).file?.permalink ?? null;
  } catch (error) {
    deps.logger.warn(`no permalink for file ${fileId}: ${platformErrorCode(error) ?? 'request failed'}`);
    return null;
  }
}

/**
 * Writes the full report where the user alone can reach it: a canvas made by the app (canvases.create, scope
 * canvases:write) that only the user is then given access to, to edit (canvases.access.set), or, where the
 * workspace cannot make canvases, the same Markdown as a file in the user's DM with the app. Throws on any other
 * failure; a canvas the user could not be given access to is deleted first, so none is left behind.
 */
export async function publishFullReport(
  client: WebClient,
  deps: ListenerDeps,
  owner: Owner,
  report: FullReport,
  now: Date,
): Promise<PublishedReport> {
  let canvasId: string | undefined;
  try {
    canvasId = (
      await client.canvases.create({
        title: report.title,
        document_content: { type: 'markdown', markdown: report.markdown },
      })
    ).canvas_id;
  } catch (error) {
    if (!cannotMakeCanvas(error)) throw error;
    deps.logger.info(
      `no canvas for ${owner.teamId}/${owner.userId} (${platformErrorCode(error)}): full report as a file`,
    );
    const file = fullReportFile(report);
    const [uploaded] = await sendFilesToUser(
      client,
      deps.db,
      owner,
      [{ ...file, title: file.filename }],
      FULL_REPORT_FILE_COMMENT,
      now,
    );
    if (uploaded === undefined) return { format: 'markdown', fileId: null, url: null };
    return {
      format: 'markdown',
      fileId: uploaded.id,
      url: uploaded.permalink ?? (await permalinkOf(client, deps, uploaded.id)),
    };
  }
  if (!canvasId) throw new Error('canvases.create returned no canvas_id');
  try {
    await client.canvases.access.set({ canvas_id: canvasId, access_level: 'write', user_ids: [owner.userId] });
  } catch (error) {
    await client.canvases.delete({ canvas_id: canvasId }).catch((deleteError: unknown) => {
      deps.logger.warn(`canvas ${canvasId} left behind: ${platformErrorCode(deleteError) ?? 'request failed'}`);
    });
    throw error;
  }
  return { format: 'canvas', canvasId, url: await permalinkOf(client, deps, canvasId) };
}
