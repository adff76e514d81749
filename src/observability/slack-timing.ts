import { WebClient } from '@slack/web-api';
import { platformErrorCode } from '../slack/web-api/web-api-errors.js';

type Observer = (method: string, seconds: number, outcome: string) => void;

const observers = new Set<Observer>();
let installed = false;

function outcomeOf(error: unknown): string {
  const code = platformErrorCode(error);
  if (code !== undefined) return code;
  const kind = (error as { code?: unknown })?.code;
  return typeof kind === 'string' ? kind : 'error';
}

/**
 * Times every Web API call of every WebClient in the process (Bolt makes its own clients per token, so there is no
 * single client to wrap): `apiCall` is what each method ends in. Clients bind their methods when constructed, so
 * this runs before any client of the app is made (createInfoview calls it first). Returns the unsubscribe.
 */
export function observeWebApiCalls(observer: Observer): () => void {
  if (!installed) {
    installed = true;
    const original = WebClient.prototype.apiCall;
    WebClient.prototype.apiCall = async function timedApiCall(
      this: WebClient,
      method: string,
      options?: Record<string, unknown>,
    ) {
      const start = performance.now();
      try {
        const result = await original.call(this, method, options);
        for (const notify of observers) notify(method, (performance.now() - start) / 1000, 'ok');
        return result;
      } catch (error) {
        for (const notify of observers) notify(method, (performance.now() - start) / 1000, outcomeOf(error));
        throw error;
      }
    };
  }
  observers.add(observer);
  return () => {
    observers.delete(observer);
  };
}
