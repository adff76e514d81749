import type { Executor } from '../../database.js';
import { lockedInOrder } from '../../dialect.js';
import { paddedList } from '../../in-list.js';

// Leases shared by the replicas of one database (issue 15). A lease is taken when free, when its holder's time ran
// out, or when this holder has it already (which renews it); a holder that died loses it when its time runs out.

/** The lease on posting a workspace's reminders: one replica at a time paces a workspace's posts. */
export const senderLease = (teamId: string) => `send:${teamId}`;

/** The lease on refreshing an installation's rotating token: one refresh at a time across replicas. */
export const tokenRefreshLease = (installKey: string) => `token-refresh:${installKey}`;

/** Held after an installation's refresh failed, until it may be tried again: no replica refreshes it meanwhile. */
export const tokenRefreshBackoffLease = (installKey: string) => `token-refresh-backoff:${installKey}`;

/** A replica's own lease, renewed at every claim while it runs: the live ones share the workspaces between them. */
export const replicaLease = (holder: string) => `replica:${holder}`;

/** How many replicas hold a replica lease that still runs (this one included, once it took its own). */
export async function countLiveReplicas(db: Executor, nowIso: string): Promise<number> {
  const row = await db
    .selectFrom('leases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('name', 'like', 'replica:%')
    .where('lease_until', '>', nowIso)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Leases in the one order every statement locks them in (by name, bytewise: names are ASCII): an upsert locks its
 * rows in the order of its values, so two replicas taking the same leases in their own orders (due time, lanes)
 * could each hold one the other waits for, and PostgreSQL would abort one of them (40P01).
 */
const inLockOrder = (names: readonly string[]) => [...new Set(names)].sort();

/** Takes (or renews) every lease of `names` it can, until `untilIso`; returns the names this holder now holds. */
export async function takeLeases(
  db: Executor,
  names: readonly string[],
  holder: string,
  nowIso: string,
  untilIso: string,
): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await db
    .insertInto('leases')
    .values(inLockOrder(names).map((name) => ({ name, holder, lease_until: untilIso })))
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet((eb) => ({ holder: eb.ref('excluded.holder'), lease_until: eb.ref('excluded.lease_until') }))
        .where((eb) => eb.or([eb('leases.holder', '=', holder), eb('leases.lease_until', '<=', nowIso)])),
    )
    .returning('name')
    .execute();
  return new Set(rows.map((row) => row.name));
}

/** Until when the lease `name` runs (ISO), held by anyone; undefined when nobody holds it now. */
export async function leaseRunsUntil(db: Executor, name: string, nowIso: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('leases')
    .select('lease_until')
    .where('name', '=', name)
    .where('lease_until', '>', nowIso)
    .executeTakeFirst();
  return row?.lease_until;
}

/** Gives these leases back, if this holder still has them, so another replica may take them at once. */
export async function releaseLeases(db: Executor, names: readonly string[], holder: string): Promise<void> {
  if (names.length === 0) return;
  // The rows are locked by name first, as an upsert locks them (a plain delete locks them in the table's order).
  const mine = db
    .selectFrom('leases')
    .select('name')
    .where('name', 'in', paddedList(inLockOrder(names)))
    .where('holder', '=', holder);
  await db
    .deleteFrom('leases')
    .where('name', 'in', lockedInOrder(db, mine, { text: 'name' }))
    .where('holder', '=', holder)
    .execute();
}

/** The workspaces whose reminders another replica is posting now (its sender lease still runs), with that replica. */
export async function teamsSentByOthers(
  db: Executor,
  holder: string,
  nowIso: string,
): Promise<{ team: string; holder: string }[]> {
  const rows = await db
    .selectFrom('leases')
    .select(['name', 'holder'])
    .where('name', 'like', 'send:%')
    .where('holder', '<>', holder)
    .where('lease_until', '>', nowIso)
    .execute();
  return rows.map((row) => ({ team: row.name.slice('send:'.length), holder: row.holder }));
}
