import type { Logger } from '@slack/bolt';
import type { Config } from './config.js';
import { type Db, dialectOf } from './db/database.js';
import type { EngineDeps, ListenerDeps } from './deps.js';
import { sendMondayCharts } from './domain/centre/monday-charts.js';
import { purgeExpiredWorkspaces } from './domain/installs/workspaces-service.js';
import type { AdvisorChartSender, ReminderSender } from './domain/ports.js';
import { pruneExpiredRows, RETENTION_IDLE_MS } from './domain/retention/retention-service.js';
import { drainDueReminders, holderOf, leaveReplicas, type TickReport } from './engine/index.js';
import { type Clock, realSleep, systemClock } from './lib/clock.js';
import { InFlight } from './lib/in-flight.js';
import { createLogger } from './lib/logger.js';
import { parseTokenKey, TokenCipher } from './lib/token-cipher.js';
import { DatabasePart } from './lifecycle/database.js';
import { HealthServer } from './lifecycle/health-server.js';
import { Deadline, type Part } from './lifecycle/part.js';
import { SlackAppPart } from './lifecycle/slack-app.js';
import { SlackStatus, SlackTokenCheck } from './lifecycle/slack-token.js';
import { observabilityRoutes } from './observability/health.js';
import { createMetrics, type InfoviewMetrics } from './observability/metrics.js';
import { observeWebApiCalls } from './observability/slack-timing.js';
import { startTrigger, type Trigger } from './scheduler/index.js';
import { createAdvisorChartSender } from './slack/advisor-chart-sender.js';
import { SealedInstallationStore } from './slack/installs/installation-store.js';
import { InstalledTeamClients, singleTokenClients } from './slack/installs/team-clients.js';
import { slackTokenRefresh } from './slack/installs/token-refresh.js';
import { createReminderSender, NON_MARKETPLACE_HISTORY } from './slack/reminder-sender.js';
import type { SlackServing } from './slack/serving.js';
import { backgroundClientOptions, createEngineClient } from './slack/web-api/client-options.js';

export { StartError } from './lifecycle/part.js';

/** How long `stop()` may take by default before it closes the database anyway. */
export const SHUTDOWN_DEADLINE_MS = 10_000;

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

/**
 * The reminder engine and its trigger (the trigger runs in the `all` and `engine` roles). On stop, the run under way
 * ends after the reminder being posted (the engine sees `stopping`) and this replica's leases are handed back.
 */
class EnginePart implements Part {
  readonly name = 'engine';
  readonly deps: EngineDeps;
  private stopping = false;
  private trigger: Trigger | null = null;
  private readonly startedAt = Date.now();
  /** When the next retention pass may run (epoch ms on the injected clock): soon while rows are left, else later. */
  private retentionAt = 0;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly status: SlackStatus,
    private readonly withTrigger: boolean,
    base: Omit<EngineDeps, 'stopping' | 'nextTick'>,
    private readonly charts: AdvisorChartSender,
  ) {
    this.deps = {
      ...base,
      stopping: () => this.stopping,
      // A drain waiting on a slow workspace claims again at each firing of the trigger (once it runs).
      nextTick: () => this.trigger?.nextFiring() ?? new Promise<void>(() => {}),
    };
  }

  /**
   * One run of the trigger: due reminders (unless the token was refused), then purges, rows past their retention
   * (README, "Data retention"), then the Monday charts.
   */
  readonly housekeeping = async (): Promise<TickReport | null> => {
    // With a refused token every post would fail for good: reminders wait (pending) for a working token.
    const report = this.status.rejectedToken === null ? await drainDueReminders(this.deps) : null;
    if (!this.stopping) await purgeExpiredWorkspaces(this.deps.db, this.deps.clock.now(), this.logger);
    if (!this.stopping) await this.pruneWhenDue();
    if (!this.stopping && this.status.rejectedToken === null)
      await sendMondayCharts({ ...this.deps, logger: this.logger, charts: this.charts });
    return report;
  };

  /** A retention pass when one is due: at once while a table has more to delete, else once in a while. */
  private async pruneWhenDue(): Promise<void> {
    const now = this.deps.clock.now();
    if (now.getTime() < this.retentionAt) return;
    const pass = await pruneExpiredRows(this.deps.db, now, holderOf(this.deps), this.logger);
    this.retentionAt = pass.more ? 0 : now.getTime() + RETENTION_IDLE_MS;
  }

  /** When the trigger last ran (or started) and how often it runs; null without one. */
  triggerTimes(): { lastRunAt: number; intervalMs: number } | null {
    const trigger = this.trigger;
    return trigger === null
      ? null
      : { lastRunAt: trigger.lastRunAt() ?? this.startedAt, intervalMs: trigger.intervalMs() };
  }

  async start(): Promise<void> {
    if (!this.withTrigger) return;
    this.trigger = startTrigger(this.config.schedulerCron, this.housekeeping, this.logger);
    this.logger.info(
      this.status.rejectedToken === null
        ? `reminder engine scheduled (${this.config.schedulerCron})`
        : `housekeeping scheduled (${this.config.schedulerCron})`,
    );
  }

  async stop(deadline: Deadline): Promise<void> {
    this.stopping = true;
    if (this.trigger !== null) await deadline.within(this.trigger.stop(), 'the reminder engine');
    try {
      await deadline.within(leaveReplicas(this.deps), 'handing back the replica lease');
    } catch (error) {
      this.logger.warn('could not hand back the replica lease (it runs out by itself)', error);
    }
  }
}

