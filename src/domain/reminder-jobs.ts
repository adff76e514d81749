import type { Db } from '../db/database.js';
import { GroupCommit } from '../db/group-commit.js';
import { findAsk, findNextToAsk } from '../db/repositories/asks-repository.js';
import { findContact } from '../db/repositories/contacts-repository.js';
import { listAdviceItems } from '../db/repositories/debriefs-repository.js';
import { findMeeting } from '../db/repositories/meetings-repository.js';
import {
  type ContactSubject,
  loadContactFacts,
  loadMeetingFacts,
  type MeetingSubject,
} from '../db/repositories/reminder-facts-repository.js';
import {
  claimDueReminders,
  type ClaimedReminder,
  deferReminder,
  handOverReminder,
  markReminderFailed,
  markReminderSent,
  markReminderSkipped,
  type Recorded,
  releaseReminders,
  renewLeases,
  retryReminderAt,
} from '../db/repositories/reminders-repository.js';
import {
  countLiveReplicas,
  releaseLeases,
  replicaLease,
  senderLease,
  takeLeases,
  teamsSentByOthers,
} from '../db/repositories/leases-repository.js';
import type { LogSink } from '../lib/logger.js';
import { pausePoint } from '../lib/pause-points.js';
import { THIS_REPLICA } from '../lib/replica.js';
import { FALLBACK_TIME_ZONE, toDbInstant } from '../lib/time.js';
import type { Clock } from '../lib/clock.js';
import type { EngineMetrics, ReminderDelivery, ReminderSender } from './ports.js';
import { DeliveryError } from './ports.js';
import { composeFollowUpDraft } from './asks.js';
import type { MeetingReminderKind } from './reminder-plan.js';
import { formatDay } from './business-days.js';
import { planContact, planMeeting, type ReminderPlan, retryDelayMs } from './reminder-plan.js';
import { reconcileContacts, reconcileMeetings, runPendingReplans } from './reminder-reconciler.js';
import type { Owner } from './types.js';

export interface ReminderJobDeps {
  db: Db;
  clock: Clock;
  sender: ReminderSender;
  logger: LogSink;
  /** Waits; the engine's only way to let time pass (tests pass one that moves a fake clock). */
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
  /** True once shutdown began: the reminder being sent is finished and recorded, the rest of the claim released. */
  stopping?: () => boolean;
  /**
   * Resolves at the trigger's next firing. A drain waiting for a slow workspace's reminders claims again then, so what
   * comes due meanwhile in other workspaces does not wait for the slow one. Without it, a drain waits for events only.
   */
  nextTick?: () => Promise<void>;
  metrics?: EngineMetrics;
  /** This replica's name, the holder of its leases (tests run several in one process); the process's by default. */
  replica?: string;
}

export interface TickOptions {
  /** Most reminders claimed by one tick. */
  batchSize: number;
  /** How long a claim holds; a claim older than this had an unknown outcome and is looked for before resending. */
  leaseMs: number;
  /** Posts per minute per workspace, below Slack's limit of several hundred, so a burst is spread, not refused. */
  perWorkspacePerMinute: number;
  /** Slack allows about one message per second in a channel (each user's DM is one). */
  perChannelIntervalMs: number;
  /** Reminders of one workspace being delivered at once (their posts still go out at the workspace's pace). */
  perWorkspaceInFlight: number;
  /** Reminders being delivered at once in all, so a burst never opens hundreds of connections. */
  maxInFlight: number;
}

export const DEFAULT_TICK_OPTIONS: TickOptions = {
  batchSize: 200,
  // Short, and renewed while held (at every firing, once less than half is left): the reminders of a replica that
  // dies are taken over within a minute.
  leaseMs: 45_000,
  perWorkspacePerMinute: 240,
  perChannelIntervalMs: 1100,
  perWorkspaceInFlight: 6,
  maxInFlight: 48,
};

export interface TickReport {
  claimed: number;
  sent: number;
  skipped: number;
  deferred: number;
  retried: number;
  failed: number;
  /** Claimed, then handed back untried because the process is stopping. */
  released: number;
  /** Subjects brought to their facts after an outcome (this may arm a reminder that is due at once). */
  replanned: number;
}

