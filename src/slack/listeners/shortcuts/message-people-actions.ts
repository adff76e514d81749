import type { BlockButtonAction } from '@slack/bolt';
import type { ListenerDeps } from '../../../deps.js';
import { blankDraft } from '../../../domain/contacts/contact-rules.js';
import { getContact } from '../../../domain/contacts/contacts-service.js';
import { howMetFromMessage, type MessageSource } from '../../../domain/contacts/message-contacts.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { buildContactModal } from '../../ui/modals/contact-modal.js';
import { MESSAGE_PEOPLE_VIEW, parseMessagePeopleView } from '../../ui/modals/message-people-view.js';
import { platformErrorCode } from '../../web-api/web-api-errors.js';
import type { ListenerRegistry } from '../listener-router.js';
import { updateModal } from '../modals.js';
import { interactionOwner } from '../owner.js';
import { fillMessageForm } from './message-form-fill.js';

/**
 * *Log* next to someone a message names: the list becomes their contact form (views.update with its hash), filled
 * from the message, *Referred by* the author when the author is one of the presser's contacts (looked up for this
 * presser: an id from another user's view is simply not found), and carrying the others to offer once saved. A
 * mentioned colleague is then filled from their profile, as the colleague picker does.
 */
export function registerMessagePeopleActions(app: Pick<ListenerRegistry, 'action'>, appDeps: ListenerDeps): void {
  app.action<BlockButtonAction>(MESSAGE_PEOPLE_VIEW.logActionId, async ({ ack, action, body, client, context }) => {
    const deps = requestDeps(appDeps, context);
    await ack();
    const view = body.view;
    if (view?.type !== 'modal' || view.callback_id !== MESSAGE_PEOPLE_VIEW.callbackId) return;
    const source = parseMessagePeopleView(view);
    const index = /^\d{1,2}$/.test(action.value ?? '') ? Number(action.value) : -1;
    const person = source?.people[index];
    if (source === null || person === undefined) return;
    const owner = interactionOwner(body);
    const referrer =
      source.referrerId === null ? null : await getContact(deps.db, owner, source.referrerId).catch(() => null);
    const fromMessage: MessageSource = {
      ...source,
      people: source.people.filter((_, at) => at !== index),
      referrerId: referrer?.id ?? null,
      isAuthor: false,
    };
    const form = {
      draft: {
        ...blankDraft(),
        name: person.name,
        email: person.email,
        profileUrl: person.profileUrl,
        slackUserId: person.slackUserId,
        referredById: referrer?.id ?? null,
        howMet: howMetFromMessage(fromMessage, true),
      },
      context: { fromMessage },
    };
    const next = buildContactModal({ form, referrer, now: deps.clock.now() });
    let opened: Awaited<ReturnType<typeof updateModal>>;
    try {
      opened = await updateModal(client, view, next);
    } catch (error) {
      // The list changed meanwhile (another press won): leave it as it is.
      if (platformErrorCode(error) === 'hash_conflict') return;
      throw error;
    }
    if (person.slackUserId === '') return;
    await fillMessageForm({
      client,
      deps,
      owner,
      opened,
      form,
      referrer,
      slackUserId: person.slackUserId,
      permalink: null,
    });
  });
}
