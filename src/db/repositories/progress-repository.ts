import type { ProgressActivity } from '../../domain/centre/progress-facts.js';
import { fromDbInstant } from '../../lib/zoned-time.js';
import type { Executor } from '../database.js';
import { paddedList } from '../in-list.js';

// The progress an advisor may see is built only from these columns: statuses and dates. No text column of asks,
// meetings, debriefs or contacts is ever selected here, so no name, note or draft can reach a figure.

function instantOrNull(text: string | null): Date | null {
  return text === null ? null : fromDbInstant(text);
}

/** The activity of each of `userIds` in the workspace, in the order given (users with none get empty lists). */
export async function loadProgressActivity(
  db: Executor,
  teamId: string,
  userIds: readonly string[],
): Promise<ProgressActivity[]> {
  if (userIds.length === 0) return [];
  const owners = paddedList([...new Set(userIds)].sort());
  const [asks, meetings, referrals, contacts, zones] = await Promise.all([
    db
      .selectFrom('asks')
      .select(['owner_id', 'status', 'sent_on', 'followed_up_at', 'closed_at'])
      .where('team_id', '=', teamId)
      .where('owner_id', 'in', owners)
      .execute(),
    db
      .selectFrom('meetings')
      .select(['owner_id', 'status', 'starts_at', 'ends_at', 'debriefed_at', 'thank_you_sent_at', 'reported_back_at'])
      .where('team_id', '=', teamId)
      .where('owner_id', 'in', owners)
      .execute(),
    db
      .selectFrom('contacts')
      .select(['owner_id', 'created_at'])
      .where('team_id', '=', teamId)
      .where('owner_id', 'in', owners)
      .where('referred_by_id', 'is not', null)
      .execute(),
    db
      .selectFrom('contacts')
      .select(['owner_id', (eb) => eb.fn.max('updated_at').as('latest')])
      .where('team_id', '=', teamId)
      .where('owner_id', 'in', owners)
      .groupBy('owner_id')
      .execute(),
    db
      .selectFrom('slack_users')
      .select(['user_id', 'time_zone'])
      .where('team_id', '=', teamId)
      .where('user_id', 'in', owners)
      .execute(),
  ]);
  const byUser = new Map<string, ProgressActivity>();
  for (const userId of userIds)
    byUser.set(userId, { userId, timeZone: null, asks: [], meetings: [], referralsAt: [], lastContactAt: null });
  for (const row of asks)
    byUser.get(row.owner_id)?.asks.push({
      status: row.status,
      sentOn: row.sent_on,
      followedUpAt: instantOrNull(row.followed_up_at),
      closedAt: instantOrNull(row.closed_at),
    });
  for (const row of meetings)
    byUser.get(row.owner_id)?.meetings.push({
      cancelled: row.status === 'cancelled',
      startsAt: fromDbInstant(row.starts_at),
      endsAt: fromDbInstant(row.ends_at),
      debriefedAt: instantOrNull(row.debriefed_at),
      thankYouSentAt: instantOrNull(row.thank_you_sent_at),
      reportedBackAt: instantOrNull(row.reported_back_at),
    });
  for (const row of referrals) byUser.get(row.owner_id)?.referralsAt.push(fromDbInstant(row.created_at));
  for (const row of contacts) {
    const activity = byUser.get(row.owner_id);
    if (activity !== undefined && row.latest !== null) activity.lastContactAt = fromDbInstant(String(row.latest));
  }
  for (const row of zones) {
    const activity = byUser.get(row.user_id);
    if (activity !== undefined) activity.timeZone = row.time_zone;
  }
  return userIds.map((userId) => byUser.get(userId) as ProgressActivity);
}
