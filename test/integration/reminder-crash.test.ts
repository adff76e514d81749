import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { saveTimeZone } from '../../src/db/repositories/slack-users-repository.js';
import { scheduleMeeting } from '../../src/domain/meetings/meetings-service.js';
import { DEFAULT_TICK_OPTIONS } from '../../src/engine/index.js';
import { FakeSlack } from '../support/fake-slack.js';
import { testDatabaseUrl } from '../support/test-database.js';

// The engine in a real process, killed with SIGKILL at each step of a delivery, then started again: every
// reminder still arrives exactly once.
const ROOT = new URL('../../', import.meta.url).pathname;
const OWNER = { teamId: 'T0001', userId: 'U0001' };
const PREP_DUE = new Date('2026-11-02T20:00:00Z');

let fake: FakeSlack;
let slackNow = PREP_DUE.getTime();
beforeAll(async () => {
  fake = await FakeSlack.start();
  fake.now = () => slackNow;
});
afterAll(async () => {
  await fake.stop();
});

async function databaseWithOneMeeting(): Promise<{ path: string; meetingId: number }> {
  const path = await testDatabaseUrl({ sqliteFile: join(mkdtempSync(join(tmpdir(), 'infoview-crash-')), 'db.sqlite') });
  const db = openDatabase(path);
  await migrateToLatest(db);
  await saveTimeZone(db, OWNER, 'America/New_York', '2026-10-29T14:00:00.000Z');
  const found = await scheduleMeeting(
    db,
    OWNER,
    {
      contactId: null,
      contact: { name: 'Ada Lovelace', pronunciation: null, title: null, company: null },
      plan: {
        startsAt: new Date('2026-11-03T20:00:00Z'),
        durationMinutes: 30,
        location: null,
        goal: null,
        questions: null,
      },
    },
    { now: new Date('2026-10-29T14:00:00Z'), timeZone: 'America/New_York', sourceViewId: null },
  );
  await db.destroy();
  return { path, meetingId: found.meeting.id };
}

async function runWorker(
  path: string,
  now: Date,
  crashAt: string,
): Promise<{ signal: string | null; code: number | null; out: string }> {
  slackNow = now.getTime();
  // node itself with tsx's loader: one process, so its SIGKILL is its own (the tsx command wraps a child and relays).
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/support/reminder-worker.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: path,
      SLACK_API_URL: fake.apiUrl,
      NOW: now.toISOString(),
      CRASH_AT: crashAt,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const [code, signal] = (await once(child, 'close')) as [number | null, string | null];
  return { code, signal, out };
}

async function prepState(path: string, meetingId: number) {
  const db = openDatabase(path);
  const row = await db
    .selectFrom('reminders')
    .select(['state', 'message_ts', 'attempts'])
    .where('meeting_id', '=', meetingId)
    .where('kind', '=', 'prep')
    .executeTakeFirstOrThrow();
  await db.destroy();
  return row;
}

describe('killing the engine at each step', () => {
  // Only a post handed to Slack before the kill is looked for in the DM (one history read); one never handed over is not.
  it.each([
    ['before-post', 0, 0],
    ['after-post', 1, 1],
    ['after-tick', 1, 0],
  ])(
    'killed %s: the prep tip is still delivered exactly once',
    async (crashAt, postsBeforeRestart, historyReads) => {
      const { path, meetingId } = await databaseWithOneMeeting();
      const before = fake.callsTo('chat.postMessage').length;
      const readsBefore = fake.callsTo('conversations.history').length;
      const crashed = await runWorker(path, PREP_DUE, crashAt);
      expect(crashed.signal, `${crashed.code} ${crashed.signal} ${crashed.out}`).toBe('SIGKILL');
      expect(fake.callsTo('chat.postMessage').length - before).toBe(postsBeforeRestart);

      // Restarted at once: a claim still held is left alone.
      const soon = await runWorker(path, new Date(PREP_DUE.getTime() + 1000), 'none');
      expect(soon.code, soon.out).toBe(0);
      // Restarted after the lease: the claim is taken again, looked for in the DM if it was handed over, and sent if missing.
      const later = await runWorker(path, new Date(PREP_DUE.getTime() + DEFAULT_TICK_OPTIONS.leaseMs + 1000), 'none');
      expect(later.code, later.out).toBe(0);

      const posts = fake.callsTo('chat.postMessage').slice(before);
      expect(posts).toHaveLength(1);
      expect(fake.callsTo('conversations.history').length - readsBefore).toBe(historyReads);
      expect(posts[0]?.body.metadata?.event_payload.kind).toBe('prep');
      expect(await prepState(path, meetingId)).toMatchObject({
        state: 'sent',
        message_ts: expect.stringMatching(/^\d+\.\d+$/),
      });
      // Three processes start one after another: a generous bound that only a hang reaches, never a busy machine.
    },
    180_000,
  );
});
