import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { type Db, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { type AppDeps, createDeps } from '../../src/deps.js';
import { createLogger } from '../../src/lib/logger.js';
import { drainDueReminders, type ReminderJobDeps, type TickReport } from '../../src/domain/reminder-jobs.js';
import { createEngineClient, createSlackApp, EVENTS_PATH } from '../../src/slack/app.js';
import { createReminderSender } from '../../src/slack/reminder-sender.js';
import { FakeClock } from './fake-clock.js';
import { FakeSlack } from './fake-slack.js';
import { payloadBody, postSigned, formBody } from './signing.js';
import type { HomeView } from '@slack/types';
import { assertWithinBlockKitLimits } from './block-kit-limits.js';
import { homeOpenedEvent, slashCommand, USER_ID } from './payloads.js';

export const SIGNING_SECRET = 'test-signing-secret-8f742231b10e8888';
export const BOT_TOKEN = 'xoxb-1111-2222-testtokenvalue';

export interface Harness {
  baseUrl: string;
  eventsUrl: string;
  fake: FakeSlack;
  db: Db;
  clock: FakeClock;
  deps: AppDeps;
  logs: string[];
  /** Sends `/infoview <text>` signed; its response_url points at the fake. */
  command(text: string, options?: { userId?: string; teamId?: string }): Promise<Response>;
  /** Sends an interactivity payload signed. */
  interact(payload: unknown): Promise<Response>;
  /** Waits until every listener run has finished (work after the ack included): an event, not a duration. */
  settle(): Promise<void>;
  /**
   * One tick of the real reminder engine on this app's database and clock, posting to the fake. Its pacing waits
   * move the clock; `duringWait` runs inside each wait, as a user acting while a reminder waits to be posted.
   */
  tick(options?: { duringWait?: () => Promise<void> }): Promise<TickReport>;
  /** Opens the Home tab (app_home_opened, signed) and returns the view published for it, within Block Kit's limits. */
  openHome(userId?: string): Promise<HomeView>;
  stop(): Promise<void>;
}

/**
 * The real app in HTTP mode on a loopback port, the real Bolt receiver, real SQLite in memory, the Web API
 * answered by a loopback fake, and a clock the test sets.
 */
export async function startHarness(options: { now: string; logLevel?: 'debug' | 'info' | 'warn' | 'error' }): Promise<Harness> {
  const fake = await FakeSlack.start();
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: ':memory:',
    PORT: '0',
    LOG_LEVEL: options.logLevel ?? 'warn',
  });
  const logs: string[] = [];
  const logger = createLogger({ level: config.logLevel, write: (line) => logs.push(line) });
  const db = openDatabase(config.databaseUrl);
  await migrateToLatest(db);
  const clock = new FakeClock(options.now);
  const deps = createDeps({ config, db, logger }, { clock });
  const { app, home } = createSlackApp(deps);
  const sender = createReminderSender(createEngineClient(config, logger), db);
  await app.init();
  const server = (await app.start(0)) as Server;
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const eventsUrl = `${baseUrl}${EVENTS_PATH}`;
  return {
    baseUrl,
    eventsUrl,
    fake,
    db,
    clock,
    deps,
    logs,
    command: (text, who = {}) =>
      postSigned(eventsUrl, SIGNING_SECRET, formBody(slashCommand({ text, responseUrl: fake.responseUrl(), ...who }))),
    interact: (payload) => postSigned(eventsUrl, SIGNING_SECRET, payloadBody(payload)),
    async settle() {
      await deps.inFlight.drain(60_000);
    },
    async tick(tickOptions = {}) {
      const engine: ReminderJobDeps = {
        db,
        clock,
        sender,
        logger,
        sleep: async (ms) => {
          clock.advance(ms);
          await tickOptions.duringWait?.();
        },
        random: () => 0.5,
      };
      return drainDueReminders(engine);
    },
    async openHome(userId = USER_ID) {
      // Let the republish after the last button or form land first, so the next publish is this open's.
      await deps.inFlight.drain(60_000);
      const before = fake.callsTo('views.publish').length;
      const res = await postSigned(eventsUrl, SIGNING_SECRET, JSON.stringify(homeOpenedEvent(userId)), { contentType: 'application/json' });
      if (res.status !== 200) throw new Error(`app_home_opened answered ${res.status}`);
      const call = await fake.waitFor('views.publish', before + 1);
      if (call.body.user_id !== userId) throw new Error(`Home published for ${call.body.user_id}, not ${userId}`);
      assertWithinBlockKitLimits('home', call.body.view);
      return call.body.view as HomeView;
    },
    async stop() {
      home.stop();
      await app.stop();
      await deps.inFlight.drain(5000);
      await db.destroy();
      await fake.stop();
    },
  };
}
