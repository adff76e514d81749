import type { Config } from '../../config.js';
import { webApiFetch } from './http-fetch.js';

/** Where Slack's response URLs live (commercial and GovSlack). */
const SLACK_RESPONSE_HOSTS = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);
/** Where files.getUploadURLExternal sends a file's bytes (files.uploadV2's second step). */
const SLACK_UPLOAD_HOSTS = new Set(['files.slack.com', 'files.slack-gov.com']);

/** Whether the WebClient may send a file's bytes here: https on Slack's own file hosts. */
export function isSlackUploadUrl(url: string): boolean {
  const parsed = parsedUrl(url);
  return parsed !== null && httpsOn(parsed, SLACK_UPLOAD_HOSTS);
}

/**
 * Whether `respond()` may post to this response_url: https on Slack's own hosts, or the configured API's origin (a
 * loopback stand-in for Slack in tests). A forged payload's response_url must not make the app post anywhere else.
 */
export function isSlackResponseUrl(url: string, config: Pick<Config, 'slackApiUrl'>): boolean {
  const parsed = parsedUrl(url);
  if (parsed === null) return false;
  if (httpsOn(parsed, SLACK_RESPONSE_HOSTS)) return true;
  return config.slackApiUrl !== undefined && parsed.origin === new URL(config.slackApiUrl).origin;
}

function parsedUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** https, on one of `hosts`, on the default port. */
function httpsOn(url: URL, hosts: ReadonlySet<string>): boolean {
  return url.protocol === 'https:' && hosts.has(url.hostname) && url.port === '';
}

/** Where the Web API is when SLACK_API_URL is not set (the WebClient's own default). */
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/** How long respond() waits for a response URL to answer (Bolt gives it no deadline of its own). */
export const RESPONSE_URL_TIMEOUT_MS = 10_000;

/**
 * The fetch of the app's WebClient, which Bolt's respond() uses too: the Web API's own methods (under the configured
 * API URL, else slack.com/api/), Slack's file upload URLs, or Slack's response URLs; any other URL is refused before
 * anything is sent.
 * respond() posts over node:http as the Web API calls do, and a redirect is an error rather than followed: it would
 * lead off the host just checked.
 */
export function guardedResponseFetch(config: Pick<Config, 'slackApiUrl'>): typeof fetch {
  const apiBase = new URL(config.slackApiUrl ?? DEFAULT_SLACK_API_URL).href;
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    // The WebClient's own calls: its methods, and the upload URLs files.uploadV2 is given (calendar files, reports).
    if (url.startsWith(apiBase) || isSlackUploadUrl(url)) return webApiFetch(input, init);
    if (!isSlackResponseUrl(url, config))
      return Promise.reject(new Error(`refused a response_url outside Slack (${hostOf(url)})`));
    return webApiFetch(input, {
      ...init,
      redirect: 'error',
      signal: init?.signal ?? AbortSignal.timeout(RESPONSE_URL_TIMEOUT_MS),
    });
  };
}

function hostOf(url: string): string {
  return parsedUrl(url)?.host || 'invalid';
}
