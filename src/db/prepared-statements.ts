import { createHash } from 'node:crypto';

// A speed mechanism: its ledger entry is "Prepared statements on PostgreSQL" in docs/performance.md.

/** Statement texts PostgreSQL is to keep prepared on each connection, by their name there. */
const names = new Map<string, string>();
/** Beyond this many texts a new one runs unprepared: a connection's prepared statements stay bounded. */
const MAX_PREPARED = 500;

/**
 * Asks that `sql` run as a named prepared statement on PostgreSQL: parsed and planned once per connection instead of
 * once per call. Only for texts of a fixed set (compiled queries, one per shape), never for SQL built per call.
 */
export function keepPrepared(sql: string): void {
  if (names.has(sql) || names.size >= MAX_PREPARED || selectsEveryColumn(sql)) return;
  names.set(sql, `iv_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`);
}

/** The name `sql` is prepared under on PostgreSQL, if it is to be kept prepared. */
export function preparedName(sql: string): string | undefined {
  return names.get(sql);
}

/**
 * A prepared `select *` (or `returning *`) fails once a later release adds a column to its table ("cached plan must
 * not change result type"): such a text is never kept prepared.
 */
function selectsEveryColumn(sql: string): boolean {
  return sql.replaceAll('count(*)', '').includes('*');
}
