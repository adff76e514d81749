import type { ListenerDeps } from '../../../deps.js';
import { validateContactDraft } from '../../../domain/contacts/contact-rules.js';
import {
  CONTACT_NOT_FOUND,
  getContact,
  removeContact,
  saveContact,
} from '../../../domain/contacts/contacts-service.js';
import type { MessageSource } from '../../../domain/contacts/message-contacts.js';
import { storedTimeZone } from '../../../domain/time-zones/user-time-zone.js';
import type { Contact, Owner } from '../../../domain/types.js';
import { NotFoundError } from '../../../lib/errors.js';
import { FALLBACK_TIME_ZONE } from '../../../lib/zoned-time.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { CONTACT_MODAL, contactErrorsByBlock, parseContactSubmission } from '../../ui/modals/contact-modal.js';
import {
  buildContactDeletedView,
  buildContactSavedView,
  buildDuplicateContactView,
  buildNotFoundView,
  DELETE_CONTACT_MODAL,
} from '../../ui/modals/contact-views.js';
import { buildMessagePeopleView } from '../../ui/modals/message-people-view.js';
import type { ListenerRegistry } from '../listener-router.js';
import { interactionOwner, parseId } from '../owner.js';

/** Who is offered after `saved` was logged from a message: the others, referred by the author (once a contact). */
async function nextFromMessage(
  deps: Pick<ListenerDeps, 'db'>,
  owner: Owner,
  source: MessageSource,
  saved: Contact,
): Promise<{ source: MessageSource; referrer: Contact | null }> {
  if (source.isAuthor) {
    return { source: { ...source, author: saved.name, referrerId: saved.id, isAuthor: false }, referrer: saved };
  }
  const referrer =
    source.referrerId === null ? null : await getContact(deps.db, owner, source.referrerId).catch(() => null);
  return { source: { ...source, referrerId: referrer?.id ?? null }, referrer };
}

export function registerContactSubmissions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  /**
   * Saves a contact. Problems come back inline; a person already logged pushes a view offering to edit that one
   * (closing it returns to the form as typed). Saved: the form turns into a confirmation, or closes entirely when
   * it was itself opened over another form.
   */
  app.view(CONTACT_MODAL.callbackId, async ({ ack, body, context }) => {
    const deps = requestDeps(appDeps, context);
    const owner = interactionOwner(body);
    const submission = parseContactSubmission(body.view);
    if (!submission.ok) {
      await ack({
        response_action: 'errors',
        errors: { [CONTACT_MODAL.blocks.name]: 'This form could not be read. Please close it and try again.' },
      });
      return;
    }
    const fill = submission.context.fill ?? 0;
    const checked = validateContactDraft(submission.draft);
    if (!checked.ok) {
      await ack({ response_action: 'errors', errors: contactErrorsByBlock(checked.errors, fill) });
      return;
    }
    // The form already said why this Slack user cannot be linked (a bot, deactivated, another workspace).
    if (checked.profile.slackUserId !== null && checked.profile.slackUserId === submission.context.refusedSlackUserId) {
      await ack({
        response_action: 'errors',
        errors: contactErrorsByBlock({
          slackUserId: 'This Slack user cannot be linked. Clear the field, or pick a colleague.',
        }),
      });
      return;
    }
    let result: Awaited<ReturnType<typeof saveContact>>;
    try {
      const now = deps.clock.now();
      const zone = (await storedTimeZone(deps.db, owner)) ?? FALLBACK_TIME_ZONE;
      result = await saveContact(deps.db, owner, checked.profile, {
        now,
        contactId: submission.context.contactId ?? null,
        zone,
      });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      await ack({ response_action: 'errors', errors: contactErrorsByBlock({ name: error.message }, fill) });
      return;
    }
    if (result.kind === 'invalid')
      await ack({ response_action: 'errors', errors: contactErrorsByBlock(result.errors, fill) });
    else if (result.kind === 'duplicate')
      await ack({ response_action: 'push', view: buildDuplicateContactView(result.existing) });
    else if (submission.stacked) await ack({ response_action: 'clear' });
    else if (submission.context.fromMessage?.people.length) {
      // Logged from a message that names others: the confirmation offers them next, referred by the author.
      const next = await nextFromMessage(deps, owner, submission.context.fromMessage, result.contact);
      await ack({
        response_action: 'update',
        view: buildMessagePeopleView({ ...next, saved: { contact: result.contact, created: result.created } }),
      });
    } else await ack({ response_action: 'update', view: buildContactSavedView(result.contact, result.created) });
  });

  /** Deletes after the confirmation modal; the modal then says what was deleted. */
  app.view(DELETE_CONTACT_MODAL.callbackId, async ({ ack, body, context }) => {
    const deps = requestDeps(appDeps, context);
    const owner = interactionOwner(body);
    let contactId: number | null = null;
    try {
      contactId = parseId(
        String((JSON.parse(body.view.private_metadata || '{}') as { contactId?: unknown }).contactId),
      );
    } catch {
      contactId = null;
    }
    try {
      if (contactId === null) throw new NotFoundError(CONTACT_NOT_FOUND);
      const deleted = await removeContact(deps.db, owner, contactId, deps.clock.now());
      await ack({ response_action: 'update', view: buildContactDeletedView(deleted) });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      // The confirmation has no inputs to hang an error on: the modal itself says nothing was deleted.
      await ack({ response_action: 'update', view: buildNotFoundView(error.message) });
    }
  });
}
