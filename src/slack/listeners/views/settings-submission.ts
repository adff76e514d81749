import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps.js';
import { updateReminderSettings } from '../../../domain/reminders.js';
import { knownTimeZone } from '../../../domain/user-zone.js';
import { FALLBACK_TIME_ZONE } from '../../../lib/time.js';
import { parseSettingsSubmission, SETTINGS_MODAL } from '../../ui/modals/settings.js';
import { interactionOwner } from '../owner.js';

/** Saves reminder settings and re-plans pending reminders with them, then closes the modal. */
export function registerSettingsSubmission(app: App, deps: AppDeps): void {
  app.view(SETTINGS_MODAL.callbackId, async ({ ack, body }) => {
    const owner = interactionOwner(body);
    const parsed = parseSettingsSubmission(body.view);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    const now = deps.clock.now();
    // The zone already known: a users.info call here could make the ack late.
    const zone = (await knownTimeZone(deps.db, owner)) ?? FALLBACK_TIME_ZONE;
    await updateReminderSettings(deps.db, owner, parsed.settings, zone, now);
    await ack();
  });
}
