import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cancelMeeting } from '../../src/domain/meetings/meetings-service.js';
import { type EngineHarness, startEngine } from '../support/engine.js';
import { testDatabaseUrl } from '../support/test-database.js';

// `npm run reminders` as an operator runs it: a child process on the app's database file, beside the running engine.
const ROOT = new URL('../../', import.meta.url).pathname;
const ADA = { teamId: 'T0001', userId: 'U0001' };

let dir: string;
let file: string;
let e: EngineHarness;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli/reminders-cli.ts'), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: file } },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr }),
    );
  });
}

const row = async (id: number) =>
  e.db
    .selectFrom('reminders')
    .select(['state', 'due_at', 'attempts', 'check_before_send', 'last_error'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'infoview-reminders-cli-'));
  file = await testDatabaseUrl({ sqliteFile: join(dir, 'infoview.sqlite') });
  // The CLI plans with the system clock, so the engine starts at the real now too.
  e = await startEngine(new Date().toISOString(), { databaseUrl: file });
});
afterEach(async () => {
  await e.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run reminders', () => {
  it('lists failed reminders with their reason, retries one the facts still want, and refuses the rest', async () => {
    // Two meetings within the hour: their heads-ups are due at once (at any hour), and Slack refuses them for good.
    const soon = (minutes: number) =>
      new Date(Math.ceil(e.clock.now().getTime() / 60_000) * 60_000 + minutes * 60_000).toISOString();
    const kept = await e.schedule(ADA, soon(30));
    const cancelled = await e.schedule(ADA, soon(40));
    e.fake.on('chat.postMessage', () => ({ ok: false, error: 'channel_not_found' }));
    await e.tick();
    const headsUp = async (meetingId: number) => (await e.reminders(meetingId)).find((r) => r.kind === 'heads_up');
    const [a, b] = [await headsUp(kept), await headsUp(cancelled)];
    expect(a).toMatchObject({ state: 'failed', last_error: 'channel_not_found' });
    expect(b).toMatchObject({ state: 'failed', last_error: 'channel_not_found' });
    const ids = { kept: a?.id as number, cancelled: b?.id as number };

    const listed = await cli('--failed');
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +TEAM +USER +KIND +ABOUT +FAILED +ATTEMPTS +REASON$/);
    for (const [id, meetingId] of [
      [ids.kept, kept],
      [ids.cancelled, cancelled],
    ] as const) {
      expect(lines.find((line) => line.startsWith(`${id} `))).toMatch(
        new RegExp(`^${id} +T0001 +U0001 +heads_up +meeting ${meetingId} at \\S+Z +\\S+Z +1 +channel_not_found$`),
      );
    }
    // Ids, never user text: the contact's name, the meeting's goal and questions stay in the database.
    expect(listed.stdout).not.toMatch(/Ada|Lovelace|Learn the path|typical week|xoxb/);

    const json = await cli('--failed', '--json', '--limit', '1');
    expect(json.code).toBe(0);
    const objects = json.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({
      team: 'T0001',
      user: 'U0001',
      reason: 'channel_not_found',
      contactId: null,
      attempts: 1,
    });

    expect(await cli('--failed', '--team', 'T0999')).toMatchObject({ code: 0, stdout: 'no failed reminders\n' });

    // Cancelled meanwhile: the plan no longer wants its heads-up, so it is not resurrected.
    await cancelMeeting(e.db, ADA, cancelled, e.clock.now());
    const refused = await cli('--retry', String(ids.cancelled));
    expect(refused).toMatchObject({ code: 3, stdout: '' });
    expect(refused.stderr).toContain(`reminder ${ids.cancelled} not retried: meeting cancelled; nothing changed`);
    expect(await row(ids.cancelled)).toMatchObject({ state: 'failed', attempts: 1, last_error: 'channel_not_found' });

    // As if the failed attempt might have posted (a timeout before giving up): the retry keeps the check.
    await e.db.updateTable('reminders').set({ check_before_send: 1 }).where('id', '=', ids.kept).execute();
    const retried = await cli('--retry', String(ids.kept));
    expect(retried).toMatchObject({ code: 0, stderr: '' });
    expect(retried.stdout).toContain(`reminder ${ids.kept} is pending again, due now`);
    expect(retried.stdout).toContain('looks in the DM first');
    const pending = await row(ids.kept);
    expect(pending).toMatchObject({ state: 'pending', attempts: 0, check_before_send: 1 });
    expect(Date.parse(pending.due_at)).toBeLessThanOrEqual(Date.now());

    // Only a failed reminder can be retried.
    const again = await cli('--retry', String(ids.kept));
    expect(again).toMatchObject({ code: 2, stdout: '' });
    expect(again.stderr).toContain(`reminder ${ids.kept} is pending, not failed`);
    expect(await cli('--retry', '99999')).toMatchObject({ code: 2, stderr: 'reminders: there is no reminder 99999\n' });

    // The engine's next tick looks in the DM, finds nothing, and posts it once.
    e.fake.off('chat.postMessage');
    e.clock.set(new Date(Math.max(Date.now(), e.clock.now().getTime()) + 1000).toISOString());
    const posts = e.fake.callsTo('chat.postMessage').length;
    await e.tick();
    expect(await row(ids.kept)).toMatchObject({ state: 'sent', attempts: 1, last_error: null, check_before_send: 0 });
    expect(e.fake.callsTo('conversations.history').length).toBeGreaterThan(0);
    expect(e.fake.callsTo('chat.postMessage').length).toBe(posts + 1);
    expect((await cli('--failed')).stdout).not.toMatch(new RegExp(`^${ids.kept} `, 'm'));
  });

  it('prints usage for --help and for bad arguments (exit 2), and never creates a database that is not there', async () => {
    const help = await cli('--help');
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage:\n {2}npm run reminders -- --failed/);
    const bad = await cli('--retry', 'x');
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toMatch(/--retry needs a reminder id[\s\S]*Usage:/);
    expect((await cli()).code).toBe(2);
    file = join(dir, 'missing', 'none.sqlite');
    expect(await cli('--failed')).toMatchObject({ code: 1, stderr: expect.stringContaining('no database at') });
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});
