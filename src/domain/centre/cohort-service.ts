import type { Executor } from '../../db/database.js';
import { countKnownPeople, findFrozenWeeks, freezeWeeks } from '../../db/repositories/centre/cohort-repository.js';
import { cohortMembers, findCentre, sharersOf } from '../../db/repositories/centre-repository.js';
import { loadProgressActivity } from '../../db/repositories/progress-repository.js';
import { fromDbInstant, toDbInstant } from '../../lib/zoned-time.js';
import { cohortCsv } from './cohort-csv.js';
import {
  COHORT_WEEKS,
  type CohortTable,
  effectiveK,
  type FrozenWeek,
  freezeCells,
  hiddenCohortTable,
  publishCohortTable,
} from './cohort-table.js';
import { endedWeeks, progressEvents } from './progress-facts.js';

// The cohort's table as one advisor may see it. Ended weeks are frozen the first time any table needs them, over the
// cohort of that moment; afterwards they never change (see cohort-table.ts for why, and what is shown).

/** How long before a freeze a share must have begun to be sure it was part of it (a transaction's time, and more). */
const FREEZE_MARGIN_MS = 60_000;

/**
 * The weeks given, frozen: those not frozen yet are computed now over the current cohort and stored (a replica doing
 * the same at once loses quietly, and both return what is stored).
 */
export async function frozenWeeks(
  db: Executor,
  teamId: string,
  weekStarts: readonly string[],
  now: Date,
): Promise<FrozenWeek[]> {
  const stored = await findFrozenWeeks(db, teamId, weekStarts);
  const missing = weekStarts.filter((weekStart) => !stored.has(weekStart));
  if (missing.length === 0) return weekStarts.map((weekStart) => stored.get(weekStart) as FrozenWeek);
  const members = await cohortMembers(db, teamId);
  const events = (await loadProgressActivity(db, teamId, members)).map((activity) => progressEvents(activity, now));
  const frozenAt = toDbInstant(now);
  await freezeWeeks(
    db,
    teamId,
    missing.map((weekStart) => ({
      weekStart,
      frozenAt,
      members: members.length,
      cells: freezeCells(weekStart, events),
    })),
  );
  const all = await findFrozenWeeks(db, teamId, weekStarts);
  return weekStarts.map((weekStart) => {
    const week = all.get(weekStart);
    if (week === undefined) throw new Error(`cohort week ${weekStart} was not frozen`);
    return week;
  });
}

/**
 * The last 8 ended weeks' table as `advisorId` may see it, or null when they are not an advisor of a centre that is
 * on (nothing is frozen for them then). Not a look at anyone: cohort figures are not logged as views.
 */
export async function loadCohortTable(
  db: Executor,
  teamId: string,
  advisorId: string,
  now: Date,
): Promise<CohortTable | null> {
  const centre = await findCentre(db, teamId);
  if (centre === null || !centre.enabled || !centre.advisorIds.includes(advisorId)) return null;
  const [members, sharers, knownPeople] = await Promise.all([
    cohortMembers(db, teamId),
    sharersOf(db, teamId, advisorId),
    countKnownPeople(db, teamId, advisorId),
  ]);
  const weekStarts = endedWeeks(now, COHORT_WEEKS);
  // Under k nothing is shown, so nothing is frozen either: the weeks freeze at the first table that can show them,
  // over a cohort that large (a centre just turned on would otherwise keep 8 empty weeks from its first look).
  if (members.length < effectiveK(centre.minCohort)) return hiddenCohortTable(weekStarts, centre.minCohort);
  const weeks = await frozenWeeks(db, teamId, weekStarts, now);
  return publishCohortTable(weeks, members.length, centre.minCohort, {
    knownPeople,
    // A share that began before the week froze: that person was in it. A share dated within a minute of the freeze
    // may have been committed after the freeze read the cohort: it does not count.
    sharersBeforeFreeze: (week) => {
      const before = toDbInstant(new Date(fromDbInstant(week.frozenAt).getTime() - FREEZE_MARGIN_MS));
      return sharers.filter((sharer) => sharer.since < before).length;
    },
  });
}

export type CohortCsv =
  | { kind: 'not_advisor' }
  | { kind: 'no_figures'; k: number }
  | { kind: 'csv'; filename: string; content: string; table: CohortTable };

/** The CSV `advisorId` may download now; nothing for anyone who is not an advisor of a centre that is on. */
export async function cohortCsvFor(db: Executor, teamId: string, advisorId: string, now: Date): Promise<CohortCsv> {
  const table = await loadCohortTable(db, teamId, advisorId, now);
  if (table === null) return { kind: 'not_advisor' };
  if (!table.shown) return { kind: 'no_figures', k: table.k };
  const first = table.weeks[0]?.weekStart ?? '';
  const last = table.weeks.at(-1)?.weekStart ?? '';
  return { kind: 'csv', filename: `cohort-${first}-to-${last}.csv`, content: cohortCsv(table), table };
}
