import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  Kysely,
  type LogEvent,
  PostgresAdapter,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  sql,
  type Transaction,
} from 'kysely';
import type pg from 'pg';
import { preparedName } from './prepared-statements.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** What a query runs on: the database, or a transaction of it. */
export type Executor = Db | Transaction<Database>;

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseOptions {
  /** Called after every query with its duration (metrics) and its SQL text. */
  onQuery?: (milliseconds: number, failed: boolean, sql: string) => void;
  /** SQLite's page cache in MiB (16 by default). */
  cacheMb?: number;
  /** Reads through a memory map of up to this many MiB of the file; 0 (the default) reads with read calls. */
  mmapMb?: number;
  /** PostgreSQL: connections this process keeps at most (10 by default). */
  poolSize?: number;
  /** PostgreSQL: an idle connection failed (the server restarted, say); the pool replaces it. */
  onPoolError?: (error: Error) => void;
}

/** True for a PostgreSQL connection string; anything else is a SQLite file (or `:memory:`). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** The database for people to read: a PostgreSQL URL without its password, or the SQLite path. */
export function describeDatabaseUrl(url: string): string {
  if (!isPostgresUrl(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}

/**
 * Opens the database `url` names: a PostgreSQL server (`postgres://…`) through a pool, else the SQLite file at that
 * path (`:memory:` for tests; a `sqlite:` or `file:` prefix is dropped).
 */
export function openDatabase(url: string, options: DatabaseOptions = {}): Db {
  const log = options.onQuery
    ? {
        log: (event: LogEvent) =>
          options.onQuery?.(event.queryDurationMillis, event.level === 'error', event.query.sql),
      }
    : {};
  if (isPostgresUrl(url)) return new Kysely<Database>({ dialect: postgresDialect(url, options), ...log });
  return new Kysely<Database>({ dialect: sqliteDialect(url.replace(/^(sqlite|file):/, ''), options), ...log });
}

/** Which database engine a query runs on; where their SQL must differ, `db/dialect.ts` asks this. */
export function dialectOf(db: Executor): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * A pool of `poolSize` connections. Counts (`count(*)`, bigint) and numerics come back as numbers, as SQLite gives
 * them: every count the app reads is far below 2^53.
 */
function postgresDialect(url: string, options: DatabaseOptions): PostgresDialect {
  // Loaded only here: a SQLite install never has pg in memory.
  const { Client, Pool, types } = requireModule('pg') as typeof pg;
  const pool = new Pool({
    connectionString: url,
    Client: preparingClient(Client),
    max: options.poolSize ?? 10,
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID ? (value: string) => Number(value) : types.getTypeParser(oid, format),
    },
  });
  // Without a listener an idle connection's error (a server restart) would end the process.
  pool.on('error', (error) => options.onPoolError?.(error));
  return new PostgresDialect({ pool });
}

/**
 * pg's client, running the texts `keepPrepared` named as named prepared statements (a speed mechanism:
 * docs/performance.md, "Prepared statements on PostgreSQL"). Kysely calls `query(text, values)`; anything else passes.
 */
function preparingClient(Client: typeof pg.Client): typeof pg.Client {
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  class PreparingClient extends Client {}
  Object.defineProperty(PreparingClient.prototype, 'query', {
    value(this: pg.Client, config: unknown, values?: unknown, callback?: unknown) {
      const name = typeof config === 'string' ? preparedName(config) : undefined;
      if (name === undefined) return query.call(this, config, values, callback);
      return query.call(this, { name, text: config, values }, callback);
    },
  });
  return PreparingClient;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const requireModule = createRequire(import.meta.url);

/**
 * The SQLite file at `path`, creating its folder, with WAL, foreign keys and a busy timeout. Kysely serialises
 * queries on this one connection, so never await Slack inside a transaction. The write-ahead log is copied into the
 * file by whichever commit crosses 1,000 pages (SQLite's own way). Migrations run in a transaction here too (SQLite's
 * DDL is transactional; Kysely's SQLite adapter just does not say so).
 */
function sqliteDialect(path: string, options: DatabaseOptions): SqliteDialect {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path, { timeout: 5000 });
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // A page cache of 16 MiB instead of 2 keeps the hot index pages of a large reminders table; the rest come from
  // the operating system's cache. A memory map saves a read call per page, but every page it touches counts in the
  // process's resident memory: off unless asked for (SQLITE_MMAP_MB).
  sqlite.pragma(`cache_size = -${Math.round((options.cacheMb ?? 16) * 1024)}`);
  sqlite.pragma(`mmap_size = ${Math.round((options.mmapMb ?? 0) * 1024 * 1024)}`);
  // Lets the planner use gathered statistics on a long-lived connection (SQLite's advice for every open); without
  // them it may walk all of a user's meetings instead of using meetings_contact_idx.
  sqlite.pragma('optimize = 0x10002');
  const statements = new Map<string, SQLite.Statement>();
  const database = {
    // A speed mechanism (docs/performance.md, "The SQLite driver and its settings").
    // Kysely prepares every query anew (tens of µs, the largest database cost of a small transaction); the same SQL
    // text is the same statement, so keep the most recently used ones. Safe: queries run one at a time, to completion.
    prepare(query: string) {
      let statement = statements.get(query);
      if (statement === undefined) {
        statement = sqlite.prepare(query);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
      } else statements.delete(query);
      statements.set(query, statement);
      return statement;
    },
    close: () => sqlite.close(),
  };
  return new InfoviewSqliteDialect({ database });
}

class InfoviewSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new WriteLockingSqliteDriver(this.settings);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/**
 * Transactions take the write lock when they begin (`begin immediate`), waiting up to the busy timeout for it. With
 * another process on the file (a web process beside an engine process, a CLI), a plain `begin` reads, then fails at
 * its first write with SQLITE_BUSY if the other wrote in between: the busy timeout cannot help a transaction whose
 * snapshot is already stale.
 */
class WriteLockingSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Prepared statements kept per connection (an `in (…)` list of each length is a statement of its own). */
const STATEMENT_CACHE_SIZE = 500;

/** True when the database answers a trivial query; never throws (the readiness probe uses it). */
export async function databaseAnswers(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
