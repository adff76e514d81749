import type { Logger } from '@slack/bolt';
import type { ListenerDeps } from '../deps.js';
import type { InFlight } from '../lib/in-flight.js';
import type { Route } from '../observability/health.js';
import type { InfoviewMetrics } from '../observability/metrics.js';
import type { SlackServing } from '../slack/serving.js';
import { type Deadline, type Listening, type Part, portInUse } from './part.js';
import type { SlackStatus } from './slack-token.js';

/**
 * The Slack app (the `web` and `all` roles): Bolt, its receiver (HTTP or Socket Mode, with the routes beside it) and
 * the Home publisher. Serves unless Slack refused the token; on stop, takes no more requests and lets the listeners
 * under way finish within the deadline.
 */
export class SlackAppPart implements Part {
  readonly name = 'slack app';
  listening: Listening | null = null;
  private stopServing: () => Promise<void> = async () => {};

  private constructor(
    readonly serving: SlackServing,
    private readonly deps: ListenerDeps,
    private readonly inFlight: InFlight,
    private readonly status: SlackStatus,
  ) {}

  /** Loads Bolt and everything behind it: only where Slack's requests are served. */
  static async create(
    deps: ListenerDeps,
    inFlight: InFlight,
    routes: Route[],
    metrics: InfoviewMetrics,
    status: SlackStatus,
    sleep: ((ms: number) => Promise<void>) | undefined,
  ): Promise<SlackAppPart> {
    const { createSlackServing } = await import('../slack/serving.js');
    const serving = createSlackServing(
      deps,
      inFlight,
      routes,
      metrics,
      (open) => {
        status.socketOpen = open;
      },
      sleep,
    );
    return new SlackAppPart(serving, deps, inFlight, status);
  }

  async start(): Promise<void> {
    if (this.status.rejectedToken !== null) return;
    const { config, logger } = this.deps;
    const serving = await this.serving.serve(config.port).catch((error: unknown) => {
      throw portInUse(error, config.port);
    });
    this.listening = { port: serving.port, server: serving.server ?? null };
    this.stopServing = serving.stop;
    const role = config.role === 'web' ? ', requests only: the reminder engine runs in its own process' : '';
    logger.info(
      config.mode === 'http'
        ? `infoview is running in HTTP mode on port ${serving.port} (POST /slack/events, GET /healthz${role})`
        : `infoview is running in Socket Mode (GET /healthz on port ${config.port}${role})`,
    );
  }

  async stop(deadline: Deadline): Promise<void> {
    const logger: Logger = this.deps.logger;
    this.serving.home.stop();
    this.serving.installed?.stop();
    try {
      await deadline.within(this.stopServing(), 'the receiver');
    } catch (error) {
      logger.warn('stopping the receiver failed', error);
    }
    const left = await this.inFlight.drain(deadline.leftMs());
    if (left > 0) logger.warn(`${left} listener(s) still running at the shutdown deadline; stopping anyway`);
  }
}
