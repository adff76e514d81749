import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Owner } from '../../domain/types.js';
import type { HomePublisher } from '../home-publisher.js';

/** After anything the user did (a button, a form), publishes their Home again so it always shows their state. */
export function republishHome(home: HomePublisher): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    await next();
    const owner = changedBy(body);
    if (owner !== null) await home.publish(owner);
  };
}

/** The user whose state a request may have changed: button presses and form submissions. */
function changedBy(body: unknown): Owner | null {
  const payload = body as {
    type?: unknown;
    user?: { id?: unknown; team_id?: unknown };
    team?: { id?: unknown } | null;
  };
  if (payload.type !== 'block_actions' && payload.type !== 'view_submission') return null;
  const userId = payload.user?.id;
  const teamId = payload.team?.id ?? payload.user?.team_id;
  return typeof userId === 'string' && typeof teamId === 'string' ? { teamId, userId } : null;
}
