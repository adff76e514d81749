import { randomUUID } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { Db } from '../../db/database.js';
import {
  deleteInstallation,
  findInstallation,
  findInstallationForTeam,
  type InstallationRow,
  installKey,
  listInstallations,
  resealTokens,
  saveInstallation,
  saveRefreshedTokens,
} from '../../db/repositories/installations-repository.js';
import {
  leaseRunsUntil,
  releaseLeases,
  takeLeases,
  tokenRefreshBackoffLease,
  tokenRefreshLease,
} from '../../db/repositories/reminders/leases-repository.js';
import { type Clock, realSleep } from '../../lib/clock.js';
import { pausePoint } from '../../lib/pause-points.js';
import type { TokenCipher } from '../../lib/token-cipher.js';
import { fromDbInstant, toDbInstant } from '../../lib/zoned-time.js';
import type { TokenRefresh } from './token-refresh.js';

// Installations by OAuth (issue 16), kept by Bolt's OAuth flow through this store: every token sealed before it is
// written, opened only in memory. Opened installations are cached for a short while (a token is looked up for every
// request and every reminder); this process forgets one at once when it is deleted or replaced, and another
// replica's change is seen within CACHE_MS.
//
// Token rotation: Slack honours a refresh token once, so two refreshes with the same one leave the loser with a spent
// refresh token, and the workspace dead when its token expires. This store alone refreshes, for requests (Bolt's
// authorize reads installations here without their refresh token, so InstallProvider never refreshes) and reminders:
// one refresh per installation at a time in a process (the callers share it), one across replicas (a lease row; the
// others wait and read the token it stored), a cached copy never trusted inside the refresh window, and no store ever
// replaces a row whose token expires hours later than the one it brings (a stale copy).

const CACHE_MS = 30_000;
/** A rotating token is refreshed when it expires within this many seconds (Bolt's window). */
const REFRESH_WINDOW_S = 7_200;
/** A refresh holds its lease this long (the call's own timeout is 10 s); a replica that died loses it then. */
const REFRESH_LEASE_MS = 30_000;
/** A replica waiting for another's refresh reads the row this often, until that one's lease ends. */
const WAIT_POLL_MS = 100;
/**
 * After a refresh failed, no replica tries that installation's again for this long (the current token serves until it
 * expires): every request inside the window would otherwise call oauth.v2.access while Slack is failing.
 */
const REFRESH_BACKOFF_MS = 60_000;

export class NoInstallationError extends Error {
  override readonly name = 'NoInstallationError';
}

type AnyInstallation = Installation<'v1' | 'v2', boolean>;

export class SealedInstallationStore implements InstallationStore {
  private readonly cache = new Map<string, { at: number; installation: AnyInstallation }>();
  private readonly byTeam = new Map<string, { at: number; key: string }>();
  /** The workspaces `byTeam` maps to each installation, so forgetting one does not scan them all. */
  private readonly teamsOf = new Map<string, Set<string>>();
  /** The refresh under way in this process, by installation: every caller near expiry waits for the same one. */
  private readonly refreshing = new Map<string, Promise<AnyInstallation>>();
  /** When each installation whose refresh failed may be refreshed again (ms, on the clock), as this process knows. */
  private readonly retryAt = new Map<string, number>();

  private refresh: TokenRefresh | null = null;
  private logger: Logger | null = null;
  private sleep: (ms: number) => Promise<void> = realSleep;

  constructor(
    private readonly db: Db,
    private readonly cipher: TokenCipher,
    private readonly clock: Clock,
  ) {}

  /** Turns token rotation on: rotating tokens about to expire are refreshed with `refresh` (oauth.v2.access). */
  refreshWith(refresh: TokenRefresh, options: { logger: Logger; sleep?: (ms: number) => Promise<void> }): void {
    this.refresh = refresh;
    this.logger = options.logger;
    if (options.sleep) this.sleep = options.sleep;
  }

