import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { ListenerDeps } from '../../../deps.js';
import {
  contactHistory,
  describeContactDeletion,
  findContactsPage,
  getContact,
} from '../../../domain/contacts/contacts-service.js';
import { fullReportLinks } from '../../../domain/debriefs/full-report-service.js';
import { latestTimeZone, storedTimeZoneOrUtc } from '../../../domain/time-zones/user-time-zone.js';
import { NotFoundError } from '../../../lib/errors.js';
import { requestDeps } from '../../middleware/request-logger.js';
import {
  buildContactList,
  CONTACT_ACTIONS,
  CONTACTS_PAGE_SIZE,
  parseContactsCursor,
} from '../../ui/messages/contacts-messages.js';
import { buildContactModal } from '../../ui/modals/contact-modal.js';
import { buildContactHistoryView, buildDeleteContactView, buildNotFoundView } from '../../ui/modals/contact-views.js';
import { buildMergeChooseView, MERGE_CONTACT } from '../../ui/modals/merge-contact-modal.js';
import { buildScheduleModal } from '../../ui/modals/schedule-modal.js';
import { slackUserDirectory } from '../../user-directory.js';
import type { ListenerRegistry } from '../listener-router.js';
import { showModal } from '../modals.js';
import { interactionOwner, parseId } from '../owner.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
type ViewFor = (contactId: number, args: ButtonArgs) => Promise<ModalView>;

export function registerContactActions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  const owner = (args: ButtonArgs) => interactionOwner(args.body);

  const views: Record<string, ViewFor> = {
    [CONTACT_ACTIONS.schedule]: async (id, args) => {
      const contact = await getContact(appDeps.db, owner(args), id);
      return buildScheduleModal({ contact });
    },
    [CONTACT_ACTIONS.edit]: (id, args) => editView(id, args),
    [CONTACT_ACTIONS.editExisting]: (id, args) => editView(id, args),
    [CONTACT_ACTIONS.history]: async (id, args) => {
      const history = await contactHistory(appDeps.db, owner(args), id);
      const reports = await fullReportLinks(
        appDeps.db,
        owner(args),
        history.meetings.map((meeting) => meeting.id),
      );
      // Known zone only: this view opens with the button's trigger, and no Web API call may stand before it.
      return buildContactHistoryView(
        history,
        await storedTimeZoneOrUtc(appDeps.db, owner(args)),
        owner(args).teamId,
        reports,
      );
    },
    // "Merge with…" on History or Edit: the contact shown is kept, the user picks the duplicate.
    [MERGE_CONTACT.startActionId]: async (id, args) =>
      buildMergeChooseView(await getContact(appDeps.db, owner(args), id)),
    [CONTACT_ACTIONS.delete]: async (id, args) =>
      buildDeleteContactView(await describeContactDeletion(appDeps.db, owner(args), id, appDeps.clock.now())),
  };

  async function editView(id: number, args: ButtonArgs): Promise<ModalView> {
    const contact = await getContact(appDeps.db, owner(args), id);
    const referrer =
      contact.referredById === null
        ? null
        : await getContact(appDeps.db, owner(args), contact.referredById).catch(() => null);
    return buildContactModal({ contact, referrer, now: appDeps.clock.now() });
  }

  // Every contact button opens (or, inside a modal, becomes) a view about one of the presser's own contacts.
  for (const [actionId, viewFor] of Object.entries(views)) {
    app.action<BlockButtonAction>(actionId, async (args) => {
      const deps = requestDeps(appDeps, args.context);
      await args.ack();
      const id = parseId(args.action.value);
      let view: ModalView;
      try {
        if (id === null)
          throw new NotFoundError('That contact is not one of yours, or it no longer exists. Nothing was changed.');
        view = await viewFor(id, args);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        view = buildNotFoundView(error.message);
      }
      await showModal(args, view, { dm: deps });
      await latestTimeZone(deps.db, slackUserDirectory(args.client), owner(args), deps.clock.now(), deps.logger);
    });
  }

  /** "More" replaces the list with its next page. */
  app.action<BlockButtonAction>(CONTACT_ACTIONS.more, async ({ ack, action, body, client, respond, context }) => {
    const deps = requestDeps(appDeps, context);
    await ack();
    const cursor = parseContactsCursor(action.value);
    if (cursor === null || !body.response_url) return;
    const now = deps.clock.now();
    const who = interactionOwner(body);
    const zone = await latestTimeZone(deps.db, slackUserDirectory(client), who, now, deps.logger);
    const page = await findContactsPage(deps.db, who, cursor.query, {
      offset: cursor.offset,
      limit: CONTACTS_PAGE_SIZE,
      now,
    });
    await respond({
      replace_original: true,
      ...buildContactList(page.summaries, { ...cursor, hasMore: page.hasMore, zone }),
    });
  });
}
