import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { purgeExpiredWorkspaces } from '../../src/domain/installs/workspaces-service.js';
import { requestRemindersReplan, runPendingReplans } from '../../src/domain/reminders/reconciler.js';
import { createLogger } from '../../src/lib/logger.js';
import { openTestDatabase } from '../support/test-database.js';

// Every engine runs the re-plan queue and the purge at every firing (10 s), nearly always with nothing to do. Each
// took a lease and handed it back, two writes (on PostgreSQL a dead row each, for vacuum), per engine and tick
// (issue 30: replicas cost what one costs). With nothing to do they now only look.

const NOW = new Date('2026-11-02T14:00:00.000Z');
const quiet = createLogger({ level: 'error' });
let db: Db;

beforeEach(async () => {
  db = await openTestDatabase();
});
afterEach(async () => {
  await db.destroy();
});

/** `db`, recording the kind of each statement it runs (SelectQueryNode, InsertQueryNode, …). */
function recording(): { spy: Db; kinds: string[] } {
  const kinds: string[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => [node, kinds.push(node.kind)][0] as RootOperationNode,
    transformResult: async ({ result }) => result,
  };
  return { spy: db.withPlugin(plugin), kinds };
}

it('an empty re-plan queue and no workspace to purge: an idle tick writes nothing', async () => {
  const { spy, kinds } = recording();
  expect(await runPendingReplans(spy, NOW, quiet)).toBe(0);
  expect(await purgeExpiredWorkspaces(spy, NOW, quiet)).toBe(0);
  expect(kinds.length).toBeGreaterThan(0);
  expect(kinds.filter((kind) => kind !== 'SelectQueryNode')).toEqual([]);
});

it('a queued re-plan is still run, under the lease, which is handed back', async () => {
  await db.transaction().execute((trx) => requestRemindersReplan(trx, 'T0001', 'U1', NOW));
  const { spy, kinds } = recording();
  expect(await runPendingReplans(spy, NOW, quiet)).toBe(1);
  expect(kinds).toContain('InsertQueryNode'); // the lease
  expect(await db.selectFrom('reminder_replans').selectAll().execute()).toEqual([]);
  expect(await db.selectFrom('leases').selectAll().execute()).toEqual([]);
});
