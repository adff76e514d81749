import type { Insertable } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { countKnownPeople } from '../../src/db/repositories/centre/cohort-repository.js';
import { recordEventOnce } from '../../src/db/repositories/housekeeping/processed-events-repository.js';
import { takeLeases } from '../../src/db/repositories/reminders/leases-repository.js';
import type { ReminderState, RemindersTable } from '../../src/db/schema.js';
import { DEFAULT_REMINDER_SETTINGS, planMeeting } from '../../src/domain/reminders/reminder-plan.js';
import {
  ADVISOR_VIEW_DAYS,
  DONE_REMINDER_DAYS,
  FAILED_REMINDER_DAYS,
  pruneExpiredRows,
} from '../../src/domain/retention/retention-service.js';
import { createLogger } from '../../src/lib/logger.js';
import { type Harness, startHarness } from '../support/harness.js';
import { openTestDatabase } from '../support/test-database.js';

// Data retention (README, "Data retention"): what housekeeping deletes, when, in bounded batches, and only on the
// replica holding the lease; on both databases.

const NOW = new Date('2026-12-07T12:00:00.000Z');
const DAY = 86_400_000;
const TEAM = 'T0001';
const OWNER = 'U0001';
const logger = createLogger({ level: 'error', write: () => {} });
const iso = (ms: number) => new Date(ms).toISOString();
const daysAgo = (days: number) => iso(NOW.getTime() - days * DAY);

let db: Db;
/** The app, in the test that runs its housekeeping (the database is then the app's). */
let h: Harness | null = null;
beforeEach(async () => {
  db = await openTestDatabase();
});
afterEach(async () => {
  if (h === null) await db.destroy();
  await h?.stop();
  h = null;
});

