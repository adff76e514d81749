import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../src/db/copy-database.js';
import { type Db, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { claimChart } from '../../src/db/repositories/centre/advisor-charts-repository.js';
import { saveAdvisorHomePrefs } from '../../src/db/repositories/centre/advisor-home-repository.js';
import { rememberDeparted } from '../../src/db/repositories/centre/cohort-repository.js';
import { recordViews, replaceShares, saveCentre } from '../../src/db/repositories/centre-repository.js';
import { recordEventOnce } from '../../src/db/repositories/housekeeping/processed-events-repository.js';
import { recordUsedOauthState } from '../../src/db/repositories/installations-repository.js';
import { takeLeases } from '../../src/db/repositories/reminders/leases-repository.js';
import { claimDueReminders } from '../../src/db/repositories/reminders/reminders-repository.js';
import { saveTimeZone } from '../../src/db/repositories/slack-users-repository.js';
import { recordAsk, saveWorkspaceHolidays } from '../../src/domain/asks/asks-service.js';
import { frozenWeeks } from '../../src/domain/centre/cohort-service.js';
import { saveDebrief } from '../../src/domain/debriefs/debriefs-service.js';
import { workspaceUninstalled } from '../../src/domain/installs/workspaces-service.js';
import { createFeedSecret } from '../../src/domain/meetings/calendar-feed-service.js';
import { scheduleMeeting } from '../../src/domain/meetings/meetings-service.js';
import { saveOwnQuestion } from '../../src/domain/meetings/questions-service.js';
import { requestRemindersReplan } from '../../src/domain/reminders/reconciler.js';
import { DEFAULT_REMINDER_SETTINGS } from '../../src/domain/reminders/reminder-plan.js';
import { updateReminderSettings } from '../../src/domain/reminders/reminder-settings-service.js';
import { createLogger } from '../../src/lib/logger.js';
import { parseTokenKey, TokenCipher } from '../../src/lib/token-cipher.js';
import { SealedInstallationStore } from '../../src/slack/installs/installation-store.js';
import { testDatabaseUrl } from '../support/test-database.js';

// Issue 15, point 5: `npm run copy-database` moves every row from SQLite to PostgreSQL (and back) and verifies it.

const ROOT = new URL('../..', import.meta.url).pathname;
const ANN = { teamId: 'T0001', userId: 'U0001' };
const BEN = { teamId: 'T0002', userId: 'U0002' };
const quiet = createLogger({ level: 'error', write: () => {} });
let dir: string;

function copy(from: string, to: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli/copy-database-cli.ts'), '--from', from, '--to', to],
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME } },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr }),
    );
  });
}

