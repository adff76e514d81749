import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DEFAULT_SCHEDULER_CRON, loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { type ReminderJobDeps, runReminderTick, type TickReport } from '../src/domain/reminder-jobs.js';
import { realSleep, systemClock } from '../src/lib/clock.js';
import { createLogger } from '../src/lib/logger.js';
import { startTrigger } from '../src/scheduler/index.js';
import { createEngineClient } from '../src/slack/app.js';
import { createReminderSender } from '../src/slack/reminder-sender.js';

/*
 * The reminder engine alone, in its own process, as src/main.ts wires it (real clock, real sleep, the engine's own
 * WebClient and the real sender), so its memory is measured without the bench's fake Slack or data loader.
 * Started by bench/reminders.ts with an IPC channel; reports every tick and, when told to stop, its peak memory.
 *
 *   ENGINE_MODE=drain    runReminderTick back to back (no cron), idling IDLE_MS when nothing was due
 *   ENGINE_MODE=trigger  the production trigger (src/scheduler, node-cron) on SCHEDULER_CRON, default every 10 s
 */

export type EngineMessage =
  | ({ type: 'tick'; startedAt: number; ms: number } & TickReport)
  | { type: 'log'; line: string }
  | { type: 'ready' }
  | { type: 'memory'; at: number; rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number }
  | { type: 'done'; peakRssBytes: number; vmHwmBytes: number | null; heapUsedBytes: number; externalBytes: number };

const env = process.env;
const post = (message: EngineMessage) => process.send?.(message);

function vmHwmBytes(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

const config = loadConfig({
  SLACK_BOT_TOKEN: 'xoxb-bench-reminders',
  SLACK_SIGNING_SECRET: 'bench',
  SLACK_API_URL: env.SLACK_API_URL,
  DATABASE_URL: env.DATABASE_URL,
});
const logger = createLogger({ level: 'warn', write: (line) => post({ type: 'log', line }) });
const db = openDatabase(config.databaseUrl);
await migrateToLatest(db);
const deps: ReminderJobDeps = {
  db,
  clock: systemClock,
  sender: createReminderSender(createEngineClient(config, logger), db),
  logger,
  sleep: realSleep,
};

let peakRss = 0;
let samples = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  // Once a second, the whole breakdown: what grows, the V8 heap or memory outside it (SQLite, sockets, buffers).
  if (++samples % 10 === 0) post({ type: 'memory', at: Date.now(), ...process.memoryUsage() });
}, 100);

async function tick(): Promise<TickReport> {
  const startedAt = Date.now();
  const started = performance.now();
  const report = await runReminderTick(deps);
  post({ type: 'tick', startedAt, ms: performance.now() - started, ...report });
  return report;
}

let stopping = false;
let finish: () => Promise<void>;
if (env.ENGINE_MODE === 'trigger') {
  const trigger = startTrigger(env.SCHEDULER_CRON ?? DEFAULT_SCHEDULER_CRON, tick, logger);
  finish = () => trigger.stop();
} else {
  const idleMs = Number(env.IDLE_MS ?? 1000);
  const loop = (async () => {
    while (!stopping) {
      const report = await tick();
      if (report.claimed === 0 && !stopping) await realSleep(idleMs);
    }
  })();
  finish = () => loop;
}

process.on('message', (message) => {
  if (message !== 'stop' || stopping) return;
  stopping = true;
  void (async () => {
    await finish();
    await db.destroy();
    clearInterval(sampler);
    const memory = process.memoryUsage();
    const done: EngineMessage = {
      type: 'done',
      peakRssBytes: Math.max(peakRss, memory.rss),
      vmHwmBytes: vmHwmBytes(),
      heapUsedBytes: memory.heapUsed,
      externalBytes: memory.external,
    };
    // The WebClient's keep-alive sockets would hold the process open: leave once the report is out.
    process.send?.(done, () => process.exit(0));
  })();
});
post({ type: 'ready' });
