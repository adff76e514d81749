import type { BlockButtonAction } from '@slack/bolt';
import type { ListenerDeps } from '../../../deps.js';
import { importContacts } from '../../../domain/contacts/import/import-service.js';
import { downloadOwnFile } from '../../import-download.js';
import { requestDeps } from '../../middleware/request-logger.js';
import {
  buildSharedFileDone,
  buildSharedFileProblem,
  IMPORT_ACTIONS,
  parseSharedFileValue,
} from '../../ui/messages/import-messages.js';
import type { ListenerRegistry } from '../listener-router.js';
import { interactionOwner } from '../owner.js';

const CHANGED = 'That file is not the one previewed any more, so nothing was imported: share it again.';

/** Import on the preview of a file shared in the DM: downloaded and matched again, imported with no cadence. */
export function registerImportActions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  app.action<BlockButtonAction>(
    IMPORT_ACTIONS.importShared,
    async ({ ack, action, body, client, context, respond }) => {
      const deps = requestDeps(appDeps, context);
      await ack();
      const owner = interactionOwner(body);
      const shared = parseSharedFileValue(action.value);
      const file = shared === null ? null : await downloadOwnFile(client, owner, shared.fileId);
      let message = buildSharedFileProblem(CHANGED);
      if (file !== null && !file.ok) message = buildSharedFileProblem(file.problem);
      else if (file !== null && file.digest === shared?.digest) {
        const done = await importContacts(deps.db, owner, file.bytes, { cadenceDays: 0, now: deps.clock.now() });
        message = done.ok ? buildSharedFileDone(done.summary) : buildSharedFileProblem(done.problem);
      }
      await respond({ replace_original: true, ...message });
    },
  );
}
