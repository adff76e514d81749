import type { ListenerDeps } from '../../../deps.js';
import { saveCentreSettings } from '../../../domain/centre/centre-service.js';
import { shareProgress } from '../../../domain/centre/sharing-service.js';
import { storedTimeZoneOrUtc } from '../../../domain/time-zones/user-time-zone.js';
import { knownAdmin } from '../../admins.js';
import { sendDirectMessage } from '../../direct-messages.js';
import type { HomePublisher } from '../../home-publisher.js';
import { requestDeps } from '../../middleware/request-logger.js';
import {
  buildCentreSavedModal,
  CENTRE_ADMINS_ONLY,
  CENTRE_MODAL,
  parseCentreSubmission,
} from '../../ui/consent/centre-modal.js';
import { parseShareSubmission, SHARE_MODAL, shareProblemErrors } from '../../ui/consent/share-modal.js';
import { buildAdvisorRemovedNotice, buildShareReceipt } from '../../ui/consent/sharing-messages.js';
import type { ListenerRegistry } from '../listener-router.js';
import { interactionOwner } from '../owner.js';

/**
 * The admin's centre form: saved only for someone Slack said is an admin or owner of this workspace (asked when the
 * form opened; a submission from anyone else, or for another workspace, changes nothing). People whose shares ended
 * because their advisor is no longer named are told in their DM; their Homes and the advisors' are published again.
 */
export function registerCentreSubmission(app: ListenerRegistry, appDeps: ListenerDeps, home: HomePublisher): void {
  app.view(CENTRE_MODAL.callbackId, async ({ ack, body, context, client }) => {
    const deps = requestDeps(appDeps, context);
    const owner = interactionOwner(body);
    if ((await knownAdmin(deps.db, owner)) !== true)
      return void (await ack({
        response_action: 'errors',
        errors: { [CENTRE_MODAL.blocks.enabled]: CENTRE_ADMINS_ONLY },
      }));
    const parsed = parseCentreSubmission(body.view);
    if (!parsed.ok) return void (await ack({ response_action: 'errors', errors: parsed.errors }));
    const now = deps.clock.now();
    const saved = await saveCentreSettings(deps.db, owner.teamId, parsed.settings, owner.userId, now);
    await ack({
      response_action: 'update',
      view: buildCentreSavedModal({ settings: saved.settings, told: saved.droppedShares.size }),
    });
    deps.logger.info(
      `centre settings saved for ${owner.teamId}: ${saved.settings.enabled ? 'on' : 'off'}, ${saved.settings.advisorIds.length} advisors, k ${saved.settings.minCohort}, ${saved.droppedShares.size} people's shares ended`,
    );
    for (const [userId, advisors] of saved.droppedShares) {
      const person = { teamId: owner.teamId, userId };
      const zone = await storedTimeZoneOrUtc(deps.db, person);
      await sendDirectMessage(
        client,
        deps.db,
        person,
        buildAdvisorRemovedNotice({ advisors, at: now, zone }),
        now,
      ).catch((error: unknown) =>
        deps.logger.warn(`telling ${owner.teamId}/${userId} that their shares ended failed`, error),
      );
    }
    const changed = new Set([...saved.droppedShares.keys(), ...saved.added, ...saved.removed]);
    changed.delete(owner.userId); // the admin's own Home is published again after every form anyway
    await Promise.all([...changed].map((userId) => home.publish({ teamId: owner.teamId, userId })));
  });
}

/**
 * The person's share form: checked on the server against the centre as it is now (a pick that is not a current
 * advisor, or the person, comes back inline and stores nothing); then a receipt in their DM.
 */
export function registerShareSubmission(app: ListenerRegistry, appDeps: ListenerDeps, home: HomePublisher): void {
  app.view(SHARE_MODAL.callbackId, async ({ ack, body, context, client }) => {
    const deps = requestDeps(appDeps, context);
    const owner = interactionOwner(body);
    const choice = parseShareSubmission(body.view) ?? { advisorIds: [], level: null };
    const now = deps.clock.now();
    const result = await shareProgress(deps.db, owner, choice, now);
    if (!result.ok) return void (await ack({ response_action: 'errors', errors: shareProblemErrors(result.problem) }));
    await ack();
    deps.logger.info(
      `progress sharing changed for ${owner.teamId}/${owner.userId} (${result.change.now.length} advisors)`,
    );
    const zone = await storedTimeZoneOrUtc(deps.db, owner);
    await sendDirectMessage(client, deps.db, owner, buildShareReceipt({ change: result.change, at: now, zone }), now);
    // An advisor who no longer sees the person must not keep their figures on screen (one newly chosen sees them at
    // their next visit: publishing now would log a look they never took).
    await Promise.all(result.change.stopped.map((userId) => home.publish({ teamId: owner.teamId, userId })));
  });
}
