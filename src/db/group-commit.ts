import type { Db, Executor } from './database.js';

interface Pending {
  work: (db: Executor) => Promise<unknown>;
  /** Where the write goes in its transaction: writes run in this order (the order of the rows they lock). */
  lockOrder: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * A speed mechanism (docs/performance.md, "Group commit").
 * Group commit: writes handed in during one turn of the event loop (up to `maxBatch`) run in one transaction, so a
 * burst of small writes (the engine recording outcomes) pays for one commit instead of one each. Each write still
 * succeeds or fails on its own (a write's work must be safe to run again after its transaction was undone: it does
 * nothing but its statement on the executor it is given); a failed commit fails them all.
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

  /**
   * Runs `work`, one statement (alone in its turn, it runs without a transaction of its own: begin and commit were 2
   * of the 3 statements of most outcomes on PostgreSQL, and one statement is atomic by itself).
   */
  run<T>(work: (db: Executor) => Promise<T>, lockOrder = 0): Promise<T> {
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
    let batch = this.pending.sort((a, b) => a.lockOrder - b.lockOrder);
    this.pending = [];
    // No savepoint per write (two statements each, most of a recorded outcome's statements on PostgreSQL): a write
    // that fails undoes the transaction, fails alone, and the others run again without it in a new one. They see
    // what they would have seen beside it under savepoints (the writes before it), and failures are rare.
    while (batch.length > 0) {
      const [only] = batch;
      if (batch.length === 1 && only !== undefined) {
        try {
          only.resolve(await only.work(this.db));
        } catch (error) {
          only.reject(error);
        }
        return;
      }
      const results: unknown[] = [];
      let failed: { index: number; error: unknown } | null = null;
      try {
        await this.db.transaction().execute(async (trx) => {
          for (const [index, item] of batch.entries()) {
            try {
              results.push(await item.work(trx));
            } catch (error) {
              failed = { index, error };
              throw error;
            }
          }
        });
      } catch (error) {
        // The transaction itself failed (its begin or commit): every write fails with it.
        if (failed === null) {
          for (const item of batch) item.reject(error);
          return;
        }
        const { index, error: own } = failed as { index: number; error: unknown };
        (batch[index] as Pending).reject(own);
        batch = batch.filter((_, i) => i !== index);
        continue;
      }
      batch.forEach((item, i) => {
        item.resolve(results[i]);
      });
      return;
    }
  }
}
