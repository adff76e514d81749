import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, type Context, HTTPReceiver, type LogLevel, type Receiver, SocketModeReceiver } from '@slack/bolt';
import { type CodedError, ErrorCode, type Installation, type InstallationQuery } from '@slack/oauth';
import type { Config } from '../config.js';
import type { AppDeps } from '../deps.js';
import type { Owner } from '../domain/types.js';
import { installedAgain, workspaceActive } from '../domain/your-data.js';
import { HomePublisher } from './home-publisher.js';
import { InstalledWorkspace, unrefSleep } from './installed-workspace.js';
import { registerListeners } from './listeners/index.js';
import type { Route } from '../observability/health.js';
import { requestLog, requestLogger } from './middleware/request-logger.js';
import {
  installationInstalledAt,
  installKey,
  recordWorkspaceEnterprise,
} from '../db/repositories/installations-repository.js';
import { toDbInstant } from '../lib/time.js';
import { BOT_SCOPES } from './scopes.js';
import { failurePage, INSTALL_PATH, installPage, REDIRECT_PATH, successPage } from './install-pages.js';
import { SignedStateStore } from './oauth-state-store.js';
import { clientAddress } from '../lib/client-address.js';
import { AddressRateLimit } from './install-rate-limit.js';
import { guardedResponseFetch } from './response-url.js';

export const EVENTS_PATH = '/slack/events';

export interface SlackApp {
  app: App;
  receiver: HTTPReceiver | SocketModeReceiver;
  /** Publishes Home tabs on a client of its own; stop it when the app stops. */
  home: HomePublisher;
  /** With one bot token, the only workspace served (start it once the app is initialised; stop it with the app). */
  installed: InstalledWorkspace | null;
}

/**
 * Builds the Bolt app for the configured mode: Socket Mode when an app token is set, HTTP otherwise (signature
 * verification on). Every WebClient gets the configured API URL and no automatic retries: the default retries for
 * about 30 minutes, which would repeat posts; callers own their retries.
 *
 * `routes`: GET endpoints served beside Slack's (health, readiness, metrics), on the Socket Mode side server too.
 */
