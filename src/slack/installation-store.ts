import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { Db } from '../db/database.js';
import {
  deleteInstallation,
  findInstallation,
  findInstallationForTeam,
  type InstallationRow,
  installKey,
  listInstallations,
  resealTokens,
  saveInstallation,
} from '../db/repositories/installations-repository.js';
import type { Clock } from '../lib/clock.js';
import type { TokenCipher } from '../lib/token-cipher.js';
import { toDbInstant } from '../lib/time.js';

// Installations by OAuth (issue 16), kept by Bolt's OAuth flow through this store: every token sealed before it is
// written, opened only in memory. Opened installations are cached for a short while (a token is looked up for every
// request and every reminder); this process forgets one at once when it is deleted or replaced, and another
// replica's change is seen within CACHE_MS.

const CACHE_MS = 30_000;

export class NoInstallationError extends Error {
  override readonly name = 'NoInstallationError';
}

type AnyInstallation = Installation<'v1' | 'v2', boolean>;

export class SealedInstallationStore implements InstallationStore {
  private readonly cache = new Map<string, { at: number; installation: AnyInstallation }>();
  private readonly byTeam = new Map<string, { at: number; key: string }>();
  /** The workspaces `byTeam` maps to each installation, so forgetting one does not scan them all. */
  private readonly teamsOf = new Map<string, Set<string>>();

  /** Bolt's authorize, which refreshes a rotating token that is about to expire (and stores the new one here). */
  private refresh: ((query: InstallationQuery<boolean>) => Promise<{ botToken?: string }>) | null = null;

  constructor(
    private readonly db: Db,
    private readonly cipher: TokenCipher,
    private readonly clock: Clock,
  ) {}

  /** Lets tokens looked up for reminders be refreshed the way requests' tokens are (token rotation on). */
  refreshWith(authorize: (query: InstallationQuery<boolean>) => Promise<{ botToken?: string }>): void {
    this.refresh = authorize;
  }

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
    const bare = {
      ...installation,
      bot: botRest,
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
    await saveInstallation(this.db, row, toDbInstant(this.clock.now()));
    this.forget(key);
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<AnyInstallation> {
    const key = installKey(query);
    const now = this.clock.now().getTime();
    const cached = this.cache.get(key);
    if (cached !== undefined && now - cached.at < CACHE_MS) return cached.installation;
    const row = await findInstallation(this.db, key);
    if (row === undefined)
      throw new NoInstallationError(
        `no installation for ${query.isEnterpriseInstall ? `organisation ${query.enterpriseId}` : `workspace ${query.teamId}`}`,
      );
    const installation = this.open(row);
    this.cache.set(key, { at: now, installation });
    return installation;
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
    const now = this.clock.now().getTime();
    const known = this.byTeam.get(teamId);
    if (known !== undefined && now - known.at < CACHE_MS) {
      const cached = this.cache.get(known.key);
      if (cached !== undefined && now - cached.at < CACHE_MS) return cached.installation.bot?.token;
    }
    const row = await findInstallationForTeam(this.db, teamId);
    if (row === undefined) return undefined;
    const installation = this.open(row);
    // A rotating token that expires within the hour is refreshed first, as Bolt does for a request.
    const expiresAt = installation.bot?.expiresAt;
    if (this.refresh !== null && expiresAt !== undefined && expiresAt * 1000 - now < 3_600_000) {
      const query = {
        teamId: row.isEnterpriseInstall ? undefined : (row.teamId ?? undefined),
        enterpriseId: row.enterpriseId ?? undefined,
        isEnterpriseInstall: row.isEnterpriseInstall,
      } as InstallationQuery<boolean>;
      return (await this.refresh(query)).botToken;
    }
    this.cache.set(row.installKey, { at: now, installation });
    this.byTeam.set(teamId, { at: now, key: row.installKey });
    this.teamsOf.set(row.installKey, (this.teamsOf.get(row.installKey) ?? new Set<string>()).add(teamId));
    return installation.bot?.token;
  }

  /** Forgets what this process knows of an installation (deleted, replaced or re-sealed). */
  forget(key: string): void {
    this.cache.delete(key);
    for (const team of this.teamsOf.get(key) ?? []) this.byTeam.delete(team);
    this.teamsOf.delete(key);
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
