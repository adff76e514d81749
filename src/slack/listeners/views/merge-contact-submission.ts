import type { ListenerDeps } from '../../../deps.js';
import { describeMerge, MERGE_GONE, mergeContacts } from '../../../domain/contacts/contact-merge-service.js';
import { NotFoundError, UserInputError } from '../../../lib/errors.js';
import { requestDeps } from '../../middleware/request-logger.js';
import {
  buildMergedView,
  buildMergeRefusedView,
  buildMergeSummaryView,
  MERGE_CONTACT,
  parseMergeChoice,
  parseMergeConfirmation,
} from '../../ui/modals/merge-contact-modal.js';
import type { ListenerRegistry } from '../listener-router.js';
import { interactionOwner } from '../owner.js';

/** Known refusals (a contact not the user's or gone, a merge with itself, notes too long) become words. */
function refusal(error: unknown): string {
  if (error instanceof NotFoundError || error instanceof UserInputError) return error.message;
  throw error;
}

/** The merge's two steps: the duplicate chosen (then what moves), and the confirmation (then the merge). */
export function registerMergeSubmissions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  app.view(MERGE_CONTACT.chooseCallbackId, async ({ ack, body, context }) => {
    const deps = requestDeps(appDeps, context);
    const choice = parseMergeChoice(body.view);
    if (choice === null) {
      await ack({ response_action: 'update', view: buildMergeRefusedView(MERGE_GONE) });
      return;
    }
    if (choice.duplicateId === null) {
      await ack({
        response_action: 'errors',
        errors: { [MERGE_CONTACT.duplicateBlock]: 'Pick the other entry for this person.' },
      });
      return;
    }
    try {
      const summary = await describeMerge(deps.db, interactionOwner(body), choice.keptId, choice.duplicateId);
      await ack({ response_action: 'update', view: buildMergeSummaryView(summary) });
    } catch (error) {
      await ack({ response_action: 'errors', errors: { [MERGE_CONTACT.duplicateBlock]: refusal(error) } });
    }
  });

  app.view(MERGE_CONTACT.confirmCallbackId, async ({ ack, body, context }) => {
    const deps = requestDeps(appDeps, context);
    const owner = interactionOwner(body);
    const pair = parseMergeConfirmation(body.view);
    try {
      if (pair === null) throw new NotFoundError(MERGE_GONE);
      const merged = await mergeContacts(deps.db, owner, pair.keptId, pair.duplicateId, deps.clock.now());
      deps.logger.info(`merged contact ${pair.duplicateId} into ${pair.keptId} for ${owner.teamId}/${owner.userId}`);
      await ack({ response_action: 'update', view: buildMergedView(merged) });
    } catch (error) {
      await ack({ response_action: 'update', view: buildMergeRefusedView(refusal(error)) });
    }
  });
}