/**
 * The reminder sender. With OAuth installs every reminder goes out with its own workspace's token, refreshed as
 * requests' tokens are (the store alone refreshes rotating tokens: one refresh at a time); an app installed by OAuth
 * is distributed, and outside the Marketplace its DM history reads are limited. With one bot token, the engine's own
 * client, which also checks the token where Bolt is not loaded.
 */
function engineSender(
  config: Config,
  logger: Logger,
  db: Db,
  installations: SealedInstallationStore | null,
): { sender: ReminderSender; charts: AdvisorChartSender; client: ReturnType<typeof createEngineClient> | null } {
  if (installations === null) {
    const client = createEngineClient(config, logger);
    const charts = createAdvisorChartSender(singleTokenClients(client), db);
    return { sender: createReminderSender(client, db), charts, client };
  }
  if (config.oauth !== undefined)
    installations.refreshWith(slackTokenRefresh(config.oauth, config, logger), { logger });
  const clients = new InstalledTeamClients(installations, backgroundClientOptions(config, logger));
  const charts = createAdvisorChartSender(clients, db);
  return { sender: createReminderSender(clients, db, { history: NON_MARKETPLACE_HISTORY }), charts, client: null };
}

/** OAuth installs: the installations, tokens sealed; null with one bot token. */
function installationStore(config: Config, db: Db, clock: Clock): SealedInstallationStore | null {
  const oauth = config.oauth;
  if (oauth === undefined) return null;
  const cipher = new TokenCipher(parseTokenKey(oauth.encryptionKey), oauth.previousEncryptionKeys.map(parseTokenKey));
  return new SealedInstallationStore(db, cipher, clock);
}

/**
 * The composition root: one object with named parts, the database (migrated), the Slack app (web role), the
 * reminder engine (engine role) and the health server, started in that order and stopped in reverse under one
 * deadline. `main.ts`, the test harnesses and the benchmarks all boot through it, so what runs in tests is what runs
 * in production.
 */
export class Infoview {
  private stopped: Promise<void> | undefined;

  private constructor(
    readonly config: Config,
    /** What the listeners run with. */
    readonly deps: ListenerDeps,
    /** Every request's run, so that shutdown can let it finish. */
    readonly inFlight: InFlight,
    private readonly logger: Logger,
    private readonly status: SlackStatus,
    private readonly parts: {
      database: DatabasePart;
      token: SlackTokenCheck;
      slack: SlackAppPart | null;
      health: HealthServer;
      engine: EnginePart;
    },
    private readonly shutdownDeadlineMs: number,
  ) {}