export function createSlackApp(
  deps: AppDeps,
  routes: Route[] = [],
  /** How the installed-workspace check waits between attempts (tests pass one that moves their clock). */
  sleep: (ms: number) => Promise<void> = unrefSleep,
): SlackApp {
  const { config, logger } = deps;
  const clientOptions = {
    ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    timeout: 10_000,
    // Bolt's respond() posts with this fetch: only to Slack's response URLs, whatever a payload says.
    fetch: guardedResponseFetch(config),
  };
  const customRoutes = routes;
  // OAuth installs (issue 16): Bolt's install and redirect routes, on the events port in HTTP mode and beside /healthz
  // in Socket Mode; installations kept sealed in the database, states single-use.
  const installations = deps.installations;
  const oauth =
    config.oauth === undefined || installations === null
      ? {}
      : {
          clientId: config.oauth.clientId,
          clientSecret: config.oauth.clientSecret,
          stateSecret: config.oauth.stateSecret,
          scopes: [...BOT_SCOPES],
          installationStore: installations,
        };
  const installPageLimit = new AddressRateLimit(config.installPageLimitPerMinute, deps.clock);
  const installerOptions = {
    ...(config.oauth === undefined
      ? {}
      : {
          stateStore: new SignedStateStore(deps.db, config.oauth.stateSecret, deps.clock),
          installPath: INSTALL_PATH,
          installPathOptions: {
            // The page costs no write (the state is signed, not stored), but anyone can ask for it: a few per address
            // (the client's, behind TRUSTED_PROXY_HOPS proxies; otherwise every visitor would share the proxy's).
            beforeRedirection: async (req: IncomingMessage, res: ServerResponse) => {
              const address = clientAddress(
                req.socket.remoteAddress,
                req.headers['x-forwarded-for'],
                config.trustedProxyHops,
              );
              if (installPageLimit.take(address)) return true;
              res.writeHead(429, {
                'Content-Type': 'text/plain; charset=utf-8',
                'Retry-After': String(installPageLimit.retryAfterSeconds(address)),
              });
              res.end('Too many requests for the install page from your address: try again in a minute.\n');
              return false;
            },
          },
          redirectUriPath: REDIRECT_PATH,
          directInstall: false,
          renderHtmlForInstallPath: installPage,
          callbackOptions: {
            success: async (
              installation: Installation,
              _options: unknown,
              _req: IncomingMessage,
              res: ServerResponse,
            ) => {
              logger.info(
                `installed in ${installation.isEnterpriseInstall ? `organisation ${installation.enterprise?.id}` : `workspace ${installation.team?.id}`}`,
              );
              // A reinstall brings reminders back and cancels the purge now: the workspace may send no request before
              // its next prep tip is due. A failure here is caught up by the workspace's next request.
              try {
                const reactivated = await installedAgain(
                  deps.db,
                  {
                    teamId: installation.isEnterpriseInstall ? null : (installation.team?.id ?? null),
                    enterpriseId: installation.enterprise?.id ?? null,
                  },
                  deps.clock.now(),
                  logger,
                );
                if (reactivated.length > 0) logger.info(`reinstalled: ${reactivated.join(', ')} active again`);
              } catch (error) {
                logger.warn('could not mark the reinstalled workspace active (its next request will)', error);
              }
              res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
              res.end(successPage(installation));
            },
            failure: (error: CodedError, _options: unknown, _req: IncomingMessage, res: ServerResponse) => {
              logger.warn(`an install did not complete: ${error.code} ${error.message}`);
              res.writeHead(error.code === ErrorCode.AuthorizationError ? 200 : 400, {
                'Content-Type': 'text/html; charset=utf-8',
              });
              res.end(failurePage(error));
            },
          },
        }),
    clientOptions: { ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}), timeout: 10_000 },
  };
  const receiver =
    config.mode === 'socket'
      ? new SocketModeReceiver({
          appToken: config.appToken ?? '',
          logger,
          customRoutes,
          ...oauth,
          // Its own clientOptions without retryConfig: the Socket Mode client keeps its patient retries for
          // apps.connections.open (one failed reconnect must not end the connection), and it writes into it.
          installerOptions: { ...installerOptions, port: config.port },
        })
      : new HTTPReceiver({
          signingSecret: config.signingSecret ?? '',
          endpoints: EVENTS_PATH,
          customRoutes,
          logger,
          processBeforeResponse: false,
          ...oauth,
          installerOptions,
        });
  const app = new App({
    ...(config.botToken === undefined ? {} : { token: config.botToken }),
    receiver: receiver as Receiver,
    logger,
    // Without it Bolt resets the logger to info, whatever LOG_LEVEL says.
    logLevel: config.logLevel as LogLevel,
    clientOptions,
    // auth.test runs in app.init(), so a bad token stops the start with a clear error instead of failing later.
    deferInitialization: true,
  });
  app.use(requestLogger(logger));
  // Only the workspace (or Enterprise Grid organisation) whose bot token this is may use the app: any other request
  // is acked and dropped before a listener sees it. auth.test says which it is; until it has answered, every request
  // is refused (a failed auth.test is retried in the background), and a request waits for an attempt under way.
  // With OAuth installs, Bolt's authorize has refused any workspace without an installation before this.
  const installed =
    config.botToken === undefined
      ? null
      : new InstalledWorkspace(
          async () => {
            const result = await app.client.auth.test();
            return { teamId: result.team_id ?? null, enterpriseId: result.enterprise_id ?? null };
          },
          sleep,
          logger,
        );
  app.use(async (args) => {
    const { context, next } = args;
    if (installed === null) return next();
    const workspace = await installed.current();
    const fromInstalled =
      workspace !== null &&
      ((context.teamId !== undefined && context.teamId === workspace.teamId) ||
        (context.enterpriseId !== undefined &&
          workspace.enterpriseId !== null &&
          context.enterpriseId === workspace.enterpriseId));
    if (fromInstalled) return next();
    requestLog(context, logger).warn(
      `refused a request from workspace ${context.teamId ?? context.enterpriseId ?? 'unknown'}: ${workspace === null ? 'the installed workspace is not known yet (auth.test failed; retrying)' : 'not the installed workspace'}`,
    );
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
  });
  const home = new HomePublisher(config, deps);
  const activeTeams = new Map<string, number>();
  const loggedErrors = new WeakSet<object>();
  // Remember every listener run so shutdown can let it finish; after anything the user did (a button, a form),
  // publish their Home again so it always shows their state.
  /** Per workspace, its organisation as this process last recorded it, and when (re-recorded after a while: a purge deletes it). */
  const knownEnterprise = new Map<string, { enterpriseId: string; at: number }>();
  app.use(async ({ next, body, client, context }) => {
    const log = requestLog(context, logger);
    await deps.inFlight.track(
      (async () => {
        // Which organisation the workspace is in, before the listener runs: with an org-wide install, what it does
        // without the request's token (publishing Home, reminders) finds the organisation's token by it.
        const known = context.teamId ? knownEnterprise.get(context.teamId) : undefined;
        const at = deps.clock.now();
        if (
          context.teamId &&
          context.enterpriseId &&
          (known?.enterpriseId !== context.enterpriseId || known.at < at.getTime() - ACTIVE_RECHECK_MS)
        ) {
          await recordWorkspaceEnterprise(deps.db, context.teamId, context.enterpriseId, toDbInstant(at));
          knownEnterprise.set(context.teamId, { enterpriseId: context.enterpriseId, at: at.getTime() });
        }
        // An uninstall (or a bot token revoked) that Slack sent before the installation now stored, delivered late (a
        // retry after the app was unreachable, say): it was about the previous installation, whose tokens are gone
        // already. Acting on it would delete the reinstall's tokens and stop its reminders.
        if (installations !== null && (await fromBeforeInstallation(deps.db, body, context))) {
          log.info(
            `ignored ${eventType(body)} sent at ${new Date(eventTime(body) * 1000).toISOString()}: the app was installed again since`,
          );
          return;
        }
        try {
          await next();
        } catch (error) {
          // Logged here, inside the tracked work, so that once in-flight work is drained its errors are in the log
          // (Bolt calls app.error later, after other turns of the event loop).
          log.error('unhandled error in a listener', error);
          if (typeof error === 'object' && error !== null) loggedErrors.add(error);
          throw error;
        }
        const owner = changedBy(body);
        if (owner !== null) await home.publish(owner);
        // Someone uses the app: the workspace (re)installed it, so nothing of it is purged and its reminders resume.
        const type = (body as { type?: unknown; event?: { type?: unknown } }).event?.type;
        const now = deps.clock.now();
        if (type === 'app_uninstalled' || type === 'tokens_revoked') {
          if (context.teamId) activeTeams.delete(context.teamId);
          // The installation's tokens go at once (its data stays for the retention period, as always).
          if (installations !== null && (type === 'app_uninstalled' || revokesBotToken(body))) {
            await installations.deleteInstallation({
              teamId: context.isEnterpriseInstall ? undefined : context.teamId,
              enterpriseId: context.enterpriseId,
              isEnterpriseInstall: context.isEnterpriseInstall === true,
            } as InstallationQuery<boolean>);
            log.info(
              `deleted the tokens of ${context.isEnterpriseInstall ? `organisation ${context.enterpriseId}` : `workspace ${context.teamId}`}: the app was uninstalled or its token revoked`,
            );
          }
        } else if (
          context.teamId &&
          (activeTeams.get(context.teamId) ?? -Infinity) < now.getTime() - ACTIVE_RECHECK_MS
        ) {
          // Once a minute per workspace per process: a write on every request costs every request. Not once for
          // good: another replica may have marked the workspace uninstalled since (its app_uninstalled went there).
          activeTeams.set(context.teamId, now.getTime());
          await workspaceActive(deps.db, context.teamId, now, log);
        }
      })(),
    );
  });
  registerListeners(app, deps, home);
  app.error(async (error) => {
    const original = (error as { original?: unknown }).original;
    if (loggedErrors.has(error) || (typeof original === 'object' && original !== null && loggedErrors.has(original)))
      return;
    logger.error('unhandled error in a listener', error);
  });
  return { app, receiver, home, installed };
}

