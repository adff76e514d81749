import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { claimDueReminders } from '../../src/db/repositories/reminders-repository.js';
import type { Database } from '../../src/db/schema.js';

/**
 * The claim's statements on SQLite exactly as the repository issues them (its picks: reminders taken over, then due
 * ones), captured from Kysely's log, with the query plan of each, the full scans among them and the indexes they use.
 * `nowIso` must be an instant with nothing due: the captured run then changes nothing.
 */
export async function sqliteClaimPlan(path: string, nowIso: string, batch: number) {
  const sqlite = new SQLite(path, { timeout: 5000 });
  const captured: { sql: string; parameters: readonly unknown[] }[] = [];
  const spy = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (event) => void captured.push({ sql: event.query.sql, parameters: event.query.parameters }),
  });
  try {
    const claimed = await claimDueReminders(spy, nowIso, nowIso, batch);
    if (claimed.length > 0) throw new Error('the idle claim used for the plan claimed reminders');
    if (captured.length === 0) throw new Error('claimDueReminders issued no statement');
    const plans = captured.map(
      (statement) =>
        sqlite.prepare(`explain query plan ${statement.sql}`).all(...(statement.parameters as unknown[])) as {
          id: number;
          parent: number;
          detail: string;
        }[],
    );
    const rows = plans.flat();
    const plan = plans.flatMap((statementRows) => {
      const depth = new Map<number, number>([[0, 0]]);
      return statementRows.map((row) => {
        const level = (depth.get(row.parent) ?? 0) + 1;
        depth.set(row.id, level);
        return `${'  '.repeat(level - 1)}${row.detail}`;
      });
    });
    return {
      sql: captured.map((statement) => statement.sql),
      plan,
      fullScans: rows.filter((row) => /^SCAN /.test(row.detail)).map((row) => row.detail),
      indexes: [...new Set(rows.flatMap((row) => /USING (?:COVERING )?INDEX (\w+)/.exec(row.detail)?.[1] ?? []))],
    };
  } finally {
    await spy.destroy();
  }
}
