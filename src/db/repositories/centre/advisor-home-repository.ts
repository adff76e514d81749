import { fromDbInstant } from '../../../lib/zoned-time.js';
import type { Executor } from '../../database.js';
import { paddedList } from '../../in-list.js';
import type { AdvisorHomePrefsTable, AdvisorViewsTable } from '../../schema.js';

// What the advisor's Home keeps of its own: the advisor's sort and page, and which looks were logged lately (so a
// Home republished after every button does not flood the person's log).

export interface AdvisorHomePrefs {
  sort: AdvisorHomePrefsTable['sort'];
  page: number;
}

/** The advisor's sort and page; null before they chose any. */
export async function findAdvisorHomePrefs(
  db: Executor,
  teamId: string,
  advisorId: string,
): Promise<AdvisorHomePrefs | null> {
  const row = await db
    .selectFrom('advisor_home_prefs')
    .select(['sort', 'page'])
    .where('team_id', '=', teamId)
    .where('advisor_id', '=', advisorId)
    .executeTakeFirst();
  return row === undefined ? null : { sort: row.sort, page: row.page };
}

/** Stores the advisor's sort and page. */
export async function saveAdvisorHomePrefs(
  db: Executor,
  teamId: string,
  advisorId: string,
  prefs: AdvisorHomePrefs,
  nowIso: string,
): Promise<void> {
  await db
    .insertInto('advisor_home_prefs')
    .values({ team_id: teamId, advisor_id: advisorId, sort: prefs.sort, page: prefs.page, updated_at: nowIso })
    .onConflict((oc) =>
      oc.columns(['team_id', 'advisor_id']).doUpdateSet({ sort: prefs.sort, page: prefs.page, updated_at: nowIso }),
    )
    .execute();
}

/** Which of `ownerIds` already have a look by `advisorId` on `surface` logged at or after `sinceIso`. */
export async function ownersViewedSince(
  db: Executor,
  teamId: string,
  advisorId: string,
  ownerIds: readonly string[],
  surface: AdvisorViewsTable['surface'],
  sinceIso: string,
): Promise<Set<string>> {
  if (ownerIds.length === 0) return new Set();
  // The index advisor_views_owner (team_id, owner_id, viewed_at) finds each owner's recent rows.
  const rows = await db
    .selectFrom('advisor_views')
    .select('owner_id')
    .distinct()
    .where('team_id', '=', teamId)
    .where('owner_id', 'in', paddedList([...new Set(ownerIds)].sort()))
    .where('viewed_at', '>=', sinceIso)
    .where('advisor_id', '=', advisorId)
    .where('surface', '=', surface)
    .execute();
  return new Set(rows.map((row) => row.owner_id));
}

/** What sorting and flagging everyone who shares needs, without loading each ask and meeting: dates and statuses. */
export interface ActivitySummary {
  ownerId: string;
  timeZone: string | null;
  /** Latest instant of each kind, as lastActivityAt and latestActivity read them; null where none. */
  latest: Date | null;
  /** Days the asks still waiting with no follow-up went out ("YYYY-MM-DD"). */
  waitingSince: string[];
}

const later = (a: string | null, b: string | null) => (a === null ? b : b === null || a >= b ? a : b);

/**
 * One aggregate query per table for all of `ownerIds` (no text column read): each person's latest activity (an ask
 * sent, followed up or closed; a meeting debriefed, thanked, reported back, or ended by `nowIso` and not cancelled;
 * a contact logged, edited or referred) and their waiting asks. In the order given.
 */
export async function activitySummaries(
  db: Executor,
  teamId: string,
  ownerIds: readonly string[],
  nowIso: string,
): Promise<ActivitySummary[]> {
  if (ownerIds.length === 0) return [];
  const owners = paddedList([...new Set(ownerIds)].sort());
  const [asks, meetings, contacts, waiting, zones] = await Promise.all([
    db
      .selectFrom('asks')
      .select((eb) => [
        'owner_id',
        eb.fn.max('sent_on').as('sent'),
        eb.fn.max('followed_up_at').as('followed'),
        eb.fn.max('closed_at').as('closed'),
      ])
      .where('team_id', '=', teamId)
      .where('owner_id', 'in', owners)
      .groupBy('owner_id')
      .execute(),
    db
      .selectFrom('meetings')
      .select((eb) => [
        'owner_id',
        eb.fn.max('debriefed_at').as('debriefed'),
        eb.fn.max('thank_you_sent_at').as('thanked'),
        eb.fn.max('reported_back_at').as('reported'),
        eb.fn
          .max(
            eb
              .case()
              .when(eb.and([eb('status', '!=', 'cancelled'), eb('ends_at', '<=', nowIso)]))
              .then(eb.ref('ends_at'))
              .end(),
          )
          .as('ended'),
      ])
      .where('team_id', '=', teamId)
      .where('owner_id', 'in', owners)
      .groupBy('owner_id')
      .execute(),
    db
      .selectFrom('contacts')
      .select((eb) => [
        'owner_id',
        eb.fn.max('updated_at').as('updated'),
        eb.fn.max(eb.case().when('referred_by_id', 'is not', null).then(eb.ref('created_at')).end()).as('referred'),
      ])
      .where('team_id', '=', teamId)
      .where('owner_id', 'in', owners)
      .groupBy('owner_id')
      .execute(),
    db
      .selectFrom('asks')
      .select(['owner_id', 'sent_on'])
      .where('team_id', '=', teamId)
      .where('owner_id', 'in', owners)
      .where('status', '=', 'waiting')
      .where('followed_up_at', 'is', null)
      .execute(),
    db
      .selectFrom('slack_users')
      .select(['user_id', 'time_zone'])
      .where('team_id', '=', teamId)
      .where('user_id', 'in', owners)
      .execute(),
  ]);
  const latest = new Map<string, string | null>();
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  const note = (owner: string, ...values: unknown[]) => {
    let current = latest.get(owner) ?? null;
    for (const value of values) current = later(current, text(value));
    latest.set(owner, current);
  };
  for (const row of asks)
    note(row.owner_id, row.sent === null ? null : `${String(row.sent)}T00:00:00.000Z`, row.followed, row.closed);
  for (const row of meetings) note(row.owner_id, row.debriefed, row.thanked, row.reported, row.ended);
  for (const row of contacts) note(row.owner_id, row.updated, row.referred);
  const waitingOf = new Map<string, string[]>();
  for (const row of waiting) waitingOf.set(row.owner_id, [...(waitingOf.get(row.owner_id) ?? []), row.sent_on]);
  const zoneOf = new Map(zones.map((row) => [row.user_id, row.time_zone]));
  return ownerIds.map((ownerId) => {
    const at = latest.get(ownerId) ?? null;
    return {
      ownerId,
      timeZone: zoneOf.get(ownerId) ?? null,
      latest: at === null ? null : fromDbInstant(at),
      waitingSince: waitingOf.get(ownerId) ?? [],
    };
  });
}
