import { randomUUID } from 'node:crypto';
import type { AnyMiddlewareArgs, Context, Logger, Middleware } from '@slack/bolt';
import type { ListenerDeps } from '../../deps.js';
import { childLogger, type LogFields } from '../../lib/logger.js';

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

/** A short random id for a request: 8 hex digits (randomUUID draws from a cached pool, randomBytes does not). */
export function newRequestId(): string {
  return randomUUID().slice(0, 8);
}

/**
 * A global middleware, registered first: each request gets a short id and `context.log`, a child logger with
 * `team`, `user` and `request`. Listeners log through it (`requestDeps`), so their lines say which request they
 * belong to. Explicit rather than an AsyncLocalStorage scope: on Node 20 that turns on promise hooks for the whole
 * process, about 12% of the CPU of a slash command (two A/B runs of npm run bench, bench/README.md).
 */
export function requestLogger(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ context, body, next }) => {
    const fields: LogFields = { request: newRequestId() };
    const team = context.teamId ?? context.enterpriseId;
    const user = actingUser(body);
    if (team !== undefined) fields.team = team;
    if (user !== undefined) fields.user = user;
    context.log = childLogger(logger, fields);
    await next();
  };
}

/** The request's logger (see `requestLogger`), else `fallback`. */
export function requestLog(context: Context, fallback: Logger): Logger {
  return (context.log as Logger | undefined) ?? fallback;
}

/** The app's dependencies as one request sees them: the same, with the logger of the request. */
export function requestDeps(deps: ListenerDeps, context: Context): ListenerDeps {
  const log = requestLog(context, deps.logger);
  return log === deps.logger ? deps : { ...deps, logger: log };
}
