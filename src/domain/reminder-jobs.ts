import type { Db } from '../db/database.js';
import { findContact, findKeepInTouch } from '../db/repositories/contacts.js';
import { listAdviceItems } from '../db/repositories/debriefs.js';
import { findMeeting } from '../db/repositories/meetings.js';
import {
  claimDueReminders,
  type ClaimedReminder,
  markReminderFailed,
  markReminderSent,
  markReminderSkipped,
  retryReminderAt,
} from '../db/repositories/reminders.js';
import type { LogSink } from '../lib/logger.js';
import { FALLBACK_TIME_ZONE, toDbInstant } from '../lib/time.js';
import type { Clock } from '../lib/clock.js';
import type { ReminderDelivery, ReminderSender } from './ports.js';
import { DeliveryError } from './ports.js';
import { decideAtSend, decideKeepInTouch, retryDelayMs } from './reminder-plan.js';
import { reminderSettingsOf } from './reminders.js';
import { knownTimeZone } from './user-zone.js';
import type { Owner } from './types.js';

export interface ReminderJobDeps {
  db: Db;
  clock: Clock;
  sender: ReminderSender;
  logger: LogSink;
  /** Waits; the engine's only way to let time pass (tests pass one that moves a fake clock). */
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
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
}

export const DEFAULT_TICK_OPTIONS: TickOptions = {
  batchSize: 200,
  leaseMs: 5 * 60_000,
  perWorkspacePerMinute: 240,
  perChannelIntervalMs: 1100,
};

export interface TickReport {
  claimed: number;
  sent: number;
  skipped: number;
  deferred: number;
  retried: number;
  failed: number;
}

type Outcome = 'sent' | 'skipped' | 'deferred' | 'retried' | 'failed';

/**
 * One pass of the engine: claim what is due (atomically, in bounded batches), deliver each outside any
 * transaction at Slack's pace, then record the outcome. Crash-safe: a claim whose worker died expires and is
 * retried, and a reminder whose post may have gone out is looked for in the DM before it is posted again.
 */
export async function runReminderTick(deps: ReminderJobDeps, options: TickOptions = DEFAULT_TICK_OPTIONS): Promise<TickReport> {
  const now = deps.clock.now();
  const claimed = await claimDueReminders(deps.db, toDbInstant(now), toDbInstant(new Date(now.getTime() + options.leaseMs)), options.batchSize);
  const report: TickReport = { claimed: claimed.length, sent: 0, skipped: 0, deferred: 0, retried: 0, failed: 0 };
  if (claimed.length === 0) return report;

  // Workspaces are delivered in parallel, each at its own pace.
  const byTeam = new Map<string, ClaimedReminder[]>();
  for (const reminder of claimed) byTeam.set(reminder.owner.teamId, [...(byTeam.get(reminder.owner.teamId) ?? []), reminder]);
  const spacing = Math.ceil(60_000 / options.perWorkspacePerMinute);
  await Promise.all(
    [...byTeam.values()].map(async (reminders) => {
      const lastPostTo = new Map<string, number>();
      let lastPost = -Infinity;
      for (const reminder of reminders) {
        const outcome = await deliverOne(deps, reminder, async () => {
          // Pace by the clock: wait for both the workspace's spacing and the user's DM channel's.
          const at = deps.clock.now().getTime();
          const ready = Math.max(lastPost + spacing, (lastPostTo.get(reminder.owner.userId) ?? -Infinity) + options.perChannelIntervalMs);
          if (ready > at) await deps.sleep(ready - at);
          lastPost = deps.clock.now().getTime();
          lastPostTo.set(reminder.owner.userId, lastPost);
        });
        report[outcome] += 1;
      }
    }),
  );
  return report;
}

async function deliverOne(deps: ReminderJobDeps, reminder: ClaimedReminder, pace: () => Promise<void>): Promise<Outcome> {
  const { db, clock, logger } = deps;
  try {
    const prepared = await prepare(deps, reminder);
    const nowIso = toDbInstant(clock.now());
    if (prepared.action === 'skip') {
      await markReminderSkipped(db, reminder, prepared.reason, nowIso);
      return 'skipped';
    }
    if (prepared.action === 'defer') {
      await retryReminderAt(db, reminder, toDbInstant(prepared.until), { error: null, checkBeforeSend: false, countAttempt: false }, nowIso);
      return 'deferred';
    }
    const delivery = prepared.delivery;
    if (reminder.checkBeforeSend) {
      // A previous attempt may have posted: Slack's DM history (message metadata) says whether it did.
      const earlier = await deps.sender.findDelivered(delivery);
      if (earlier !== null) {
        await markReminderSent(db, reminder, earlier, toDbInstant(clock.now()));
        logger.info(`reminder ${reminder.id} was already delivered (${earlier.ts}); not posting again`);
        return 'sent';
      }
    }
    await pace();
    // Past its lease another worker may have taken the reminder over: leave it to that one rather than post twice.
    if (clock.now().getTime() >= reminder.leaseUntil.getTime()) {
      logger.warn(`reminder ${reminder.id}: lease ran out before posting; left to the next claim`);
      return 'retried';
    }
    const post = await deps.sender.send(delivery);
    await markReminderSent(db, reminder, post, toDbInstant(clock.now()));
    return 'sent';
  } catch (error) {
    return recordFailure(deps, reminder, error);
  }
}

