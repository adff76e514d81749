import type { Logger } from '@slack/bolt';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { Clock } from './lib/clock.js';
import type { SealedInstallationStore } from './slack/installs/installation-store.js';

/** What a listener needs (built once by `Infoview.create`, or by a test with its own clock and database). */
export interface ListenerDeps {
  readonly config: Config;
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  /** OAuth installs: the installations, tokens sealed; null with one bot token. */
  readonly installations: SealedInstallationStore | null;
}

/** What the reminder engine needs: its database, clock, sender and pacing (built by `Infoview.create`). */
export type { ReminderJobDeps as EngineDeps } from './engine/index.js';
