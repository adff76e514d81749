import { type Kysely, sql } from 'kysely';

// Frozen in time. Installations by OAuth (issue 16): one row per workspace, or per Enterprise Grid organisation for
// an org-wide install (`install_key` 'team:<id>' or 'enterprise:<id>'). Tokens are sealed (AES-256-GCM, src/lib/
// token-cipher.ts): `installation` is what Slack returned without any token. OAuth states are single-use.
// `workspaces.enterprise_id` says which organisation a workspace belongs to (the engine finds an org install's token
// by it).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('installations')
    .addColumn('install_key', 'text', (col) => col.primaryKey())
    .addColumn('enterprise_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('is_enterprise_install', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('bot_token', 'text', (col) => col.notNull())
    .addColumn('bot_refresh_token', 'text')
    .addColumn('installation', 'text', (col) => col.notNull())
    .addColumn('installed_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addCheckConstraint('installations_owner', sql`team_id is not null or enterprise_id is not null`)
    .execute();
  await db.schema
    .createTable('oauth_states')
    .addColumn('state', 'text', (col) => col.primaryKey())
    .addColumn('install_options', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.alterTable('workspaces').addColumn('enterprise_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspaces').dropColumn('enterprise_id').execute();
  await db.schema.dropTable('oauth_states').execute();
  await db.schema.dropTable('installations').execute();
}