type Outcome = 'sent' | 'skipped' | 'deferred' | 'retried' | 'failed' | 'released';

/** A report of nothing done yet, to add a run's outcomes to. */
export const emptyTickReport = (): TickReport => ({
  claimed: 0,
  sent: 0,
  skipped: 0,
  deferred: 0,
  retried: 0,
  failed: 0,
  released: 0,
  replanned: 0,
});

/**
 * One pass of the engine: claim what is due (atomically, one bounded batch), deliver each outside any transaction at
 * Slack's pace, then record the outcome. Crash-safe: a claim whose worker died expires and is retried, and a reminder
 * whose post may have gone out is looked for in the DM before it is posted again.
 */
export async function runReminderTick(
  deps: ReminderJobDeps,
  options: TickOptions = DEFAULT_TICK_OPTIONS,
): Promise<TickReport> {
  const report = emptyTickReport();
  const run = new DeliveryRun(deps, options, report);
  try {
    await run.finishedAfter(run.claim([]));
  } finally {
    await run.releaseSenderLeases();
  }
  return report;
}

/**
 * Delivers everything due, claiming as it goes (at most `maxClaims` claims): a workspace's reminders are claimed
 * while the earlier ones are still being paced, so no workspace ever waits for the slowest of a batch, and each holds
 * only a few seconds of posts claimed at a time (the rest stay pending, the memory used does not grow with the
 * backlog). The end of quiet hours puts hundreds of nudges on one instant: they drain at Slack's pace in one go.
 */
export async function drainDueReminders(
  deps: ReminderJobDeps,
  options: TickOptions = DEFAULT_TICK_OPTIONS,
  maxClaims = 500,
): Promise<TickReport> {
  const report = emptyTickReport();
  // Re-plans a crash interrupted (or that nothing ran yet) come first: they may add reminders due now.
  await runPendingReplans(deps.db, deps.clock.now(), deps.logger);
  const run = new DeliveryRun(deps, options, report);
  // However the claiming ends (a database error included), the drain returns only once every reminder it claimed is
  // finished: no worker of it is left posting beside the next drain's.
  try {
    await run.finishedAfter(claimAsItGoes(deps, options, run, report, maxClaims));
  } finally {
    await run.releaseSenderLeases();
  }
  return report;
}

/**
 * A replica that stops hands its own lease back, so the others share the workspaces without it from their next claim
 * (else they would count it, and leave it a share, for up to half a lease; one that dies still counts that long).
 */
export async function leaveReplicas(deps: Pick<ReminderJobDeps, 'db' | 'replica'>): Promise<void> {
  const holder = deps.replica ?? THIS_REPLICA;
  await releaseLeases(deps.db, [replicaLease(holder)], holder);
}

/**
 * About 15 s of a workspace's posts: what one drain holds claimed of a workspace at most (more would only wait longer
 * under its claim, and be taken over late if the replica died).
 */
function enoughOf(options: TickOptions): number {
  return Math.max(options.perWorkspaceInFlight, Math.ceil(options.perWorkspacePerMinute / 4));
}

