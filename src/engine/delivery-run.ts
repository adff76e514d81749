import { GroupCommit } from '../db/group-commit.js';
import {
  type ClaimedReminder,
  releaseReminders,
  renewLeases,
} from '../db/repositories/reminders/reminders-repository.js';
import { toDbInstant } from '../lib/zoned-time.js';
import { claimBatch } from './claim.js';
import { deliverOne } from './deliver.js';
import type { Outcome, ReminderJobDeps, TickOptions, TickReport } from './options.js';
import { Pacer, Slots } from './pacing.js';
import { SentBatch, type TickDeps } from './record.js';
import { beyondShare, holderOf, joinReplicas, releaseSenderLeases, shareOf, takeSenderLeases } from './replicas.js';
import type { Preloaded } from './send-decision.js';

// The delivery run (docs/reminders.md, "A drain" and "Pacing"): what one drain holds claimed, one lane per workspace
// with its pacer and its workers, the leases it renews while it holds them, and the end of the run.

interface Queued {
  reminder: ClaimedReminder;
  preloaded: Preloaded;
}

/** One workspace within a run: its claimed reminders waiting to start, its pace, and how many workers serve it. */
interface Lane {
  team: string;
  queue: Queued[];
  pacer: Pacer;
  workers: number;
  /** Until when this replica holds the workspace's sender lease (ms). */
  senderLeaseUntil: number;
}

/**
 * The reminders one drain has claimed and not yet finished. Workspaces are delivered in parallel, each at its own
 * pace kept for the whole run; within one, several reminders at once (a post's round trip never holds back the next
 * one), each DM channel at most once a second. Posts in flight across workspaces are bounded where they happen
 * (handing a post to Slack waits for a slot), so a workspace waiting for its pace holds none and never starves the
 * others. Outcomes are recorded in groups: one commit for the outcomes of a turn of the event loop, not one each.
 */
export class DeliveryRun {
  private readonly lanes = new Map<string, Lane>();
  /** Workspaces beyond this replica's share: no more claims in them; handed back once their lanes are empty. */
  private readonly shedding = new Set<string>();
  /** Workspaces this run handed back: left to the other replicas while any lives. */
  private readonly handedBack = new Set<string>();
  /** Workspaces a claim found free and left for want of room in this replica's share (while it has none). */
  private readonly passedOver = new Set<string>();
  /** The most workspaces with work among the live replicas this run has counted at a claim. */
  private mostWithWork = 0;
  /** Another replica holds more than its share while this one holds less: it will hand some back. */
  private handBackComing = false;
  private readonly tickDeps: TickDeps;
  private readonly workers = new Set<Promise<void>>();
  private readonly watchers = new Set<() => void>();
  /** The reminders being worked on now (their turn, their post, their record). */
  private readonly working = new Set<ClaimedReminder>();
  private failure: unknown = null;

  constructor(
    private readonly deps: ReminderJobDeps,
    private readonly options: TickOptions,
    private readonly report: TickReport,
  ) {
    this.tickDeps = {
      ...deps,
      records: new GroupCommit(deps.db),
      sent: new SentBatch(deps.db, options.outcomeWindowMs, () => this.working.size),
      posts: new Slots(options.maxInFlight),
      leaseMs: options.leaseMs,
      replanned: () => {
        report.replanned += 1;
      },
    };
  }

