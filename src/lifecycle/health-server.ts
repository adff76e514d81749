import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@slack/bolt';
import type { Config } from '../config.js';
import { applyHttpTimeouts } from '../lib/http-timeouts.js';
import { HEALTH_PATH, METRICS_PATH, READY_PATH, type Route } from '../observability/health.js';
import { type Deadline, type Listening, type Part, portInUse } from './part.js';
import type { SlackStatus } from './slack-token.js';

/**
 * The health, readiness and metrics routes on a server of their own, where the Slack app does not serve them: in
 * the engine role, and while Slack refuses the token.
 */
export class HealthServer implements Part {
  readonly name = 'health server';
  listening: Listening | null = null;

  constructor(
    private readonly config: Pick<Config, 'port' | 'http'>,
    private readonly routes: Route[],
    private readonly status: SlackStatus,
    private readonly logger: Logger,
    private readonly runs: { slack: boolean; engine: boolean },
  ) {}

  async start(): Promise<void> {
    if (this.runs.slack && this.status.rejectedToken === null) return;
    const server = await serveRoutes(this.config.port, this.routes, this.config.http).catch((error: unknown) => {
      throw portInUse(error, this.config.port);
    });
    const port = (server.address() as AddressInfo).port;
    this.listening = { port, server };
    const what =
      this.status.rejectedToken === null
        ? "the reminder engine (Slack's requests go to the web processes)"
        : this.runs.engine
          ? 'for housekeeping only'
          : 'its health routes only';
    this.logger.info(
      `infoview is running ${what} on port ${port} (GET ${HEALTH_PATH}, ${READY_PATH}, ${METRICS_PATH})`,
    );
  }

  async stop(deadline: Deadline): Promise<void> {
    const server = this.listening?.server;
    if (!server) return;
    await deadline.within(new Promise<void>((resolve) => server.close(() => resolve())), 'the receiver');
  }
}

/** Only the health, readiness and metrics routes; anything else is 404. */
async function serveRoutes(port: number, routes: Route[], http: Config['http']): Promise<Server> {
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
