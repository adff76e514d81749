import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/db/database.js';
import { paddedLength, paddedList } from '../../src/db/in-list.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import {
  loadContactFacts,
  loadMeetingFacts,
  loadReminderRows,
} from '../../src/db/repositories/reminders/reminder-facts-repository.js';
import { claimDueReminders, renewLeases } from '../../src/db/repositories/reminders/reminders-repository.js';
import { scheduleMeeting } from '../../src/domain/meetings/meetings-service.js';
import { testDatabaseUrl, testDialect } from '../support/test-database.js';

// Every length of an `in (…)` list is a statement of its own, and SQLite keeps each prepared statement in native
// memory (400 lengths of one small UPDATE held 20 MB): lists are padded to a few lengths (memory, issues 13 and 14).
// Padding must never change which rows a query touches.

const ANN = { teamId: 'T0001', userId: 'U0001' };
const NOW = new Date('2026-11-02T14:00:00.000Z');
const MEETINGS = 70;

let db: Db;
const statements = new Set<string>();
let meetingIds: number[] = [];
let contactIds: number[] = [];

beforeAll(async () => {
  db = openDatabase(await testDatabaseUrl(), { onQuery: (_ms, _failed, text) => statements.add(text) });
  await migrateToLatest(db);
  for (let i = 0; i < MEETINGS; i++) {
    const { meeting } = await scheduleMeeting(
      db,
      ANN,
      {
        contactId: null,
        contact: { name: `Person ${i}`, pronunciation: null, title: 'Analyst', company: 'Engines' },
        plan: {
          startsAt: new Date(NOW.getTime() + (i + 1) * 86_400_000),
          durationMinutes: 30,
          location: null,
          goal: null,
          questions: null,
        },
      },
      { now: NOW, timeZone: 'Europe/London', sourceViewId: `V${i}` },
    );
    meetingIds.push(meeting.id);
    contactIds.push(meeting.contactId as number);
  }
  meetingIds = meetingIds.sort((a, b) => a - b);
  contactIds = [...new Set(contactIds)].sort((a, b) => a - b);
});

afterAll(async () => {
  await db?.destroy();
});

/** The distinct statements `run` sent for every list length from 1 to `max`. */
async function statementsOver(max: number, run: (length: number) => Promise<void>): Promise<number> {
  statements.clear();
  for (let length = 1; length <= max; length++) await run(length);
  return statements.size;
}

describe('paddedList', () => {
  it('pads to the next power of two up to 512, then to multiples of 512, repeating the last value', () => {
    expect([0, 1, 2, 3, 5, 200, 256, 257, 512, 513, 1100].map(paddedLength)).toEqual([
      0, 1, 2, 4, 8, 256, 256, 512, 512, 1024, 1536,
    ]);
    expect(paddedList([7, 8, 9])).toEqual([7, 8, 9, 9]);
    expect(paddedList([])).toEqual([]);
  });
});

describe('in (…) lists', () => {
  it('the meeting facts of 1 to 70 meetings take 8 statements, each returning every meeting asked for once', async () => {
    const count = await statementsOver(MEETINGS, async (length) => {
      const asked = meetingIds.slice(0, length);
      const subjects = await loadMeetingFacts(db, asked);
      expect(subjects.map((subject) => subject.id).sort((a, b) => a - b)).toEqual(asked);
    });
    expect(count).toBe(Math.log2(paddedLength(MEETINGS)) + 1);
  });

  it('so do the reminder rows and the contact facts', async () => {
    const rows = await statementsOver(MEETINGS, async (length) => {
      const asked = meetingIds.slice(0, length);
      const bySubject = await loadReminderRows(db, 'meeting_id', asked);
      expect([...bySubject.keys()].sort((a, b) => a - b)).toEqual(asked);
      const ids = [...bySubject.values()].flat().map((row) => row.id);
      expect(new Set(ids).size).toBe(ids.length);
    });
    expect(rows).toBe(8);
    const contacts = await statementsOver(contactIds.length, async (length) => {
      const asked = contactIds.slice(0, length);
      const subjects = await loadContactFacts(db, asked, 'Europe/London');
      expect(subjects.map((subject) => subject.id).sort((a, b) => a - b)).toEqual(asked);
    });
    // The contact facts' second statement (the holidays of the teams with asks) is not run: no asks here.
    expect(contacts).toBe(Math.log2(paddedLength(contactIds.length)) + 1);
  });

  it('renewing any number of claims renews each claim once, in a few statements', async () => {
    await sql`update reminders set due_at = ${'2026-11-01T00:00:00.000Z'} where state = 'pending'`.execute(db);
    const claimed = await claimDueReminders(db, NOW.toISOString(), '2026-11-02T14:01:00.000Z', 1000);
    expect(claimed.length).toBeGreaterThan(MEETINGS);
    const claims = claimed.map(({ id, claims: count }) => ({ id, claims: count }));
    const count = await statementsOver(claims.length, async (length) => {
      const renewed = await renewLeases(db, claims.slice(0, length), '2026-11-02T14:02:00.000Z');
      expect(renewed.sort((a, b) => a - b)).toEqual(
        claims
          .slice(0, length)
          .map((claim) => claim.id)
          .sort((a, b) => a - b),
      );
    });
    expect(count).toBe(Math.log2(paddedLength(claims.length)) + 1);
  });
});

describe.runIf(testDialect() === 'postgres')('one process, both databases', () => {
  it('a query compiled once for PostgreSQL is compiled again for SQLite', async () => {
    expect((await loadMeetingFacts(db, meetingIds.slice(0, 3))).length).toBe(3);
    const sqlite = openDatabase(':memory:');
    try {
      await migrateToLatest(sqlite);
      expect(await loadMeetingFacts(sqlite, meetingIds.slice(0, 3))).toEqual([]);
      expect(await loadReminderRows(sqlite, 'meeting_id', meetingIds.slice(0, 3))).toEqual(new Map());
    } finally {
      await sqlite.destroy();
    }
  });
});