  /**
   * Bolt's OAuth flow stores a new installation here. Never replaces a row whose token expires hours later than this
   * one's (a stale copy written back would put a spent refresh token in place of the live one).
   */
  async storeInstallation(installation: AnyInstallation): Promise<void> {
    const isEnterpriseInstall = installation.isEnterpriseInstall === true;
    const key = installKey({
      enterpriseId: installation.enterprise?.id ?? null,
      teamId: installation.team?.id ?? null,
      isEnterpriseInstall,
    });
    const bot = installation.bot;
    if (bot?.token === undefined) throw new Error('an installation without a bot token (the app asks for bot scopes)');
    // What Slack returned, without any token (user tokens are not asked for, and never kept).
    const { token: _token, refreshToken: _refresh, ...botRest } = bot;
    // InstallProvider stamps expiresAt as the wall clock plus Slack's expires_in: stamp it on this app's clock, the
    // one every expiry is judged by (the same in production; the test's clock in tests).
    const expiresAt =
      bot.expiresAt === undefined ? undefined : bot.expiresAt - wallSeconds() + seconds(this.clock.now());
    const bare = {
      ...installation,
      bot: expiresAt === undefined ? botRest : { ...botRest, expiresAt },
      user: { id: installation.user.id, scopes: installation.user.scopes },
    };
    const row: InstallationRow = {
      installKey: key,
      enterpriseId: installation.enterprise?.id ?? null,
      teamId: isEnterpriseInstall ? null : (installation.team?.id ?? null),
      isEnterpriseInstall,
      botToken: this.cipher.seal(bot.token, `${key}/bot`),
      botRefreshToken: bot.refreshToken ? this.cipher.seal(bot.refreshToken, `${key}/bot-refresh`) : null,
      installation: JSON.stringify(bare),
    };
    // Compare, then write only if the row is still the one compared; another writer in between means look again.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const current = await findInstallation(this.db, key);
      const currentExpiry = current === undefined ? undefined : expiryOf(current);
      // A stale copy is from before a refresh, and a refresh comes only in a token's last REFRESH_WINDOW_S: its token
      // expires hours before the stored one. A new grant (a reinstall) answered a moment before a refresh was stored
      // expires seconds earlier, and is newer: it is stored.
      if (expiresAt !== undefined && currentExpiry !== undefined && currentExpiry - expiresAt > REFRESH_WINDOW_S) {
        this.logger?.warn(`kept ${key}: its stored token expires hours later than the one offered (a stale copy)`);
        this.forget(key);
        return;
      }
      if (await saveInstallation(this.db, row, toDbInstant(this.clock.now()), current?.botToken ?? null)) {
        this.forget(key);
        return;
      }
    }
    throw new Error(`${key} changed under every attempt to store it`);
  }

  /** Bolt's authorize reads here: the installation with a token good for more than the refresh window. */
  async fetchInstallation(query: InstallationQuery<boolean>): Promise<AnyInstallation> {
    const key = installKey(query);
    const now = this.clock.now();
    const cached = this.cache.get(key);
    if (cached !== undefined && now.getTime() - cached.at < CACHE_MS && !needsRefresh(cached.installation, now))
      return withoutRefreshToken(cached.installation);
    const row = await findInstallation(this.db, key);
    if (row === undefined)
      throw new NoInstallationError(
        `no installation for ${query.isEnterpriseInstall ? `organisation ${query.enterpriseId}` : `workspace ${query.teamId}`}`,
      );
    const installation = await this.fresh(row);
    this.remember(key, installation);
    // Without its refresh token, InstallProvider.authorize never refreshes (nor stores) on its own.
    return withoutRefreshToken(installation);
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = installKey(query);
    await deleteInstallation(this.db, key);
    this.forget(key);
  }

  /**
   * The bot token that serves a workspace (its own installation, or its organisation's), for what no request carries:
   * reminders, Home tabs published after the request. Undefined when the workspace has none.
   */
  async botTokenForTeam(teamId: string): Promise<string | undefined> {
    const now = this.clock.now();
    const known = this.byTeam.get(teamId);
    if (known !== undefined && now.getTime() - known.at < CACHE_MS) {
      const cached = this.cache.get(known.key);
      if (cached !== undefined && now.getTime() - cached.at < CACHE_MS && !needsRefresh(cached.installation, now))
        return cached.installation.bot?.token;
    }
    const row = await findInstallationForTeam(this.db, teamId);
    if (row === undefined) return undefined;
    let installation: AnyInstallation;
    try {
      installation = await this.fresh(row);
    } catch (error) {
      // Uninstalled while its token was being refreshed: the workspace has no installation now.
      if (error instanceof NoInstallationError) return undefined;
      throw error;
    }
    if (this.remember(row.installKey, installation)) {
      this.byTeam.set(teamId, { at: now.getTime(), key: row.installKey });
      this.teamsOf.set(row.installKey, (this.teamsOf.get(row.installKey) ?? new Set<string>()).add(teamId));
    }
    return installation.bot?.token;
  }

  /** Forgets what this process knows of an installation (deleted, replaced or re-sealed). */
  forget(key: string): void {
    this.cache.delete(key);
    for (const team of this.teamsOf.get(key) ?? []) this.byTeam.delete(team);
    this.teamsOf.delete(key);
  }

  /**
   * Caches an installation whose token is not due for a refresh; true when cached. The cache is kept in the order
   * entries were made, and those past CACHE_MS are forgotten as new ones come: it holds the installations used in
   * the last CACHE_MS, not every one ever used (10,000 workspaces would stay in memory for good).
   */
  private remember(key: string, installation: AnyInstallation): boolean {
    const now = this.clock.now();
    if (needsRefresh(installation, now)) return false;
    this.cache.delete(key);
    this.cache.set(key, { at: now.getTime(), installation });
    for (const [old, entry] of this.cache) {
      if (now.getTime() - entry.at < CACHE_MS) break;
      this.forget(old);
    }
    return true;
  }

  /** The row's installation, its token refreshed first when it expires within the window (once, shared). */
  private fresh(row: InstallationRow): Promise<AnyInstallation> {
    const installation = this.open(row);
    if (this.refresh === null || !needsRefresh(installation, this.clock.now())) return Promise.resolve(installation);
    const key = row.installKey;
    // A refresh that failed a moment ago: the current token serves until the backoff ends.
    if ((this.retryAt.get(key) ?? 0) > this.clock.now().getTime()) return Promise.resolve(installation);
    const underWay = this.refreshing.get(key);
    if (underWay !== undefined) return this.join(key, underWay);
    // Checked and set with no await between: one refresh per installation in this process.
    const refresh = this.refreshOnce(key).finally(() => this.refreshing.delete(key));
    this.refreshing.set(key, refresh);
    return refresh;
  }

  private async join(key: string, underWay: Promise<AnyInstallation>): Promise<AnyInstallation> {
    await pausePoint('token:joined-refresh', { key });
    return underWay;
  }

  /** Refreshes under the installation's lease, or waits for the replica that holds it and reads what it stored. */
  private async refreshOnce(key: string): Promise<AnyInstallation> {
    const lease = tokenRefreshLease(key);
    const holder = randomUUID();
    // Waits as long as the holder holds the lease (released when its refresh ends, or run out if it died), so how
    // long a refresh takes never decides who refreshes.
    for (;;) {
      const now = this.clock.now();
      const taken = await takeLeases(
        this.db,
        [lease],
        holder,
        toDbInstant(now),
        toDbInstant(new Date(now.getTime() + REFRESH_LEASE_MS)),
      );
      if (taken.has(lease)) {
        try {
          return await this.refreshHolding(key);
        } finally {
          await releaseLeases(this.db, [lease], holder);
        }
      }
      // Another replica is spending the refresh token: never spend it again, read the token it stores instead.
      await pausePoint('token:awaiting-other-refresh', { key });
      const installation = this.open(await this.readRow(key));
      if (!needsRefresh(installation, this.clock.now())) return installation;
      await this.sleep(WAIT_POLL_MS);
    }
  }

  /** Under the lease: read the row (another replica may have refreshed before it), refresh if still due, store. */
  private async refreshHolding(key: string): Promise<AnyInstallation> {
    const row = await this.readRow(key);
    const current = this.open(row);
    const refreshToken = current.bot?.refreshToken;
    if (this.refresh === null || row.botRefreshToken === null || refreshToken === undefined) return current;
    if (!needsRefresh(current, this.clock.now())) return current;
    // Another replica's refresh failed a moment ago: not again before its backoff ends.
    const backoff = tokenRefreshBackoffLease(key);
    const backingOff = await leaseRunsUntil(this.db, backoff, toDbInstant(this.clock.now()));
    if (backingOff !== undefined) {
      this.retryAt.set(key, fromDbInstant(backingOff).getTime());
      return current;
    }
    this.retryAt.delete(key);
    await pausePoint('token:refreshing', { key });
    let next: Awaited<ReturnType<TokenRefresh>>;
    try {
      next = await this.refresh(refreshToken);
    } catch (error) {
      // No token reaches the log: Slack's error code, or the network's message. The current token is still good
      // until it expires. An ambiguous answer (the refresh may have landed) is not retried: a retry would spend the
      // refresh token twice.
      this.logger?.error(`token refresh of ${key} failed: ${errorText(error)}`);
      // Backs off before the lease is released, so a replica waiting for this refresh sees it and does not retry.
      const now = this.clock.now();
      const until = now.getTime() + REFRESH_BACKOFF_MS;
      this.retryAt.set(key, until);
      await takeLeases(this.db, [backoff], randomUUID(), toDbInstant(now), toDbInstant(new Date(until)));
      return current;
    }
    const now = this.clock.now();
    const bot = current.bot as NonNullable<AnyInstallation['bot']>;
    const refreshed = {
      ...current,
      bot: { ...bot, token: next.token, refreshToken: next.refreshToken, expiresAt: seconds(now) + next.expiresIn },
    } as AnyInstallation;
    const { token: _token, refreshToken: _refresh, ...bareBot } = refreshed.bot as NonNullable<AnyInstallation['bot']>;
    const stored = await saveRefreshedTokens(
      this.db,
      key,
      row.botRefreshToken,
      {
        botToken: this.cipher.seal(next.token, `${key}/bot`),
        botRefreshToken: this.cipher.seal(next.refreshToken, `${key}/bot-refresh`),
        installation: JSON.stringify({ ...JSON.parse(row.installation), bot: bareBot }),
      },
      toDbInstant(now),
    );
    this.forget(key);
    // The row changed under the lease (a reinstall): what it holds now is newer than this refresh.
    return stored ? refreshed : this.open(await this.readRow(key));
  }

  private async readRow(key: string): Promise<InstallationRow> {
    const row = await findInstallation(this.db, key);
    if (row === undefined) throw new NoInstallationError(`no installation ${key}`);
    return row;
  }

  private open(row: InstallationRow): AnyInstallation {
    const bare = JSON.parse(row.installation) as AnyInstallation;
    const bot = bare.bot as NonNullable<AnyInstallation['bot']>;
    return {
      ...bare,
      bot: {
        ...bot,
        token: this.cipher.open(row.botToken, `${row.installKey}/bot`),
        ...(row.botRefreshToken
          ? { refreshToken: this.cipher.open(row.botRefreshToken, `${row.installKey}/bot-refresh`) }
          : {}),
      },
    } as AnyInstallation;
  }
}

