import type { ListenerDeps } from '../../../deps.js';
import { tokensRevoked, workspaceUninstalled } from '../../../domain/installs/workspaces-service.js';
import { latestTimeZone, storedTimeZone } from '../../../domain/time-zones/user-time-zone.js';
import type { HomePublisher } from '../../home-publisher.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { slackUserDirectory } from '../../user-directory.js';
import type { ListenerRegistry } from '../listener-router.js';

export function registerEvents(app: ListenerRegistry, appDeps: ListenerDeps, home: HomePublisher): void {
  // Either may come first, and each may come more than once: both are idempotent.
  app.event('app_uninstalled', async ({ body, context }) => {
    const deps = requestDeps(appDeps, context);
    await workspaceUninstalled(deps.db, body.team_id, deps.clock.now(), deps.config.dataRetentionDays, deps.logger);
    deps.logger.info(
      `workspace ${body.team_id} uninstalled the app: reminders stopped, data kept ${deps.config.dataRetentionDays} days`,
    );
  });
  app.event('tokens_revoked', async ({ event, body, context }) => {
    const deps = requestDeps(appDeps, context);
    await tokensRevoked(
      deps.db,
      body.team_id,
      { oauth: event.tokens.oauth ?? [], bot: event.tokens.bot ?? [] },
      deps.clock.now(),
      deps.logger,
    );
  });

  /** Each visit to the Home tab publishes it afresh (Slack sends this on every open; publishing is idempotent). */
  app.event('app_home_opened', async ({ event, body, client, context }) => {
    const deps = requestDeps(appDeps, context);
    if (event.tab !== 'home') return;
    const owner = { teamId: body.team_id, userId: event.user };
    // Publish with the zone we know first; a stale zone is refreshed after, and Home published again if it moved.
    const before = await storedTimeZone(deps.db, owner);
    await home.publish(owner);
    const zone = await latestTimeZone(deps.db, slackUserDirectory(client), owner, deps.clock.now(), deps.logger);
    if (zone !== before) await home.publish(owner);
  });
}