type Prepared = { action: 'send'; delivery: ReminderDelivery } | { action: 'skip'; reason: string } | { action: 'defer'; until: Date };

/** Loads what the reminder is about and decides, at send time, whether it still makes sense. */
async function prepare(deps: ReminderJobDeps, reminder: ClaimedReminder): Promise<Prepared> {
  const { db, clock } = deps;
  const owner: Owner = reminder.owner;
  const settings = await reminderSettingsOf(db, owner);
  const now = clock.now();
  const base = { reminderId: reminder.id, owner, now, since: new Date(reminder.firstAttemptAt.getTime() - 60_000) };
  if (reminder.kind === 'keep_in_touch') {
    const contact = reminder.contactId === null ? undefined : await findContact(db, owner, reminder.contactId);
    if (contact === undefined) return { action: 'skip', reason: 'contact no longer exists' };
    const state = await findKeepInTouch(db, owner, contact.id);
    const zone = (await knownTimeZone(db, owner)) ?? FALLBACK_TIME_ZONE;
    const decision = decideKeepInTouch(state, settings, zone, now);
    if (decision.action !== 'send' || state.lastTouch === null) return decision.action === 'send' ? { action: 'skip', reason: 'no touch logged' } : decision;
    return { action: 'send', delivery: { ...base, kind: 'keep_in_touch', contact, lastTouch: state.lastTouch, zone } };
  }
  const found = reminder.meetingId === null ? undefined : await findMeeting(db, owner, reminder.meetingId);
  if (found === undefined) return { action: 'skip', reason: 'meeting no longer exists' };
  // The zone Slack last gave (refreshed whenever the user uses the app), else the one the meeting was planned in:
  // the engine makes no users.info call per reminder, which a burst of thousands would turn into 429s.
  const zone = (await knownTimeZone(db, owner)) ?? found.meeting.timeZone;
  const decision = decideAtSend(reminder.kind, found.meeting, settings, zone, now);
  if (decision.action !== 'send') return decision;
  const adviceItems = reminder.kind === 'report_back' ? await listAdviceItems(db, owner, found.meeting.id) : [];
  return { action: 'send', delivery: { ...base, kind: reminder.kind, found, adviceItems, zone } };
}

async function recordFailure(deps: ReminderJobDeps, reminder: ClaimedReminder, error: unknown): Promise<Outcome> {
  const { db, clock, logger } = deps;
  const now = clock.now();
  const nowIso = toDbInstant(now);
  const failure = error instanceof DeliveryError ? error : new DeliveryError('unknown_outcome', String(error));
  if (failure.kind === 'permanent') {
    logger.warn(`reminder ${reminder.id} failed for good: ${failure.message}`);
    await markReminderFailed(db, reminder, failure.message, nowIso);
    return 'failed';
  }
  if (failure.kind === 'rate_limited') {
    const wait = failure.retryAfterMs ?? 30_000;
    await retryReminderAt(db, reminder, toDbInstant(new Date(now.getTime() + wait)), { error: failure.message, checkBeforeSend: reminder.checkBeforeSend, countAttempt: false }, nowIso);
    return 'retried';
  }
  const delay = retryDelayMs(reminder.attempts, (deps.random ?? Math.random)());
  // An unknown outcome (timeout, dropped connection) may have posted: the next attempt looks before posting.
  const checkBeforeSend = reminder.checkBeforeSend || failure.kind === 'unknown_outcome';
  if (delay === null) {
    logger.warn(`reminder ${reminder.id} failed after ${reminder.attempts} attempts: ${failure.message}`);
    await markReminderFailed(db, reminder, `gave up after ${reminder.attempts} attempts: ${failure.message}`, nowIso);
    return 'failed';
  }
  await retryReminderAt(db, reminder, toDbInstant(new Date(now.getTime() + delay)), { error: failure.message, checkBeforeSend, countAttempt: true }, nowIso);
  return 'retried';
}

/**
 * Ticks until a claim comes back short of a full batch (at most `maxRounds`), so a backlog (the end of quiet hours
 * puts hundreds of nudges on one instant) drains at the paced rate instead of one batch per trigger.
 */
export async function drainDueReminders(deps: ReminderJobDeps, options: TickOptions = DEFAULT_TICK_OPTIONS, maxRounds = 30): Promise<TickReport> {
  const total: TickReport = { claimed: 0, sent: 0, skipped: 0, deferred: 0, retried: 0, failed: 0 };
  for (let round = 0; round < maxRounds; round++) {
    const report = await runReminderTick(deps, options);
    for (const key of Object.keys(total) as (keyof TickReport)[]) total[key] += report[key];
    if (report.claimed < options.batchSize) break;
  }
  return total;
}
