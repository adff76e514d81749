import {
  type ClaimedReminder,
  claimDueReminders,
  releaseReminders,
} from '../db/repositories/reminders/reminders-repository.js';
import { pausePoint } from '../lib/pause-points.js';
import { enoughOf, type ReminderJobDeps, type TickOptions } from './options.js';
import { releaseSenderLeases, takeSenderLeases } from './replicas.js';
import { type Preloaded, preload } from './send-decision.js';

// Claim (docs/reminders.md, step 1): one statement takes up to a batch of due rows (and rows whose lease ran out);
// the run keeps those of workspaces whose sender lease it holds, up to what it may hold of each, and hands the rest
// back at once.

/** What one claim took, and what the run keeps of it. */
export interface Claimed {
  /** Rows the claim statement took (kept or not). */
  taken: number;
  /** The reminders kept, with the facts of their subjects. */
  claimed: ClaimedReminder[];
  preloaded: Preloaded;
  /** Workspaces of which some were handed back for want of room: more is due there than the run holds. */
  overflowing: string[];
  /** Workspaces no replica held, left for want of room in this replica's share. */
  passedOver: string[];
}

/** Where a run stands when it claims. */
export interface ClaimScope {
  holder: string;
  /** Workspaces not to claim in: full, posted for by another replica, beyond this one's share, handed back. */
  except: readonly string[];
  /** Reminders of a workspace the run has in hand (waiting or being worked on). */
  inHand: (team: string) => number;
  /** Whether the run has a lane for the workspace already (and so its sender lease, which a failure must not drop). */
  serving: (team: string) => boolean;
  /** How many workspaces it does not serve yet it may take, given those the claim found (its share's room). */
  newTeams: (found: readonly string[]) => number;
}

/**
 * Claims a batch and keeps what the run may hold. If keeping fails after the claim committed, what it took is handed
 * back (else each row would wait out its lease and then be looked for in the DM as if a post of it might have gone
 * out), with the sender leases taken for it, and the error is rethrown.
 */
export async function claimBatch(
  deps: Pick<ReminderJobDeps, 'db' | 'logger'>,
  options: TickOptions,
  scope: ClaimScope,
  nowIso: string,
  leaseUntilIso: string,
): Promise<Claimed> {
  const { db } = deps;
  const taken = await claimDueReminders(db, nowIso, leaseUntilIso, options.batchSize, [...scope.except]);
  if (taken.length === 0) return { taken: 0, claimed: [], preloaded: noFacts(), overflowing: [], passedOver: [] };
  const handedBack = new Set<ClaimedReminder>();
  try {
    return { taken: taken.length, ...(await keep(deps, options, scope, taken, handedBack, nowIso, leaseUntilIso)) };
  } catch (error) {
    const newTeams = [...new Set(taken.map((reminder) => reminder.owner.teamId))].filter((t) => !scope.serving(t));
    try {
      await releaseReminders(
        db,
        taken.filter((reminder) => !handedBack.has(reminder)),
        nowIso,
      );
      await releaseSenderLeases(db, scope.holder, newTeams);
    } catch (release) {
      deps.logger.warn('could not hand back a claim (its leases run out by themselves)', release);
    }
    throw error;
  }
}

const noFacts = (): Preloaded => ({ meetings: new Map(), contacts: new Map() });

/**
 * What a claim keeps: the reminders of workspaces whose sender lease this replica holds, up to `enough` of each in
 * hand (a claim may find a whole batch in one workspace), with their facts; the rest are handed back at once, for
 * a later claim (added to `handedBack`). Returns, too, the workspaces of which it handed some back for want of room.
 */
async function keep(
  deps: Pick<ReminderJobDeps, 'db'>,
  options: TickOptions,
  scope: ClaimScope,
  taken: ClaimedReminder[],
  handedBack: Set<ClaimedReminder>,
  nowIso: string,
  leaseUntilIso: string,
): Promise<Omit<Claimed, 'taken'>> {
  const { db } = deps;
  await pausePoint('claim:after-claim', taken);
  const found = [...new Set(taken.map((reminder) => reminder.owner.teamId))];
  // New workspaces up to the share's room, the soonest due first; the rest are left for the other replicas.
  const fresh = found.filter((team) => !scope.serving(team));
  const newRoom = Math.max(0, scope.newTeams(found));
  const wanted = [...found.filter((team) => scope.serving(team)), ...fresh.slice(0, newRoom)];
  const held = await takeSenderLeases(db, scope.holder, wanted, nowIso, leaseUntilIso);
  const claimed: ClaimedReminder[] = [];
  const notKept: ClaimedReminder[] = [];
  const overflowing = new Set<string>();
  const room = new Map<string, number>();
  for (const reminder of taken) {
    const team = reminder.owner.teamId;
    const left = room.get(team) ?? enoughOf(options) - scope.inHand(team);
    room.set(team, left - 1);
    if (!held.has(team)) notKept.push(reminder);
    else if (left > 0) claimed.push(reminder);
    else {
      notKept.push(reminder);
      overflowing.add(team);
    }
  }
  await releaseReminders(db, notKept, nowIso);
  for (const reminder of notKept) handedBack.add(reminder);
  // The facts of the whole batch in two queries: the first look at each reminder needs no query of its own (the
  // decision that counts is made again, fresh, in its turn).
  const preloaded = claimed.length === 0 ? noFacts() : await preload(db, claimed);
  return { claimed, preloaded, overflowing: [...overflowing], passedOver: fresh.slice(newRoom) };
}
