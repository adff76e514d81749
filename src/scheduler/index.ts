import cron, { type ScheduledTask } from 'node-cron';
import type { LogSink } from '../lib/logger.js';

export interface Trigger {
  /** Stops the schedule and waits for a run under way to finish. */
  stop(): Promise<void>;
  /** When a run last started (wall clock, ms), or null before the first; readiness reads it. */
  lastRunAt(): number | null;
  /** How long between two runs of the schedule, in ms. */
  intervalMs(): number;
  /** Resolves at the next firing, whether it starts a run or joins the one under way. */
  nextFiring(): Promise<void>;
}

/** True when node-cron accepts the expression (5 fields, or 6 with seconds first). */
export function isValidCron(expression: string): boolean {
  return cron.validate(expression);
}

/**
 * The only user of node-cron: a trigger and nothing more. What is due lives in the database, so a run never
 * depends on which ticks fired. Runs never overlap. After a clock jump (a paused VM, a sleeping laptop, an NTP
 * step) node-cron reports every slot it skipped, one by one; those reports are counted and coalesced into a
 * single catch-up run and one log line, instead of a warning per slot.
 */
export function startTrigger(expression: string, run: () => Promise<unknown>, logger: LogSink): Trigger {
  let running: Promise<void> | null = null;
  let missed = 0;
  let lastRunAt: number | null = null;
  let firing: { promise: Promise<void>; resolve: () => void } | null = null;
  const runOnce = () => {
    lastRunAt = Date.now();
    firing?.resolve();
    firing = null;
    if (running) return running;
    running = (async () => {
      try {
        await run();
      } catch (error) {
        logger.error('scheduled run failed', error);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  // Runs never overlap: a firing during a run joins it (runOnce). node-cron's own noOverlap is off because it would
  // print a plain-text warning at every firing of a long drain, and skip the firing that tells readiness the
  // trigger is alive.
  const task: ScheduledTask = cron.schedule(expression, () => runOnce(), { name: 'reminders', noOverlap: false });
  task.on('execution:missed', () => {
    missed += 1;
    if (missed > 1) return;
    // Every skipped slot of this jump is reported in the same turn of the event loop; coalesce them.
    setImmediate(() => {
      logger.warn(`the clock jumped or the process stalled: ${missed} missed run(s) coalesced into one`);
      missed = 0;
      void runOnce();
    });
  });
  // A first run at once: what came due while no process ran (a deploy, a crash) goes out now, not at the next slot.
  void runOnce();
  const [first, second] = task.getNextRuns(2);
  const interval = first && second ? second.getTime() - first.getTime() : 60_000;
  return {
    lastRunAt: () => lastRunAt,
    intervalMs: () => interval,
    nextFiring() {
      if (firing === null) {
        let resolve!: () => void;
        const promise = new Promise<void>((done) => (resolve = done));
        firing = { promise, resolve };
      }
      return firing.promise;
    },
    async stop() {
      await task.stop();
      await task.destroy();
      if (running) await running;
    },
  };
}
