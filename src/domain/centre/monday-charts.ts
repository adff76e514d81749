import type { Db } from '../../db/database.js';
import {
  type ChartKey,
  claimChart,
  findChartState,
  finishChart,
  listActiveAdvisors,
  releaseChart,
  saveChartFile,
} from '../../db/repositories/centre/advisor-charts-repository.js';
import type { Clock } from '../../lib/clock.js';
import { FALLBACK_TIME_ZONE, inZone, isValidTimeZone, toDbInstant } from '../../lib/zoned-time.js';
import { type AdvisorChartSender, DeliveryError } from '../ports.js';
import type { Owner } from '../types.js';
import { loadCohortTable } from './cohort-service.js';
import type { CohortTable } from './cohort-table.js';

// Each Monday from 08:00 in the advisor's zone (UTC when unknown), each active advisor gets the chart of their cohort
// table in their DM, once per week across restarts, crashes, Slack errors and replicas:
// claim (a row per advisor and week, with a lease) -> Slack numbers the file, stored on the row -> shared -> sent.
// A claim whose lease ran out with a file on it may have been shared: files.info says, before any second upload.
// A Monday missed altogether (the app down) is caught up later that week; the next week has its own chart.

/** How long a claim holds: a render and three Web API calls take seconds, each call at most 10 s. */
export const CHART_LEASE_MS = 5 * 60_000;
/** When a failed or unsure send is tried again. */
export const CHART_RETRY_MS = 60_000;
/** Claims after which a chart is given up (skipped with its last error). */
export const CHART_MAX_CLAIMS = 6;
/** The local hour from which the Monday chart goes out. */
export const CHART_HOUR = 8;

export interface MondayChartDeps {
  db: Db;
  clock: Clock;
  logger: { info(...args: unknown[]): void; warn(...args: unknown[]): void };
  charts: AdvisorChartSender;
  /** True once shutdown began: no further chart is started. */
  stopping?: () => boolean;
}

export interface MondayChartReport {
  sent: number;
  skipped: number;
  retried: number;
}

/**
 * The local Monday whose chart is due at `now` in `zone` (from 08:00 that Monday, and not before that week began in
 * UTC), or null before it.
 */
export function chartWeekDue(now: Date, zone: string | null): string | null {
  const local = inZone(now, zone !== null && isValidTimeZone(zone) ? zone : FALLBACK_TIME_ZONE);
  const monday = local.startOf('week');
  if (local < monday.set({ hour: CHART_HOUR })) return null;
  const week = monday.toISODate() as string;
  // The chart shows weeks ended in UTC: east of UTC, Monday 08:00 comes before the UTC week has ended (Auckland's is
  // Sunday 19:00 UTC), and the newest week would be missing. Such an advisor gets it when the UTC week has ended.
  if (now.getTime() < Date.parse(`${week}T00:00:00Z`)) return null;
  return week;
}

/** A table with at least one figure shown: anything else makes no chart. */
function hasFigures(table: CohortTable | null): table is CohortTable {
  if (table === null || !table.shown) return false;
  return table.weeks.some((week) => Object.values(week.values).some((value) => value !== null));
}

/** Sends every Monday chart that is due and not sent. Never throws for one advisor's failure. */
export async function sendMondayCharts(deps: MondayChartDeps): Promise<MondayChartReport> {
  const report: MondayChartReport = { sent: 0, skipped: 0, retried: 0 };
  const now = deps.clock.now();
  for (const advisor of await listActiveAdvisors(deps.db)) {
    if (deps.stopping?.()) break;
    const weekStart = chartWeekDue(now, advisor.timeZone);
    if (weekStart === null) continue;
    const key: ChartKey = { teamId: advisor.teamId, advisorId: advisor.advisorId, weekStart };
    const state = await findChartState(deps.db, key);
    if (state === 'sent' || state === 'skipped') continue;
    try {
      const outcome = await sendOne(deps, key, now);
      if (outcome !== null) report[outcome] += 1;
    } catch (error) {
      deps.logger.warn(`monday chart for ${key.teamId}/${key.advisorId} failed`, error);
    }
  }
  return report;
}

async function sendOne(deps: MondayChartDeps, key: ChartKey, now: Date): Promise<keyof MondayChartReport | null> {
  const nowIso = toDbInstant(now);
  const { db, charts } = deps;
  const claim = await claimChart(db, key, nowIso, toDbInstant(new Date(now.getTime() + CHART_LEASE_MS)));
  if (claim === null) return null;
  const owner: Owner = { teamId: key.teamId, userId: key.advisorId };
  const retry = async (error: string): Promise<keyof MondayChartReport> => {
    if (claim.claims >= CHART_MAX_CLAIMS) {
      await finishChart(db, key, claim, 'skipped', nowIso, error);
      return 'skipped';
    }
    await releaseChart(db, key, claim, toDbInstant(new Date(now.getTime() + CHART_RETRY_MS)), error, nowIso);
    return 'retried';
  };
  try {
    if (claim.fileId !== null) {
      // An earlier claim had a file numbered and ended without knowing: shared already, or not at all.
      if (await charts.isShared(owner, claim.fileId, now)) {
        await finishChart(db, key, claim, 'sent', nowIso, null);
        return 'sent';
      }
      await saveChartFile(db, key, claim, null, nowIso);
    }
    const table = await loadCohortTable(db, key.teamId, key.advisorId, now);
    if (!hasFigures(table)) {
      await finishChart(db, key, claim, 'skipped', nowIso, null);
      return 'skipped';
    }
    await charts.send(owner, table, now, (fileId) => saveChartFile(db, key, claim, fileId, nowIso));
    await finishChart(db, key, claim, 'sent', nowIso, null);
    return 'sent';
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    if (error.kind === 'permanent') {
      await finishChart(db, key, claim, 'skipped', nowIso, error.message);
      return 'skipped';
    }
    return retry(error.message);
  }
}
