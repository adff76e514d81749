import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Db, databaseAnswers } from '../db/database.js';
import type { InfoviewMetrics } from './metrics.js';

export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';
export const METRICS_PATH = '/metrics';

/** One readiness check: fine, or what is wrong. */
export interface Check {
  ok: boolean;
  detail?: string;
}

/** What readiness is read from; each source is asked at the time of the probe. */
export interface ReadinessSources {
  db: Db;
  /** Slack's answer when it refused the bot token, else null. */
  tokenProblem(): string | null;
  /** Socket Mode only: whether the connection to Slack is open. */
  socketOpen: (() => boolean) | null;
  /** The trigger: when it last ran (or started), and how often it should run; null when there is none. */
  trigger(): { lastRunAt: number; intervalMs: number } | null;
  /** Wall-clock milliseconds (readiness is about this process, not the app's clock). */
  now(): number;
}

/** The trigger may fall this many intervals behind before the app is not ready (a long drain is normal). */
const TRIGGER_INTERVALS = 3;

export async function readiness(sources: ReadinessSources): Promise<{ ok: boolean; checks: Record<string, Check> }> {
  const checks: Record<string, Check> = {};
  checks.database = (await databaseAnswers(sources.db))
    ? { ok: true }
    : { ok: false, detail: 'the database does not answer' };
  const token = sources.tokenProblem();
  checks.slack_token =
    token === null ? { ok: true } : { ok: false, detail: `Slack did not accept SLACK_BOT_TOKEN (${token})` };
  if (sources.socketOpen !== null)
    checks.socket_mode = sources.socketOpen()
      ? { ok: true }
      : { ok: false, detail: 'the Socket Mode connection is not open' };
  const trigger = sources.trigger();
  if (trigger !== null) {
    const late = sources.now() - trigger.lastRunAt;
    checks.trigger =
      late <= TRIGGER_INTERVALS * trigger.intervalMs
        ? { ok: true }
        : {
            ok: false,
            detail: `the reminder trigger last ran ${Math.round(late / 1000)} s ago (it runs every ${Math.round(trigger.intervalMs / 1000)} s)`,
          };
  }
  return { ok: Object.values(checks).every((check) => check.ok), checks };
}

export interface Route {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * GET /healthz (liveness: this answer is the event loop answering), GET /readyz (readiness, 503 with what is wrong)
 * and GET /metrics (Prometheus). Served beside Slack's endpoint, on the Socket Mode side server, or alone while the
 * token is refused.
 */
export function observabilityRoutes(sources: ReadinessSources, metrics: InfoviewMetrics): Route[] {
  return [
    { path: HEALTH_PATH, method: ['GET'], handler: (_req, res) => json(res, 200, { ok: true }) },
    {
      path: READY_PATH,
      method: ['GET'],
      handler: (_req, res) => {
        void readiness(sources).then((ready) => json(res, ready.ok ? 200 : 503, ready));
      },
    },
    {
      path: METRICS_PATH,
      method: ['GET'],
      handler: (_req, res) => {
        metrics.render().then(
          (text) => {
            res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
            res.end(text);
          },
          (error: unknown) => json(res, 500, { ok: false, error: (error as Error).message }),
        );
      },
    },
  ];
}
