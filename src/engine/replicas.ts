import type { Db } from '../db/database.js';
import {
  countLiveReplicas,
  releaseLeases,
  replicaLease,
  senderLease,
  takeLeases,
  teamsSentByOthers,
} from '../db/repositories/reminders/leases-repository.js';
import { THIS_REPLICA } from '../lib/replica.js';
import { toDbInstant } from '../lib/zoned-time.js';
import type { ReminderJobDeps } from './options.js';

// Sharing workspaces between replicas (docs/reminders.md, "A drain"). Each live replica holds a short lease of its
// own; only the replica holding a workspace's sender lease posts its reminders, so the workspace's pace holds for the
// whole app; the live replicas share the workspaces with work between them.

/** The holder of this replica's leases: its name (tests run several in one process), the process's by default. */
export const holderOf = (deps: Pick<ReminderJobDeps, 'replica'>): string => deps.replica ?? THIS_REPLICA;

/**
 * A replica that stops hands its own lease back, so the others share the workspaces without it from their next claim
 * (else they would count it, and leave it a share, for up to half a lease; one that dies still counts that long).
 */
export async function leaveReplicas(deps: Pick<ReminderJobDeps, 'db' | 'replica'>): Promise<void> {
  const holder = holderOf(deps);
  await releaseLeases(deps.db, [replicaLease(holder)], holder);
}

/**
 * Says this replica is alive (renewed at every claim, so at least at every firing; for half a lease, so a replica that
 * died stops counting soon), and reads the others: the workspaces they post for, the most one of them posts for, and
 * how many replicas live.
 */
export async function joinReplicas(
  db: Db,
  holder: string,
  now: Date,
  leaseMs: number,
): Promise<{ others: string[]; busiest: number; replicas: number }> {
  const nowIso = toDbInstant(now);
  const aliveUntil = toDbInstant(new Date(now.getTime() + leaseMs / 2));
  await takeLeases(db, [replicaLease(holder)], holder, nowIso, aliveUntil);
  const [sent, replicas] = await Promise.all([teamsSentByOthers(db, holder, nowIso), countLiveReplicas(db, nowIso)]);
  const perHolder = new Map<string, number>();
  for (const { holder: other } of sent) perHolder.set(other, (perHolder.get(other) ?? 0) + 1);
  return { others: sent.map(({ team }) => team), busiest: Math.max(0, ...perHolder.values()), replicas };
}

/** A replica's share of the `withWork` workspaces that have work among the `replicas` live ones (all of them alone). */
export const shareOf = (withWork: number, replicas: number): number =>
  replicas <= 1 ? Infinity : Math.ceil(withWork / replicas);

/**
 * Balance: of the workspaces this replica posts for (`mine`), those beyond its `share`: the ones with least in hand.
 * One holding more than its share (it was alone when a wave began, say) claims no more in those and hands each back
 * once its reminders in hand are done.
 */
export function beyondShare(mine: readonly string[], share: number, inHand: (team: string) => number): string[] {
  if (mine.length <= share) return [];
  return [...mine].sort((a, b) => inHand(b) - inHand(a)).slice(share);
}

/** Takes (or renews) the sender leases of `teams` until `untilIso`; returns the workspaces this replica now holds. */
export async function takeSenderLeases(
  db: Db,
  holder: string,
  teams: readonly string[],
  nowIso: string,
  untilIso: string,
): Promise<Set<string>> {
  const held = await takeLeases(db, teams.map(senderLease), holder, nowIso, untilIso);
  return new Set(teams.filter((team) => held.has(senderLease(team))));
}

/** Hands back the sender leases of `teams`: another replica may post for them at once. */
export async function releaseSenderLeases(db: Db, holder: string, teams: readonly string[]): Promise<void> {
  await releaseLeases(db, teams.map(senderLease), holder);
}
