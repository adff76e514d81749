import type { Executor } from '../database.js';
import type { InstallationsTable } from '../schema.js';

// OAuth installations and states (issue 16). Tokens arrive here sealed and leave sealed: opening them is the
// installation store's (src/slack/installs/installation-store.ts).

/** The key of a workspace's installation, or of an Enterprise Grid organisation's org-wide one. */
export const installKey = (scope: {
  enterpriseId?: string | null;
  teamId?: string | null;
  isEnterpriseInstall?: boolean;
}) =>
  scope.isEnterpriseInstall && scope.enterpriseId ? `enterprise:${scope.enterpriseId}` : `team:${scope.teamId ?? ''}`;

export interface InstallationRow {
  installKey: string;
  enterpriseId: string | null;
  teamId: string | null;
  isEnterpriseInstall: boolean;
  /** Sealed. */
  botToken: string;
  /** Sealed, when token rotation is on. */
  botRefreshToken: string | null;
  /** Slack's installation without any token (JSON). */
  installation: string;
}

/**
 * Writes an installation's row if the row is still the one read: `replacing` is the sealed bot token read (null when
 * there was no row). False when another writer got there first; the caller reads again and decides again.
 */
export async function saveInstallation(
  db: Executor,
  row: InstallationRow,
  nowIso: string,
  replacing: string | null,
): Promise<boolean> {
  const values = {
    enterprise_id: row.enterpriseId,
    team_id: row.teamId,
    is_enterprise_install: row.isEnterpriseInstall ? (1 as const) : (0 as const),
    bot_token: row.botToken,
    bot_refresh_token: row.botRefreshToken,
    installation: row.installation,
    updated_at: nowIso,
  };
  const written = await db
    .insertInto('installations')
    .values({ install_key: row.installKey, ...values, installed_at: nowIso })
    .onConflict((oc) =>
      replacing === null
        ? oc.column('install_key').doNothing()
        : // Installed again over a row still there (its app_uninstalled not yet seen, say): installed now.
          oc
            .column('install_key')
            .doUpdateSet({ ...values, installed_at: nowIso })
            .where('installations.bot_token', '=', replacing),
    )
    .returning('install_key')
    .executeTakeFirst();
  return written !== undefined;
}

/**
 * Stores a refreshed token, its new refresh token and the installation (its new expiry) if the row still holds the
 * refresh token `spent` (sealed, as read): a compare-and-set, so a row another writer changed meanwhile (a reinstall)
 * is never replaced by an older refresh. True when written.
 */
export async function saveRefreshedTokens(
  db: Executor,
  key: string,
  spent: string,
  next: { botToken: string; botRefreshToken: string; installation: string },
  nowIso: string,
): Promise<boolean> {
  const result = await db
    .updateTable('installations')
    .set({
      bot_token: next.botToken,
      bot_refresh_token: next.botRefreshToken,
      installation: next.installation,
      updated_at: nowIso,
    })
    .where('install_key', '=', key)
    .where('bot_refresh_token', '=', spent)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

function toRow(row: Omit<InstallationsTable, 'installed_at' | 'updated_at'>): InstallationRow {
  return {
    installKey: row.install_key,
    enterpriseId: row.enterprise_id,
    teamId: row.team_id,
    isEnterpriseInstall: row.is_enterprise_install === 1,
    botToken: row.bot_token,
    botRefreshToken: row.bot_refresh_token,
    installation: row.installation,
  };
}

const COLUMNS = [
  'install_key',
  'enterprise_id',
  'team_id',
  'is_enterprise_install',
  'bot_token',
  'bot_refresh_token',
  'installation',
] as const;

export async function findInstallation(db: Executor, key: string): Promise<InstallationRow | undefined> {
  const row = await db.selectFrom('installations').select(COLUMNS).where('install_key', '=', key).executeTakeFirst();
  return row === undefined ? undefined : toRow(row);
}

/**
 * The installation that serves a workspace: its own, else its organisation's org-wide one (the organisation as a
 * request from the workspace recorded it).
 */
export async function findInstallationForTeam(db: Executor, teamId: string): Promise<InstallationRow | undefined> {
  const own = await findInstallation(db, installKey({ teamId }));
  if (own !== undefined) return own;
  const workspace = await db
    .selectFrom('workspaces')
    .select('enterprise_id')
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  if (!workspace?.enterprise_id) return undefined;
  return findInstallation(db, installKey({ enterpriseId: workspace.enterprise_id, isEnterpriseInstall: true }));
}

/** When an installation was last installed by OAuth (a token refresh keeps it), or undefined when there is none. */
export async function installationInstalledAt(db: Executor, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('installations')
    .select('installed_at')
    .where('install_key', '=', key)
    .executeTakeFirst();
  return row?.installed_at;
}

/** Deletes an installation's row (its tokens with it); true when there was one. */
export async function deleteInstallation(db: Executor, key: string): Promise<boolean> {
  const result = await db.deleteFrom('installations').where('install_key', '=', key).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function listInstallations(db: Executor): Promise<InstallationRow[]> {
  return (await db.selectFrom('installations').select(COLUMNS).orderBy('install_key').execute()).map(toRow);
}

/** Replaces the sealed tokens of one installation, if they are still `expected` (re-sealing under a new key). */
export async function resealTokens(
  db: Executor,
  key: string,
  expected: { botToken: string; botRefreshToken: string | null },
  sealed: { botToken: string; botRefreshToken: string | null },
  nowIso: string,
): Promise<boolean> {
  const result = await db
    .updateTable('installations')
    .set({ bot_token: sealed.botToken, bot_refresh_token: sealed.botRefreshToken, updated_at: nowIso })
    .where('install_key', '=', key)
    .where('bot_token', '=', expected.botToken)
    .where((eb) =>
      expected.botRefreshToken === null
        ? eb('bot_refresh_token', 'is', null)
        : eb('bot_refresh_token', '=', expected.botRefreshToken),
    )
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Notes which Enterprise Grid organisation a workspace belongs to (the first time, or when it moved). */
export async function recordWorkspaceEnterprise(
  db: Executor,
  teamId: string,
  enterpriseId: string,
  nowIso: string,
): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({
      team_id: teamId,
      uninstalled_at: null,
      purge_after: null,
      reminders_stopped_at: null,
      updated_at: nowIso,
      enterprise_id: enterpriseId,
    })
    .onConflict((oc) =>
      oc
        .column('team_id')
        .doUpdateSet({ enterprise_id: enterpriseId })
        .where((eb) =>
          eb.or([eb('workspaces.enterprise_id', 'is', null), eb('workspaces.enterprise_id', '!=', enterpriseId)]),
        ),
    )
    .execute();
}

/**
 * Records that a signed state was used (only used states are kept: issuing one writes nothing): true the first time,
 * false for a replay, whichever replica saw it first. Expired ones are deleted by housekeeping (`deleteExpiredOauthStates`):
 * their age alone refuses them.
 */
export async function recordUsedOauthState(
  db: Executor,
  state: string,
  options: string,
  issuedIso: string,
  nowIso: string,
): Promise<boolean> {
  const row = await db
    .insertInto('oauth_states')
    .values({ state, install_options: options, created_at: issuedIso, used_at: nowIso })
    .onConflict((oc) => oc.column('state').doNothing())
    .returning('state')
    .executeTakeFirst();
  return row !== undefined;
}
