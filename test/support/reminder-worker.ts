// A reminder engine process for the crash tests: one tick against DATABASE_URL and SLACK_API_URL at the instant
// NOW, killing itself with SIGKILL at CRASH_AT: before-post (claimed, nothing sent), after-post (sent, not
// recorded), after-tick (everything recorded), or none.
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { runReminderTick } from '../../src/domain/reminder-jobs.js';
import type { ReminderSender } from '../../src/domain/ports.js';
import { createLogger } from '../../src/lib/logger.js';
import { createEngineClient } from '../../src/slack/app.js';
import { createReminderSender } from '../../src/slack/reminder-sender.js';

const env = process.env;
const crashAt = env.CRASH_AT ?? 'none';
const now = new Date(env.NOW ?? '');
const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-crash-test', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: env.SLACK_API_URL, DATABASE_URL: env.DATABASE_URL });
const logger = createLogger({ level: 'warn' });
const db = openDatabase(config.databaseUrl);
const die = () => process.kill(process.pid, 'SIGKILL');
const real = createReminderSender(createEngineClient(config, logger), db);
const sender: ReminderSender = {
  findDelivered: (delivery) => real.findDelivered(delivery),
  async send(delivery) {
    if (crashAt === 'before-post') die();
    const posted = await real.send(delivery);
    if (crashAt === 'after-post') die();
    return posted;
  },
};
const report = await runReminderTick({ db, clock: { now: () => now }, sender, logger, sleep: async () => {} });
if (crashAt === 'after-tick') die();
await db.destroy();
console.log(JSON.stringify(report));
