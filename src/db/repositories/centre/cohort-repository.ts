import type { FrozenCell, FrozenWeek } from '../../../domain/centre/cohort-table.js';
import { PROGRESS_METRICS, type ProgressMetric } from '../../../domain/centre/progress-facts.js';
import type { Owner } from '../../../domain/types.js';
import type { Executor } from '../../database.js';

// The cohort's frozen weeks (aggregates only) and what the rules need to know of a viewer: how many people they can
// see one by one. Nothing here is per person except the counts' inputs, read and never stored.

/** The row of a frozen week that holds how many people the cohort had then (not a metric). */
const MEMBERS_ROW = 'members';

/** The frozen weeks among `weekStarts` (missing ones are not frozen yet). */
export async function findFrozenWeeks(
  db: Executor,
  teamId: string,
  weekStarts: readonly string[],
): Promise<Map<string, FrozenWeek>> {
  const found = new Map<string, FrozenWeek>();
  if (weekStarts.length === 0) return found;
  const rows = await db
    .selectFrom('cohort_weeks')
    .select(['week_start', 'metric', 'value', 'contributors', 'frozen_at'])
    .where('team_id', '=', teamId)
    .where('week_start', 'in', [...weekStarts])
    .execute();
  const byWeek = new Map<string, typeof rows>();
  for (const row of rows) byWeek.set(row.week_start, [...(byWeek.get(row.week_start) ?? []), row]);
  for (const [weekStart, weekRows] of byWeek) {
    const members = weekRows.find((row) => row.metric === MEMBERS_ROW);
    // A week is frozen in one statement: all of its rows or none.
    if (members === undefined) continue;
    const cells = {} as Record<ProgressMetric, FrozenCell>;
    for (const metric of PROGRESS_METRICS) {
      const row = weekRows.find((candidate) => candidate.metric === metric);
      cells[metric] = { value: row?.value ?? 0, contributors: row?.contributors ?? 0 };
    }
    found.set(weekStart, { weekStart, frozenAt: members.frozen_at, members: members.value, cells });
  }
  return found;
}

/**
 * Freezes each week given, unless it is frozen already (a replica freezing the same week at the same moment loses
 * quietly: read the weeks back with findFrozenWeeks, and everyone publishes the stored ones). One statement.
 */
export async function freezeWeeks(db: Executor, teamId: string, weeks: readonly FrozenWeek[]): Promise<void> {
  if (weeks.length === 0) return;
  const rows = weeks.flatMap((week) => [
    {
      team_id: teamId,
      week_start: week.weekStart,
      metric: MEMBERS_ROW,
      value: week.members,
      contributors: week.members,
      frozen_at: week.frozenAt,
    },
    ...PROGRESS_METRICS.map((metric) => ({
      team_id: teamId,
      week_start: week.weekStart,
      metric,
      value: week.cells[metric].value,
      contributors: week.cells[metric].contributors,
      frozen_at: week.frozenAt,
    })),
  ]);
  await db
    .insertInto('cohort_weeks')
    .values(rows)
    .onConflict((oc) => oc.columns(['team_id', 'week_start', 'metric']).doNothing())
    .execute();
}

/**
 * How many people `advisorId` sees or has seen one by one: their sharers (any share row), the people their looks were
 * logged at, and those of them who deleted their data since.
 */
export async function countKnownPeople(db: Executor, teamId: string, advisorId: string): Promise<number> {
  const [shares, views, departed] = await Promise.all([
    db
      .selectFrom('progress_shares')
      .select('owner_id')
      .where('team_id', '=', teamId)
      .where('advisor_id', '=', advisorId)
      .execute(),
    db
      .selectFrom('advisor_views')
      .select('owner_id')
      .distinct()
      .where('team_id', '=', teamId)
      .where('advisor_id', '=', advisorId)
      .execute(),
    db
      .selectFrom('advisor_departed')
      .select('departed')
      .where('team_id', '=', teamId)
      .where('advisor_id', '=', advisorId)
      .executeTakeFirst(),
  ]);
  const people = new Set([...shares, ...views].map((row) => row.owner_id));
  return people.size + (departed?.departed ?? 0);
}

/**
 * Before the person's data is deleted: one more departed person for each advisor who could see them one by one (a
 * share or a logged look). Run in the deletion's transaction, before the shares and looks go.
 */
export async function rememberDeparted(db: Executor, owner: Owner): Promise<void> {
  const [shares, views] = await Promise.all([
    db
      .selectFrom('progress_shares')
      .select('advisor_id')
      .where('team_id', '=', owner.teamId)
      .where('owner_id', '=', owner.userId)
      .execute(),
    db
      .selectFrom('advisor_views')
      .select('advisor_id')
      .distinct()
      .where('team_id', '=', owner.teamId)
      .where('owner_id', '=', owner.userId)
      .execute(),
  ]);
  const advisors = [...new Set([...shares, ...views].map((row) => row.advisor_id))];
  for (const advisorId of advisors)
    await db
      .insertInto('advisor_departed')
      .values({ team_id: owner.teamId, advisor_id: advisorId, departed: 1 })
      .onConflict((oc) =>
        oc
          .columns(['team_id', 'advisor_id'])
          .doUpdateSet((eb) => ({ departed: eb('advisor_departed.departed', '+', 1) })),
      )
      .execute();
}
