import type { HomeView } from '@slack/types';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/database.js';
import type { ListenerDeps } from '../../src/deps.js';
import { drainDueReminders, type TickReport } from '../../src/engine/index.js';
import { createInfoview, type Infoview } from '../../src/infoview.js';
import { createLogger } from '../../src/lib/logger.js';
import { EVENTS_PATH } from '../../src/slack/app.js';
import { assertWithinBlockKitLimits } from './block-kit-limits.js';
import { FakeClock } from './fake-clock.js';
import { FakeSlack } from './fake-slack.js';
import { homeOpenedEvent, slashCommand, USER_ID } from './payloads.js';
import { formBody, payloadBody, postSigned } from './signing.js';
import { testDatabaseUrl } from './test-database.js';

export const SIGNING_SECRET = 'test-signing-secret-8f742231b10e8888';
export const BOT_TOKEN = 'xoxb-1111-2222-testtokenvalue';

export interface Harness {
  baseUrl: string;
  eventsUrl: string;
  fake: FakeSlack;
  db: Db;
  clock: FakeClock;
  deps: ListenerDeps;
  /** The app as production boots it. */
  infoview: Infoview;
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
export async function startHarness(options: {
  now: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** A database another harness (another replica) uses too; a new one by default. */
  databaseUrl?: string;
  /** Installs by OAuth (these variables) instead of one bot token. */
  oauth?: Record<string, string>;
  /** More environment variables. */
  env?: Record<string, string>;
  /** Sets up the fake before the app is built (answers to the calls made at start). */
  beforeStart?: (fake: FakeSlack) => void;
  /** Waits for the installed workspace's auth.test to answer before returning (default); false where it fails. */
  waitForWorkspace?: boolean;
}): Promise<Harness> {
  const fake = await FakeSlack.start();
  options.beforeStart?.(fake);
  const config = loadConfig({
    ...(options.oauth ?? { SLACK_BOT_TOKEN: BOT_TOKEN }),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: options.databaseUrl ?? (await testDatabaseUrl()),
    PORT: '0',
    LOG_LEVEL: options.logLevel ?? 'warn',
    ...options.env,
  });
  const logs: string[] = [];
  const logger = createLogger({ level: config.logLevel, write: (line) => logs.push(line) });
  const clock = new FakeClock(options.now);
  // What production boots (src/infoview.ts), with the test's clock and logger; ticks are run by the test.
  let duringWait: (() => Promise<void>) | undefined;
  const infoview = await createInfoview(config, {
    clock,
    logger,
    trigger: false,
    random: () => 0.5,
    sleep: async (ms) => {
      clock.advance(ms);
      await duringWait?.();
    },
  });
  const { deps } = infoview;
  const db = deps.db;
  const { port } = await infoview.start();
  // The installed-workspace gate asks auth.test in the background and refuses requests until it answers: wait for
  // that answer, or a test that keeps the event loop busy (seeding, say) could see its first request refused. A test
  // that makes auth.test fail says so (waitForWorkspace: false): it starts while the gate still refuses.
  const installed = infoview.slack?.installed;
  if (installed && options.waitForWorkspace !== false) await installed.answered;
  const baseUrl = `http://127.0.0.1:${port}`;
  const eventsUrl = `${baseUrl}${EVENTS_PATH}`;
  return {
    baseUrl,
    eventsUrl,
    fake,
    db,
    clock,
    deps,
    infoview,
    logs,
    command: (text, who = {}) =>
      postSigned(eventsUrl, SIGNING_SECRET, formBody(slashCommand({ text, responseUrl: fake.responseUrl(), ...who }))),
    interact: (payload) => postSigned(eventsUrl, SIGNING_SECRET, payloadBody(payload)),
    async settle() {
      // Until nothing is under way: one drain gives up after 60 s, which a busy machine can need (the test's timeout
      // bounds the wait instead).
      while ((await infoview.inFlight.drain(60_000)) > 0);
    },
    async tick(tickOptions = {}) {
      duringWait = tickOptions.duringWait;
      try {
        return await drainDueReminders(infoview.engine);
      } finally {
        duringWait = undefined;
      }
    },
    async openHome(userId = USER_ID) {
      // Let the republish after the last button or form land first, so the next publish is this open's.
      while ((await infoview.inFlight.drain(60_000)) > 0);
      const before = fake.callsTo('views.publish').length;
      const res = await postSigned(eventsUrl, SIGNING_SECRET, JSON.stringify(homeOpenedEvent(userId)), {
        contentType: 'application/json',
      });
      if (res.status !== 200) throw new Error(`app_home_opened answered ${res.status}`);
      const call = await fake.waitFor('views.publish', before + 1);
      if (call.body.user_id !== userId) throw new Error(`Home published for ${call.body.user_id}, not ${userId}`);
      assertWithinBlockKitLimits('home', call.body.view);
      return call.body.view as HomeView;
    },
    async stop() {
      await infoview.stop();
      await fake.stop();
    },
  };
}
