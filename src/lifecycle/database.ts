import type { Logger } from '@slack/bolt';
import type { Config } from '../config.js';
import { type Db, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { type Deadline, type Part, StartError } from './part.js';

/**
 * The database: opened and migrated when built (tests write to it before the app starts), closed last. Its query
 * timings go to the metrics once they exist (they read the database, so they are made after it).
 */
export class DatabasePart implements Part {
  readonly name = 'database';
  private observe: ((seconds: number, failed: boolean) => void) | null = null;
  private readonly onStop: (() => void)[] = [];
  readonly db: Db;

  private constructor(config: Config, logger: Logger, given: Db | undefined) {
    this.db =
      given ??
      openDatabase(config.databaseUrl, {
        onQuery: (ms, failed) => this.observe?.(ms / 1000, failed),
        cacheMb: config.sqlite.cacheMb,
        mmapMb: config.sqlite.mmapMb,
        poolSize: config.databasePoolSize,
        onPoolError: (error) => logger.warn(`a database connection failed while idle (replaced): ${error.message}`),
      });
  }

  /** Opens `config.databaseUrl` (or takes `given`) and migrates it; closes it again if it cannot be migrated. */
  static async open(config: Config, logger: Logger, given?: Db): Promise<DatabasePart> {
    const part = new DatabasePart(config, logger, given);
    try {
      const applied = await migrateToLatest(part.db);
      if (applied.length > 0) logger.info(`migrations applied: ${applied.join(', ')}`);
    } catch (error) {
      await part.db.destroy();
      const { message, cause } = error as Error;
      throw new StartError(`the database could not be migrated: ${message}${cause ? ` (${String(cause)})` : ''}`);
    }
    return part;
  }

  /** Where each query's duration goes (a failed query counts as failed). */
  timeQueriesWith(observe: (seconds: number, failed: boolean) => void): void {
    this.observe = observe;
  }

  /** Runs `undo` just before the database closes (what was set up beside it, such as Web API timing). */
  beforeClose(undo: () => void): void {
    this.onStop.push(undo);
  }

  async start(): Promise<void> {}

  async stop(_deadline: Deadline): Promise<void> {
    for (const undo of this.onStop) undo();
    await this.db.destroy();
  }
}
