import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SocketModeReceiver } from '@slack/bolt';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/database.js';
import type { ListenerDeps } from '../../src/deps.js';
import { createInfoview, type Infoview } from '../../src/infoview.js';
import { createLogger } from '../../src/lib/logger.js';
import { FakeClock } from './fake-clock.js';
import { FakeSlack } from './fake-slack.js';
import { type AckFrame, FakeSocketMode } from './fake-socket-mode.js';
import { BOT_TOKEN } from './harness.js';
import { slashCommand } from './payloads.js';
import { testDatabaseUrl } from './test-database.js';

export const APP_TOKEN = 'xapp-1-A0001-test';

type SocketModeClient = SocketModeReceiver['client'];

export interface SocketHarness {
  fake: FakeSlack;
  socket: FakeSocketMode;
  /** The Socket Mode client inside the app's receiver, for its lifecycle events. */
  client: SocketModeClient;
  /** GET /healthz on the receiver's side HTTP server (PORT 0, so a free port). */
  healthUrl: string;
  db: Db;
  clock: FakeClock;
  deps: ListenerDeps;
  /** The app as production boots it. */
  infoview: Infoview;
  logs: string[];
  /** Delivers `/infoview <text>` as a slash_commands envelope and resolves with the app's ack frame. */
  command(text: string, options?: { userId?: string; teamId?: string }): Promise<AckFrame>;
  /** Delivers an interactivity payload (block_actions, view_submission…) as an interactive envelope. */
  interact(payload: unknown): Promise<AckFrame>;
  /**
   * Makes the client's next reconnect start after `delayMs` instead of its fixed 5 s (see below), so a test of a
   * server-initiated disconnect stays fast. The connection after it gets the default timings again.
   */
  expediteNextReconnect(delayMs?: number): void;
  stop(): Promise<void>;
}

/** The SocketModeClient fields the reconnect delay is computed from (`delayReconnectAttempt`), private in its types. */
interface ReconnectTimings {
  clientPingTimeoutMS: number;
}

/**
 * The real app in Socket Mode (the manifest's default): the real Bolt SocketModeReceiver and @slack/socket-mode
 * client talk to a loopback fake of Slack's Socket Mode, the Web API is the loopback FakeSlack, SQLite is real and
 * in memory, and the clock is the test's. Resolves once the app has had its hello.
 */
export async function startSocketHarness(options: {
  now: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Installs by OAuth (these variables) instead of one bot token. */
  oauth?: Record<string, string>;
  /** PORT for the /healthz side server (0, a free port, unless given). */
  port?: number;
  /** More environment variables. */
  env?: Record<string, string>;
}): Promise<SocketHarness> {
  const fake = await FakeSlack.start();
  const socket = await FakeSocketMode.start({ appToken: APP_TOKEN });
  socket.attach(fake);
  const config = loadConfig({
    ...(options.oauth ?? { SLACK_BOT_TOKEN: BOT_TOKEN }),
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: await testDatabaseUrl(),
    PORT: String(options.port ?? 0),
    LOG_LEVEL: options.logLevel ?? 'warn',
    ...options.env,
  });
  if (config.mode !== 'socket') throw new Error(`expected Socket Mode from SLACK_APP_TOKEN, got ${config.mode}`);
  const logs: string[] = [];
  const logger = createLogger({ level: config.logLevel, write: (line) => logs.push(line) });
  const clock = new FakeClock(options.now);
  // What production boots (src/infoview.ts), with the test's clock and logger and no trigger.
  const infoview = await createInfoview(config, { clock, logger, trigger: false });
  const { deps } = infoview;
  const receiver = infoview.slack?.receiver;
  const db = deps.db;
  if (!(receiver instanceof SocketModeReceiver))
    throw new Error('createSlackApp did not build a SocketModeReceiver for an app token');
  const client = receiver.client;
  // The side server for /healthz is private to the receiver; its port is only known once it listens.
  const sideServer = (receiver as unknown as { httpServer?: Server }).httpServer;
  if (!sideServer) throw new Error('the Socket Mode receiver has no HTTP server for /healthz');

  const shutdown = async () => {
    // The receiver's stop() neither waits for the WebSocket close handshake nor for its side server: wait here,
    // so no socket, timer or server outlives the test.
    const disconnected = new Promise<void>((resolve) => client.once('disconnected', () => resolve()));
    const sideClosed: Promise<unknown> = sideServer.listening ? once(sideServer, 'close') : Promise.resolve();
    await infoview.stop();
    await within(disconnected, 'the Socket Mode client did not disconnect on stop()');
    await within(sideClosed, 'the /healthz server did not close on stop()');
    await socket.stop();
    await fake.stop();
  };

  try {
    // Resolves on the hello frame (SocketModeClient emits "connected" for it).
    await within(
      infoview.start(),
      () =>
        `the app did not connect over Socket Mode (${socket.opens.length} apps.connections.open call(s), ${socket.connectionCount} connection(s))`,
    );
    if (!sideServer.listening) await once(sideServer, 'listening');
  } catch (error) {
    await shutdown().catch(() => {});
    throw error;
  }
  const healthUrl = `http://127.0.0.1:${(sideServer.address() as AddressInfo).port}/healthz`;

  const responseUrl = () => fake.responseUrl();
  return {
    fake,
    socket,
    client,
    healthUrl,
    db,
    clock,
    deps,
    infoview,
    logs,
    command: (text, who = {}) =>
      socket.send('slash_commands', slashCommand({ text, responseUrl: responseUrl(), ...who }), {
        acceptsResponsePayload: true,
      }),
    interact: (payload) => socket.send('interactive', payload, { acceptsResponsePayload: true }),
    expediteNextReconnect(delayMs = 10) {
      // SocketModeClient waits clientPingTimeout (5 s by default) x consecutive failures before reconnecting, and
      // createSlackApp does not take receiver options; the same field sets the ping cadence of each new connection,
      // so it is restored before the next connection is built ("reconnecting" fires just before start()).
      const timings = client as unknown as ReconnectTimings;
      if (typeof timings.clientPingTimeoutMS !== 'number')
        throw new Error('@slack/socket-mode internals changed: no clientPingTimeoutMS');
      const original = timings.clientPingTimeoutMS;
      timings.clientPingTimeoutMS = delayMs;
      client.once('reconnecting', () => {
        timings.clientPingTimeoutMS = original;
      });
    },
    stop: shutdown,
  };
}

/** Awaits `promise`, or fails after `timeoutMs` with `message` (a function is read when the time is up). */
export async function within<T>(promise: Promise<T>, message: string | (() => string), timeoutMs = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${typeof message === 'function' ? message() : message} within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