  /**
   * Claims a batch (leaving out `exceptTeams`, and workspaces another replica is posting for) and starts delivering
   * it. Only the replica holding a workspace's sender lease posts its reminders, so its pace holds for the whole app;
   * reminders of a workspace whose lease another replica took at the same moment are handed back at once. Returns how
   * many rows the claim took, and the workspaces of which it handed some back for want of room (more is due there
   * than this run holds).
   */
  async claim(exceptTeams: readonly string[]): Promise<{ taken: number; overflowing: string[] }> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const nowIso = toDbInstant(now);
    const leaseUntil = now.getTime() + this.options.leaseMs;
    const leaseUntilIso = toDbInstant(new Date(leaseUntil));
    const { others, busiest, replicas } = await joinReplicas(db, this.holder, now, this.options.leaseMs);
    // Balance: the live replicas share the workspaces with work. Those beyond this replica's share get no more claims
    // and are handed back once their reminders in hand are done, for another replica to take: while another replica
    // lives, this run takes no workspace it handed back. The share is of the most workspaces with work this run has
    // seen: fewer counted (one handed back and not taken yet, another replica's finished) would hand back more, for a
    // replica that takes it a second or an interval later (churn), when the pace of a workspace is the same whoever
    // posts it. Any other workspace no one holds is taken, up to this replica's share.
    if (replicas <= 1) this.handedBack.clear();
    const withWork = new Set([...others, ...this.lanes.keys()]);
    this.mostWithWork = Math.max(this.mostWithWork, withWork.size);
    const held = () => [...this.lanes.keys()].filter((team) => !this.shedding.has(team));
    const share = shareOf(this.mostWithWork, replicas);
    for (const team of beyondShare(held(), share, (t) => this.inHand(t))) this.shedding.add(team);
    if (held().length < share) this.passedOver.clear();
    const kept = await claimBatch(
      this.deps,
      this.options,
      {
        holder: this.holder,
        except: [...exceptTeams, ...others, ...this.shedding, ...this.handedBack, ...this.passedOver],
        inHand: (team) => this.inHand(team),
        serving: (team) => this.lanes.has(team),
        newTeams: (found) =>
          shareOf(Math.max(this.mostWithWork, new Set([...withWork, ...found]).size), replicas) - held().length,
      },
      nowIso,
      leaseUntilIso,
    );
    for (const team of kept.passedOver) this.passedOver.add(team);
    // A claim again soon (not at the next firing) while another replica is to hand over what this one has room for.
    this.handBackComing = replicas > 1 && busiest > share && held().length < share;
    if (kept.taken === 0) return { taken: 0, overflowing: [] };
    const { claimed, preloaded } = kept;
    this.report.claimed += claimed.length;
    const result = { taken: kept.taken, overflowing: kept.overflowing };
    if (claimed.length === 0) return result;
    for (const reminder of claimed) {
      const team = reminder.owner.teamId;
      let lane = this.lanes.get(team);
      if (lane === undefined) {
        const spacing = Math.ceil(60_000 / this.options.perWorkspacePerMinute);
        lane = {
          team,
          queue: [],
          pacer: new Pacer(this.deps, spacing, this.options.perChannelIntervalMs),
          workers: 0,
          senderLeaseUntil: leaseUntil,
        };
        this.lanes.set(team, lane);
      }
      lane.senderLeaseUntil = leaseUntil;
      lane.queue.push({ reminder, preloaded });
    }
    for (const lane of this.lanes.values()) {
      const more = Math.min(this.options.perWorkspaceInFlight - lane.workers, lane.queue.length);
      for (let i = 0; i < more; i++) {
        const worker = this.serve(lane);
        this.workers.add(worker);
        void worker.finally(() => this.workers.delete(worker));
      }
    }
    return result;
  }

  /** Whether another replica is to hand back workspaces this one has room for (as of the last claim). */
  handBackExpected(): boolean {
    return this.handBackComing;
  }

  private get holder(): string {
    return holderOf(this.deps);
  }

  /** Reminders claimed and not yet started, in the workspaces that have fewer than `enough` of them. */
  waiting(enough: number): number {
    let count = 0;
    for (const lane of this.lanes.values()) if (lane.queue.length < enough) count += lane.queue.length;
    return count;
  }

  /** Reminders of one workspace claimed and not yet started. */
  waitingOf(team: string): number {
    return this.lanes.get(team)?.queue.length ?? 0;
  }

  /** Reminders of a workspace this run has in hand (waiting or being worked on). */
  private inHand(team: string): number {
    const lane = this.lanes.get(team);
    return lane === undefined ? 0 : lane.queue.length + lane.workers;
  }

  /** Hands back the sender leases of workspaces beyond this replica's share once nothing of them is in hand. */
  private async shed(): Promise<void> {
    const done = [...this.shedding].filter((team) => this.inHand(team) === 0);
    if (done.length === 0) return;
    await releaseSenderLeases(this.deps.db, this.holder, done);
    for (const team of done) {
      this.shedding.delete(team);
      this.handedBack.add(team);
      this.lanes.delete(team);
    }
  }

  idle(): boolean {
    return this.working.size === 0 && [...this.lanes.values()].every((lane) => lane.queue.length === 0);
  }

  /**
   * Renews the leases of the reminders this run holds (waiting or being worked on) that would run out within half a
   * lease: a workspace paced for minutes, or one whose posts time out, keeps its claims instead of another claim
   * taking them over and looking in the DM for each. Called between claims, so at least at every firing.
   */
  async renewLeases(): Promise<void> {
    await this.shed();
    const now = this.deps.clock.now().getTime();
    const soon = now + this.options.leaseMs / 2;
    const held = [...this.working, ...[...this.lanes.values()].flatMap((lane) => lane.queue.map((q) => q.reminder))];
    const expiring = held.filter((reminder) => reminder.leaseUntil.getTime() <= soon);
    const until = new Date(now + this.options.leaseMs);
    if (expiring.length > 0) {
      const renewed = new Set(await renewLeases(this.deps.db, expiring, toDbInstant(until)));
      for (const reminder of expiring) if (renewed.has(reminder.id)) reminder.leaseUntil = until;
    }
    // The workspaces' sender leases too, while this run still has their reminders.
    const teams = [...this.lanes.entries()]
      .filter(([, lane]) => lane.senderLeaseUntil <= soon && (lane.queue.length > 0 || lane.workers > 0))
      .map(([team]) => team);
    if (teams.length === 0) return;
    const kept = await takeSenderLeases(
      this.deps.db,
      this.holder,
      teams,
      toDbInstant(new Date(now)),
      toDbInstant(until),
    );
    for (const team of teams) if (kept.has(team)) (this.lanes.get(team) as Lane).senderLeaseUntil = until.getTime();
  }

  /** At the end of a run: another replica may post for these workspaces at once (never throws). */
  async releaseSenderLeases(): Promise<void> {
    if (this.lanes.size === 0) return;
    try {
      await releaseSenderLeases(this.deps.db, this.holder, [...this.lanes.keys()]);
    } catch (error) {
      this.deps.logger.warn('could not hand back the sender leases (they run out by themselves)', error);
    }
  }

  /** A worker met an error it could not record (the database): claim nothing more. */
  broken(): boolean {
    return this.failure !== null;
  }

  /** Workspaces with at least `count` reminders waiting to start. */
  teamsHolding(count: number): string[] {
    return [...this.lanes.entries()].filter(([, lane]) => lane.queue.length >= count).map(([team]) => team);
  }

  /** Resolves once `condition` holds (checked whenever a reminder starts or finishes), or a worker failed. */
  until(condition: () => boolean): Promise<void> {
    if (condition() || this.failure !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!condition() && this.failure === null) return;
        this.watchers.delete(check);
        resolve();
      };
      this.watchers.add(check);
    });
  }

  /**
   * Waits for `claiming` to end and then for every claimed reminder to be finished, whatever happened; rethrows the
   * claiming's error, else what a worker could not handle (a database error).
   */
  async finishedAfter(claiming: Promise<unknown>): Promise<void> {
    const [claimed] = await Promise.allSettled([claiming]);
    await this.until(() => this.idle());
    await Promise.allSettled([...this.workers]);
    if (claimed?.status === 'rejected') throw claimed.reason;
    if (this.failure !== null) throw this.failure;
  }

  private async serve(lane: Lane): Promise<void> {
    const { deps, tickDeps } = this;
    lane.workers += 1;
    try {
      for (let item = lane.pacer.next(lane.queue); item !== undefined; item = lane.pacer.next(lane.queue)) {
        const { reminder, preloaded } = item;
        this.working.add(reminder);
        this.notify();
        try {
          if (deps.stopping?.()) {
            await tickDeps.records.run(
              (trx) => releaseReminders(trx, [reminder], toDbInstant(deps.clock.now())),
              reminder.id,
            );
            this.record(reminder, 'released');
            continue;
          }
          const owner = reminder.owner.userId;
          this.record(
            reminder,
            await deliverOne(tickDeps, reminder, preloaded, (work) => lane.pacer.turn(owner, work)),
          );
        } finally {
          this.working.delete(reminder);
          this.notify();
        }
      }
    } catch (error) {
      // A reminder left claimed here is taken again when its lease runs out; the drain reports the error.
      this.failure ??= error;
      lane.queue.length = 0;
    } finally {
      lane.workers -= 1;
      this.notify();
      // A workspace being handed back goes as soon as its last reminder in hand is done, not at the next claim.
      if (this.shedding.has(lane.team) && this.inHand(lane.team) === 0) this.shedNow();
    }
  }

  /** Hands back what is ready to go now, beside the workers (the run waits for it); never throws. */
  private shedNow(): void {
    const shedding = this.shed().catch((error) => {
      this.deps.logger.warn('could not hand back a sender lease (it is tried again at the next claim)', error);
    });
    this.workers.add(shedding);
    void shedding.finally(() => this.workers.delete(shedding));
  }

  private record(reminder: ClaimedReminder, outcome: Outcome): void {
    this.report[outcome] += 1;
    this.deps.metrics?.reminderHandled(
      reminder.kind,
      outcome,
      outcome === 'sent' ? this.deps.clock.now().getTime() - reminder.dueAt.getTime() : null,
    );
  }

  private notify(): void {
    for (const check of [...this.watchers]) check();
  }
}
