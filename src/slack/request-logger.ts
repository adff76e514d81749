import { randomBytes } from 'node:crypto';
import type { AnyMiddlewareArgs, Logger, Middleware } from '@slack/bolt';
import { childLogger, type LogFields, withLogFields } from '../lib/logger.js';

/** The user acting in any payload Slack sends: `user_id` (slash commands), `user.id` (interactivity), `event.user`. */
export function actingUser(body: unknown): string | undefined {
  const payload = body as { user_id?: unknown; user?: { id?: unknown } | null; event?: { user?: unknown } | null };
  if (typeof payload.user_id === 'string') return payload.user_id;
  if (typeof payload.user?.id === 'string') return payload.user.id;
  const eventUser = payload.event?.user;
  if (typeof eventUser === 'string') return eventUser;
  const userObject = eventUser as { id?: unknown } | null | undefined;
  return typeof userObject?.id === 'string' ? userObject.id : undefined;
}

/**
 * A global middleware, registered first: each request gets a short id, `context.log` (a child logger with `team`,
 * `user` and `request`), and every line any logger writes while the request is handled carries the same fields.
 */
export function requestLogger(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ context, body, next }) => {
    const fields: LogFields = { request: randomBytes(4).toString('hex') };
    const team = context.teamId ?? context.enterpriseId;
    const user = actingUser(body);
    if (team !== undefined) fields.team = team;
    if (user !== undefined) fields.user = user;
    context.log = childLogger(logger, fields);
    await withLogFields(fields, next);
  };
}
