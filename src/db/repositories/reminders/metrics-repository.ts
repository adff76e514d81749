import { sql } from 'kysely';
import type { Db } from '../../database.js';

/**
 * Reminders still to do or failed for good, by kind and state (sent, skipped and cancelled only grow: not counted).
 * Read from the (state, kind) index alone: on SQLite the count runs on the event loop.
 */
export function openRemindersQuery(db: Db) {
  return db
    .selectFrom('reminders')
    .select(['kind', 'state', (eb) => eb.fn.countAll<number>().as('count')])
    .where('state', 'in', ['pending', 'claimed', 'failed'])
    .groupBy(['kind', 'state']);
}

export async function countOpenReminders(db: Db): Promise<{ kind: string; state: string; count: number }[]> {
  const rows = await openRemindersQuery(db).execute();
  return rows.map((row) => ({ kind: row.kind, state: row.state, count: Number(row.count) }));
}

/** The due backlog: pending reminders whose time has come, and the oldest due time among them. */
export async function dueBacklog(db: Db, nowIso: string): Promise<{ count: number; oldestDueAt: string | null }> {
  const row = await db
    .selectFrom('reminders')
    .select([sql<number>`count(*)`.as('count'), sql<string | null>`min(due_at)`.as('oldest')])
    .where('state', '=', 'pending')
    .where('due_at', '<=', nowIso)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), oldestDueAt: row.oldest };
}
