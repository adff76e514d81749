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
}

export function createDeps(
  base: Pick<AppDeps, 'config' | 'db' | 'logger'>,
  overrides: Partial<Pick<AppDeps, 'clock' | 'inFlight'>> = {},
): AppDeps {
  return {
    ...base,
    clock: overrides.clock ?? systemClock,
    inFlight: overrides.inFlight ?? new InFlight(),
  };
}
