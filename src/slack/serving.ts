import { once } from 'node:events';
import { type IncomingMessage, Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SocketModeReceiver } from '@slack/bolt';
import type { ListenerDeps } from '../deps.js';
import { applyHttpTimeouts } from '../lib/http-timeouts.js';
import type { InFlight } from '../lib/in-flight.js';
import type { Route } from '../observability/health.js';
import type { InfoviewMetrics } from '../observability/metrics.js';
import { createSlackApp, EVENTS_PATH, type SlackApp } from './app.js';

/**
 * What serves Slack's requests (the `web` and `all` roles): the Bolt app, its receiver and the Home publisher, with
 * acks timed into the metrics. Loaded only by the processes that take requests (the engine never loads Bolt).
 */
export interface SlackServing extends SlackApp {
  /** Asks Slack whether the bot token works (auth.test); rejects with Slack's error, or the network's. */
  init(): Promise<void>;
  /**
   * Takes requests (HTTP or Socket Mode) and serves the routes; the port when listening over HTTP, and the HTTP server
   * (Bolt's, or the one beside Socket Mode; undefined when Socket Mode serves no route).
   */
  serve(port: number): Promise<{ port: number | null; server: Server | undefined; stop: () => Promise<void> }>;
}

export function createSlackServing(
  deps: ListenerDeps,
  inFlight: InFlight,
  routes: Route[],
  metrics: InfoviewMetrics,
  connection: (open: boolean) => void,
  sleep?: (ms: number) => Promise<void>,
): SlackServing {
  const { app, receiver, home, installed, clients } = createSlackApp(deps, inFlight, routes, sleep);
  timeSocketAcks(receiver, metrics, connection);
  return {
    app,
    receiver,
    home,
    installed,
    clients,
    // The installed-workspace check asks after the app's own auth.test: one answer at a time, in order.
    init: async () => {
      await app.init();
      installed?.start();
    },
    async serve(port) {
      if (deps.config.mode === 'http') {
        const server = (await app.start(port)) as Server;
        applyHttpTimeouts(server, deps.config.http);
        timeHttpAcks(server, metrics);
        return {
          port: (server.address() as AddressInfo).port,
          server,
          stop: async () => {
            await app.stop();
          },
        };
      }
      // Bolt's Socket Mode receiver serves the routes from a server of its own, listening without an 'error'
      // listener: a port in use would end the process with an uncaught exception. Fail the start at once instead,
      // as HTTP mode does, and drop the connection under way once it is made: this app will take no requests.
      const socketReceiver = receiver instanceof SocketModeReceiver ? receiver : undefined;
      const routesServer = socketReceiver === undefined ? undefined : routesServerOf(socketReceiver);
      if (routesServer !== undefined) {
        applyHttpTimeouts(routesServer, deps.config.http);
        answerUndecodablePaths(routesServer);
      }
      const listening = routesServer === undefined ? undefined : once(routesServer, 'listening');
      const started = app.start();
      try {
        await listening;
      } catch (error) {
        void started.then(
          () => socketReceiver?.client.disconnect(),
          () => {},
        );
        throw error;
      }
      await started;
      return {
        port: null,
        server: routesServer,
        stop: async () => {
          await app.stop();
        },
      };
    },
  };
}

/** HTTP mode: the ack is the response to POST /slack/events (Bolt answers before the listener's work is done). */
function timeHttpAcks(server: Server, metrics: InfoviewMetrics): void {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || !req.url?.startsWith(EVENTS_PATH)) return;
    const start = performance.now();
    res.once('finish', () => metrics.observeAck((performance.now() - start) / 1000, 'http'));
  });
}

/** Socket Mode: from an envelope's arrival to the frame that acks it; and whether the connection is open. */
function timeSocketAcks(
  receiver: SlackApp['receiver'],
  metrics: InfoviewMetrics,
  connection: (open: boolean) => void,
): void {
  if (!(receiver instanceof SocketModeReceiver)) return;
  const client = receiver.client;
  const arrived = new Map<string, { at: number; kind: string }>();
  client.on('slack_event', (event: { envelope_id?: string; type?: string }) => {
    if (event.envelope_id) arrived.set(event.envelope_id, { at: performance.now(), kind: event.type ?? 'event' });
  });
  // Every ack goes through the client's private send(envelope_id, payload): wrapped in place, when it is there.
  const send: unknown = Reflect.get(client, 'send');
  if (typeof send === 'function') {
    const timedSend = (id: string, body?: Record<string, unknown>): Promise<void> => {
      const started = arrived.get(id);
      if (started !== undefined) {
        arrived.delete(id);
        metrics.observeAck((performance.now() - started.at) / 1000, started.kind);
      }
      return send.call(client, id, body);
    };
    Reflect.set(client, 'send', timedSend);
  }
  client.on('connected', () => connection(true));
  client.on('disconnected', () => connection(false));
  client.on('reconnecting', () => connection(false));
}

/** The server Bolt's Socket Mode receiver keeps (privately) for the custom routes, when it made one. */
function routesServerOf(receiver: SocketModeReceiver): Server | undefined {
  const server: unknown = Reflect.get(receiver, 'httpServer');
  return server instanceof Server ? server : undefined;
}

/**
 * Bolt's Socket Mode side server decodes the parameters of the custom routes (the calendar feed's path) and, on a path
 * it cannot decode (`/calendar/%E0.ics`), rejects inside its request handler: nothing answers, and the rejection goes
 * unhandled. Such a path is answered 400 here, before Bolt's listener sees it (HTTP mode answers it 500 through the
 * receiver's dispatch error handler).
 */
function answerUndecodablePaths(server: Server): void {
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!decodable(req.url)) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Bad request\n');
      return;
    }
    for (const listener of listeners) listener.call(server, req, res);
  });
}

function decodable(url: string | undefined): boolean {
  try {
    decodeURIComponent(new URL(url ?? '/', 'http://localhost').pathname);
    return true;
  } catch {
    return false;
  }
}
