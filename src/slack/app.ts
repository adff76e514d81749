import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  App,
  HTTPModuleFunctions,
  HTTPReceiver,
  type LogLevel,
  type Receiver,
  type ReceiverDispatchErrorHandlerArgs,
  SocketModeReceiver,
} from '@slack/bolt';
import { type CodedError, ErrorCode, type Installation } from '@slack/oauth';
import type { ListenerDeps } from '../deps.js';
import { installedAgain } from '../domain/installs/workspaces-service.js';
import { clientAddress } from '../lib/client-address.js';
import type { InFlight } from '../lib/in-flight.js';
import type { Route } from '../observability/health.js';
import { calendarFeedRoute, isCalendarPath } from './calendar-feed-route.js';
import { HomePublisher } from './home-publisher.js';
import { BOLT_CLIENTS, boundBoltClients, ClientLru } from './installs/bounded-clients.js';
import { failurePage, INSTALL_PATH, installPage, REDIRECT_PATH, successPage } from './installs/install-pages.js';
import { AddressRateLimit } from './installs/install-rate-limit.js';
import { InstalledWorkspace, unrefSleep } from './installs/installed-workspace.js';
import { SignedStateStore } from './installs/oauth-state-store.js';
import { BOT_SCOPES } from './installs/scopes.js';
import { registerListeners } from './listeners/index.js';
import { republishHome } from './middleware/home-republish.js';
import { trackInFlight } from './middleware/in-flight.js';
import { installedWorkspaceGate } from './middleware/installed-workspace-gate.js';
import { listenerErrors } from './middleware/listener-errors.js';
import { requestLogger } from './middleware/request-logger.js';
import { deleteTokensOnUninstall, ignoreUninstallsFromBefore } from './middleware/uninstall.js';
import { recordWorkspaceActivity } from './middleware/workspace-activity.js';
import { recordWorkspaceOrganisation } from './middleware/workspace-organisation.js';
import { guardedResponseFetch } from './web-api/response-url.js';

export const EVENTS_PATH = '/slack/events';

export interface SlackApp {
  app: App;
  receiver: HTTPReceiver | SocketModeReceiver;
  /** Publishes Home tabs on a client of its own; stop it when the app stops. */
  home: HomePublisher;
  /** With one bot token, the only workspace served (start it once the app is initialised; stop it with the app). */
  installed: InstalledWorkspace | null;
  /** The WebClients Bolt hands the listeners, one per token, the most recently used kept (bounded-clients.ts). */
  clients: ClientLru;
}

/**
 * Builds the Bolt app for the configured mode: Socket Mode when an app token is set, HTTP otherwise (signature
 * verification on). Every WebClient gets the configured API URL and no automatic retries: the default retries for
 * about 30 minutes, which would repeat posts; callers own their retries.
 *
 * `routes`: GET endpoints served beside Slack's (health, readiness, metrics), on the Socket Mode side server too.
 */
export function createSlackApp(
  deps: ListenerDeps,
  /** Every request's run is tracked here, so that shutdown can let it finish. */
  inFlight: InFlight,
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
  // The calendar feed (GET /calendar/<secret>.ics) is served wherever Slack's requests are.
  const customRoutes = [...routes, calendarFeedRoute(deps)];
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
          dispatchErrorHandler: withoutFeedSecrets,
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
  const clients = new ClientLru(BOLT_CLIENTS);
  boundBoltClients(app, clients);
  // Only the workspace (or organisation) whose bot token this is may use the app (see installed-workspace-gate.ts).
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
  const home = new HomePublisher(config, deps);
  const errors = listenerErrors(logger);
  // In this order: each runs its part before the listener top to bottom, and its part after it bottom to top.
  app.use(requestLogger(logger));
  if (installed !== null) app.use(installedWorkspaceGate(installed, logger));
  app.use(trackInFlight(inFlight));
  app.use(recordWorkspaceOrganisation(deps.db, deps.clock));
  if (installations !== null) {
    app.use(ignoreUninstallsFromBefore(deps.db, logger));
    app.use(deleteTokensOnUninstall(installations, logger));
  }
  app.use(recordWorkspaceActivity(deps.db, deps.clock, logger));
  app.use(republishHome(home));
  app.use(errors.middleware);
  registerListeners(app, deps, home);
  app.error(errors.onError);
  return { app, receiver, home, installed, clients };
}

/**
 * Bolt's own handler for requests it could not route or that failed, which logs the request's URL: a calendar feed's
 * path holds its secret, so it is logged as `/calendar/…` instead.
 */
function withoutFeedSecrets(args: ReceiverDispatchErrorHandlerArgs): void {
  if (isCalendarPath(args.request.url)) args.request.url = '/calendar/…';
  HTTPModuleFunctions.defaultDispatchErrorHandler(args);
}
