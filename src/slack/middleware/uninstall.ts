import type { AnyMiddlewareArgs, Context, Logger, Middleware } from '@slack/bolt';
import type { InstallationQuery } from '@slack/oauth';
import type { Db } from '../../db/database.js';
import { installationInstalledAt, installKey } from '../../db/repositories/installations-repository.js';
import type { SealedInstallationStore } from '../installs/installation-store.js';
import { requestLog } from './request-logger.js';

/** The type of the event a body carries, if any. */
export const eventType = (body: unknown) => (body as { event?: { type?: unknown } }).event?.type;
const eventTime = (body: unknown) => Number((body as { event_time?: unknown }).event_time);

/**
 * OAuth installs: an uninstall (or a bot token revoked) that Slack sent before the installation now stored, delivered
 * late (a retry after the app was unreachable, say), was about the previous installation, whose tokens are gone
 * already. Acting on it would delete the reinstall's tokens and stop its reminders: it is dropped here.
 */
export function ignoreUninstallsFromBefore(db: Db, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ context, body, next }) => {
    if (await fromBeforeInstallation(db, body, context)) {
      requestLog(context, logger).info(
        `ignored ${eventType(body)} sent at ${new Date(eventTime(body) * 1000).toISOString()}: the app was installed again since`,
      );
      return;
    }
    await next();
  };
}

/**
 * OAuth installs: after app_uninstalled (or tokens_revoked naming bot tokens) has been handled, the installation's
 * tokens go at once (its data stays for the retention period, as always).
 */
export function deleteTokensOnUninstall(
  installations: SealedInstallationStore,
  logger: Logger,
): Middleware<AnyMiddlewareArgs> {
  return async ({ context, body, next }) => {
    await next();
    const type = eventType(body);
    if (type !== 'app_uninstalled' && !(type === 'tokens_revoked' && revokesBotToken(body))) return;
    await installations.deleteInstallation({
      teamId: context.isEnterpriseInstall ? undefined : context.teamId,
      enterpriseId: context.enterpriseId,
      isEnterpriseInstall: context.isEnterpriseInstall === true,
    } as InstallationQuery<boolean>);
    requestLog(context, logger).info(
      `deleted the tokens of ${context.isEnterpriseInstall ? `organisation ${context.enterpriseId}` : `workspace ${context.teamId}`}: the app was uninstalled or its token revoked`,
    );
  };
}

/** How far Slack's clock may be ahead of this one's: an uninstall sent within it after an install is acted on. */
const EVENT_CLOCK_SKEW_MS = 5_000;

/**
 * An app_uninstalled, or a tokens_revoked naming bot tokens, sent (event_time, whole seconds) before the stored
 * installation of its workspace or organisation was installed: it ended an earlier installation.
 */
async function fromBeforeInstallation(db: Db, body: unknown, context: Context): Promise<boolean> {
  const type = eventType(body);
  if (type !== 'app_uninstalled' && !(type === 'tokens_revoked' && revokesBotToken(body))) return false;
  const sentAt = eventTime(body);
  if (!Number.isFinite(sentAt)) return false;
  const installedAt = await installationInstalledAt(
    db,
    installKey({
      teamId: context.isEnterpriseInstall ? null : (context.teamId ?? null),
      enterpriseId: context.enterpriseId ?? null,
      isEnterpriseInstall: context.isEnterpriseInstall === true,
    }),
  );
  return installedAt !== undefined && Date.parse(installedAt) > (sentAt + 1) * 1000 + EVENT_CLOCK_SKEW_MS;
}

/** A tokens_revoked event that names bot tokens: the installation's token no longer works. */
function revokesBotToken(body: unknown): boolean {
  const bot = (body as { event?: { tokens?: { bot?: unknown } } }).event?.tokens?.bot;
  return Array.isArray(bot) && bot.length > 0;
}