async function contact(): Promise<number> {
  const row = await db
    .insertInto('contacts')
    .values({
      team_id: TEAM,
      owner_id: OWNER,
      name: 'Ada',
      pronunciation: null,
      title: null,
      company: null,
      email: null,
      profile_url: null,
      time_zone: null,
      how_met: null,
      referred_by_id: null,
      tags: null,
      notes: null,
      name_key: 'ada|',
      search_text: 'ada',
      last_activity_at: NOW.toISOString(),
      created_at: NOW.toISOString(),
      updated_at: NOW.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A reminder row of the test's owner, planned for its due time; what the test does not give is empty. */
async function insertReminder(
  values: Pick<Insertable<RemindersTable>, 'meeting_id' | 'contact_id' | 'kind' | 'due_at' | 'state'> & {
    replan?: 0 | 1;
  },
): Promise<number> {
  const row = await db
    .insertInto('reminders')
    .values({
      team_id: TEAM,
      owner_id: OWNER,
      planned_due_at: values.due_at,
      lease_until: null,
      handed_over_at: null,
      first_attempt_at: null,
      last_error: null,
      channel_id: null,
      message_ts: null,
      sent_at: null,
      created_at: NOW.toISOString(),
      updated_at: NOW.toISOString(),
      ...values,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A meeting that started `startedDaysAgo` days ago, with one reminder of `kind` in `state` due `dueDaysAgo` days ago. */
async function meetingReminder(state: ReminderState, dueDaysAgo: number, kind = 'report_back', replan: 0 | 1 = 0) {
  const contactId = await contact();
  const meeting = await db
    .insertInto('meetings')
    .values({
      team_id: TEAM,
      owner_id: OWNER,
      contact_id: contactId,
      starts_at: daysAgo(dueDaysAgo + 14),
      duration_minutes: 30,
      ends_at: daysAgo(dueDaysAgo + 14),
      time_zone: 'UTC',
      location: null,
      goal: null,
      questions: null,
      status: 'scheduled',
      source_view_id: null,
      thank_you_snoozed_until: null,
      thank_you_sent_at: null,
      debriefed_at: null,
      reported_back_at: null,
      thank_you_draft: null,
      report_back_draft: null,
      cancelled_at: null,
      created_at: NOW.toISOString(),
      updated_at: NOW.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const reminder = await insertReminder({
    meeting_id: meeting.id,
    contact_id: null,
    kind,
    due_at: daysAgo(dueDaysAgo),
    state,
    replan,
  });
  return { reminder, meeting: meeting.id, contact: contactId };
}

const remainingReminders = async () =>
  (await db.selectFrom('reminders').select('id').orderBy('id').execute()).map((row) => row.id);

describe('data retention', () => {
  it("deletes a meeting's reminders sent, skipped or cancelled 45 days after their due time, failed ones after 90; never pending, claimed, flagged or a contact's", async () => {
    const gone = [
      await meetingReminder('sent', DONE_REMINDER_DAYS + 1),
      await meetingReminder('skipped', DONE_REMINDER_DAYS + 1, 'debrief'),
      await meetingReminder('cancelled', DONE_REMINDER_DAYS + 1, 'prep'),
      await meetingReminder('failed', FAILED_REMINDER_DAYS + 1),
    ].map((r) => r.reminder);
    const kept = [
      await meetingReminder('sent', DONE_REMINDER_DAYS - 1),
      await meetingReminder('failed', FAILED_REMINDER_DAYS - 1),
      await meetingReminder('pending', 400),
      await meetingReminder('claimed', 400),
      await meetingReminder('sent', 400, 'report_back', 1),
    ].map((r) => r.reminder);
    // A contact's nudge: one row per contact and kind, reused by each delivery, so it stays while the contact does.
    const friend = await contact();
    const nudge = await insertReminder({
      meeting_id: null,
      contact_id: friend,
      kind: 'keep_in_touch',
      due_at: daysAgo(400),
      state: 'sent',
    });
    const pass = await pruneExpiredRows(db, NOW, 'replica-a', logger);
    expect(pass.deleted?.reminders).toBe(gone.length);
    expect(await remainingReminders()).toEqual([...kept, nudge].sort((a, b) => a - b));
    // The meetings themselves stay (the user's data).
    expect((await db.selectFrom('meetings').select('id').execute()).length).toBe(gone.length + kept.length);
  });

  it('keeps a done reminder as long as the planner could call for its delivery again (48-hour prep lead, late report-back)', () => {
    // The earliest a reminder is due before its meeting's start, and the latest the planner still wants one after it.
    const start = Date.parse('2026-06-01T09:00:00Z');
    const user = { settings: { ...DEFAULT_REMINDER_SETTINGS, prepLeadMinutes: 48 * 60 }, zone: 'UTC', stopped: null };
    const facts = {
      startsAt: new Date(start),
      durationMinutes: 60,
      status: 'scheduled' as const,
      thankYouSentAt: null,
      debriefedAt: null,
      reportedBackAt: null,
      thankYouSnoozedUntil: null,
    };
    const earliestDue = Math.min(...planMeeting(facts, user, new Date(start - 30 * DAY)).wanted.map((w) => +w.dueAt));
    expect(planMeeting(facts, user, new Date(earliestDue + DONE_REMINDER_DAYS * DAY)).wanted).toEqual([]);
  });

  it('deletes at most batch size × batches rows of a table in one pass, and says there is more', async () => {
    for (let i = 0; i < 7; i++) await meetingReminder('sent', 60);
    const bounds = { batchSize: 2, batches: 3 };
    const first = await pruneExpiredRows(db, NOW, 'replica-a', logger, bounds);
    expect(first).toMatchObject({ deleted: { reminders: 6 }, more: true });
    const second = await pruneExpiredRows(db, NOW, 'replica-a', logger, bounds);
    expect(second).toMatchObject({ deleted: { reminders: 1 }, more: false });
    expect(await remainingReminders()).toEqual([]);
  });

  it('prunes nothing on a replica that does not hold the lease', async () => {
    await meetingReminder('sent', 60);
    await takeLeases(db, ['housekeeping:retention'], 'replica-a', NOW.toISOString(), iso(NOW.getTime() + 60_000));
    expect(await pruneExpiredRows(db, NOW, 'replica-b', logger)).toEqual({ deleted: null, more: false });
    expect((await remainingReminders()).length).toBe(1);
    // Once the holder's lease ran out, another replica takes it.
    const later = new Date(NOW.getTime() + 61_000);
    expect((await pruneExpiredRows(db, later, 'replica-b', logger)).deleted?.reminders).toBe(1);
  });

  it('forgets used OAuth states 11 minutes after they were issued', async () => {
    for (const [state, minutesAgo] of [
      ['old', 12],
      ['fresh', 10],
    ] as const)
      await db
        .insertInto('oauth_states')
        .values({
          state,
          install_options: '{}',
          created_at: iso(NOW.getTime() - minutesAgo * 60_000),
          used_at: NOW.toISOString(),
        })
        .execute();
    expect((await pruneExpiredRows(db, NOW, 'replica-a', logger)).deleted?.oauth_states).toBe(1);
    expect(await db.selectFrom('oauth_states').select('state').execute()).toEqual([{ state: 'fresh' }]);
  });

  it('forgets leases an hour after they ran out (a crashed replica, a sender lease never given back), never one that runs', async () => {
    for (const [name, minutes] of [
      ['replica:crashed', -61],
      ['send:T1', -61],
      ['send:T2', -59],
      ['replica:live', 1],
    ] as const)
      await db
        .insertInto('leases')
        .values({ name, holder: name, lease_until: iso(NOW.getTime() + minutes * 60_000) })
        .execute();
    expect((await pruneExpiredRows(db, NOW, 'replica-a', logger)).deleted?.leases).toBe(2);
    expect((await db.selectFrom('leases').select('name').orderBy('name').execute()).map((row) => row.name)).toEqual([
      'replica:live',
      'send:T2',
    ]);
  });

  it("forgets an event's id an hour after it came (Slack redelivers within minutes), in every workspace", async () => {
    for (const [team, event, minutesAgo] of [
      ['T1', 'Ev1', 61],
      ['T2', 'Ev1', 61],
      ['T1', 'Ev2', 59],
    ] as const)
      await recordEventOnce(db, team, event, iso(NOW.getTime() - minutesAgo * 60_000));
    expect((await pruneExpiredRows(db, NOW, 'replica-a', logger)).deleted?.processed_events).toBe(2);
    expect(await db.selectFrom('processed_events').select(['team_id', 'event_id']).execute()).toEqual([
      { team_id: 'T1', event_id: 'Ev2' },
    ]);
    // A redelivery of the one kept is still refused; one forgotten is taken as new.
    expect(await recordEventOnce(db, 'T1', 'Ev2', iso(NOW.getTime()))).toBe(false);
    expect(await recordEventOnce(db, 'T2', 'Ev1', iso(NOW.getTime()))).toBe(true);
  });

  it("forgets advisors' looks after a year but each advisor's latest look at each person, so the people they know stay counted", async () => {
    const look = (owner: string, advisor: string, days: number) =>
      db
        .insertInto('advisor_views')
        .values({ team_id: TEAM, owner_id: owner, advisor_id: advisor, surface: 'home', viewed_at: daysAgo(days) })
        .execute();
    await look('UP1', 'UADV', ADVISOR_VIEW_DAYS + 30);
    await look('UP1', 'UADV', ADVISOR_VIEW_DAYS + 20);
    await look('UP1', 'UADV', 3);
    await look('UP2', 'UADV', ADVISOR_VIEW_DAYS + 30);
    await look('UP2', 'UADV', ADVISOR_VIEW_DAYS + 10);
    const known = await countKnownPeople(db, TEAM, 'UADV');
    expect((await pruneExpiredRows(db, NOW, 'replica-a', logger)).deleted?.advisor_views).toBe(3);
    const left = await db.selectFrom('advisor_views').select(['owner_id', 'viewed_at']).orderBy('id').execute();
    expect(left).toEqual([
      { owner_id: 'UP1', viewed_at: daysAgo(3) },
      { owner_id: 'UP2', viewed_at: daysAgo(ADVISOR_VIEW_DAYS + 10) },
    ]);
    expect(await countKnownPeople(db, TEAM, 'UADV')).toBe(known);
  });

  it('forgets frozen cohort weeks and Monday charts older than 12 weeks, never a chart being sent', async () => {
    const week = (days: number) => daysAgo(days).slice(0, 10);
    for (const [start, metric] of [
      [week(90), 'members'],
      [week(90), 'asks'],
      [week(70), 'members'],
    ] as const)
      await db
        .insertInto('cohort_weeks')
        .values({ team_id: TEAM, week_start: start, metric, value: 1, contributors: 1, frozen_at: NOW.toISOString() })
        .execute();
    for (const [advisor, start, state] of [
      ['UA1', week(90), 'sent'],
      ['UA2', week(90), 'claimed'],
      ['UA3', week(70), 'sent'],
    ] as const)
      await db
        .insertInto('advisor_charts')
        .values({
          team_id: TEAM,
          advisor_id: advisor,
          week_start: start,
          state,
          claims: 1,
          lease_until: null,
          file_id: null,
          sent_at: null,
          last_error: null,
          updated_at: NOW.toISOString(),
        })
        .execute();
    const pass = await pruneExpiredRows(db, NOW, 'replica-a', logger);
    expect(pass.deleted).toMatchObject({ cohort_weeks: 1, advisor_charts: 1 });
    expect(await db.selectFrom('cohort_weeks').select('week_start').execute()).toEqual([{ week_start: week(70) }]);
    expect(
      (await db.selectFrom('advisor_charts').select('advisor_id').orderBy('advisor_id').execute()).map(
        (row) => row.advisor_id,
      ),
    ).toEqual(['UA2', 'UA3']);
  });
});

describe('data retention in housekeeping', () => {
  it("runs in the engine's housekeeping, then waits an hour once nothing is left", async () => {
    await db.destroy();
    h = await startHarness({ now: NOW.toISOString() });
    db = h.db;
    await meetingReminder('sent', 60);
    await h.infoview.housekeeping();
    expect(await remainingReminders()).toEqual([]);
    await meetingReminder('sent', 60);
    h.clock.advance(30 * 60_000);
    await h.infoview.housekeeping();
    expect((await remainingReminders()).length).toBe(1);
    h.clock.advance(31 * 60_000);
    await h.infoview.housekeeping();
    expect(await remainingReminders()).toEqual([]);
  });
});
