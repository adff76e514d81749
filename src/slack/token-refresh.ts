import type { Logger } from '@slack/bolt';
import { type InstallationQuery, InstallProvider } from '@slack/oauth';
import type { OAuthConfig } from '../config.js';
import type { SealedInstallationStore } from './installation-store.js';

/**
 * The engine process's way to refresh a rotating token about to expire, without Bolt: the same InstallProvider
 * that Bolt's receiver builds for requests (same credentials, same installation store), used only to authorize.
 */
export function refreshingAuthorize(
  oauth: OAuthConfig,
  installations: SealedInstallationStore,
  options: { slackApiUrl: string | undefined; logger: Logger },
): (query: InstallationQuery<boolean>) => Promise<{ botToken?: string }> {
  const provider = new InstallProvider({
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    installationStore: installations,
    logger: options.logger,
    clientOptions: { ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}), timeout: 10_000 },
  });
  return (query) => provider.authorize(query);
}
