import type { TestProject } from 'vitest/node';
// @ts-expect-error: a plain ES module without types (scripts/ are plain Node).
import { startPostgresCluster } from '../../scripts/postgres-cluster.mjs';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { TEMPLATE_DATABASE } from './test-database.js';

/**
 * The postgres project's global setup: a throwaway cluster (fsync off: nothing here must survive a power cut), the
 * schema migrated once into a template database, which every test database is copied from; removed at the end.
 */
export default async function setup(project: TestProject) {
  const cluster = await startPostgresCluster({
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    database: TEMPLATE_DATABASE,
  });
  const template = openDatabase(cluster.url);
  await migrateToLatest(template);
  await template.destroy();
  project.provide('postgresAdminUrl', cluster.adminUrl);
  return async () => {
    await cluster.stop();
  };
}
