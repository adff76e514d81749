import { SealedInstallationStore } from './slack/installation-store.js';
import { parseTokenKey, TokenCipher } from './lib/token-cipher.js';
import type { Logger } from '@slack/bolt';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { type Clock, systemClock } from './lib/clock.js';
import { InFlight } from './lib/in-flight.js';

/** Everything a listener or job needs, built once in main.ts (or by a test with its own clock and database). */
export interface AppDeps {
  readonly config: Config;
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly inFlight: InFlight;
  /** OAuth installs: the installations, tokens sealed; null with one bot token. */
  readonly installations: SealedInstallationStore | null;
}

export function createDeps(
  base: Pick<AppDeps, 'config' | 'db' | 'logger'>,
  overrides: Partial<Pick<AppDeps, 'clock' | 'inFlight'>> = {},
): AppDeps {
  const clock = overrides.clock ?? systemClock;
  const oauth = base.config.oauth;
  return {
    ...base,
    clock,
    inFlight: overrides.inFlight ?? new InFlight(),
    installations:
      oauth === undefined
        ? null
        : new SealedInstallationStore(
            base.db,
            new TokenCipher(parseTokenKey(oauth.encryptionKey), oauth.previousEncryptionKeys.map(parseTokenKey)),
            clock,
          ),
  };
}
