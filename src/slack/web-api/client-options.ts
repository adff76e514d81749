import type { Logger } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config } from '../../config.js';
import { webApiFetch } from './http-fetch.js';

/** How long a Web API call may take before the client gives up: the longest a reminder's post can take. */
export const WEB_API_TIMEOUT_MS = 10_000;

/**
 * Options of the WebClients that call Slack outside a request (the reminder engine, Home publishing): the configured
 * API URL, no automatic retries and rate-limited calls rejected with their Retry-After, so the caller owns every retry
 * and never waits inside the client's queue; and the Web API fetch over node:http. Node's own fetch costs more CPU per
 * call, and its first use compiles its HTTP parser (WebAssembly), about 35 MB for a moment in the middle of a wave.
 */
export function backgroundClientOptions(config: Pick<Config, 'slackApiUrl'>, logger: Logger) {
  return {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: WEB_API_TIMEOUT_MS,
    logger,
    fetch: webApiFetch,
  };
}

/** The reminder engine's WebClient with one bot token (one workspace). */
export function createEngineClient(config: Pick<Config, 'slackApiUrl' | 'botToken'>, logger: Logger): WebClient {
  return new WebClient(config.botToken, backgroundClientOptions(config, logger));
}