  /** Builds every part (the database is opened and migrated now); nothing serves until `start()`. */
  static async create(config: Config, overrides: InfoviewOverrides = {}): Promise<Infoview> {
    const logger = overrides.logger ?? createLogger({ level: config.logLevel });
    const database = await DatabasePart.open(config, logger, overrides.db);
    const { db } = database;
    const clock = overrides.clock ?? systemClock;
    const deps: ListenerDeps = { config, db, clock, logger, installations: installationStore(config, db, clock) };
    const inFlight = new InFlight();
    const metrics = createMetrics(db, clock, {
      poolSize: dialectOf(db) === 'postgres' ? config.databasePoolSize : 1,
    });
    database.timeQueriesWith((seconds, failed) => metrics.observeQuery(seconds, failed));
    // Before any WebClient of the app is made: clients bind their methods when constructed.
    database.beforeClose(
      observeWebApiCalls((method, seconds, outcome) => metrics.observeApiCall(method, seconds, outcome)),
    );

    const runs = { slack: config.role !== 'engine', engine: config.role !== 'web' };
    const status = new SlackStatus();
    const engine = Infoview.engine(config, deps, metrics, status, runs.engine, overrides);
    const routes = observabilityRoutes(
      {
        db,
        tokenProblem: () => status.rejectedToken,
        socketOpen: config.mode === 'socket' && runs.slack ? () => status.socketOpen : null,
        trigger: () => engine.part.triggerTimes(),
        now: () => Date.now(),
      },
      metrics,
    );
    const slack = runs.slack
      ? await SlackAppPart.create(deps, inFlight, routes, metrics, status, overrides.sleep)
      : null;
    // The engine without Bolt asks what app.init() asks; with OAuth installs there is no one token to check.
    const engineClient = engine.client;
    const check = slack !== null ? () => slack.serving.init() : engineClient && (() => engineClient.auth.test());
    const parts = {
      database,
      token: new SlackTokenCheck(check, status, config, logger, runs),
      slack,
      health: new HealthServer(config, routes, status, logger, runs),
      engine: engine.part,
    };
    return new Infoview(
      config,
      deps,
      inFlight,
      logger,
      status,
      parts,
      overrides.shutdownDeadlineMs ?? SHUTDOWN_DEADLINE_MS,
    );
  }

  private static engine(
    config: Config,
    deps: ListenerDeps,
    metrics: InfoviewMetrics,
    status: SlackStatus,
    runsEngine: boolean,
    overrides: InfoviewOverrides,
  ): { part: EnginePart; client: ReturnType<typeof createEngineClient> | null } {
    const { db, clock, logger } = deps;
    const { sender, charts, client } = engineSender(config, logger, db, deps.installations);
    const part = new EnginePart(
      config,
      logger,
      status,
      runsEngine && overrides.trigger !== false,
      {
        db,
        clock,
        sender: overrides.wrapSender ? overrides.wrapSender(sender) : sender,
        logger,
        sleep: overrides.sleep ?? realSleep,
        ...(overrides.random ? { random: overrides.random } : {}),
        metrics,
      },
      charts,
    );
    return { part, client };
  }

  /** In start order; stopped in reverse. */
  private get order(): Part[] {
    const { database, token, slack, health, engine } = this.parts;
    return [database, token, ...(slack === null ? [] : [slack]), health, engine];
  }

  /** What serves Slack's requests; null in the `engine` role, which never loads Bolt. */
  get slack(): SlackServing | null {
    return this.parts.slack?.serving ?? null;
  }

  /** What the reminder engine runs with. */
  get engine(): EngineDeps {
    return this.parts.engine.deps;
  }

  /** The HTTP server this process listens with once started (Slack's requests and/or the routes), else null. */
  get httpServer() {
    return (this.parts.slack?.listening ?? this.parts.health.listening)?.server ?? null;
  }

  /** Slack's answer when it refused the bot token at start (the app then only keeps house), else null. */
  get rejectedToken(): string | null {
    return this.status.rejectedToken;
  }

  /** One run of the trigger: due reminders (unless the token was refused), purges. */
  housekeeping(): Promise<TickReport | null> {
    return this.parts.engine.housekeeping();
  }

  /**
   * Starts the parts in order: checks the token, serves (HTTP, Socket Mode, or the health routes only) and starts
   * the trigger, as the role says. The port, when listening.
   */
  async start(): Promise<{ port: number | null }> {
    for (const part of this.order) await part.start();
    return { port: (this.parts.slack?.listening ?? this.parts.health.listening)?.port ?? null };
  }

  /**
   * Stops the parts in reverse order within one deadline: the engine finishes the reminder being posted and records
   * it (the rest of its claim is handed back), requests stop, listeners under way finish, the database closes.
   * A second call (a second signal) waits for the same shutdown.
   */
  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<void> {
    const deadline = new Deadline(this.shutdownDeadlineMs, this.logger);
    for (const part of this.order.reverse()) await part.stop(deadline);
    this.logger.info('stopped');
  }
}

/** Builds the app (see `Infoview.create`). */
export const createInfoview = (config: Config, overrides: InfoviewOverrides = {}): Promise<Infoview> =>
  Infoview.create(config, overrides);
