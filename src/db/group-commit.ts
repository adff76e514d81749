import { sql, type Transaction } from 'kysely';
import type { Db } from './database.js';
import type { Database } from './schema.js';

interface Pending {
  work: (trx: Transaction<Database>) => Promise<unknown>;
  /** Where the write goes in its transaction: writes run in this order (the order of the rows they lock). */
  lockOrder: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * A speed mechanism (docs/performance.md, "Group commit").
 * Group commit: writes handed in during one turn of the event loop (up to `maxBatch`) run in one transaction, so a
 * burst of small writes (the engine recording outcomes) pays for one commit instead of one each. Each write still
 * succeeds or fails on its own; a failed commit fails them all.
 *
 * A transaction's writes run in the order of their `lockOrder` (the id of the one row each locks), not the order they
 * came in: the reconcile locks reminder rows by id (PostgreSQL), and a transaction that locked a later row first and
 * then waited for an earlier one would deadlock with it (40P01).
 */
export class GroupCommit {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 64,
  ) {}

  run<T>(work: (trx: Transaction<Database>) => Promise<T>, lockOrder = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, lockOrder, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length >= this.maxBatch) void this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    // Stable: writes of one row keep the order they came in.
    const batch = this.pending.sort((a, b) => a.lockOrder - b.lockOrder);
    this.pending = [];
    if (batch.length === 0) return;
    const results: ({ ok: unknown } | { error: unknown })[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        // Alone, a write's failure fails its transaction: no savepoint needed (two round trips fewer on PostgreSQL).
        if (batch.length === 1) {
          results.push({ ok: await (batch[0] as Pending).work(trx) });
          return;
        }
        // Each write under its own savepoint: one that fails is undone alone (PostgreSQL would otherwise refuse
        // every later statement of the transaction, and SQLite would keep the part of it that ran).
        for (const item of batch) {
          await sql`savepoint group_item`.execute(trx);
          try {
            results.push({ ok: await item.work(trx) });
            await sql`release savepoint group_item`.execute(trx);
          } catch (error) {
            results.push({ error });
            await sql`rollback to savepoint group_item`.execute(trx);
            await sql`release savepoint group_item`.execute(trx);
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const result = results[i] as { ok: unknown } | { error: unknown };
      if ('error' in result) item.reject(result.error);
      else item.resolve(result.ok);
    });
  }
}