/** A database with rows in every table: meetings in every reminder state, a referral, a debrief, asks, leases. */
async function databaseWithEveryKindOfRow(path: string): Promise<void> {
  const db = openDatabase(path);
  await migrateToLatest(db);
  const now = new Date('2026-11-02T14:00:00.000Z');
  for (const owner of [ANN, BEN]) await saveTimeZone(db, owner, 'Europe/London', now.toISOString());
  const meetings: number[] = [];
  for (const [i, name] of ['Ada Lovelace', 'Grace Hopper', 'Katherine Johnson'].entries()) {
    const found = await scheduleMeeting(
      db,
      ANN,
      {
        contactId: null,
        contact: { name, pronunciation: 'AY-duh', title: 'Analyst', company: 'Engines «ü»' },
        plan: {
          startsAt: new Date(now.getTime() + (i - 1) * 86_400_000),
          durationMinutes: 30,
          location: null,
          goal: 'Learn the path',
          questions: '• What is a typical week?',
        },
      },
      { now, timeZone: 'Europe/London', sourceViewId: `V${i}` },
    );
    meetings.push(found.meeting.id);
  }
  // Ada (the first contact) was introduced by Katherine (the last): the copy writes the link after both rows.
  await sql`update contacts set referred_by_id = (select max(id) from contacts) where id = (select min(id) from contacts)`.execute(
    db,
  );
  await saveDebrief(
    db,
    ANN,
    { meetingId: meetings[0] as number },
    {
      topics: 'Data work',
      learned: 'Cleaning takes half the time',
      advice: 'Take the SQL course',
      referralsText: null,
      referrals: [],
      commitmentsText: 'Read the book',
      commitments: ['Read the book'],
      interestChange: 4,
      notes: null,
    },
    { now, zone: 'Europe/London' },
  );
  const contact = await db.selectFrom('contacts').select('id').orderBy('id').executeTakeFirstOrThrow();
  await recordAsk(
    db,
    ANN,
    { contactId: contact.id, channel: 'email', sentOn: '2026-10-30', purpose: null, draft: 'Hello', viewId: 'VA' },
    now,
  );
  await saveWorkspaceHolidays(db, ANN.teamId, '2026-11-02', [{ day: '2026-12-24', name: 'Christmas Eve' }], now);
  await updateReminderSettings(db, ANN, { ...DEFAULT_REMINDER_SETTINGS, quietStart: '22:00', quietEnd: '07:00' }, now);
  await saveOwnQuestion(db, ANN, 'What surprised you most?', now);
  await createFeedSecret(db, ANN, now);
  await workspaceUninstalled(db, BEN.teamId, now, 30, quiet);
  // A re-plan asked for and not run yet (the engine's next tick would).
  await requestRemindersReplan(db, BEN.teamId, BEN.userId, now);
  // Some reminders claimed (with a lease) by a replica that holds its workspace's sender lease.
  const later = new Date(now.getTime() + 2 * 86_400_000);
  await claimDueReminders(db, later.toISOString(), new Date(later.getTime() + 60_000).toISOString(), 3);
  await takeLeases(
    db,
    ['send:T0001'],
    'replica-a',
    later.toISOString(),
    new Date(later.getTime() + 60_000).toISOString(),
  );
  // An OAuth installation (its token sealed) and a state handed to a browser.
  const cipher = new TokenCipher(parseTokenKey(randomBytes(32).toString('base64')));
  await new SealedInstallationStore(db, cipher, { now: () => now }).storeInstallation({
    team: { id: 'T0001', name: 'Northside' },
    enterprise: undefined,
    user: { id: 'U0001', token: undefined, scopes: undefined },
    bot: {
      token: 'xoxb-copied',
      refreshToken: 'xoxe-1-copied',
      expiresAt: 1_900_000_000,
      scopes: ['chat:write'],
      id: 'B1',
      userId: 'UBOT',
    },
    appId: 'A0001',
    isEnterpriseInstall: false,
    authVersion: 'v2',
  });
  await recordUsedOauthState(db, 'state-copied', '{"scopes":["chat:write"]}', now.toISOString(), now.toISOString());
  await recordEventOnce(db, ANN.teamId, 'Ev0COPIED', now.toISOString());
  // The centre view: its settings and advisor, a share, a look, a frozen week, a Monday chart, a departed count.
  await saveCentre(
    db,
    ANN.teamId,
    { enabled: true, minCohort: 10, advisorIds: ['UADV'] },
    BEN.userId,
    now.toISOString(),
  );
  await replaceShares(db, ANN, [{ advisorId: 'UADV', level: 'counts' }], now.toISOString());
  await recordViews(db, ANN.teamId, 'UADV', [ANN.userId], 'home', now.toISOString());
  await frozenWeeks(db, ANN.teamId, ['2026-10-26'], now);
  await claimChart(
    db,
    { teamId: ANN.teamId, advisorId: 'UADV', weekStart: '2026-11-02' },
    now.toISOString(),
    new Date(now.getTime() + 60_000).toISOString(),
  );
  await rememberDeparted(db, ANN);
  await saveAdvisorHomePrefs(db, ANN.teamId, 'UADV', { sort: 'nudge', page: 1 }, now.toISOString());
  await db.destroy();
}

let source: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'infoview-copy-'));
  source = join(dir, 'source.sqlite');
  await databaseWithEveryKindOfRow(source);
});

const summaryOf = async (url: string) => {
  const db: Db = openDatabase(url);
  try {
    return await summarize(db);
  } finally {
    await db.destroy();
  }
};

describe('npm run copy-database', () => {
  it('copies every row into an empty database and back, verified by counts and checksums', async () => {
    const expected = await summaryOf(source);
    // Every table has rows, so a table the copy forgot would show.
    expect(expected.filter((t) => t.rows === 0).map((t) => t.table)).toEqual([]);

    const target = await testDatabaseUrl({ sqliteFile: join(dir, 'target.sqlite') });
    const there = await copy(source, target);
    expect(there.stderr).toBe('');
    expect(there.code).toBe(0);
    expect(there.stdout).toContain(`verified: ${expected.length} tables`);
    expect(there.stdout).toContain('reminders: ');
    expect(await summaryOf(target)).toEqual(expected);

    const back = join(dir, 'back.sqlite');
    expect(await copy(target, back)).toMatchObject({ code: 0, stderr: '' });
    expect(await summaryOf(back)).toEqual(expected);

    // Ids go on after the copied ones: a new row in the target gets a new id, not one already taken.
    const db = openDatabase(target);
    const { id } = await db
      .insertInto('saved_questions')
      .values({ team_id: 'T0001', owner_id: 'U0001', text: 'New', created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ids = await db.selectFrom('saved_questions').select('id').execute();
    expect(ids.filter((row) => row.id === id)).toHaveLength(1);
    await db.destroy();
  });

  it('refuses a target that already holds rows, and changes nothing there', async () => {
    const target = join(dir, 'full.sqlite');
    expect(await copy(source, target)).toMatchObject({ code: 0 });
    const before = await summaryOf(target);
    const again = await copy(source, target);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('the target already holds rows');
    expect(await summaryOf(target)).toEqual(before);
  });

  it('prints usage for missing arguments (exit 2) and never prints a password', async () => {
    const missing = await copy(source, '');
    expect(missing.code).toBe(2);
    const refused = await copy(source, 'postgres://infoview:s3cret@127.0.0.1:1/none');
    expect(refused.code).toBe(1);
    expect(`${refused.stdout}${refused.stderr}`).not.toContain('s3cret');
  });
});
