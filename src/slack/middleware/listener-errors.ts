import type { AnyMiddlewareArgs, Logger, Middleware } from '@slack/bolt';
import { requestLog } from './request-logger.js';

/**
 * Logs a listener's unhandled error inside the tracked work (registered last, around the listeners), so that once
 * in-flight work is drained its errors are in the log: Bolt calls app.error later, after other turns of the event
 * loop. `onError` (for app.error) logs the errors this middleware did not.
 */
export function listenerErrors(logger: Logger): {
  middleware: Middleware<AnyMiddlewareArgs>;
  onError: (error: Error) => Promise<void>;
} {
  const loggedErrors = new WeakSet<object>();
  return {
    middleware: async ({ context, next }) => {
      try {
        await next();
      } catch (error) {
        requestLog(context, logger).error('unhandled error in a listener', error);
        if (typeof error === 'object' && error !== null) loggedErrors.add(error);
        throw error;
      }
    },
    onError: async (error) => {
      const original = (error as { original?: unknown }).original;
      if (loggedErrors.has(error) || (typeof original === 'object' && original !== null && loggedErrors.has(original)))
        return;
      logger.error('unhandled error in a listener', error);
    },
  };
}
