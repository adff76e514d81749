import { ErrorCode, WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import type { ListenerDeps } from '../deps.js';
import { loadAdvisorHome } from '../domain/centre/advisor-service.js';
import { loadHome } from '../domain/home-service.js';
import { storedTimeZone } from '../domain/time-zones/user-time-zone.js';
import type { Owner } from '../domain/types.js';
import { FALLBACK_TIME_ZONE } from '../lib/zoned-time.js';
import { InstalledTeamClients, singleTokenClients, type TeamClients } from './installs/team-clients.js';
import { withAdvisorView } from './ui/home/advisor-home-view.js';
import { buildHomeView } from './ui/home/home-view.js';
import { backgroundClientOptions } from './web-api/client-options.js';

/** Builds the user's Home tab from the database and publishes it with `client` (views.publish). Throws what Slack says. */
export async function publishHome(
  client: Pick<WebClient, 'views'>,
  deps: Pick<ListenerDeps, 'db' | 'clock'>,
  owner: Owner,
): Promise<void> {
  const now = deps.clock.now();
  const zone = (await storedTimeZone(deps.db, owner)) ?? FALLBACK_TIME_ZONE;
  // An active advisor's Home also shows who shares with them (read now: a withdrawn share is gone at once).
  const view = withAdvisorView(
    buildHomeView(await loadHome(deps.db, owner, now, zone), zone),
    await loadAdvisorHome(deps.db, owner, now),
    zone,
  );
  await client.views.publish({ user_id: owner.userId, view });
}

/** When a rate-limited publish is tried again, if Slack gave no Retry-After. */
const DEFAULT_RETRY_MS = 30_000;

/**
 * Publishes users' Home tabs (views.publish) without ever delaying a modal: its own WebClient, which never retries on
 * its own and rejects rate-limited calls at once (the app's client would pause its whole queue for Retry-After, and
 * every views.open of the workspace with it, until triggers expire). Requests for one user are coalesced: while one
 * publish runs, any number of further clicks make one more, with the state as it is then. A 429 is tried again after
 * its Retry-After. Never throws.
 */
export class HomePublisher {
  private readonly clients: TeamClients;
  private readonly running = new Map<string, { again: boolean; done: Promise<void> }>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    config: Pick<Config, 'botToken' | 'slackApiUrl'>,
    private readonly deps: Pick<ListenerDeps, 'db' | 'clock' | 'logger' | 'installations'>,
    /** How a retry waits; tests pass one they fire themselves. */
    private readonly later: (run: () => void, ms: number) => NodeJS.Timeout = (run, ms) => setTimeout(run, ms).unref(),
  ) {
    const options = backgroundClientOptions(config, deps.logger);
    this.clients =
      deps.installations === null
        ? singleTokenClients(new WebClient(config.botToken, options))
        : new InstalledTeamClients(deps.installations, options);
  }

  /** Publishes the user's Home, or joins (and repeats once after) the publish already running for them. */
  publish(owner: Owner): Promise<void> {
    const key = `${owner.teamId}/${owner.userId}`;
    const current = this.running.get(key);
    if (current !== undefined) {
      current.again = true;
      return current.done;
    }
    const run = { again: true, done: Promise.resolve() };
    run.done = (async () => {
      try {
        while (run.again && !this.stopped) {
          run.again = false;
          await this.publishOnce(owner, key);
        }
      } finally {
        this.running.delete(key);
      }
    })();
    this.running.set(key, run);
    return run.done;
  }

  /** No more retries; publishes under way finish. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
  }

  private async publishOnce(owner: Owner, key: string): Promise<void> {
    try {
      await publishHome(await this.clients.forTeam(owner.teamId), this.deps, owner);
    } catch (error) {
      if ((error as { code?: unknown }).code === ErrorCode.RateLimitedError) {
        const seconds = Number((error as { retryAfter?: unknown }).retryAfter);
        this.retryLater(owner, key, Number.isFinite(seconds) ? seconds * 1000 : DEFAULT_RETRY_MS);
        return;
      }
      this.deps.logger.warn(`publishing Home for ${key} failed`, error);
    }
  }

  /** One retry per user at a time: a later 429 for the same user finds it already waiting. */
  private retryLater(owner: Owner, key: string, ms: number): void {
    if (this.stopped || this.retries.has(key)) return;
    this.deps.logger.info(`Home for ${key} rate limited; publishing again in ${Math.ceil(ms / 1000)} s`);
    this.retries.set(
      key,
      this.later(() => {
        this.retries.delete(key);
        void this.publish(owner);
      }, ms),
    );
  }
}
