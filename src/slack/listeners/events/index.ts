import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps.js';
import { resolveTimeZone } from '../../../domain/user-zone.js';
import { publishHome } from '../../home.js';
import { slackUserDirectory } from '../../notifier.js';

export function registerEvents(app: App, deps: AppDeps): void {
  /** Each visit to the Home tab publishes it afresh (Slack sends this on every open; publishing is idempotent). */
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const owner = { teamId: body.team_id, userId: event.user };
    await resolveTimeZone(deps.db, slackUserDirectory(client), owner, deps.clock.now(), deps.logger);
    await publishHome(client, deps, owner);
  });
}
