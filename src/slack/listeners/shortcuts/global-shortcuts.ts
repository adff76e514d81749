import type { GlobalShortcut } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { ListenerDeps } from '../../../deps.js';
import { latestTimeZone } from '../../../domain/time-zones/user-time-zone.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { buildAskPickModal } from '../../ui/modals/ask-modal.js';
import { buildContactModal } from '../../ui/modals/contact-modal.js';
import { buildScheduleModal } from '../../ui/modals/schedule-modal.js';
import { SHORTCUTS } from '../../ui/shortcuts.js';
import { slackUserDirectory } from '../../user-directory.js';
import type { ListenerRegistry } from '../listener-router.js';
import { openModal } from '../modals.js';
import { interactionOwner } from '../owner.js';

/** The form each global shortcut opens: the same as its `/infoview` subcommand without text. */
const FORMS: { callbackId: string; view: (now: Date) => ModalView }[] = [
  { callbackId: SHORTCUTS.planInterview.callbackId, view: () => buildScheduleModal({ name: null, startsAt: null }) },
  { callbackId: SHORTCUTS.logContact.callbackId, view: (now) => buildContactModal({ now }) },
  {
    callbackId: SHORTCUTS.askForConversation.callbackId,
    view: () => buildAskPickModal({ note: null, contact: null }),
  },
];

/**
 * The global shortcuts (from the composer's shortcut menu or search): ack, then open the form at once with the
 * trigger (it lives 3 seconds; no Web API call before it). A global shortcut has no response_url, so an expired
 * trigger is said in the app's DM. The user's zone is refreshed once the form is open.
 */
export function registerGlobalShortcuts(app: Pick<ListenerRegistry, 'shortcut'>, appDeps: ListenerDeps): void {
  for (const form of FORMS) {
    app.shortcut<GlobalShortcut>(
      { callback_id: form.callbackId, type: 'shortcut' },
      async ({ ack, body, client, respond, context }) => {
        const deps = requestDeps(appDeps, context);
        await ack();
        const now = deps.clock.now();
        const opened = await openModal({ body, client, respond }, form.view(now), { dm: deps });
        if (opened === null) deps.logger.warn(`trigger expired for shortcut ${form.callbackId}`);
        await latestTimeZone(deps.db, slackUserDirectory(client), interactionOwner(body), now, deps.logger);
      },
    );
  }
}
