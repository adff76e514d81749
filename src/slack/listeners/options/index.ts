import type { ListenerDeps } from '../../../deps.js';
import { suggestContacts } from '../../../domain/contacts/contacts-service.js';
import { searchTimeZones } from '../../../domain/time-zones/zone-choices.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { ASK_MODAL } from '../../ui/modals/ask-modal.js';
import { CONTACT_MODAL, timeZoneOption } from '../../ui/modals/contact-modal.js';
import { DEBRIEF_MODAL } from '../../ui/modals/debrief-modal.js';
import { MERGE_CONTACT, parseMergeChoice } from '../../ui/modals/merge-contact-modal.js';
import { contactOption, SCHEDULE_MODAL } from '../../ui/modals/schedule-modal.js';
import type { ListenerRegistry } from '../listener-router.js';
import { interactionOwner } from '../owner.js';

/** Slack shows at most 100 options; the handler must answer within 3 seconds. */
const MAX_OPTIONS = 100;

export function registerOptions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  // Only the requesting user's own contacts, whichever modal asks.
  for (const actionId of [
    SCHEDULE_MODAL.contactSearchActionId,
    CONTACT_MODAL.referrerSearchActionId,
    DEBRIEF_MODAL.contactSearchActionId,
    ASK_MODAL.contactSearchActionId,
  ]) {
    app.options(actionId, async ({ ack, body, context }) => {
      const deps = requestDeps(appDeps, context);
      const owner = interactionOwner(body as Parameters<typeof interactionOwner>[0]);
      const contacts = await suggestContacts(deps.db, owner, (body.value ?? '').slice(0, 200), MAX_OPTIONS);
      await ack({ options: contacts.map(contactOption) });
    });
  }
  // The duplicate to merge: the user's other contacts (never the one kept, which the view's metadata names).
  app.options(MERGE_CONTACT.duplicateSearchActionId, async ({ ack, body, context }) => {
    const deps = requestDeps(appDeps, context);
    const owner = interactionOwner(body as Parameters<typeof interactionOwner>[0]);
    const kept = 'view' in body ? parseMergeChoice(body.view)?.keptId : undefined;
    const contacts = await suggestContacts(deps.db, owner, (body.value ?? '').slice(0, 200), MAX_OPTIONS + 1);
    await ack({
      options: contacts
        .filter((c) => c.id !== kept)
        .slice(0, MAX_OPTIONS)
        .map(contactOption),
    });
  });
  app.options(CONTACT_MODAL.timeZoneSearchActionId, async ({ ack, body, context }) => {
    const deps = requestDeps(appDeps, context);
    const now = deps.clock.now();
    await ack({
      options: searchTimeZones((body.value ?? '').slice(0, 100), MAX_OPTIONS).map((zone) => timeZoneOption(zone, now)),
    });
  });
}
