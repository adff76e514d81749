import type { ListenerDeps } from '../../../deps.js';
import { deleteMyData } from '../../../domain/your-data/delete-service.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { buildDataDeletedModal, DELETE_MY_DATA_MODAL } from '../../ui/modals/delete-my-data-modal.js';
import type { ListenerRegistry } from '../listener-router.js';
import { interactionOwner } from '../owner.js';

/** Deletes the submitter's own data, whoever they claim to be elsewhere: the owner is the signed request's user. */
export function registerDeleteMyData(app: ListenerRegistry, appDeps: ListenerDeps): void {
  app.view(DELETE_MY_DATA_MODAL.callbackId, async ({ ack, body, context }) => {
    const deps = requestDeps(appDeps, context);
    const owner = interactionOwner(body);
    const counts = await deleteMyData(deps.db, owner);
    deps.logger.info(`deleted the data of ${owner.teamId}/${owner.userId}: ${JSON.stringify(counts)}`);
    await ack({ response_action: 'update', view: buildDataDeletedModal() });
  });
}
