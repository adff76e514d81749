import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { ConfigError, loadConfig } from './config.js';
import { databaseAnswers, type Db, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createDeps } from './deps.js';
import { loadEnvFile } from './lib/env-file.js';
import { createLogger } from './lib/logger.js';
import { platformErrorCode } from './slack/web-api-errors.js';
import { createEngineClient, createSlackApp, HEALTH_PATH } from './slack/app.js';
import { createReminderSender } from './slack/reminder-sender.js';
import { drainDueReminders } from './domain/reminder-jobs.js';
import { purgeExpiredWorkspaces } from './domain/your-data.js';
import { startTrigger } from './scheduler/index.js';
import { realSleep } from './lib/clock.js';

/** How long shutdown waits for listeners already running (a DM being sent, say) before closing the database. */
const DRAIN_TIMEOUT_MS = 10_000;

// The composition root: config -> logger -> database + migrations -> Slack app -> start; then wait for a signal.
async function main(): Promise<void> {
  loadEnvFile();
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  // A library promise that rejects outside any listener (a Socket Mode reconnect, say) is logged, never fatal:
  // the process keeps serving everyone else.
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', reason));
  const db = openDatabase(config.databaseUrl);
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info(`migrations applied: ${applied.join(', ')}`);
  } catch (error) {
    logger.error('cannot start: the database could not be migrated', error, (error as Error).cause);
    await db.destroy();
    process.exit(1);
  }

  const deps = createDeps({ config, db, logger });
  const { app, home } = createSlackApp(deps);
  let rejectedToken: string | null = null;
  try {
    await app.init();
  } catch (error) {
    const code = platformErrorCode(error);
    if (code === undefined) {
      logger.error(`cannot start: could not reach Slack's Web API at ${config.slackApiUrl ?? 'https://slack.com/api/'} (${(error as Error).message})`);
      await db.destroy();
      process.exit(1);
    }
    // A revoked or invalid token (the workspace uninstalled the app, say) must not stop housekeeping: the data of an
    // uninstalled workspace is still purged when its retention period ends.
    rejectedToken = code;
    logger.error(
      `Slack did not accept SLACK_BOT_TOKEN (${code}): not serving Slack and not sending reminders; purging uninstalled workspaces goes on. See README.md "Configuration"`,
    );
  }

  let stopServing: () => Promise<void>;
  if (rejectedToken !== null) {
    const server = await serveHealthOnly(config.port, db, `Slack did not accept SLACK_BOT_TOKEN (${rejectedToken})`);
    logger.info(`infoview is running for housekeeping only on port ${(server.address() as AddressInfo).port} (GET /healthz)`);
    stopServing = () => new Promise((resolve) => server.close(() => resolve()));
  } else if (config.mode === 'http') {
    const server = (await app.start(config.port)) as Server;
    const { port } = server.address() as AddressInfo;
    logger.info(`infoview is running in HTTP mode on port ${port} (POST /slack/events, GET /healthz)`);
    stopServing = async () => {
      await app.stop();
    };
  } else {
    await app.start();
    logger.info(`infoview is running in Socket Mode (GET /healthz on port ${config.port})`);
    stopServing = async () => {
      await app.stop();
    };
  }

  // The reminder engine: its own WebClient that never retries on its own and rejects rate-limited calls, so the
  // engine decides what a failure means (a doubled DM is worse than a late one).
  const engineClient = createEngineClient(config, logger);
  const reminderDeps = { db, clock: deps.clock, sender: createReminderSender(engineClient, db), logger, sleep: realSleep };
  const trigger = startTrigger(
    config.schedulerCron,
    async () => {
      // With a rejected token every post would fail for good: reminders wait (pending) for a working token.
      if (rejectedToken === null) await drainDueReminders(reminderDeps);
      await purgeExpiredWorkspaces(db, deps.clock.now(), logger);
    },
    logger,
  );
  logger.info(rejectedToken === null ? `reminder engine scheduled (${config.schedulerCron})` : `housekeeping scheduled (${config.schedulerCron})`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: no longer taking requests, finishing work under way`);
    await trigger.stop();
    home.stop();
    try {
      await stopServing();
    } catch (error) {
      logger.warn('stopping the receiver failed', error);
    }
    const left = await deps.inFlight.drain(DRAIN_TIMEOUT_MS);
    if (left > 0) logger.warn(`${left} listener(s) still running after ${DRAIN_TIMEOUT_MS} ms; stopping anyway`);
    await db.destroy();
    logger.info('stopped');
    process.exit(0);
  };
  // `on`, not `once`: under npm/tsx a signal to the process group arrives twice (directly and relayed), and an
  // unhandled second one would kill the process halfway through its shutdown. Repeats are ignored while stopping.
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** While the token is rejected: only GET /healthz, answering 503 with why (and whether the database answers). */
async function serveHealthOnly(port: number, db: Db, problem: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== HEALTH_PATH) {
      res.writeHead(404).end();
      return;
    }
    void databaseAnswers(db).then((database) => {
      res.writeHead(503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: false, database, slack: problem }));
    });
  });
  server.listen(port);
  await once(server, 'listening');
  return server;
}

await main();
