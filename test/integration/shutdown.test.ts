import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { saveTimeZone } from '../../src/db/repositories/slack-users-repository.js';
import { scheduleMeeting } from '../../src/domain/meetings/meetings-service.js';
import { createInfoview, type Infoview } from '../../src/infoview.js';
import { createLogger } from '../../src/lib/logger.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakeSlack } from '../support/fake-slack.js';
import { testDatabaseUrl } from '../support/test-database.js';

// Shutdown (issue 13, 2): stop taking requests, let the engine finish the reminder it is posting and record it,
// hand the rest of its claim back untried, close; and never take longer than the deadline.

const owner = { teamId: 'T0001', userId: 'U0001' };
let fake: FakeSlack;
let clock: FakeClock;
let logs: string[];
let databaseFile: string;

beforeEach(async () => {
  fake = await FakeSlack.start();
  clock = new FakeClock('2026-11-02T14:00:00Z');
  fake.now = () => clock.now().getTime();
  logs = [];
  databaseFile = await testDatabaseUrl({
    sqliteFile: join(mkdtempSync(join(tmpdir(), 'infoview-shutdown-')), 'infoview.sqlite'),
  });
});
afterEach(async () => {
  await fake.stop();
});

/** The app as production boots it, with the real trigger firing every second (the engine runs inside it). */
async function boot(deadlineMs?: number): Promise<Infoview> {
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-shutdown',
    SLACK_SIGNING_SECRET: 's',
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: databaseFile,
    PORT: '0',
    SCHEDULER_CRON: '* * * * * *',
  });
  const infoview = await createInfoview(config, {
    clock,
    logger: createLogger({ level: 'info', write: (line) => logs.push(line) }),
    sleep: async (ms) => clock.advance(ms),
    ...(deadlineMs === undefined ? {} : { shutdownDeadlineMs: deadlineMs }),
  });
  // Ten meetings 45 minutes away: a prep tip and a heads-up each, twenty DMs due at once for one user, posted one
  // a second (the channel's pace) by the workspace's six workers.
  await saveTimeZone(infoview.deps.db, owner, 'Europe/London', clock.now().toISOString());
  for (const name of ['Ada', 'Grace', 'Hedy', 'Ida', 'Joan', 'Katherine', 'Lise', 'Mary', 'Nettie', 'Olga']) {
    const plan = {
      startsAt: new Date('2026-11-02T14:45:00Z'),
      durationMinutes: 30,
      location: null,
      goal: null,
      questions: null,
    };
    await scheduleMeeting(
      infoview.deps.db,
      owner,
      { contactId: null, contact: { name, pronunciation: null, title: null, company: null }, plan },
      { now: clock.now(), timeZone: 'Europe/London', sourceViewId: null },
    );
  }
  await infoview.start();
  return infoview;
}

/** Holds every chat.postMessage until released; `posting` resolves when `count` have arrived. */
function holdPosts(count: number) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const posting = new Promise<void>((resolve) => (arrived = resolve));
  let seen = 0;
  fake.on('chat.postMessage', async (call) => {
    seen += 1;
    if (seen === count) arrived();
    await released;
    return { ok: true, channel: call.body.channel, ts: `1793282400.${String(seen).padStart(6, '0')}` };
  });
  return { posting, release };
}

async function dueNow() {
  const db = openDatabase(databaseFile);
  try {
    // The reminders due now: a prep tip (too late for its 24 hours, so as soon as allowed) and a heads-up a meeting.
    return await db
      .selectFrom('reminders')
      .select(['state', 'attempts', 'lease_until'])
      .where('kind', 'in', ['prep', 'heads_up'])
      .orderBy('id')
      .execute();
  } finally {
    await db.destroy();
  }
}

describe('shutdown', () => {
  it('lets the reminders being posted finish and be recorded, hands the others back untried, and closes', async () => {
    // Six posts in flight at once (the workspace's six workers), each waiting for Slack.
    const held = holdPosts(6);
    const infoview = await boot();
    await held.posting;
    const stopped = infoview.stop();
    held.release();
    await stopped;
    expect(fake.callsTo('chat.postMessage')).toHaveLength(6);
    const rows = await dueNow();
    expect(rows.filter((r) => r.state === 'sent')).toEqual(
      Array(6).fill({ state: 'sent', attempts: 1, lease_until: null }),
    );
    expect(rows.filter((r) => r.state !== 'sent')).toEqual(
      Array(14).fill({ state: 'pending', attempts: 0, lease_until: null }),
    );
    // Its leases handed back: another replica shares the workspaces with no one, and posts them, at once.
    const db = openDatabase(databaseFile);
    const leases = await db
      .selectFrom('leases')
      .select('name')
      .where((eb) => eb.or([eb('name', 'like', 'replica:%'), eb('name', 'like', 'send:%')]))
      .execute()
      .finally(() => db.destroy());
    expect(leases).toEqual([]);
    // Closed: the database answers no more.
    await expect(infoview.deps.db.selectFrom('reminders').select('id').execute()).rejects.toThrow();
    expect(logs.at(-1)).toMatch(/stopped/);
  });

  it('keeps to its deadline when Slack never answers: the claim stays, to be looked for by the next process', async () => {
    const held = holdPosts(6);
    const infoview = await boot(300);
    await held.posting;
    await infoview.stop();
    expect(logs.join('\n')).toMatch(/the reminder engine did not finish within the deadline/);
    held.release();
    expect((await dueNow()).map((r) => r.state)).toEqual(Array(20).fill('claimed'));
  });
});