/** The claiming of a drain: a claim whenever there is room, until nothing is due (or `maxClaims`, or shutdown). */
async function claimAsItGoes(
  deps: ReminderJobDeps,
  options: TickOptions,
  run: DeliveryRun,
  report: TickReport,
  maxClaims: number,
): Promise<void> {
  const enough = enoughOf(options);
  for (let claims = 0; claims < maxClaims && !deps.stopping?.() && !run.broken(); claims++) {
    await run.renewLeases();
    const full = run.teamsHolding(enough);
    const replannedAtClaim = report.replanned;
    const { taken, overflowing } = await run.claim(full);
    // Workspaces with more due than this run holds: those it did not claim in, and those whose claim it cut short.
    const holdingEnough = [...new Set([...full, ...overflowing])];
    // Whatever the wait, the trigger's next firing ends it: reminders that come due meanwhile in other workspaces are
    // claimed then, not after a slow workspace's (every post of it timing out, say).
    const untilOrTick = (condition: () => boolean) =>
      Promise.race([run.until(condition), ...(deps.nextTick ? [deps.nextTick()] : [])]);
    if (taken >= options.batchSize) {
      // More is due: claim again once half a batch is left to start in the workspaces that do not hold enough.
      await untilOrTick(() => run.waiting(enough) < options.batchSize / 2);
    } else if (holdingEnough.length > 0) {
      // What else is due belongs to workspaces with enough claimed: claim again once one of them runs low.
      await untilOrTick(() => run.idle() || holdingEnough.some((team) => run.waitingOf(team) < enough / 2));
    } else {
      // Nothing else is due; but a re-plan after an outcome may arm a reminder due now (a meeting moved while its
      // old prep tip was claimed): another claim, once everything claimed is done, if any re-plan happened.
      await untilOrTick(() => run.idle());
      if (run.idle() && report.replanned === replannedAtClaim) break;
    }
  }
}

interface Queued {
  reminder: ClaimedReminder;
  preloaded: Preloaded;
}

