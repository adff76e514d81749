import type { ListenerDeps } from '../../../deps.js';
import { runPendingReplans } from '../../../domain/reminders/reconciler.js';
import { updateReminderSettings } from '../../../domain/reminders/reminder-settings-service.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { parseSettingsSubmission, SETTINGS_MODAL } from '../../ui/modals/settings-modal.js';
import type { ListenerRegistry } from '../listener-router.js';
import { interactionOwner } from '../owner.js';

/**
 * Saves reminder settings (with a durable request to re-plan), closes the modal, then re-plans the user's reminders
 * in short batches: a heavy user's hundreds of meetings never hold up the ack.
 */
export function registerSettingsSubmission(app: ListenerRegistry, appDeps: ListenerDeps): void {
  app.view(SETTINGS_MODAL.callbackId, async ({ ack, body, context }) => {
    const deps = requestDeps(appDeps, context);
    const owner = interactionOwner(body);
    const parsed = parseSettingsSubmission(body.view);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    await updateReminderSettings(deps.db, owner, parsed.settings, deps.clock.now(), parsed.purpose);
    await ack();
    await runPendingReplans(deps.db, deps.clock.now(), deps.logger);
  });
}
