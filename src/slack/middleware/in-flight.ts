import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { InFlight } from '../../lib/in-flight.js';

/**
 * Remembers every request's run (the middlewares after this one and the listener) so that shutdown can let it
 * finish. Registered before the others whose work must be waited for.
 */
export function trackInFlight(inFlight: InFlight): Middleware<AnyMiddlewareArgs> {
  return async ({ next }) => {
    await inFlight.track(next());
  };
}
