import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../../database.js';
import { lockSubjects } from '../../dialect.js';
import { paddedList } from '../../in-list.js';
import type { Database } from '../../schema.js';

// Rows nothing reads any more, deleted in bounded batches (README, "Data retention"): each function deletes at most
// `limit` rows in one short statement (or transaction) and returns how many went. Why each cut-off is safe lives with
// the constants (domain/retention/retention-service.ts).

/** A meeting's reminder whose delivery is over and whose due time (planned and actual) is before the cut-off. */
function expiredMeetingReminder(
  eb: ExpressionBuilder<Database, 'reminders'>,
  cutoffs: { doneBeforeIso: string; failedBeforeIso: string },
) {
  const before = (iso: string) =>
    eb.and([eb('due_at', '<', iso), eb.or([eb('planned_due_at', 'is', null), eb('planned_due_at', '<', iso)])]);
  return eb.and([
    eb('meeting_id', 'is not', null),
    // A reconcile still owed to the row (flagged while claimed) keeps it until it ran.
    eb('replan', '=', 0),
    eb.or([
      eb.and([eb('state', 'in', ['sent', 'skipped', 'cancelled']), before(cutoffs.doneBeforeIso)]),
      eb.and([eb('state', '=', 'failed'), before(cutoffs.failedBeforeIso)]),
    ]),
  ]);
}

/**
 * Deletes up to `limit` meetings' reminders in a final state whose due time is before the cut-offs (sent, skipped,
 * cancelled: `doneBeforeIso`; failed: `failedBeforeIso`). Their meetings are locked first, in the order a reconcile
 * locks them, and the rows checked again: a reconcile that read a row never writes to one deleted under it.
 */
export async function deleteExpiredMeetingReminders(
  db: Db,
  cutoffs: { doneBeforeIso: string; failedBeforeIso: string },
  limit: number,
): Promise<number> {
  // Read from the (state, due_at) index: the cost does not grow with the rows kept.
  const candidates = await db
    .selectFrom('reminders')
    .select(['id', 'meeting_id'])
    .where((eb) => expiredMeetingReminder(eb, cutoffs))
    .limit(limit)
    .execute();
  if (candidates.length === 0) return 0;
  const ids = candidates.map((row) => row.id).sort((a, b) => a - b);
  const meetingIds = candidates.map((row) => row.meeting_id as number);
  return db.transaction().execute(async (trx) => {
    await lockSubjects(trx, 'meetings', meetingIds);
    const result = await trx
      .deleteFrom('reminders')
      .where('id', 'in', paddedList(ids))
      .where((eb) => expiredMeetingReminder(eb, cutoffs))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

/** Deletes up to `limit` used OAuth states issued at or before `issuedBeforeIso` (their age alone refuses them). */
export async function deleteExpiredOauthStates(db: Db, issuedBeforeIso: string, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('oauth_states')
    .where('state', 'in', (eb) =>
      eb.selectFrom('oauth_states').select('state').where('created_at', '<=', issuedBeforeIso).limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deletes up to `limit` leases that ran out before `beforeIso`: a lease that ran out is free to every reader, so its
 * row says nothing (a replica that crashed, a workspace's sender lease or a refresh's back-off that was never given back).
 */
export async function deleteLapsedLeases(db: Db, beforeIso: string, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('leases')
    .where('name', 'in', (eb) =>
      eb.selectFrom('leases').select('name').where('lease_until', '<', beforeIso).limit(limit),
    )
    .where('lease_until', '<', beforeIso)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes up to `limit` event ids recorded before `beforeIso` (Slack redelivers an event within minutes). */
export async function deleteOldProcessedEvents(db: Db, beforeIso: string, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('processed_events')
    .where(({ eb, refTuple, selectFrom }) =>
      eb(
        refTuple('team_id', 'event_id'),
        'in',
        selectFrom('processed_events')
          .select(['team_id', 'event_id'])
          .where('received_at', '<', beforeIso)
          .limit(limit)
          .$asTuple('team_id', 'event_id'),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deletes up to `limit` advisors' looks logged before `beforeIso`, except each advisor's latest look at each person:
 * the cohort rule counts the people an advisor has seen one by one, and that count must never go down.
 */
export async function deleteOldAdvisorViews(db: Db, beforeIso: string, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('advisor_views')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('advisor_views as v')
        .select('v.id')
        .where('v.viewed_at', '<', beforeIso)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('advisor_views as n')
              .select('n.id')
              .whereRef('n.team_id', '=', 'v.team_id')
              .whereRef('n.owner_id', '=', 'v.owner_id')
              .whereRef('n.advisor_id', '=', 'v.advisor_id')
              .whereRef('n.id', '>', 'v.id'),
          ),
        )
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deletes the frozen cohort weeks (all their rows) of up to `limit` workspace-weeks starting before `beforeDay`;
 * returns how many workspace-weeks went.
 */
export async function deleteOldCohortWeeks(db: Db, beforeDay: string, limit: number): Promise<number> {
  const weeks = await db
    .selectFrom('cohort_weeks')
    .select(['team_id', 'week_start'])
    .distinct()
    .where('week_start', '<', beforeDay)
    .limit(limit)
    .execute();
  if (weeks.length === 0) return 0;
  await db
    .deleteFrom('cohort_weeks')
    .where((eb) =>
      eb.or(weeks.map((week) => eb.and([eb('team_id', '=', week.team_id), eb('week_start', '=', week.week_start)]))),
    )
    .execute();
  return weeks.length;
}

/** Deletes up to `limit` Monday charts (sent or skipped, never one claimed) of weeks starting before `beforeDay`. */
export async function deleteOldAdvisorCharts(db: Db, beforeDay: string, limit: number): Promise<number> {
  const charts = await db
    .selectFrom('advisor_charts')
    .select(['team_id', 'advisor_id', 'week_start'])
    .where('week_start', '<', beforeDay)
    .where('state', '<>', 'claimed')
    .limit(limit)
    .execute();
  if (charts.length === 0) return 0;
  const result = await db
    .deleteFrom('advisor_charts')
    .where('state', '<>', 'claimed')
    .where((eb) =>
      eb.or(
        charts.map((chart) =>
          eb.and([
            eb('team_id', '=', chart.team_id),
            eb('advisor_id', '=', chart.advisor_id),
            eb('week_start', '=', chart.week_start),
          ]),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
