import { runPendingReplans } from '../domain/reminders/reconciler.js';
import { DeliveryRun } from './delivery-run.js';
import {
  DEFAULT_TICK_OPTIONS,
  emptyTickReport,
  enoughOf,
  type ReminderJobDeps,
  type TickOptions,
  type TickReport,
} from './options.js';

// A drain (docs/reminders.md, "A drain"): what each firing of the trigger runs. It claims as it goes, renewing what it
// holds between claims, and ends once nothing more is due and everything it claimed is finished.

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

/** How soon a replica claims again while another is to hand workspaces over to it (ms). */
export const HAND_BACK_POLL_MS = 1000;

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
    // While another replica is to hand workspaces over, a claim a second later takes them (the next firing is up to
    // an interval away, and another replica's takes them only if it is claiming).
    const tick = () => [
      ...(deps.nextTick ? [deps.nextTick()] : []),
      ...(run.handBackExpected() ? [deps.sleep(HAND_BACK_POLL_MS)] : []),
    ];
    const untilOrTick = (condition: () => boolean) => Promise.race([run.until(condition), ...tick()]);
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
      if (!run.idle() || report.replanned !== replannedAtClaim) continue;
      if (!run.handBackExpected()) break;
      await Promise.race(tick());
    }
  }
}