const eventType = (body: unknown) => (body as { event?: { type?: unknown } }).event?.type;
const eventTime = (body: unknown) => Number((body as { event_time?: unknown }).event_time);

/** How far Slack's clock may be ahead of this one's: an uninstall sent within it after an install is acted on. */
const EVENT_CLOCK_SKEW_MS = 5_000;

/**
 * An app_uninstalled, or a tokens_revoked naming bot tokens, sent (event_time, whole seconds) before the stored
 * installation of its workspace or organisation was installed: it ended an earlier installation.
 */
async function fromBeforeInstallation(db: AppDeps['db'], body: unknown, context: Context): Promise<boolean> {
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

/** How long a process trusts that it marked a workspace active (other replicas may change it meanwhile). */
const ACTIVE_RECHECK_MS = 60_000;

/** The user whose state a request may have changed: button presses and form submissions. */
function changedBy(body: unknown): Owner | null {
  const payload = body as {
    type?: unknown;
    user?: { id?: unknown; team_id?: unknown };
    team?: { id?: unknown } | null;
  };
  if (payload.type !== 'block_actions' && payload.type !== 'view_submission') return null;
  const userId = payload.user?.id;
  const teamId = payload.team?.id ?? payload.user?.team_id;
  return typeof userId === 'string' && typeof teamId === 'string' ? { teamId, userId } : null;
}
