import type { Db } from '../db/database.js';
import type { EngineMetrics, ReminderSender } from '../domain/ports.js';
import type { Clock } from '../lib/clock.js';
import type { LogSink } from '../lib/logger.js';

// What the engine is given, how it is tuned, and what a drain reports (docs/reminders.md, "A drain" and "Pacing").

export interface ReminderJobDeps {
  db: Db;
  clock: Clock;
  sender: ReminderSender;
  logger: LogSink;
  /** Waits; the engine's only way to let time pass (tests pass one that moves a fake clock). */
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
  /** True once shutdown began: the reminder being sent is finished and recorded, the rest of the claim released. */
  stopping?: () => boolean;
  /**
   * Resolves at the trigger's next firing. A drain waiting for a slow workspace's reminders claims again then, so what
   * comes due meanwhile in other workspaces does not wait for the slow one. Without it, a drain waits for events only.
   */
  nextTick?: () => Promise<void>;
  metrics?: EngineMetrics;
  /** This replica's name, the holder of its leases (tests run several in one process); the process's by default. */
  replica?: string;
}

export interface TickOptions {
  /** Most reminders claimed by one tick. */
  batchSize: number;
  /** How long a claim holds; a claim older than this had an unknown outcome and is looked for before resending. */
  leaseMs: number;
  /** Posts per minute per workspace, below Slack's limit of several hundred, so a burst is spread, not refused. */
  perWorkspacePerMinute: number;
  /** Slack allows about one message per second in a channel (each user's DM is one). */
  perChannelIntervalMs: number;
  /** Reminders of one workspace being delivered at once (their posts still go out at the workspace's pace). */
  perWorkspaceInFlight: number;
  /** Reminders being delivered at once in all, so a burst never opens hundreds of connections. */
  maxInFlight: number;
  /** How long a post's outcome may wait for others' to be written with it (`SentBatch`), in ms. */
  outcomeWindowMs: number;
}

export const DEFAULT_TICK_OPTIONS: TickOptions = {
  batchSize: 200,
  // Short, and renewed while held (at every firing, once less than half is left): the reminders of a replica that
  // dies are taken over within a minute.
  leaseMs: 45_000,
  perWorkspacePerMinute: 240,
  perChannelIntervalMs: 1100,
  perWorkspaceInFlight: 6,
  maxInFlight: 48,
  outcomeWindowMs: 100,
};

export interface TickReport {
  claimed: number;
  sent: number;
  skipped: number;
  deferred: number;
  retried: number;
  failed: number;
  /** Claimed, then handed back untried because the process is stopping. */
  released: number;
  /** Subjects brought to their facts after an outcome (this may arm a reminder that is due at once). */
  replanned: number;
}

export type Outcome = 'sent' | 'skipped' | 'deferred' | 'retried' | 'failed' | 'released';

/** A report of nothing done yet, to add a run's outcomes to. */
export const emptyTickReport = (): TickReport => ({
  claimed: 0,
  sent: 0,
  skipped: 0,
  deferred: 0,
  retried: 0,
  failed: 0,
  released: 0,
  replanned: 0,
});

/**
 * About 15 s of a workspace's posts: what one drain holds claimed of a workspace at most (more would only wait longer
 * under its claim, and be taken over late if the replica died).
 */
export function enoughOf(options: TickOptions): number {
  return Math.max(options.perWorkspaceInFlight, Math.ceil(options.perWorkspacePerMinute / 4));
}
