import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { ListenerDeps } from '../../../deps.js';
import { importContacts, previewImport } from '../../../domain/contacts/import/import-service.js';
import type { Owner } from '../../../domain/types.js';
import { downloadOwnFile } from '../../import-download.js';
import { requestDeps } from '../../middleware/request-logger.js';
import {
  buildImportDoneView,
  buildImportPreviewView,
  buildImportUploadModal,
  buildImportWorkingView,
  IMPORT_MODAL,
  parseImportConfirm,
  parseImportUpload,
} from '../../ui/modals/import-modal.js';
import type { ListenerRegistry } from '../listener-router.js';
import { updateModal } from '../modals.js';
import { interactionOwner } from '../owner.js';

const CHANGED = 'That file is not the one previewed any more, so nothing was imported: choose it again.';
const FAILED = 'Something went wrong, and nothing was imported. Please try again.';

/**
 * The contact import's two steps. Each acks at once with a "working" view (reading 10,000 rows and Slack's download
 * may take longer than the 3 seconds an ack has), then replaces it by view id. Nothing is kept between the steps but
 * the file's id and digest in the preview's private_metadata: the confirmation downloads the file again (it must
 * still be the submitter's own file, with the same bytes) and matches it again inside the import's transaction.
 */
export function registerImportSubmissions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  app.view(IMPORT_MODAL.uploadCallbackId, async ({ ack, body, client, context }) => {
    const deps = requestDeps(appDeps, context);
    const fileId = parseImportUpload(body.view);
    if (fileId === null) {
      await ack({ response_action: 'errors', errors: { [IMPORT_MODAL.blocks.file]: 'Choose a CSV or vCard file.' } });
      return;
    }
    await ack({ response_action: 'update', view: buildImportWorkingView(':hourglass: Reading your file…') });
    await replaceAfterAck(client, body.view.id, async () => {
      const owner = interactionOwner(body);
      const file = await downloadOwnFile(client, owner, fileId);
      if (!file.ok) return buildImportUploadModal(file.problem);
      const preview = await previewImport(deps.db, owner, file.bytes);
      if (!preview.ok) return buildImportUploadModal(preview.problem);
      return buildImportPreviewView(preview.summary, { fileId, digest: file.digest });
    });
  });

  app.view(IMPORT_MODAL.confirmCallbackId, async ({ ack, body, client, context }) => {
    const deps = requestDeps(appDeps, context);
    const confirmed = parseImportConfirm(body.view);
    if (confirmed === null) {
      await ack({ response_action: 'update', view: buildImportUploadModal(CHANGED) });
      return;
    }
    await ack({ response_action: 'update', view: buildImportWorkingView(':hourglass: Importing your contacts…') });
    const owner = interactionOwner(body);
    await replaceAfterAck(client, body.view.id, async () => {
      const file = await downloadOwnFile(client, owner, confirmed.fileId);
      if (!file.ok) return buildImportUploadModal(file.problem);
      if (file.digest !== confirmed.digest) return buildImportUploadModal(CHANGED);
      const now = deps.clock.now();
      const done = await importContacts(deps.db, owner, file.bytes, { cadenceDays: confirmed.cadenceDays, now });
      if (!done.ok) return buildImportUploadModal(done.problem);
      logImport(deps, owner, done.summary);
      return buildImportDoneView(done.summary);
    });
  });
}

/** Replaces the working view with what `work` makes; if it fails, the modal says so (nothing was imported) and the error goes on. */
async function replaceAfterAck(client: WebClient, viewId: string, work: () => Promise<ModalView>): Promise<void> {
  let view: ModalView;
  try {
    view = await work();
  } catch (error) {
    await updateModal(client, { id: viewId }, buildImportUploadModal(FAILED)).catch(() => undefined);
    throw error;
  }
  await updateModal(client, { id: viewId }, view);
}

/** Counts only: a file's contents never reach the log. */
function logImport(
  deps: ListenerDeps,
  owner: Owner,
  summary: { created: number; filled: number; unreadable: unknown[] },
): void {
  deps.logger.info(
    `contact import ${owner.teamId}/${owner.userId}: ${summary.created} new, ${summary.filled} filled in, ${summary.unreadable.length} unreadable`,
  );
}