const seconds = (instant: Date) => Math.floor(instant.getTime() / 1000);
// The one read of the wall clock: to undo InstallProvider's stamp, which is made with it.
const wallSeconds = () => Math.floor(Date.now() / 1000);

/** A rotating token that expires within the refresh window (or has expired). */
function needsRefresh(installation: AnyInstallation, now: Date): boolean {
  const bot = installation.bot;
  if (bot?.refreshToken === undefined || bot.expiresAt === undefined) return false;
  return bot.expiresAt - seconds(now) <= REFRESH_WINDOW_S;
}

/** When a row's token expires (seconds), read without opening it; undefined when it does not rotate. */
function expiryOf(row: InstallationRow): number | undefined {
  const expiresAt = (JSON.parse(row.installation) as AnyInstallation).bot?.expiresAt;
  return typeof expiresAt === 'number' ? expiresAt : undefined;
}

function withoutRefreshToken(installation: AnyInstallation): AnyInstallation {
  if (installation.bot?.refreshToken === undefined) return installation;
  const { refreshToken: _refresh, ...bot } = installation.bot;
  return { ...installation, bot } as AnyInstallation;
}

function errorText(error: unknown): string {
  const code = (error as { data?: { error?: unknown } } | undefined)?.data?.error;
  if (typeof code === 'string') return code;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Seals every installation's tokens under `cipher`'s current key (opening them with whichever key sealed them): after
 * this, only the current key is needed. Returns how many installations were re-sealed and how many were already.
 */
export async function resealInstallations(
  db: Db,
  cipher: TokenCipher,
  now: Date,
): Promise<{ resealed: number; current: number }> {
  let resealed = 0;
  let current = 0;
  for (const row of await listInstallations(db)) {
    const old = row.botRefreshToken === null ? [row.botToken] : [row.botToken, row.botRefreshToken];
    if (!old.some((value) => cipher.sealedWithOldKey(value))) {
      current += 1;
      continue;
    }
    const seal = (value: string | null, field: string) =>
      value === null
        ? null
        : cipher.seal(cipher.open(value, `${row.installKey}/${field}`), `${row.installKey}/${field}`);
    const sealed = {
      botToken: seal(row.botToken, 'bot') as string,
      botRefreshToken: seal(row.botRefreshToken, 'bot-refresh'),
    };
    // Guarded by the values read: a token rotated meanwhile (sealed under the current key already) is left as it is.
    if (await resealTokens(db, row.installKey, row, sealed, toDbInstant(now))) resealed += 1;
  }
  return { resealed, current };
}
