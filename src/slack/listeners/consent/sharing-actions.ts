import type { BlockButtonAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { ListenerDeps } from '../../../deps.js';
import { sharingState, stopSharing, whoSees } from '../../../domain/centre/sharing-service.js';
import { storedTimeZoneOrUtc } from '../../../domain/time-zones/user-time-zone.js';
import { sendDirectMessage } from '../../direct-messages.js';
import type { HomePublisher } from '../../home-publisher.js';
import { requestDeps } from '../../middleware/request-logger.js';
import {
  buildShareModal,
  buildSharingOffModal,
  buildStoppedModal,
  SHARING_ACTIONS,
} from '../../ui/consent/share-modal.js';
import { buildStopReceipt } from '../../ui/consent/sharing-messages.js';
import { buildWhoSeesModal } from '../../ui/consent/who-sees-modal.js';
import { SETTINGS_MODAL } from '../../ui/modals/settings-modal.js';
import type { ListenerRegistry } from '../listener-router.js';
import { openModal, updateModal } from '../modals.js';
import { interactionOwner } from '../owner.js';
import type { ActionPress } from '../tell.js';
import { tellPresser } from '../tell.js';

type ButtonArgs = ActionPress & { body: BlockButtonAction };

/**
 * Shows a consent view for a button: on Home or in a DM a new modal (the trigger lives 3 seconds: only database
 * reads come before); over the settings form it is pushed (the form keeps what was typed); in one of the consent
 * modals it takes that modal's place (the stack stays within Slack's three views).
 */
async function show(args: ButtonArgs, deps: ListenerDeps, view: ModalView): Promise<void> {
  const current = args.body.view;
  if (current?.type !== 'modal') {
    await openModal(args, view, { dm: deps, dmAlways: true });
    return;
  }
  if (current.callback_id === SETTINGS_MODAL.callbackId)
    await args.client.apiCall('views.push', { trigger_id: args.body.trigger_id, view: JSON.stringify(view) });
  else await updateModal(args.client, { id: current.id }, view);
}

/** Share my progress, Who sees my progress, and Stop sharing (one tap: no confirmation, takes effect at once). */
export function registerSharingActions(app: ListenerRegistry, appDeps: ListenerDeps, home: HomePublisher): void {
  app.action<BlockButtonAction>(SHARING_ACTIONS.open, async (args) => {
    const deps = requestDeps(appDeps, args.context);
    await args.ack();
    const owner = interactionOwner(args.body);
    const state = await sharingState(deps.db, owner);
    const zone = await storedTimeZoneOrUtc(deps.db, owner);
    await show(
      args,
      deps,
      state.centreOn
        ? buildShareModal({ advisors: state.advisors, shares: state.shares, zone })
        : buildSharingOffModal(state.shares.length > 0),
    );
  });

  app.action<BlockButtonAction>(SHARING_ACTIONS.whoSees, async (args) => {
    const deps = requestDeps(appDeps, args.context);
    await args.ack();
    const owner = interactionOwner(args.body);
    const seen = await whoSees(deps.db, owner);
    await show(args, deps, buildWhoSeesModal({ ...seen, zone: await storedTimeZoneOrUtc(deps.db, owner) }));
  });

  app.action<BlockButtonAction>(SHARING_ACTIONS.stop, async (args) => {
    const deps = requestDeps(appDeps, args.context);
    await args.ack();
    const owner = interactionOwner(args.body);
    const now = deps.clock.now();
    const advisors = await stopSharing(deps.db, owner);
    const zone = await storedTimeZoneOrUtc(deps.db, owner);
    deps.logger.info(`progress sharing stopped for ${owner.teamId}/${owner.userId} (${advisors.length} advisors)`);
    const current = args.body.view;
    if (current?.type === 'modal')
      await updateModal(args.client, { id: current.id }, buildStoppedModal({ advisors, at: now, zone }));
    if (advisors.length > 0)
      await sendDirectMessage(args.client, deps.db, owner, buildStopReceipt({ advisors, at: now, zone }), now);
    else if (current?.type !== 'modal')
      await tellPresser(args, 'You were not sharing your progress with anyone: nothing changed.', { dm: deps });
    // Their figures leave the advisors' Homes now, not at the advisors' next visit.
    await Promise.all(advisors.map((userId) => home.publish({ teamId: owner.teamId, userId })));
  });
}
