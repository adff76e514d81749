import type { BlockButtonAction } from '@slack/bolt';
import type { ListenerDeps } from '../../../deps.js';
import { claimMyProgress, myProgressWeeks, releaseMyProgress } from '../../../domain/centre/my-progress-service.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { sendMyProgressChart } from '../../my-progress-sender.js';
import { MY_PROGRESS, myProgressFailed } from '../../ui/messages/my-progress-messages.js';
import { platformErrorCode } from '../../web-api/web-api-errors.js';
import type { ListenerRegistry } from '../listener-router.js';
import { interactionOwner } from '../owner.js';
import { tellPresser } from '../tell.js';

/**
 * "My progress" on Home: the person's own chart in their DM. Acked first; a second press within a minute (a double
 * press) sends nothing more; Slack refusing the upload is told to the person, who can press again at once.
 */
export function registerMyProgressActions(app: ListenerRegistry, appDeps: ListenerDeps): void {
  app.action<BlockButtonAction>(MY_PROGRESS.action, async ({ ack, body, client, context, respond }) => {
    const deps = requestDeps(appDeps, context);
    await ack();
    const owner = interactionOwner(body);
    const now = deps.clock.now();
    const press = body.trigger_id;
    if (!(await claimMyProgress(deps.db, owner, press, now))) {
      deps.logger.info(`my progress for ${owner.teamId}/${owner.userId} already on its way`);
      return;
    }
    try {
      await sendMyProgressChart(client, deps, owner, await myProgressWeeks(deps.db, owner, now), now);
    } catch (error) {
      await releaseMyProgress(deps.db, owner, press);
      const code = platformErrorCode(error);
      deps.logger.warn(`my progress for ${owner.teamId}/${owner.userId} not sent: ${code ?? 'request failed'}`);
      await tellPresser({ body, client, respond }, myProgressFailed(code), { dm: deps }).catch((tellError: unknown) =>
        deps.logger.warn(`could not tell ${owner.userId} of it: ${platformErrorCode(tellError) ?? 'request failed'}`),
      );
    }
  });
}
