import { type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { dialectOf, type Executor } from './database.js';
import { paddedList } from './in-list.js';
import type { Database } from './schema.js';

// Where SQLite and PostgreSQL need different SQL, the difference lives here. On SQLite one connection runs one
// statement at a time, so a statement never races another; on PostgreSQL several connections (and replicas) do.

/**
 * The rows a claim picks: on PostgreSQL locked as they are picked, skipping rows another claim is locking (so two
 * replicas claiming at once take different rows, and neither waits for the other). SQLite's writes are serial.
 */
export function lockedForClaim<DB, TB extends keyof DB, O>(
  db: Executor,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return dialectOf(db) === 'postgres' ? query.forUpdate().skipLocked() : query;
}

/**
 * The rows a query picks, locked on PostgreSQL in the order of `column` (the lock is taken after the sort; text in
 * the "C" collation, the order JavaScript's sort gives ASCII text), so that statements locking the same rows take
 * them in one order and never wait for each other in a cycle. SQLite's writes are serial.
 */
export function lockedInOrder<DB, TB extends keyof DB, O>(
  db: Executor,
  query: SelectQueryBuilder<DB, TB, O>,
  column: { text: string } | { integer: string },
): SelectQueryBuilder<DB, TB, O> {
  if (dialectOf(db) !== 'postgres') return query;
  const order = 'text' in column ? sql`${sql.ref(column.text)} collate "C"` : sql.ref(column.integer);
  return query.orderBy(order).forUpdate();
}

/**
 * Locks meetings or contacts for the rest of the transaction, in id order (no two transactions wait for each other
 * in a cycle), so two reconciles of one subject (two replicas, or a request beside the engine) run one after the
 * other and the second sees what the first wrote. SQLite's transactions already run one at a time.
 */
export async function lockSubjects(
  trx: Executor,
  table: keyof Pick<Database, 'meetings' | 'contacts'>,
  ids: readonly number[],
): Promise<void> {
  if (ids.length === 0 || dialectOf(trx) !== 'postgres') return;
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  await sql`select id from ${sql.table(table)} where id in (${sql.join(paddedList(sorted))}) order by id for update`.execute(
    trx,
  );
}

/**
 * Locks a workspace's centre settings for the rest of the transaction on PostgreSQL, so a person's share (checked
 * against the advisors, then stored) and an admin's change of advisors run one after the other: otherwise a share
 * checked just before its advisor was removed is stored just after, for someone no longer an advisor. SQLite's
 * transactions already run one at a time.
 */
export async function lockCentre(trx: Executor, teamId: string): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return;
  await sql`select team_id from centre_settings where team_id = ${teamId} for update`.execute(trx);
}

/**
 * `id` among the ids a subquery picks. PostgreSQL plans `id in (subquery) or id in (subquery)` as a scan of the whole
 * table (100 ms with a million reminders); `id = any(array(subquery))` is looked up by the primary key instead.
 */
export function idAmong<DB, TB extends keyof DB>(
  db: Executor,
  eb: ExpressionBuilder<DB, TB>,
  ids: SelectQueryBuilder<DB, TB, { id: number }>,
): Expression<SqlBool> {
  return dialectOf(db) === 'postgres'
    ? sql<SqlBool>`${eb.ref('id' as never)} = any(array(${ids}))`
    : eb('id' as never, 'in', ids as never);
}

/**
 * Makes one user's bulk changes (a contact import) run one at a time on PostgreSQL: a transaction-scoped advisory
 * lock on the workspace and user, released at commit or rollback. SQLite's transactions already run one at a time.
 */
export async function lockOwner(trx: Executor, owner: { teamId: string; userId: string }): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${`${owner.teamId}:${owner.userId}`}, 0))`.execute(trx);
}
