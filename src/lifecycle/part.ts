import type { Server } from 'node:http';
import type { Logger } from '@slack/bolt';

/** Why the app cannot start (a database that cannot be migrated, Slack out of reach): said once, then exit 1. */
export class StartError extends Error {
  override readonly name = 'StartError';
}

/**
 * One named part of the process (the database, the Slack app, the engine, the health server). `Infoview` starts the
 * parts in order and stops them in reverse under one deadline. `stop` is called whether or not `start` ran (or
 * finished), so it stops only what is running; it never waits past the deadline.
 */
export interface Part {
  readonly name: string;
  start(): Promise<void>;
  stop(deadline: Deadline): Promise<void>;
}

/** Where a part that serves HTTP listens, once started. */
export interface Listening {
  /** The port when listening over HTTP (null in Socket Mode). */
  port: number | null;
  /** The HTTP server (Bolt's, the one beside Socket Mode, or the routes' own); null when there is none. */
  server: Server | null;
}

/** The one deadline of a shutdown: each part waits within what is left of it, then the shutdown goes on. */
export class Deadline {
  private readonly at: number;

  constructor(
    ms: number,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {
    this.at = Date.now() + ms;
  }

  /** Milliseconds left (0 once passed). */
  leftMs(): number {
    return Math.max(0, this.at - Date.now());
  }

  /** `work`'s result, or undefined once the deadline has passed (said in the log: `what` did not finish). */
  within<T>(work: Promise<T>, what: string): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        this.logger.warn(`shutdown: ${what} did not finish within the deadline; going on`);
        resolve(undefined);
      }, this.leftMs());
    });
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  }
}

/** A port already taken, said plainly; any other error as it is. */
export function portInUse(error: unknown, port: number): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') return error;
  return new StartError(
    `port ${port} is in use by another process: set PORT (an engine process listens on 3001 by default, the others on 3000)`,
  );
}
