import type { BlockButtonAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { DateTime } from 'luxon';
import type { ListenerDeps } from '../../../deps.js';
import { findContactsPage } from '../../../domain/contacts/contacts-service.js';
import { meetingsToDebrief } from '../../../domain/debriefs/debriefs-service.js';
import { listUpcomingMeetings } from '../../../domain/meetings/meetings-service.js';
import { ownQuestions } from '../../../domain/meetings/questions-service.js';
import { latestTimeZone, storedTimeZoneOrUtc } from '../../../domain/time-zones/user-time-zone.js';
import { sendDirectMessage } from '../../direct-messages.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { HOME_ACTIONS } from '../../ui/home/home-view.js';
import { buildContactList, CONTACTS_PAGE_SIZE } from '../../ui/messages/contacts-messages.js';
import { buildUpcomingList, UPCOMING_LIMIT } from '../../ui/messages/upcoming-messages.js';
import { buildContactModal } from '../../ui/modals/contact-modal.js';
import { buildDebriefModal } from '../../ui/modals/debrief-modal.js';
import { buildImportUploadModal } from '../../ui/modals/import-modal.js';
import { buildQuestionsModal } from '../../ui/modals/questions-modal.js';
import { buildScheduleModal } from '../../ui/modals/schedule-modal.js';
import { slackUserDirectory } from '../../user-directory.js';
import type { ListenerRegistry } from '../listener-router.js';
import { openModal } from '../modals.js';
import { interactionOwner } from '../owner.js';

/** Home's quick actions open the same forms as the commands; "See all" sends the full list to the DM. */
export function registerHomeActions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  app.action<BlockButtonAction>(
    new RegExp(`^(${Object.values(HOME_ACTIONS).join('|')})$`),
    async ({ ack, action, body, client, context, respond }) => {
      const deps = requestDeps(appDeps, context);
      await ack();
      const owner = interactionOwner(body);
      const now = deps.clock.now();
      // No Web API call before views.open: the trigger lives 3 seconds. The zone is refreshed once the form is open.
      const zone = await storedTimeZoneOrUtc(deps.db, owner);
      const open = async (view: ModalView) => {
        // Home has no response_url: an expired trigger is said in the app's DM.
        const opened = await openModal({ body, client, respond }, view, { dm: deps, dmAlways: true });
        if (opened === null) deps.logger.warn(`trigger expired for ${action.action_id}`);
        await latestTimeZone(deps.db, slackUserDirectory(client), owner, now, deps.logger);
      };
      switch (action.action_id) {
        case HOME_ACTIONS.schedule:
          return open(buildScheduleModal());
        case HOME_ACTIONS.logContact:
          return open(buildContactModal({ now }));
        case HOME_ACTIONS.importContacts:
          return open(buildImportUploadModal());
        case HOME_ACTIONS.debrief: {
          const today = DateTime.fromJSDate(now, { zone }).toISODate() ?? now.toISOString().slice(0, 10);
          return open(
            buildDebriefModal({
              mode: 'choose',
              choices: await meetingsToDebrief(deps.db, owner, now, 100),
              zone,
              today,
            }),
          );
        }
        case HOME_ACTIONS.questions:
          return open(
            buildQuestionsModal({
              own: await ownQuestions(deps.db, owner),
              meetings: await listUpcomingMeetings(deps.db, owner, now, 100),
              zone,
            }),
          );
        case HOME_ACTIONS.allContacts: {
          const page = await findContactsPage(deps.db, owner, '', { offset: 0, limit: CONTACTS_PAGE_SIZE, now });
          await sendDirectMessage(
            client,
            deps.db,
            owner,
            buildContactList(page.summaries, { query: '', offset: 0, hasMore: page.hasMore, zone }),
            now,
          );
          return;
        }
        case HOME_ACTIONS.allUpcoming: {
          const meetings = await listUpcomingMeetings(deps.db, owner, now, UPCOMING_LIMIT + 1);
          await sendDirectMessage(
            client,
            deps.db,
            owner,
            buildUpcomingList(meetings.slice(0, UPCOMING_LIMIT), zone, meetings.length > UPCOMING_LIMIT),
            now,
          );
          return;
        }
      }
    },
  );
}
