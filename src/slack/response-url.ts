import type { Config } from '../config.js';

/** Where Slack's response URLs live (commercial and GovSlack). */
const SLACK_RESPONSE_HOSTS = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);

/**
 * Whether `respond()` may post to this response_url: https on Slack's own hosts, or the configured API's origin (a
 * loopback stand-in for Slack in tests). A forged payload's response_url must not make the app post anywhere else.
 */
export function isSlackResponseUrl(url: string, config: Pick<Config, 'slackApiUrl'>): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:' && SLACK_RESPONSE_HOSTS.has(parsed.hostname) && parsed.port === '') return true;
  return config.slackApiUrl !== undefined && parsed.origin === new URL(config.slackApiUrl).origin;
}

/** The fetch Bolt's respond() uses: refuses any URL but Slack's response URLs, before anything is sent. */
export function guardedResponseFetch(config: Pick<Config, 'slackApiUrl'>): typeof fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!isSlackResponseUrl(url, config)) return Promise.reject(new Error(`refused a response_url outside Slack (${new URL(url).host || 'invalid'})`));
    return fetch(input, init);
  };
}
