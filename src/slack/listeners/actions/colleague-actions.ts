import type { BlockAction, UsersSelectAction } from '@slack/bolt';
import type { ListenerDeps } from '../../../deps.js';
import { fillFromColleague, isSlackUserId, readColleague } from '../../../domain/contacts/colleagues.js';
import { getContact } from '../../../domain/contacts/contacts-service.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { buildContactModal, CONTACT_MODAL, parseContactSubmission } from '../../ui/modals/contact-modal.js';
import { lookUpSlackUser } from '../../user-directory.js';
import { platformErrorCode } from '../../web-api/web-api-errors.js';
import type { ListenerRegistry } from '../listener-router.js';
import { updateModal } from '../modals.js';
import { interactionOwner } from '../owner.js';

const UNREACHABLE =
  'Slack could not be reached to read their profile. Fill in the fields yourself, or pick them again.';
const NOT_FOUND = 'Slack does not know that person in this workspace. Log them as a contact without a Slack link.';

export function registerColleagueActions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  /**
   * A Slack colleague picked in the contact form: after the ack, users.info, then the form again (views.update with
   * its hash) with their name, title, time zone and pronunciation in the fields still empty. Someone who cannot be
   * linked (a bot, deactivated, another workspace) is explained under the picker instead. Nobody is messaged.
   */
  app.action<BlockAction<UsersSelectAction>>(
    CONTACT_MODAL.colleagueActionId,
    async ({ ack, action, body, client, context: requestContext }) => {
      const deps = requestDeps(appDeps, requestContext);
      await ack();
      const view = body.view;
      if (view?.type !== 'modal' || view.callback_id !== CONTACT_MODAL.callbackId) return;
      const form = parseContactSubmission(view);
      if (!form.ok) return;
      const owner = interactionOwner(body);
      const picked = action.selected_user ?? '';
      let { draft, context } = form;
      let note: string | null = null;
      context = { ...context, refusedSlackUserId: undefined };
      if (isSlackUserId(picked)) {
        try {
          const colleague = readColleague(await lookUpSlackUser(client, picked), owner.teamId);
          if (colleague.ok) {
            draft = fillFromColleague(draft, colleague.facts);
            // Filled fields get new block ids, so Slack shows the new values (it keeps an input's state under one id).
            context = { ...context, fill: (context.fill ?? 0) + 1 };
          } else note = colleague.reason;
        } catch (error) {
          deps.logger.warn(
            `users.info failed for picked colleague ${picked} in ${owner.teamId}`,
            platformErrorCode(error) ?? error,
          );
          note = platformErrorCode(error) === 'user_not_found' ? NOT_FOUND : UNREACHABLE;
        }
        // Refused (or unread) only when not usable: the submission then refuses that same pick inline.
        if (note !== null && note !== UNREACHABLE) context = { ...context, refusedSlackUserId: picked };
      }
      const referrer =
        draft.referredById === null ? null : await getContact(deps.db, owner, draft.referredById).catch(() => null);
      const next = buildContactModal({
        form: { draft, context },
        referrer,
        colleagueNote: note,
        now: deps.clock.now(),
      });
      try {
        await updateModal(client, view, next);
      } catch (error) {
        // The form changed meanwhile (another update won): leave it as it is rather than overwrite it.
        if (platformErrorCode(error) !== 'hash_conflict') throw error;
      }
    },
  );
}
