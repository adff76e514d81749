import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/database.js';
import { saveTimeZone } from '../../src/db/repositories/slack-users-repository.js';
import { scheduleMeeting } from '../../src/domain/meetings/meetings-service.js';
import type { Owner } from '../../src/domain/types.js';
import {
  DEFAULT_TICK_OPTIONS,
  drainDueReminders,
  type ReminderJobDeps,
  type TickOptions,
} from '../../src/engine/index.js';
import { createInfoview } from '../../src/infoview.js';
import { createLogger } from '../../src/lib/logger.js';
import { FakeClock } from './fake-clock.js';
import { FakeSlack } from './fake-slack.js';
import { testDatabaseUrl } from './test-database.js';

export interface EngineHarness {
  db: Db;
  fake: FakeSlack;
  clock: FakeClock;
  deps: ReminderJobDeps;
  /** Every wait the engine asked for, in ms; each moved the fake clock. */
  sleeps: number[];
  logs: string[];
  /** One drain of the engine, as the trigger runs it (with these options). */
  tick(options?: Partial<TickOptions>): ReturnType<typeof drainDueReminders>;
  schedule(
    owner: Owner,
    startsAt: string,
    extra?: { name?: string; location?: string | null; zone?: string },
  ): Promise<number>;
  reminders(meetingId?: number): Promise<
    {
      id: number;
      kind: string;
      state: string;
      due_at: string;
      attempts: number;
      last_error: string | null;
      check_before_send: number;
      message_ts: string | null;
    }[]
  >;
  stop(): Promise<void>;
}

/**
 * The real engine (claim, sender over a real WebClient, record) on real SQLite, against the loopback fake Slack.
 * In memory, or in `databaseUrl` (a file another process, such as a CLI, can open too).
 */
export async function startEngine(now: string, options: { databaseUrl?: string } = {}): Promise<EngineHarness> {
  const fake = await FakeSlack.start();
  const clock = new FakeClock(now);
  fake.now = () => clock.now().getTime();
  const logs: string[] = [];
  const logger = createLogger({ level: 'info', write: (line) => logs.push(line) });
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-engine-test',
    SLACK_SIGNING_SECRET: 's',
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: options.databaseUrl ?? (await testDatabaseUrl()),
  });
  const sleeps: number[] = [];
  // The engine as production wires it (src/infoview.ts), not started: no receiver, no trigger; the test ticks.
  const infoview = await createInfoview(config, {
    clock,
    logger,
    trigger: false,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
  });
  const deps = infoview.engine;
  const db = deps.db;
  return {
    db,
    fake,
    clock,
    deps,
    sleeps,
    logs,
    tick: (options = {}) => drainDueReminders(deps, { ...DEFAULT_TICK_OPTIONS, ...options }),
    async schedule(owner, startsAt, extra = {}) {
      const zone = extra.zone ?? 'America/New_York';
      await saveTimeZone(db, owner, zone, clock.now().toISOString());
      const found = await scheduleMeeting(
        db,
        owner,
        {
          contactId: null,
          contact: {
            name: extra.name ?? 'Ada Lovelace',
            pronunciation: 'AY-duh',
            title: 'Analyst',
            company: 'Engines',
          },
          plan: {
            startsAt: new Date(startsAt),
            durationMinutes: 30,
            location: extra.location === undefined ? 'https://zoom.us/j/1' : extra.location,
            goal: 'Learn the path',
            questions: '• What is a typical week?',
          },
        },
        { now: clock.now(), timeZone: zone, sourceViewId: null },
      );
      return found.meeting.id;
    },
    async reminders(meetingId) {
      let query = db
        .selectFrom('reminders')
        .select(['id', 'kind', 'state', 'due_at', 'attempts', 'last_error', 'check_before_send', 'message_ts'])
        .orderBy('due_at')
        .orderBy('id');
      if (meetingId !== undefined) query = query.where('meeting_id', '=', meetingId);
      return query.execute();
    },
    async stop() {
      await infoview.stop();
      await fake.stop();
    },
  };
}
