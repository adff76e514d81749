import { createHash } from 'node:crypto';
import type { FilesInfoResponse, WebClient } from '@slack/web-api';
import { MAX_IMPORT_BYTES } from '../domain/contacts/import/import-file.js';
import { TOO_BIG } from '../domain/contacts/import/read-contacts-file.js';
import type { Owner } from '../domain/types.js';
import { platformErrorCode } from './web-api/web-api-errors.js';

/** How long a file's download may take: an import must finish within 10 seconds. */
const DOWNLOAD_TIMEOUT_MS = 6_000;

/** The file's bytes and their SHA-256 (hex): a preview and its confirmation must be of the same bytes. */
export type DownloadedFile = { ok: true; bytes: Uint8Array; digest: string } | { ok: false; problem: string };

const NOT_FOUND = 'I could not find that file any more: upload it again.';
const NOT_YOURS = 'That file was not shared by you, so it cannot be imported into your contacts.';
const NO_DOWNLOAD = 'Slack would not let me download that file just now: try again in a minute.';

/**
 * The bytes of a file the owner uploaded (file_input or a DM), fetched with the bot token: files.info first (it must
 * be the owner's own file, and Slack's size must be within 5 MB), then url_private_download, read no further than
 * 5 MB whatever the size said. The token is only ever sent to Slack's own hosts (or the configured API's host).
 * Problems come back as one sentence; other Web API failures throw. Never logs the file's contents.
 */
export async function downloadOwnFile(client: WebClient, owner: Owner, fileId: string): Promise<DownloadedFile> {
  if (!/^F[A-Z0-9]{2,30}$/.test(fileId)) return { ok: false, problem: NOT_FOUND };
  let info: FilesInfoResponse;
  try {
    info = (await client.apiCall('files.info', { file: fileId })) as FilesInfoResponse;
  } catch (error) {
    const code = platformErrorCode(error);
    if (code === 'file_not_found' || code === 'file_deleted' || code === 'access_denied')
      return { ok: false, problem: NOT_FOUND };
    throw error;
  }
  const file = info.file;
  if (file === undefined) return { ok: false, problem: NOT_FOUND };
  if (file.user !== owner.userId) return { ok: false, problem: NOT_YOURS };
  if ((file.size ?? 0) > MAX_IMPORT_BYTES) return { ok: false, problem: TOO_BIG };
  const url = file.url_private_download ?? file.url_private;
  if (url === undefined || client.token === undefined || !isSlackFileUrl(url, client.slackApiUrl))
    return { ok: false, problem: NO_DOWNLOAD };
  return download(url, client.token);
}

function isSlackFileUrl(url: string, apiUrl: string): boolean {
  try {
    const target = new URL(url);
    if (target.protocol === 'https:' && /(^|\.)slack(-files)?\.com$/.test(target.hostname)) return true;
    return target.origin === new URL(apiUrl).origin;
  } catch {
    return false;
  }
}

async function download(url: string, token: string): Promise<DownloadedFile> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
    });
  } catch {
    return { ok: false, problem: NO_DOWNLOAD };
  }
  // Without access Slack answers its sign-in page (HTML), not the file.
  if (!response.ok || response.body === null || /text\/html/i.test(response.headers.get('content-type') ?? '')) {
    await response.body?.cancel();
    return { ok: false, problem: NO_DOWNLOAD };
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_IMPORT_BYTES) {
        await reader.cancel();
        return { ok: false, problem: TOO_BIG };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, problem: NO_DOWNLOAD };
  }
  const bytes = Buffer.concat(chunks);
  return { ok: true, bytes, digest: createHash('sha256').update(bytes).digest('hex') };
}
