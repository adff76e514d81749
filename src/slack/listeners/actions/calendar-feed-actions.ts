import type { BlockButtonAction } from '@slack/bolt';
import type { ListenerDeps } from '../../../deps.js';
import {
  createFeedSecret,
  feedAddress,
  feedCreatedAt,
  stopFeed,
} from '../../../domain/meetings/calendar-feed-service.js';
import { storedTimeZoneOrUtc } from '../../../domain/time-zones/user-time-zone.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { buildCalendarFeedModal, CALENDAR_FEED, type CalendarFeedState } from '../../ui/modals/calendar-feed-modal.js';
import type { ListenerRegistry } from '../listener-router.js';
import { openModal, updateModal } from '../modals.js';
import { interactionOwner } from '../owner.js';

/**
 * Subscribe in your calendar (Home, reminder settings): the modal opens on Home and is pushed over the settings
 * modal; Create, Reset link and Turn off change it in place. The address is shown only in the view made right after
 * the secret (infoview keeps its hash alone), and views are never logged.
 */
export function registerCalendarFeedActions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  app.action<BlockButtonAction>(CALENDAR_FEED.actions.open, async (args) => {
    const deps = requestDeps(appDeps, args.context);
    await args.ack();
    const owner = interactionOwner(args.body);
    const publicUrl = deps.config.publicUrl;
    // Database reads only before views.open (the trigger lives 3 seconds); the zone as stored, no Slack call.
    const createdAt = publicUrl === undefined ? null : await feedCreatedAt(deps.db, owner);
    const state: CalendarFeedState =
      publicUrl === undefined
        ? { kind: 'not_set_up' }
        : createdAt === null
          ? { kind: 'none' }
          : { kind: 'exists', createdAt, zone: await storedTimeZoneOrUtc(deps.db, owner) };
    const view = buildCalendarFeedModal(state);
    if (args.body.view?.type === 'modal')
      await args.client.apiCall('views.push', { trigger_id: args.body.trigger_id, view: JSON.stringify(view) });
    else await openModal(args, view, { dm: deps, dmAlways: true });
  });

  app.action<BlockButtonAction>(
    new RegExp(
      `^(${[CALENDAR_FEED.actions.create, CALENDAR_FEED.actions.reset, CALENDAR_FEED.actions.stop].join('|')})$`,
    ),
    async (args) => {
      const deps = requestDeps(appDeps, args.context);
      await args.ack();
      const current = args.body.view;
      if (current?.type !== 'modal') return;
      const owner = interactionOwner(args.body);
      const publicUrl = deps.config.publicUrl;
      let state: CalendarFeedState;
      if (args.action.action_id === CALENDAR_FEED.actions.stop) {
        await stopFeed(deps.db, owner);
        deps.logger.info('calendar feed turned off');
        state = { kind: 'stopped' };
      } else if (publicUrl === undefined) {
        state = { kind: 'not_set_up' };
      } else {
        const replaced = (await feedCreatedAt(deps.db, owner)) !== null;
        const secret = await createFeedSecret(deps.db, owner, deps.clock.now());
        deps.logger.info(replaced ? 'calendar feed address reset' : 'calendar feed address created');
        state = { kind: 'created', address: feedAddress(publicUrl, secret), replaced };
      }
      await updateModal(args.client, { id: current.id }, buildCalendarFeedModal(state));
    },
  );
}