/** One workspace within a run: its claimed reminders waiting to start, its pace, and how many workers serve it. */
interface Lane {
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
class DeliveryRun {
  private readonly lanes = new Map<string, Lane>();
  /** Workspaces beyond this replica's share: no more claims in them; handed back once their lanes are empty. */
  private readonly shedding = new Set<string>();
  /** Workspaces this run handed back: left to the other replicas while any lives. */
  private readonly handedBack = new Set<string>();
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
    // Renewed at every claim (at least at every firing); half a lease, so a replica that died stops counting soon.
    const aliveUntil = toDbInstant(new Date(now.getTime() + this.options.leaseMs / 2));
    await takeLeases(db, [replicaLease(this.holder)], this.holder, nowIso, aliveUntil);
    const [others, replicas] = await Promise.all([
      teamsSentByOthers(db, this.holder, nowIso),
      countLiveReplicas(db, nowIso),
    ]);
    // Balance: the live replicas share the workspaces with work. One holding more than its share (it was alone when
    // a wave began, say) claims no more in those beyond it (the ones with least in hand) and hands each back once
    // its reminders in hand are done, for another replica to take (at its next firing at the latest): while another
    // replica lives, this run takes no workspace it handed back. Any other workspace no one holds is taken.
    if (replicas <= 1) this.handedBack.clear();
    const mine = [...this.lanes.keys()].filter((team) => !this.shedding.has(team));
    const share = replicas <= 1 ? Infinity : Math.ceil(new Set([...others, ...this.lanes.keys()]).size / replicas);
    if (mine.length > share) {
      const byWork = [...mine].sort((a, b) => this.inHand(b) - this.inHand(a));
      for (const team of byWork.slice(share)) this.shedding.add(team);
    }
    const taken = await claimDueReminders(db, nowIso, leaseUntilIso, this.options.batchSize, [
      ...exceptTeams,
      ...others,
      ...this.shedding,
      ...this.handedBack,
    ]);
    if (taken.length === 0) return { taken: 0, overflowing: [] };
    let kept: { claimed: ClaimedReminder[]; preloaded: Preloaded; overflowing: string[] };
    const handedBack = new Set<ClaimedReminder>();
    try {
      kept = await this.keep(taken, handedBack, nowIso, leaseUntilIso);
    } catch (error) {
      // The claim has committed: hand back what it took, or each row would wait out its lease and then be looked
      // for in the DM as if a post of it might have gone out.
      const newTeams = [...new Set(taken.map((reminder) => reminder.owner.teamId))].filter((t) => !this.lanes.has(t));
      try {
        await releaseReminders(
          db,
          taken.filter((reminder) => !handedBack.has(reminder)),
          nowIso,
        );
        await releaseLeases(db, newTeams.map(senderLease), this.holder);
      } catch (release) {
        this.deps.logger.warn('could not hand back a claim (its leases run out by themselves)', release);
      }
      throw error;
    }
    const { claimed, preloaded } = kept;
    this.report.claimed += claimed.length;
    const result = { taken: taken.length, overflowing: kept.overflowing };
    if (claimed.length === 0) return result;
    for (const reminder of claimed) {
      const team = reminder.owner.teamId;
      let lane = this.lanes.get(team);
      if (lane === undefined) {
        const spacing = Math.ceil(60_000 / this.options.perWorkspacePerMinute);
        lane = {
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

  /**
   * What a claim keeps: the reminders of workspaces whose sender lease this replica holds, up to `enough` of each in
   * hand (a claim may find a whole batch in one workspace), with their facts; the rest are handed back at once, for
   * a later claim (added to `handedBack`). Returns, too, the workspaces of which it handed some back for want of room.
   */
  private async keep(
    taken: ClaimedReminder[],
    handedBack: Set<ClaimedReminder>,
    nowIso: string,
    leaseUntilIso: string,
  ): Promise<{ claimed: ClaimedReminder[]; preloaded: Preloaded; overflowing: string[] }> {
    const { db } = this.deps;
    await pausePoint('claim:after-claim', taken);
    const wanted = [...new Set(taken.map((reminder) => reminder.owner.teamId))];
    const held = await takeLeases(db, wanted.map(senderLease), this.holder, nowIso, leaseUntilIso);
    const claimed: ClaimedReminder[] = [];
    const notKept: ClaimedReminder[] = [];
    const overflowing = new Set<string>();
    const room = new Map<string, number>();
    for (const reminder of taken) {
      const team = reminder.owner.teamId;
      const left = room.get(team) ?? enoughOf(this.options) - this.inHand(team);
      room.set(team, left - 1);
      if (!held.has(senderLease(team))) notKept.push(reminder);
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
    const preloaded = claimed.length === 0 ? { meetings: new Map(), contacts: new Map() } : await preload(db, claimed);
    return { claimed, preloaded, overflowing: [...overflowing] };
  }

  private get holder(): string {
    return this.deps.replica ?? THIS_REPLICA;
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
    await releaseLeases(this.deps.db, done.map(senderLease), this.holder);
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
    const kept = await takeLeases(
      this.deps.db,
      teams.map(senderLease),
      this.holder,
      toDbInstant(new Date(now)),
      toDbInstant(until),
    );
    for (const team of teams)
      if (kept.has(senderLease(team))) (this.lanes.get(team) as Lane).senderLeaseUntil = until.getTime();
  }

  /** At the end of a run: another replica may post for these workspaces at once (never throws). */
  async releaseSenderLeases(): Promise<void> {
    if (this.lanes.size === 0) return;
    try {
      await releaseLeases(this.deps.db, [...this.lanes.keys()].map(senderLease), this.holder);
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
    }
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

/** A counting semaphore: at most `size` holders at once, the rest served in order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = Math.max(1, size);
  }
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}

/**
 * One workspace's pace: posts at least `spacing` apart, and a DM channel's at least `channelInterval` apart. Turns
 * are taken one after another (one waiter at a time, so the clock is only ever waited on once per workspace), and
 * the post that got its turn goes out while the next waits for its own.
 */
class Pacer {
  private queue: Promise<void> = Promise.resolve();
  private nextPost = -Infinity;
  private readonly nextTo = new Map<string, number>();
  constructor(
    private readonly deps: Pick<ReminderJobDeps, 'clock' | 'sleep'>,
    private readonly spacing: number,
    private readonly channelInterval: number,
  ) {}

  /** Takes the next reminder to work on: the first whose DM channel is free soonest (due order otherwise). */
  next<T extends { reminder: ClaimedReminder }>(queue: T[]): T | undefined {
    if (queue.length <= 1) return queue.shift();
    const now = this.deps.clock.now().getTime();
    const readyAt = (i: number) => this.nextTo.get((queue[i] as T).reminder.owner.userId) ?? -Infinity;
    let best = 0;
    for (let i = 0; i < queue.length && i < 50; i++) {
      const ready = readyAt(i);
      if (ready <= now) {
        best = i;
        break;
      }
      if (ready < readyAt(best)) best = i;
    }
    return queue.splice(best, 1)[0];
  }

  /** Waits for this user's turn to be posted to, then runs `work` (deciding, and handing the post over) in it. */
  turn<T>(userId: string, work: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(async () => {
      const at = this.deps.clock.now().getTime();
      const ready = Math.max(this.nextPost, this.nextTo.get(userId) ?? -Infinity);
      if (ready > at) await this.deps.sleep(ready - at);
      const now = this.deps.clock.now().getTime();
      this.nextPost = now + this.spacing;
      this.nextTo.set(userId, now + this.channelInterval);
      return work();
    });
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }
}

/** What the turn of a reminder came to: handed back, decided otherwise, or a post on its way. */
type Turn =
  | { type: 'released' }
  | { type: 'decided'; decision: Exclude<Decision, { action: 'send' }> }
  | { type: 'lease' }
  | { type: 'posting'; post: Promise<{ ok: { channel: string; ts: string } | null } | { error: unknown }> };

/**
 * The engine's dependencies within one run: the group commit its outcomes are recorded through, the cap on posts, the
 * length of a lease.
 */
type TickDeps = ReminderJobDeps & { records: GroupCommit; posts: Slots; leaseMs: number; replanned: () => void };

/** Beyond the client's timeout, the lease a post is handed over with: time to record it, and clocks a little apart. */
export const HAND_OVER_MARGIN_MS = 5_000;

/**
 * Hands the reminder's post to Slack under its claim, just before it leaves: with more lease left than the post can
 * take (the client's timeout and a margin), renewing the lease when less is left, and recording the hand-over, so a
 * claim that expires later is looked for in the DM and one that expires before is not. False when the claim is gone.
 */
async function handOver(deps: TickDeps, reminder: ClaimedReminder): Promise<boolean> {
  const now = deps.clock.now().getTime();
  const needed = deps.sender.postTimeoutMs + HAND_OVER_MARGIN_MS;
  const until =
    reminder.leaseUntil.getTime() - now > needed
      ? reminder.leaseUntil
      : new Date(now + Math.max(deps.leaseMs, needed + HAND_OVER_MARGIN_MS));
  if (!(await handOverReminder(deps.db, reminder, toDbInstant(new Date(now)), toDbInstant(until)))) return false;
  reminder.leaseUntil = until;
  return true;
}

/**
 * Delivers one claimed reminder. `turn` runs its argument when this reminder's DM may be posted to (the workspace's
 * and the channel's pace), one reminder of the workspace at a time: deciding again and handing the post to Slack
 * happen inside it, so nothing the user does between the two goes unseen; the post's round trip happens after it.
 */
async function deliverOne(
  deps: TickDeps,
  reminder: ClaimedReminder,
  preloaded: Preloaded,
  turn: <T>(work: () => Promise<T>) => Promise<T>,
): Promise<Outcome> {
  const { clock, logger, records } = deps;
  try {
    const first = await firstLook(deps, reminder, preloaded);
    if (first.action === 'send' && first.delivery !== null) {
      // A previous attempt may have posted: Slack's DM history (message metadata) says whether it did.
      const earlier = await deps.sender.findDelivered(first.delivery);
      if (earlier !== null) {
        await afterRecord(
          deps,
          reminder,
          await records.run((trx) => markReminderSent(trx, reminder, earlier, toDbInstant(clock.now())), reminder.id),
        );
        logger.info(`reminder ${reminder.id} was already delivered (${earlier.ts}); not posting again`);
        return 'sent';
      }
    }
    const outcome: Turn =
      first.action !== 'send'
        ? { type: 'decided', decision: first }
        : await turn(async (): Promise<Turn> => {
            // A place among the posts in flight first: waiting for it comes before deciding, never between.
            await deps.posts.acquire();
            let handedOver = false;
            try {
              // Shutdown began while this one waited for its turn: handed back untried, for the next process.
              if (deps.stopping?.()) return { type: 'released' };
              // The facts may have changed while waiting (cancelled, moved, deleted): decide again just before posting.
              const decision = await decide(deps, reminder);
              if (decision.action !== 'send') return { type: 'decided', decision };
              // Past its lease another worker may have taken the reminder over: leave it to that one, not post twice.
              if (clock.now().getTime() >= reminder.leaseUntil.getTime()) return { type: 'lease' };
              const post = deps.sender
                .send(decision.delivery, () => handOver(deps, reminder))
                .then(
                  (ok) => ({ ok }),
                  (error: unknown) => ({ error }),
                )
                .finally(() => deps.posts.release());
              handedOver = true;
              return { type: 'posting', post };
            } finally {
              if (!handedOver) deps.posts.release();
            }
          });
    const nowIso = toDbInstant(clock.now());
    switch (outcome.type) {
      case 'released':
        await records.run((trx) => releaseReminders(trx, [reminder], nowIso), reminder.id);
        return 'released';
      case 'lease':
        logger.warn(`reminder ${reminder.id}: lease ran out before posting; left to the next claim`);
        return 'retried';
      case 'decided':
        if (outcome.decision.action === 'skip') {
          logger.info(`reminder ${reminder.id} skipped: ${outcome.decision.reason}`);
          const reason = outcome.decision.reason;
          await afterRecord(
            deps,
            reminder,
            await records.run((trx) => markReminderSkipped(trx, reminder, reason, nowIso), reminder.id),
            true,
          );
          return 'skipped';
        }
        const until = toDbInstant(outcome.decision.until);
        await afterRecord(
          deps,
          reminder,
          await records.run((trx) => deferReminder(trx, reminder, until, nowIso), reminder.id),
        );
        return 'deferred';
      case 'posting': {
        const result = await outcome.post;
        if ('error' in result) throw result.error;
        const posted = result.ok;
        if (posted === null) {
          logger.warn(`reminder ${reminder.id}: claim taken over before posting; left to the new claim`);
          return 'retried';
        }
        const sentAt = toDbInstant(clock.now());
        await afterRecord(
          deps,
          reminder,
          await records.run((trx) => markReminderSent(trx, reminder, posted, sentAt), reminder.id),
        );
        return 'sent';
      }
    }
  } catch (error) {
    return recordFailure(deps, reminder, error);
  }
}

/**
 * Once an outcome is recorded: when the facts changed while the row was claimed (or it was skipped, perhaps for a
 * newer delivery), the reconciler brings the subject's rows to the facts, so a meeting moved mid-send gets its new
 * reminders.
 */
async function afterRecord(
  deps: TickDeps,
  reminder: ClaimedReminder,
  recorded: Recorded,
  always = false,
): Promise<void> {
  if (!recorded.recorded || !(recorded.replan || always)) return;
  const now = deps.clock.now();
  if (reminder.meetingId !== null) await reconcileMeetings(deps.db, [reminder.meetingId], now);
  if (reminder.contactId !== null) await reconcileContacts(deps.db, [reminder.contactId], now);
  deps.replanned();
}

type Decision =
  | { action: 'send'; delivery: ReminderDelivery }
  | { action: 'skip'; reason: string }
  | { action: 'defer'; until: Date };

/** The facts of a claimed batch, loaded at once. */
interface Preloaded {
  meetings: Map<number, MeetingSubject>;
  contacts: Map<number, ContactSubject>;
}

async function preload(db: Db, claimed: ClaimedReminder[]): Promise<Preloaded> {
  const meetingIds = [...new Set(claimed.flatMap((r) => (r.meetingId === null ? [] : [r.meetingId])))];
  const contactIds = [...new Set(claimed.flatMap((r) => (r.contactId === null ? [] : [r.contactId])))];
  return {
    meetings: new Map((await loadMeetingFacts(db, meetingIds)).map((subject) => [subject.id, subject])),
    contacts: new Map(
      (await loadContactFacts(db, contactIds, FALLBACK_TIME_ZONE)).map((subject) => [subject.id, subject]),
    ),
  };
}

/**
 * A first look from the batch's facts: skip or defer now, or go for a turn. The delivery itself is only built here
 * when an earlier attempt may have posted (the DM history is read before any turn); otherwise in the turn.
 */
async function firstLook(
  deps: ReminderJobDeps,
  reminder: ClaimedReminder,
  preloaded: Preloaded,
): Promise<Exclude<Decision, { action: 'send' }> | { action: 'send'; delivery: ReminderDelivery | null }> {
  const now = deps.clock.now();
  const owner = reminder.owner;
  const sameOwner = (other: Owner) => other.teamId === owner.teamId && other.userId === owner.userId;
  const contactKind =
    reminder.kind === 'keep_in_touch' || reminder.kind === 'ask_next' || reminder.kind === 'ask_follow_up';
  const subject = contactKind
    ? preloaded.contacts.get(reminder.contactId ?? -1)
    : preloaded.meetings.get(reminder.meetingId ?? -1);
  if (subject === undefined || !sameOwner(subject.owner))
    return { action: 'skip', reason: contactKind ? 'contact no longer exists' : 'meeting no longer exists' };
  const plan = contactKind
    ? planContact((subject as ContactSubject).facts, subject.user, now)
    : planMeeting((subject as MeetingSubject).facts, subject.user, now);
  const verdict = judge(plan, reminder, now);
  if (verdict !== null) return verdict;
  if (!reminder.checkBeforeSend) return { action: 'send', delivery: null };
  return decide(deps, reminder);
}

/** Whether the plan for the facts as they are now still calls for this very delivery, and now. */
function judge(plan: ReminderPlan, reminder: ClaimedReminder, now: Date): Exclude<Decision, { action: 'send' }> | null {
  const wanted = plan.wanted.find((w) => w.kind === reminder.kind);
  if (wanted === undefined) return { action: 'skip', reason: plan.dropped[reminder.kind] ?? 'no longer planned' };
  if (wanted.key !== reminder.deliveryKey) return { action: 'skip', reason: 'superseded by a newer delivery' };
  if (wanted.dueAt.getTime() > now.getTime()) return { action: 'defer', until: wanted.dueAt };
  return null;
}

/** Loads the facts the reminder is about and decides, at send time, whether the plan still calls for it. */
async function decide(deps: ReminderJobDeps, reminder: ClaimedReminder): Promise<Decision> {
  const { db, clock } = deps;
  const owner: Owner = reminder.owner;
  const now = clock.now();
  const base = {
    reminderId: reminder.id,
    delivery: reminder.delivery,
    owner,
    now,
    since: new Date(reminder.firstAttemptAt.getTime() - 60_000),
  };
  const sameOwner = (other: Owner) => other.teamId === owner.teamId && other.userId === owner.userId;
  if (reminder.kind === 'keep_in_touch' || reminder.kind === 'ask_next' || reminder.kind === 'ask_follow_up') {
    const [subject] =
      reminder.contactId === null ? [] : await loadContactFacts(db, [reminder.contactId], FALLBACK_TIME_ZONE);
    if (subject === undefined || !sameOwner(subject.owner))
      return { action: 'skip', reason: 'contact no longer exists' };
    const verdict = judge(planContact(subject.facts, subject.user, now), reminder, now);
    if (verdict !== null) return verdict;
    const contact = await findContact(db, owner, subject.id);
    if (contact === undefined) return { action: 'skip', reason: 'contact no longer exists' };
    const zone = subject.user.zone;
    if (reminder.kind === 'keep_in_touch') {
      if (subject.facts.lastTouch === null) return { action: 'skip', reason: 'no touch logged' };
      return {
        action: 'send',
        delivery: { ...base, kind: 'keep_in_touch', contact, lastTouch: subject.facts.lastTouch, zone },
      };
    }
    const ask = subject.facts.ask === null ? undefined : await findAsk(db, owner, subject.facts.ask.id);
    if (ask === undefined) return { action: 'skip', reason: 'ask no longer exists' };
    if (reminder.kind === 'ask_next') {
      return {
        action: 'send',
        delivery: {
          ...base,
          kind: 'ask_next',
          contact,
          ask,
          nextToAsk: (await findNextToAsk(db, owner, contact.id)) ?? null,
          zone,
        },
      };
    }
    return {
      action: 'send',
      delivery: {
        ...base,
        kind: 'ask_follow_up',
        contact,
        ask,
        draft: composeFollowUpDraft(contact.name, formatDay(ask.sentOn)),
        zone,
      },
    };
  }
  const [subject] = reminder.meetingId === null ? [] : await loadMeetingFacts(db, [reminder.meetingId]);
  if (subject === undefined || !sameOwner(subject.owner)) return { action: 'skip', reason: 'meeting no longer exists' };
  const verdict = judge(planMeeting(subject.facts, subject.user, now), reminder, now);
  if (verdict !== null) return verdict;
  const found = await findMeeting(db, owner, subject.id);
  if (found === undefined) return { action: 'skip', reason: 'meeting no longer exists' };
  const adviceItems = reminder.kind === 'report_back' ? await listAdviceItems(db, owner, subject.id) : [];
  return {
    action: 'send',
    delivery: { ...base, kind: reminder.kind as MeetingReminderKind, found, adviceItems, zone: subject.user.zone },
  };
}

async function recordFailure(deps: TickDeps, reminder: ClaimedReminder, error: unknown): Promise<Outcome> {
  const { db, clock, logger } = deps;
  const now = clock.now();
  const nowIso = toDbInstant(now);
  const failure = error instanceof DeliveryError ? error : new DeliveryError('unknown_outcome', String(error));
  // Slack's codes and network causes are a small set; anything else (a bug) is one label, not one per message.
  deps.metrics?.deliveryFailed(error instanceof DeliveryError ? failure.message : 'internal');
  if (failure.kind === 'permanent') {
    const recorded = await markReminderFailed(db, reminder, failure.message, nowIso);
    if (recorded.recorded) logFailed(logger, reminder, `reminder ${reminder.id} failed for good`, failure.message);
    await afterRecord(deps, reminder, recorded);
    return 'failed';
  }
  if (failure.kind === 'rate_limited') {
    const wait = failure.retryAfterMs ?? 30_000;
    const recorded = await retryReminderAt(
      db,
      reminder,
      toDbInstant(new Date(now.getTime() + wait)),
      { error: failure.message, checkBeforeSend: reminder.checkBeforeSend, countAttempt: false },
      nowIso,
    );
    await afterRecord(deps, reminder, recorded);
    return 'retried';
  }
  const delay = retryDelayMs(reminder.attempts, (deps.random ?? Math.random)());
  // An unknown outcome (timeout, dropped connection) may have posted: the next attempt looks before posting.
  const checkBeforeSend = reminder.checkBeforeSend || failure.kind === 'unknown_outcome';
  if (delay === null) {
    const recorded = await markReminderFailed(
      db,
      reminder,
      `gave up after ${reminder.attempts} attempts: ${failure.message}`,
      nowIso,
    );
    if (recorded.recorded)
      logFailed(
        logger,
        reminder,
        `reminder ${reminder.id} failed after ${reminder.attempts} attempts`,
        failure.message,
      );
    await afterRecord(deps, reminder, recorded);
    return 'failed';
  }
  const recorded = await retryReminderAt(
    db,
    reminder,
    toDbInstant(new Date(now.getTime() + delay)),
    { error: failure.message, checkBeforeSend, countAttempt: true },
    nowIso,
  );
  await afterRecord(deps, reminder, recorded);
  return 'retried';
}

/**
 * The one line a failed reminder gets, once its failure is recorded (a worker whose claim was taken over logs
 * nothing): which reminder, whose, and the Slack error code (or the reason) it failed with.
 */
function logFailed(logger: LogSink, reminder: ClaimedReminder, message: string, code: string): void {
  const { id, kind, attempts, owner } = reminder;
  logger.warn(message, { reminder: id, kind, team: owner.teamId, user: owner.userId, code, attempts });
}
