import { centreForAdmin } from '../../../domain/centre/centre-service.js';
import { sharingState } from '../../../domain/centre/sharing-service.js';
import { storedTimeZoneOrUtc } from '../../../domain/time-zones/user-time-zone.js';
import { knownAdmin, refreshAdmin } from '../../admins.js';
import { buildCentreCheckingModal, buildCentreModal, buildCentreRefusedModal } from '../../ui/consent/centre-modal.js';
import { buildShareModal, buildSharingOffModal } from '../../ui/consent/share-modal.js';
import type { Subcommand } from '../commands/subcommand.js';
import { openModal, updateModal } from '../modals.js';
import { commandOwner } from '../owner.js';

const NOT_AN_ADMIN =
  'Only workspace admins and owners can turn the career-centre view on or name its advisors. Ask one of them to run `/infoview centre`.';

/**
 * `/infoview centre`: the career-centre form, for a workspace admin or owner only (as Slack says, users.info). The
 * modal opens before any Web API call (the trigger lives 3 seconds), from what Slack said last; Slack is asked after,
 * and the view follows its answer. Someone last known not to be an admin gets an ephemeral answer and no modal.
 */
export const openCentre: Subcommand = async (args, deps) => {
  const { ack, command, client, respond } = args;
  await ack();
  const owner = commandOwner(command);
  const known = await knownAdmin(deps.db, owner);
  const now = deps.clock.now();
  if (known === false) {
    await respond({ response_type: 'ephemeral', text: NOT_AN_ADMIN });
    // Slack may say otherwise now (a promotion): remembered for the next try, and said.
    if ((await refreshAdmin(client, deps.db, owner, now, deps.logger)) === true)
      await respond({
        response_type: 'ephemeral',
        text: 'Slack now says you are a workspace admin or owner: run `/infoview centre` again to open the form.',
      });
    return;
  }
  const form = buildCentreModal(await centreForAdmin(deps.db, owner.teamId));
  const opened = await openModal(args, known === true ? form : buildCentreCheckingModal());
  if (opened === null) return;
  // The submission trusts only this answer (stored by refreshAdmin).
  const isAdmin = await refreshAdmin(client, deps.db, owner, now, deps.logger);
  // Slack silent about someone it called an admin before: the form stays (the stored answer still holds).
  if (isAdmin === known || (known === true && isAdmin === null) || !opened.id) return;
  if (isAdmin === false) await respond({ response_type: 'ephemeral', text: NOT_AN_ADMIN });
  const view = isAdmin === true ? form : buildCentreRefusedModal(isAdmin === null);
  // With the hash: an admin already typing is not overwritten (their submission is checked anyway).
  await updateModal(client, { id: opened.id, hash: opened.hash }, view).catch((error: unknown) =>
    deps.logger.warn('updating the centre form after the admin check failed', error),
  );
};

/**
 * `/infoview share`: the person's share form. When the workspace's centre view is off it says so (and still lets
 * someone who chose before stop).
 */
export const openShare: Subcommand = async (args, deps) => {
  const { ack, command, respond } = args;
  await ack();
  const owner = commandOwner(command);
  const state = await sharingState(deps.db, owner);
  if (!state.centreOn && state.shares.length === 0) {
    await respond({
      response_type: 'ephemeral',
      text: 'The career-centre view is not on in this workspace, so there is no advisor to share your progress with. A workspace admin or owner turns it on with `/infoview centre`.',
    });
    return;
  }
  const zone = await storedTimeZoneOrUtc(deps.db, owner);
  await openModal(
    args,
    state.centreOn
      ? buildShareModal({ advisors: state.advisors, shares: state.shares, zone })
      : buildSharingOffModal(true),
  );
};
