import type { Logger } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config, OAuthConfig } from '../../config.js';
import { backgroundClientOptions } from '../web-api/client-options.js';

/** What Slack answers to a refresh: a new token, a new refresh token, and seconds until the new token expires. */
export interface RefreshedToken {
  readonly token: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
}

/** Spends one refresh token (Slack honours each once); rejects with Slack's error, or the network's. */
export type TokenRefresh = (refreshToken: string) => Promise<RefreshedToken>;

/**
 * oauth.v2.access with grant_type refresh_token, as Bolt's InstallProvider calls it, but called only by the
 * installation store, which makes sure one refresh runs per installation at a time (src/slack/installs/installation-store.ts).
 * No retries: a retried refresh whose first try landed would spend the refresh token twice.
 */
export function slackTokenRefresh(
  oauth: Pick<OAuthConfig, 'clientId' | 'clientSecret'>,
  config: Pick<Config, 'slackApiUrl'>,
  logger: Logger,
): TokenRefresh {
  const client = new WebClient(undefined, backgroundClientOptions(config, logger));
  return async (refreshToken) => {
    const answer = await client.oauth.v2.access({
      client_id: oauth.clientId,
      client_secret: oauth.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
    if (
      typeof answer.access_token !== 'string' ||
      typeof answer.refresh_token !== 'string' ||
      typeof answer.expires_in !== 'number'
    )
      throw new Error('oauth.v2.access answered a refresh without a token, a refresh token or an expiry');
    return { token: answer.access_token, refreshToken: answer.refresh_token, expiresIn: answer.expires_in };
  };
}
