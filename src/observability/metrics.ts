import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/database.js';
import { countOpenReminders, dueBacklog } from '../db/repositories/reminders/metrics-repository.js';
import type { EngineMetrics } from '../domain/ports.js';
import type { Clock } from '../lib/clock.js';

/** Reading the reminder counts scans the open rows: a scrape within this long of the last reuses its answer. */
const COUNTS_MAX_AGE_MS = 15_000;

/**
 * How often the event-loop lag histogram samples the loop. prom-client's 10 ms woke every idle process 100 times a
 * second, about 5 ms/s of CPU per replica here (docs/performance.md, "Idle wake-ups"); at 100 ms, 10 wake-ups and a
 * stall of the loop still delays the next sample by as long as it lasts.
 */
export const EVENT_LOOP_SAMPLE_MS = 100;

/** Everything /metrics exposes (Prometheus text format), one registry per app instance. */
export interface InfoviewMetrics extends EngineMetrics {
  readonly registry: Registry;
  /** Time from a request reaching the app to its ack. */
  observeAck(seconds: number, kind: string): void;
  /** One Web API call, by method and outcome (`ok` or Slack's error code). */
  observeApiCall(method: string, seconds: number, outcome: string): void;
  /** One database query. */
  observeQuery(seconds: number, failed: boolean): void;
  render(): Promise<string>;
}

export function createMetrics(db: Db, clock: Clock, options: { poolSize: number }): InfoviewMetrics {
  const registry = new Registry();
  collectDefaultMetrics({
    register: registry,
    prefix: 'infoview_',
    eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS,
  });

  let counts: { at: number; rows: Awaited<ReturnType<typeof countOpenReminders>> } | null = null;
  new Gauge({
    name: 'infoview_reminders',
    help: 'Reminders pending, claimed (being sent) or failed for good, by kind and state',
    labelNames: ['kind', 'state'],
    registers: [registry],
    async collect() {
      const now = clock.now().getTime();
      if (counts === null || now - counts.at > COUNTS_MAX_AGE_MS)
        counts = { at: now, rows: await countOpenReminders(db) };
      this.reset();
      for (const row of counts.rows) this.set({ kind: row.kind, state: row.state }, row.count);
    },
  });
  const backlogOldest = new Gauge({
    name: 'infoview_reminders_due_oldest_seconds',
    help: 'How long the oldest due reminder has waited',
    registers: [registry],
  });
  new Gauge({
    name: 'infoview_reminders_due',
    help: 'Pending reminders whose time has come (the backlog the engine has yet to claim)',
    registers: [registry],
    async collect() {
      const now = clock.now();
      const backlog = await dueBacklog(db, now.toISOString());
      this.set(backlog.count);
      backlogOldest.set(
        backlog.oldestDueAt === null ? 0 : Math.max(0, (now.getTime() - Date.parse(backlog.oldestDueAt)) / 1000),
      );
    },
  });
  const lag = new Histogram({
    name: 'infoview_reminder_fire_lag_seconds',
    help: 'From the time a reminder was due to its post reaching Slack',
    labelNames: ['kind'],
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600],
    registers: [registry],
  });
  const outcomes = new Counter({
    name: 'infoview_reminder_outcomes_total',
    help: 'Reminders the engine handled, by kind and outcome (sent, skipped, deferred, retried, failed, released)',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'infoview_reminder_delivery_errors_total',
    help: 'Failed delivery attempts, by Slack error code (or network cause)',
    labelNames: ['code'],
    registers: [registry],
  });
  const ack = new Histogram({
    name: 'infoview_ack_seconds',
    help: 'From a request reaching the app to its ack, by kind (command, block_actions, view_submission, options, event)',
    labelNames: ['kind'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
    registers: [registry],
  });
  const apiCalls = new Histogram({
    name: 'infoview_slack_api_seconds',
    help: 'Web API calls, by method (views.open among them) and outcome',
    labelNames: ['method', 'outcome'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
    registers: [registry],
  });
  const queries = new Histogram({
    name: 'infoview_db_query_seconds',
    help: 'Database queries, by outcome',
    labelNames: ['outcome'],
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [registry],
  });
  new Gauge({
    name: 'infoview_db_pool_size',
    help: 'Database connections this process may hold (SQLite: one; PostgreSQL: DATABASE_POOL_SIZE)',
    registers: [registry],
  }).set(options.poolSize);

  return {
    registry,
    reminderHandled(kind, outcome, lagMs) {
      outcomes.inc({ kind, outcome });
      if (outcome === 'sent' && lagMs !== null) lag.observe({ kind }, Math.max(0, lagMs) / 1000);
    },
    deliveryFailed(code) {
      failures.inc({ code });
    },
    observeAck(seconds, kind) {
      ack.observe({ kind }, seconds);
    },
    observeApiCall(method, seconds, outcome) {
      apiCalls.observe({ method, outcome }, seconds);
    },
    observeQuery(seconds, failed) {
      queries.observe({ outcome: failed ? 'error' : 'ok' }, seconds);
    },
    render: () => registry.metrics(),
  };
}
