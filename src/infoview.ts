import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@slack/bolt';
import type { Config } from './config.js';
import { type Db, dialectOf, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { type AppDeps, createDeps } from './deps.js';
import type { ReminderSender } from './domain/ports.js';
import { drainDueReminders, leaveReplicas, type ReminderJobDeps, type TickReport } from './engine/index.js';
import { purgeExpiredWorkspaces } from './domain/your-data.js';
import { type Clock, realSleep } from './lib/clock.js';
import { applyHttpTimeouts } from './lib/http-timeouts.js';
import { createLogger } from './lib/logger.js';
import { startTrigger, type Trigger } from './scheduler/index.js';
import {
  HEALTH_PATH,
  METRICS_PATH,
  observabilityRoutes,
  READY_PATH,
  type ReadinessSources,
  type Route,
} from './observability/health.js';
import { createMetrics } from './observability/metrics.js';
import { observeWebApiCalls } from './observability/slack-timing.js';
import { backgroundClientOptions, createEngineClient } from './slack/client-options.js';
import { InstalledTeamClients } from './slack/team-clients.js';
import { slackTokenRefresh } from './slack/token-refresh.js';
import type { SlackServing } from './slack/serving.js';
import { createReminderSender, NON_MARKETPLACE_HISTORY } from './slack/reminder-sender.js';
import { platformErrorCode } from './slack/web-api-errors.js';

/** How long `stop()` may take by default before it closes the database anyway. */
export const SHUTDOWN_DEADLINE_MS = 10_000;

/** Why the app cannot start (a database that cannot be migrated, Slack out of reach): said once, then exit 1. */
export class StartError extends Error {
  override readonly name = 'StartError';
}

/** What a test or a benchmark changes; production passes none. */
export interface InfoviewOverrides {
  clock?: Clock;
  logger?: Logger;
  /** The database to use instead of opening `config.databaseUrl` (it is migrated all the same, and closed by stop). */
  db?: Db;
  /** The engine's way to let time pass (tests pass one that moves a fake clock). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Wraps the engine's sender (the crash tests kill the process around a post). */
  wrapSender?: (sender: ReminderSender) => ReminderSender;
  /** False: no cron trigger; the caller runs `housekeeping()` when it wants a run. */
  trigger?: boolean;
  shutdownDeadlineMs?: number;
}

export interface Infoview {
  readonly config: Config;
  readonly deps: AppDeps;
  /** What serves Slack's requests; null in the `engine` role, which never loads Bolt. */
  readonly slack: SlackServing | null;
  /** What the reminder engine runs with (its trigger runs in the `all` and `engine` roles). */
  readonly engine: ReminderJobDeps;
  /** The HTTP server this process listens with once started (Slack's requests and/or the routes), else null. */
  readonly httpServer: Server | null;
  /** Slack's answer when it refused the bot token at start (the app then only keeps house), else null. */
  readonly rejectedToken: string | null;
  /**
   * Checks the token, serves (HTTP, Socket Mode, or the health routes only) and starts the trigger, as the role
   * says. The port, when listening.
   */
  start(): Promise<{ port: number | null }>;
  /** One run of the trigger: re-plans, due reminders (unless the token was refused), purges. */
  housekeeping(): Promise<TickReport | null>;
  /**
   * Stops taking requests, lets the reminder being posted finish and be recorded (the rest of its claim is handed
   * back), lets listeners under way finish, and closes the database, within the deadline.
   */
  stop(): Promise<void>;
}

/**
 * The composition root: the database (migrated), the Slack app, the reminder engine and its trigger. `main.ts`, the
 * test harnesses and the benchmarks all boot through it, so what runs in tests is what runs in production.
 */
export async function createInfoview(config: Config, overrides: InfoviewOverrides = {}): Promise<Infoview> {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  // Query timings go to the metrics once they exist (they read the database, so they come after it).
  let observeQuery: ((seconds: number, failed: boolean) => void) | null = null;
  const db =
    overrides.db ??
    openDatabase(config.databaseUrl, {
      onQuery: (ms, failed) => observeQuery?.(ms / 1000, failed),
      cacheMb: config.sqlite.cacheMb,
      mmapMb: config.sqlite.mmapMb,
      // A worker thread is a JavaScript engine of its own (about 10 MB); the engine's commits may as well checkpoint
      // themselves, since no request waits on them.
      checkpointInBackground: config.role !== 'engine',
      poolSize: config.databasePoolSize,
      onPoolError: (error) => logger.warn(`a database connection failed while idle (replaced): ${error.message}`),
    });
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info(`migrations applied: ${applied.join(', ')}`);
  } catch (error) {
    await db.destroy();
    throw new StartError(
      `the database could not be migrated: ${(error as Error).message}${(error as Error).cause ? ` (${String((error as Error).cause)})` : ''}`,
    );
  }
  const deps = createDeps({ config, db, logger }, overrides.clock ? { clock: overrides.clock } : {});
  const metrics = createMetrics(db, deps.clock, {
    poolSize: dialectOf(db) === 'postgres' ? config.databasePoolSize : 1,
  });
  observeQuery = (seconds, failed) => metrics.observeQuery(seconds, failed);
  // Before any WebClient of the app is made: clients bind their methods when constructed.
  const stopTimingApiCalls = observeWebApiCalls((method, seconds, outcome) =>
    metrics.observeApiCall(method, seconds, outcome),
  );

  let rejectedToken: string | null = null;
  let trigger: Trigger | null = null;
  let socketOpen = false;
  const startedAt = Date.now();
  const readinessSources: ReadinessSources = {
    db,
    tokenProblem: () => rejectedToken,
    socketOpen: config.mode === 'socket' && config.role !== 'engine' ? () => socketOpen : null,
    trigger: () =>
      trigger === null
        ? null
        : { lastRunAt: (trigger as Trigger).lastRunAt() ?? startedAt, intervalMs: (trigger as Trigger).intervalMs() },
    now: () => Date.now(),
  };
  const routes = observabilityRoutes(readinessSources, metrics);
  // Bolt and everything behind it are loaded only where Slack's requests are served.
  const slack =
    config.role === 'engine'
      ? null
      : (await import('./slack/serving.js')).createSlackServing(
          deps,
          routes,
          metrics,
          (open) => {
            socketOpen = open;
          },
          overrides.sleep,
        );
  const runsEngine = config.role !== 'web';

  let stopping = false;
  const installations = deps.installations;
  // With OAuth installs every reminder goes out with its own workspace's token, refreshed as requests' tokens are.
  // An app installed by OAuth is distributed, and outside the Marketplace its DM history reads are limited.
  let engineClient: ReturnType<typeof createEngineClient> | null = null;
  let sender: ReminderSender;
  if (installations === null) {
    engineClient = createEngineClient(config, logger);
    sender = createReminderSender(engineClient, db);
  } else {
    // The store alone refreshes rotating tokens, for requests and reminders alike (one refresh at a time).
    if (config.oauth !== undefined)
      installations.refreshWith(slackTokenRefresh(config.oauth, config, logger), { logger });
    sender = createReminderSender(
      new InstalledTeamClients(installations, backgroundClientOptions(config, logger)),
      db,
      { history: NON_MARKETPLACE_HISTORY },
    );
  }
  const engine: ReminderJobDeps = {
    db,
    clock: deps.clock,
    sender: overrides.wrapSender ? overrides.wrapSender(sender) : sender,
    logger,
    sleep: overrides.sleep ?? realSleep,
    ...(overrides.random ? { random: overrides.random } : {}),
    stopping: () => stopping,
    // A drain waiting on a slow workspace claims again at each firing of the trigger (set once it runs).
    nextTick: () => trigger?.nextFiring() ?? new Promise<void>(() => {}),
    metrics,
  };

  let stopServing: () => Promise<void> = async () => {};
  let httpServer: Server | null = null;

  const housekeeping = async (): Promise<TickReport | null> => {
    // With a refused token every post would fail for good: reminders wait (pending) for a working token.
    const report = rejectedToken === null ? await drainDueReminders(engine) : null;
    if (!stopping) await purgeExpiredWorkspaces(db, deps.clock.now(), logger);
    return report;
  };

  const infoview: Infoview = {
    config,
    deps,
    slack,
    engine,
    get rejectedToken() {
      return rejectedToken;
    },
    get httpServer() {
      return httpServer;
    },
    housekeeping,

    async start() {
      try {
        // The engine without Bolt asks what app.init() asks; with OAuth installs there is no one token to check.
        await (slack !== null ? slack.init() : engineClient?.auth.test());
      } catch (error) {
        const code = platformErrorCode(error);
        if (code === undefined)
          throw new StartError(
            `could not reach Slack's Web API at ${config.slackApiUrl ?? 'https://slack.com/api/'} (${(error as Error).message})`,
          );
        // Slack's own trouble says nothing of the token: stop (a restart asks again) rather than serve nothing for good.
        if (SLACK_SIDE_ERRORS.has(code))
          throw new StartError(`Slack's Web API could not check SLACK_BOT_TOKEN (${code}): try again shortly`);
        // A revoked or invalid token (the workspace uninstalled the app, say) must not stop housekeeping: the data
        // of an uninstalled workspace is still purged when its retention period ends.
        rejectedToken = code;
        logger.error(
          `Slack did not accept SLACK_BOT_TOKEN (${code}): ${[slack !== null && 'not serving Slack', runsEngine && 'not sending reminders'].filter(Boolean).join(' and ')}${runsEngine ? '; purging uninstalled workspaces goes on' : ''}. See README.md "Configuration"`,
        );
      }
      let port: number | null = null;
      try {
        if (slack === null || rejectedToken !== null) {
          const server = await serveRoutesOnly(config.port, routes, config.http);
          httpServer = server;
          port = (server.address() as AddressInfo).port;
          const what =
            rejectedToken === null
              ? "the reminder engine (Slack's requests go to the web processes)"
              : runsEngine
                ? 'for housekeeping only'
                : 'its health routes only';
          logger.info(
            `infoview is running ${what} on port ${port} (GET ${HEALTH_PATH}, ${READY_PATH}, ${METRICS_PATH})`,
          );
          stopServing = () => new Promise((resolve) => server.close(() => resolve()));
        } else {
          const serving = await slack.serve(config.port);
          port = serving.port;
          httpServer = serving.server ?? null;
          stopServing = serving.stop;
          const role = config.role === 'web' ? ', requests only: the reminder engine runs in its own process' : '';
          logger.info(
            config.mode === 'http'
              ? `infoview is running in HTTP mode on port ${port} (POST /slack/events, GET /healthz${role})`
              : `infoview is running in Socket Mode (GET /healthz on port ${config.port}${role})`,
          );
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
        throw new StartError(
          `port ${config.port} is in use by another process: set PORT (an engine process listens on 3001 by default, the others on 3000)`,
        );
      }
      if (runsEngine && overrides.trigger !== false) {
        trigger = startTrigger(config.schedulerCron, housekeeping, logger);
        logger.info(
          rejectedToken === null
            ? `reminder engine scheduled (${config.schedulerCron})`
            : `housekeeping scheduled (${config.schedulerCron})`,
        );
      }
      return { port };
    },

    stop() {
      // A second call (a second signal) waits for the same shutdown.
      stopped ??= shutdown();
      return stopped;
    },
  };

  let stopped: Promise<void> | undefined;
  /** Stops taking requests, lets the engine and the listeners under way finish (within the deadline), closes. */
  async function shutdown(): Promise<void> {
    stopping = true;
    const deadline = Date.now() + (overrides.shutdownDeadlineMs ?? SHUTDOWN_DEADLINE_MS);
    const inTime = <T>(work: Promise<T>, what: string): Promise<T | undefined> => {
      const left = Math.max(0, deadline - Date.now());
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => {
          logger.warn(`shutdown: ${what} did not finish within the deadline; going on`);
          resolve(undefined);
        }, left);
      });
      return Promise.race([work, late]).finally(() => clearTimeout(timer));
    };
    // The trigger's run under way ends after the reminder being posted: the engine sees `stopping`.
    if (trigger !== null) await inTime((trigger as Trigger).stop(), 'the reminder engine');
    try {
      await inTime(leaveReplicas(engine), 'handing back the replica lease');
    } catch (error) {
      logger.warn('could not hand back the replica lease (it runs out by itself)', error);
    }
    slack?.home.stop();
    slack?.installed?.stop();
    try {
      await inTime(stopServing(), 'the receiver');
    } catch (error) {
      logger.warn('stopping the receiver failed', error);
    }
    const left = await deps.inFlight.drain(Math.max(0, deadline - Date.now()));
    if (left > 0) logger.warn(`${left} listener(s) still running at the shutdown deadline; stopping anyway`);
    stopTimingApiCalls();
    await db.destroy();
    logger.info('stopped');
  }
  return infoview;
}

/** auth.test answers that are Slack's trouble, not the token's (Slack's docs: retry them later). */
const SLACK_SIDE_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** While the token is refused: only the health, readiness and metrics routes. */
async function serveRoutesOnly(port: number, routes: Route[], http: Config['http']): Promise<Server> {
  const server = createServer((req, res) => {
    const route = routes.find((r) => r.path === req.url && r.method.includes(req.method ?? ''));
    if (route === undefined) {
      res.writeHead(404).end();
      return;
    }
    route.handler(req, res);
  });
  applyHttpTimeouts(server, http);
  server.listen(port);
  await once(server, 'listening');
  return server;
}
