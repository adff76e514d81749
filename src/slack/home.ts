import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../deps.js';
import { loadHome } from '../domain/home.js';
import type { Owner } from '../domain/types.js';
import { knownTimeZone } from '../domain/user-zone.js';
import { FALLBACK_TIME_ZONE } from '../lib/time.js';
import { buildHomeView } from './ui/home/home.js';

/** Builds the user's Home tab from the database and publishes it (views.publish). Never throws: Home is a view. */
export async function publishHome(client: WebClient, deps: AppDeps, owner: Owner): Promise<void> {
  try {
    const now = deps.clock.now();
    const zone = (await knownTimeZone(deps.db, owner)) ?? FALLBACK_TIME_ZONE;
    const view = buildHomeView(await loadHome(deps.db, owner, now, zone), zone);
    await client.views.publish({ user_id: owner.userId, view });
  } catch (error) {
    deps.logger.warn(`publishing Home for ${owner.teamId}/${owner.userId} failed`, error);
  }
}
