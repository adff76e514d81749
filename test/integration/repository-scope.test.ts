import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { insertContact, profileFromDetails } from '../../src/db/repositories/contacts-repository.js';
import { applyAdvicePlan, upsertDebrief } from '../../src/db/repositories/debriefs-repository.js';
import {
  claimFullReport,
  findFullReport,
  listFullReportLinks,
  releaseFullReport,
  saveFullReport,
} from '../../src/db/repositories/full-reports-repository.js';
import { insertMeeting } from '../../src/db/repositories/meetings-repository.js';
import { applyReminderChanges } from '../../src/db/repositories/reminders/reminder-plans-repository.js';
import { reconcileMeetings } from '../../src/domain/reminders/reconciler.js';
import { must } from '../support/must.js';
import { openTestDatabase } from '../support/test-database.js';

// Issue 11, 13: repositories scope their writes by team and owner themselves, whatever a caller forgot to check.

const ANN = { teamId: 'T0001', userId: 'U0001' };
const MALLORY = { teamId: 'T0001', userId: 'U0666' };
const NOW = '2026-10-29T14:00:00.000Z';
let db: Db;
let annsMeeting: number;
let annsContact: number;

beforeEach(async () => {
  db = await openTestDatabase();
  annsContact = (
    await insertContact(
      db,
      ANN,
      profileFromDetails({ name: 'Ada', pronunciation: null, title: null, company: null }),
      NOW,
    )
  ).id;
  const plan = {
    startsAt: new Date('2026-10-28T14:00:00Z'),
    durationMinutes: 30,
    location: null,
    goal: null,
    questions: null,
  };
  annsMeeting = await insertMeeting(
    db,
    ANN,
    { contactId: annsContact, plan, timeZone: 'UTC', sourceViewId: null },
    NOW,
  );
  await upsertDebrief(
    db,
    ANN,
    annsMeeting,
    {
      topics: 'mine',
      learned: null,
      advice: null,
      referralsText: null,
      referrals: [],
      commitmentsText: null,
      commitments: [],
      interestChange: null,
      notes: 'private',
    },
    NOW,
  );
});
afterEach(async () => {
  await db.destroy();
});

describe('writes scoped by the repositories themselves', () => {
  it("another user's ids change nothing of Ann's", async () => {
    const forged = {
      topics: 'forged',
      learned: null,
      advice: null,
      referralsText: null,
      referrals: [],
      commitmentsText: null,
      commitments: [],
      interestChange: null,
      notes: 'x',
    };
    await expect(upsertDebrief(db, MALLORY, annsMeeting, forged, NOW)).rejects.toThrow(/not U0666's/);
    await expect(
      applyAdvicePlan(db, MALLORY, annsMeeting, { keep: [], insert: [{ position: 0, text: 'x' }], remove: [] }, NOW),
    ).rejects.toThrow(/not U0666's/);
    const plan = {
      startsAt: new Date('2026-11-03T14:00:00Z'),
      durationMinutes: 30,
      location: null,
      goal: null,
      questions: null,
    };
    await expect(
      insertMeeting(db, MALLORY, { contactId: annsContact, plan, timeZone: 'UTC', sourceViewId: null }, NOW),
    ).rejects.toThrow(/not U0666's/);
    expect(await db.selectFrom('debriefs').select(['owner_id', 'topics', 'notes']).execute()).toEqual([
      { owner_id: 'U0001', topics: 'mine', notes: 'private' },
    ]);
    expect(await db.selectFrom('advice_items').select('id').execute()).toEqual([]);
    expect(await db.selectFrom('meetings').select('owner_id').execute()).toEqual([{ owner_id: 'U0001' }]);
  });

  it("reminder writes are scoped by the subject's team and owner: a change under another owner touches nothing", async () => {
    await reconcileMeetings(db, [annsMeeting], new Date('2026-10-28T15:00:00Z'));
    const before = await db.selectFrom('reminders').selectAll().orderBy('id').execute();
    expect(before.length).toBeGreaterThan(0);
    const id = must(before[0], "Ann's first reminder").id;
    const later = new Date('2026-12-01T00:00:00Z');
    const changes = [
      { type: 'move' as const, id, dueAt: later },
      { type: 'cancel' as const, id },
      { type: 'new_delivery' as const, id, key: 'forged', dueAt: later },
    ];
    for (const change of changes)
      await applyReminderChanges(db, [{ subject: { owner: MALLORY, meetingId: annsMeeting }, changes: [change] }], NOW);
    expect(await db.selectFrom('reminders').selectAll().orderBy('id').execute()).toEqual(before);
  });

  it("full report writes are scoped by team and owner: another user can neither claim, record nor read Ann's", async () => {
    const published = {
      format: 'canvas' as const,
      canvasId: 'FFORGED',
      url: 'https://example.slack.com/docs/T0001/FFORGED',
    };
    expect(await claimFullReport(db, MALLORY, annsMeeting, NOW, NOW)).toBe(false);
    await saveFullReport(db, MALLORY, annsMeeting, published, '# forged', NOW);
    expect(await findFullReport(db, ANN, annsMeeting)).toBeUndefined();

    expect(await claimFullReport(db, ANN, annsMeeting, NOW, NOW)).toBe(true);
    await releaseFullReport(db, MALLORY, annsMeeting);
    expect(await claimFullReport(db, ANN, annsMeeting, NOW, NOW)).toBe(false); // still Ann's claim
    await saveFullReport(
      db,
      ANN,
      annsMeeting,
      { ...published, canvasId: 'FMINE', url: 'https://example.slack.com/docs/T0001/FMINE' },
      '# mine',
      NOW,
    );
    expect(await findFullReport(db, MALLORY, annsMeeting)).toBeUndefined();
    expect(await listFullReportLinks(db, MALLORY, [annsMeeting])).toEqual(new Map());
    expect(await listFullReportLinks(db, ANN, [annsMeeting])).toEqual(
      new Map([[annsMeeting, 'https://example.slack.com/docs/T0001/FMINE']]),
    );
  });
});
