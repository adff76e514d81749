// A reminder engine process for the crash tests: one drain (what the trigger runs) against DATABASE_URL and SLACK_API_URL at the instant
// NOW, killing itself with SIGKILL at CRASH_AT: before-post (claimed, nothing sent), after-post (sent, not
// recorded), after-tick (everything recorded), or none.
import { loadConfig } from '../../src/config.js';
import type { ReminderSender } from '../../src/domain/ports.js';
import { drainDueReminders } from '../../src/engine/index.js';
import { createInfoview } from '../../src/infoview.js';
import { createLogger } from '../../src/lib/logger.js';

const env = process.env;
const crashAt = env.CRASH_AT ?? 'none';
const now = new Date(env.NOW ?? '');
const config = loadConfig({
  SLACK_BOT_TOKEN: 'xoxb-crash-test',
  SLACK_SIGNING_SECRET: 's',
  SLACK_API_URL: env.SLACK_API_URL,
  DATABASE_URL: env.DATABASE_URL,
});
const logger = createLogger({ level: 'warn' });
const die = () => process.kill(process.pid, 'SIGKILL');
/** Dies around a post, where CRASH_AT says. */
const crashing = (real: ReminderSender): ReminderSender => ({
  findDelivered: (delivery) => real.findDelivered(delivery),
  postTimeoutMs: real.postTimeoutMs,
  async send(delivery, handOver) {
    if (crashAt === 'before-post') die();
    const posted = await real.send(delivery, handOver);
    if (crashAt === 'after-post') die();
    return posted;
  },
});
// The engine as production wires it (src/infoview.ts), at the instant NOW, without a trigger: one drain, then exit.
const infoview = await createInfoview(config, {
  clock: { now: () => now },
  logger,
  trigger: false,
  sleep: async () => {},
  wrapSender: crashing,
});
const report = await drainDueReminders(infoview.engine);
if (crashAt === 'after-tick') die();
await infoview.stop();
console.log(JSON.stringify(report));
