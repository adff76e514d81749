import type { ContactFacts } from '../../../domain/reminders/contact-plan.js';
import type { ReminderRow } from '../../../domain/reminders/reconcile-rows.js';
import {
  DEFAULT_REMINDER_SETTINGS,
  type MeetingFacts,
  type ReminderKind,
  type ReminderSettings,
  type SwitchableKind,
  type UserFacts,
} from '../../../domain/reminders/reminder-plan.js';
import type { MeetingWithContact, Owner } from '../../../domain/types.js';
import { fromDbInstant } from '../../../lib/zoned-time.js';
import { compiledQuery } from '../../compiled-query.js';
import type { Executor } from '../../database.js';
import { lockedInOrder } from '../../dialect.js';
import { paddedList } from '../../in-list.js';
import { holidaysOfTeams } from '../asks-repository.js';
import { CONTACT_OF_MEETING_COLUMNS, toMeetingWithContact } from '../meetings-repository.js';

const STOPPED_WORKSPACE = 'the app was uninstalled or its token revoked';
const STOPPED_USER = "the user's token was revoked";

const instantOrNull = (text: string | null): Date | null => (text === null ? null : fromDbInstant(text));

/** Everything the planner needs about the owner of each row (settings, zone, stopped), joined to it. */
const USER_COLUMNS = [
  's.prep_lead_minutes',
  's.heads_up_lead_minutes',
  's.quiet_start',
  's.quiet_end',
  's.disabled_kinds',
  'u.time_zone as user_zone',
  'u.reminders_stopped_at as user_stopped',
  'u.dm_channel_id as dm_channel_id',
  'w.reminders_stopped_at as team_stopped',
] as const;

type UserColumns = {
  prep_lead_minutes: number | null;
  heads_up_lead_minutes: number | null;
  quiet_start: string | null;
  quiet_end: string | null;
  disabled_kinds: string | null;
  user_zone: string | null;
  user_stopped: string | null;
  dm_channel_id: string | null;
  team_stopped: string | null;
};

function toUserFacts(row: UserColumns, fallbackZone: string): UserFacts {
  const settings: ReminderSettings =
    row.prep_lead_minutes === null
      ? DEFAULT_REMINDER_SETTINGS
      : {
          prepLeadMinutes: row.prep_lead_minutes,
          headsUpLeadMinutes: row.heads_up_lead_minutes ?? DEFAULT_REMINDER_SETTINGS.headsUpLeadMinutes,
          quietStart: row.quiet_start ?? DEFAULT_REMINDER_SETTINGS.quietStart,
          quietEnd: row.quiet_end ?? DEFAULT_REMINDER_SETTINGS.quietEnd,
          disabledKinds: (row.disabled_kinds ?? '').split(',').filter(Boolean) as SwitchableKind[],
        };
  const stopped = row.team_stopped !== null ? STOPPED_WORKSPACE : row.user_stopped !== null ? STOPPED_USER : null;
  return { settings, zone: row.user_zone ?? fallbackZone, stopped };
}

export interface MeetingSubject {
  id: number;
  owner: Owner;
  facts: MeetingFacts;
  user: UserFacts;
  /** The owner's DM channel with the app, when it was opened already. */
  dmChannelId: string | null;
}

// On every change a user makes (the reconciler): compiled once.
const meetingFactsOf = (db: Executor) =>
  db
    .selectFrom('meetings as x')
    .leftJoin('reminder_settings as s', (join) =>
      join.onRef('s.team_id', '=', 'x.team_id').onRef('s.user_id', '=', 'x.owner_id'),
    )
    .leftJoin('slack_users as u', (join) =>
      join.onRef('u.team_id', '=', 'x.team_id').onRef('u.user_id', '=', 'x.owner_id'),
    )
    .leftJoin('workspaces as w', 'w.team_id', 'x.team_id')
    .select(USER_COLUMNS)
    .select([
      'x.id',
      'x.team_id',
      'x.owner_id',
      'x.starts_at',
      'x.duration_minutes',
      'x.time_zone',
      'x.status',
      'x.thank_you_sent_at',
      'x.debriefed_at',
      'x.reported_back_at',
      'x.thank_you_snoozed_until',
    ]);
const meetingFacts = compiledQuery('meeting facts', (db, { ids }: { ids: readonly number[] }) =>
  meetingFactsOf(db).where('x.id', 'in', ids),
);

/** The facts of each meeting, with its owner's, in one query. Meetings that no longer exist are simply absent. */
export async function loadMeetingFacts(db: Executor, meetingIds: number[]): Promise<MeetingSubject[]> {
  if (meetingIds.length === 0) return [];
  const rows = await meetingFacts(db, { ids: paddedList(meetingIds) });
  return rows.map(toMeetingSubject);
}

type MeetingFactsRow = Awaited<ReturnType<typeof meetingFacts>>[number];

function toMeetingSubject(row: MeetingFactsRow): MeetingSubject {
  return {
    id: row.id,
    owner: { teamId: row.team_id, userId: row.owner_id },
    facts: {
      startsAt: fromDbInstant(row.starts_at),
      durationMinutes: row.duration_minutes,
      status: row.status,
      thankYouSentAt: instantOrNull(row.thank_you_sent_at),
      debriefedAt: instantOrNull(row.debriefed_at),
      reportedBackAt: instantOrNull(row.reported_back_at),
      thankYouSnoozedUntil: instantOrNull(row.thank_you_snoozed_until),
    },
    // The zone Slack last gave; else the one the meeting was planned in.
    user: toUserFacts(row, row.time_zone),
    dmChannelId: row.dm_channel_id,
  };
}

// At every meeting reminder's turn (the engine's decision just before the post): compiled once.
const meetingDelivery = compiledQuery('meeting delivery', (db, { id }: { id: number }) =>
  meetingFactsOf(db)
    .innerJoin('contacts as c', 'c.id', 'x.contact_id')
    // The rest of `findMeeting`'s columns (the facts have the others).
    .select([
      'x.contact_id',
      'x.location',
      'x.goal',
      'x.questions',
      'x.thank_you_draft',
      'x.report_back_draft',
      'x.calendar_sequence',
    ])
    .select(CONTACT_OF_MEETING_COLUMNS)
    .where('x.id', '=', id),
);

/**
 * A meeting reminder's facts (as `loadMeetingFacts`) and the meeting with its contact (as `findMeeting`), in one
 * query: what the engine's decision at a reminder's turn reads. Undefined when the meeting (or its contact) is gone.
 */
export async function loadMeetingDelivery(
  db: Executor,
  meetingId: number,
): Promise<{ subject: MeetingSubject; found: MeetingWithContact } | undefined> {
  const [row] = await meetingDelivery(db, { id: meetingId });
  return row === undefined ? undefined : { subject: toMeetingSubject(row), found: toMeetingWithContact(row) };
}

export interface ContactSubject {
  id: number;
  owner: Owner;
  facts: ContactFacts;
  user: UserFacts;
  /** The owner's DM channel with the app, when it was opened already. */
  dmChannelId: string | null;
}

/** The keep-in-touch and latest-ask facts of each contact, with its owner's, in one query (and one for holidays). */
export async function loadContactFacts(
  db: Executor,
  contactIds: number[],
  fallbackZone: string,
): Promise<ContactSubject[]> {
  if (contactIds.length === 0) return [];
  const rows = await db
    .selectFrom('contacts as x')
    .leftJoin('reminder_settings as s', (join) =>
      join.onRef('s.team_id', '=', 'x.team_id').onRef('s.user_id', '=', 'x.owner_id'),
    )
    .leftJoin('slack_users as u', (join) =>
      join.onRef('u.team_id', '=', 'x.team_id').onRef('u.user_id', '=', 'x.owner_id'),
    )
    .leftJoin('workspaces as w', 'w.team_id', 'x.team_id')
    .select(USER_COLUMNS)
    // The contact's latest ask: its 3B7 nudges are the ones planned.
    .leftJoin('asks as a', (join) =>
      join.on((eb) =>
        eb(
          'a.id',
          '=',
          eb
            .selectFrom('asks as latest')
            .select((inner) => inner.fn.max('latest.id').as('id'))
            .whereRef('latest.contact_id', '=', 'x.id'),
        ),
      ),
    )
    .select([
      'x.id',
      'x.team_id',
      'x.owner_id',
      'x.keep_in_touch_days',
      'x.last_touch_at',
      'x.keep_in_touch_snoozed_until',
    ])
    .select([
      'a.id as ask_id',
      'a.sent_on as ask_sent_on',
      'a.status as ask_status',
      'a.followed_up_at as ask_followed_up_at',
    ])
    .where('x.id', 'in', paddedList(contactIds))
    .execute();
  const asked = rows.filter((row) => row.ask_id !== null);
  // Only days after the earliest ask can fall in a 3B7 count.
  const since = asked.reduce(
    (earliest, row) => ((row.ask_sent_on as string) < earliest ? (row.ask_sent_on as string) : earliest),
    '9999-12-31',
  );
  const holidays = await holidaysOfTeams(
    db,
    asked.map((row) => row.team_id),
    since,
  );
  return rows.map((row) => ({
    id: row.id,
    owner: { teamId: row.team_id, userId: row.owner_id },
    facts: {
      cadenceDays: row.keep_in_touch_days,
      lastTouch: instantOrNull(row.last_touch_at),
      snoozedUntil: instantOrNull(row.keep_in_touch_snoozed_until),
      ask:
        row.ask_id === null || row.ask_sent_on === null || row.ask_status === null
          ? null
          : {
              id: row.ask_id,
              sentOn: row.ask_sent_on,
              status: row.ask_status,
              followedUpAt: instantOrNull(row.ask_followed_up_at),
              holidays: holidays.get(row.team_id) ?? new Set<string>(),
            },
    },
    user: toUserFacts(row, fallbackZone),
    dmChannelId: row.dm_channel_id,
  }));
}

// Locked (PostgreSQL) until the reconcile commits: a claim skips them meanwhile, and an outcome waits, so no row
// changes state between this read and the writes decided on it (which would then match nothing, and the re-plan
// would be lost). On every change a user makes: compiled once, a query per subject column.
const reminderRowsBy = (subject: 'meeting_id' | 'contact_id') =>
  compiledQuery(`reminder rows by ${subject}`, (db, { ids }: { ids: readonly number[] }) =>
    lockedInOrder(
      db,
      db
        .selectFrom('reminders')
        .select([
          'id',
          'meeting_id',
          'contact_id',
          'kind',
          'state',
          'delivery_key',
          'planned_due_at',
          'due_at',
          'replan',
        ])
        .where(subject, 'in', ids),
      { integer: 'id' },
    ),
  );
const reminderRows = { meeting_id: reminderRowsBy('meeting_id'), contact_id: reminderRowsBy('contact_id') };

/** The reminder rows of each subject, as the reconciler sees them. Call inside the reconcile's transaction. */
export async function loadReminderRows(
  db: Executor,
  subject: 'meeting_id' | 'contact_id',
  ids: number[],
): Promise<Map<number, ReminderRow[]>> {
  const bySubject = new Map<number, ReminderRow[]>();
  if (ids.length === 0) return bySubject;
  const rows = await reminderRows[subject](db, { ids: paddedList(ids) });
  for (const row of rows) {
    const id = (row[subject] ?? 0) as number;
    const list = bySubject.get(id) ?? [];
    list.push({
      id: row.id,
      kind: row.kind as ReminderKind,
      state: row.state,
      deliveryKey: row.delivery_key,
      plannedDueAt: fromDbInstant(row.planned_due_at ?? row.due_at),
      replan: row.replan === 1,
    });
    bySubject.set(id, list);
  }
  return bySubject;
}

/** Whose reminders a re-plan covers: one user's, or a whole workspace's (`ownerId` ''). */
export interface ReplanScope {
  teamId: string;
  ownerId: string;
}

/** A page of a re-plan: a user's (`ofUser`) or a whole workspace's, whose `ownerId` is then not used. */
interface ReplanPage {
  teamId: string;
  ownerId: string;
  afterId: number;
  limit: number;
}

// Once per re-plan request (every new user's zone): compiled once, a query for a user and one for a whole workspace.
const meetingsToReplan = (ofUser: boolean) =>
  compiledQuery(
    `meetings to replan ${ofUser ? 'of a user' : 'in a workspace'}`,
    (db, page: ReplanPage & { sinceIso: string }) => {
      let query = db
        .selectFrom('meetings')
        .select('id')
        .where('team_id', '=', page.teamId)
        .where('starts_at', '>=', page.sinceIso)
        .where('id', '>', page.afterId);
      if (ofUser) query = query.where('owner_id', '=', page.ownerId);
      return query.orderBy('id').limit(page.limit);
    },
  );
const meetingsToReplanOf = { user: meetingsToReplan(true), workspace: meetingsToReplan(false) };

/** The next page of meetings whose reminders may still change (any not long past: a report-back comes 14 days after). */
export async function meetingIdsToReplan(
  db: Executor,
  scope: ReplanScope,
  sinceIso: string,
  afterId: number,
  limit: number,
): Promise<number[]> {
  const query = scope.ownerId === '' ? meetingsToReplanOf.workspace : meetingsToReplanOf.user;
  const rows = await query(db, { teamId: scope.teamId, ownerId: scope.ownerId, sinceIso, afterId, limit });
  return rows.map((row) => row.id);
}

const contactsToReplan = (ofUser: boolean) =>
  compiledQuery(`contacts to replan ${ofUser ? 'of a user' : 'in a workspace'}`, (db, page: ReplanPage) => {
    let query = db
      .selectFrom('contacts')
      .select('id')
      .where('team_id', '=', page.teamId)
      .where((eb) =>
        eb.or([
          eb('last_touch_at', 'is not', null),
          eb.exists(
            eb
              .selectFrom('asks')
              .select('asks.id')
              .whereRef('asks.contact_id', '=', 'contacts.id')
              .where('asks.status', '=', 'waiting'),
          ),
        ]),
      )
      .where('id', '>', page.afterId);
    if (ofUser) query = query.where('owner_id', '=', page.ownerId);
    return query.orderBy('id').limit(page.limit);
  });
const contactsToReplanOf = { user: contactsToReplan(true), workspace: contactsToReplan(false) };

/** The next page of contacts that have, or may get, a keep-in-touch nudge or a 3B7 nudge of a waiting ask. */
export async function contactIdsToReplan(
  db: Executor,
  scope: ReplanScope,
  afterId: number,
  limit: number,
): Promise<number[]> {
  const query = scope.ownerId === '' ? contactsToReplanOf.workspace : contactsToReplanOf.user;
  const rows = await query(db, { teamId: scope.teamId, ownerId: scope.ownerId, afterId, limit });
  return rows.map((row) => row.id);
}

// The re-plan queue, on every new user's first command and the engine's ticks: compiled once.
const requestReplanQuery = compiledQuery(
  'request replan',
  (db, { teamId, ownerId, nowIso }: { teamId: string; ownerId: string; nowIso: string }) =>
    db
      .insertInto('reminder_replans')
      .values({ team_id: teamId, owner_id: ownerId, requested_at: nowIso })
      .onConflict((oc) => oc.columns(['team_id', 'owner_id']).doUpdateSet({ requested_at: nowIso })),
);

const pendingReplansQuery = compiledQuery('pending replans', (db, { limit }: { limit: number }) =>
  // Its columns named: on PostgreSQL it is a prepared statement, which a column added by a later release would break.
  db
    .selectFrom('reminder_replans')
    .select(['team_id', 'owner_id', 'requested_at'])
    .orderBy('requested_at')
    .limit(limit),
);

const finishReplanQuery = compiledQuery(
  'finish replan',
  (db, { teamId, ownerId, requestedAt }: { teamId: string; ownerId: string; requestedAt: string }) =>
    db
      .deleteFrom('reminder_replans')
      .where('team_id', '=', teamId)
      .where('owner_id', '=', ownerId)
      .where('requested_at', '=', requestedAt),
);

/** Asks for a re-plan of an owner's reminders ('' for the whole workspace), inside the change's transaction. */
export async function requestReplan(db: Executor, teamId: string, ownerId: string, nowIso: string): Promise<void> {
  await requestReplanQuery(db, { teamId, ownerId, nowIso });
}

export async function pendingReplans(
  db: Executor,
  limit: number,
): Promise<{ teamId: string; ownerId: string; requestedAt: string }[]> {
  const rows = await pendingReplansQuery(db, { limit });
  return rows.map((row) => ({ teamId: row.team_id, ownerId: row.owner_id, requestedAt: row.requested_at }));
}

/** Done with a re-plan, unless another was asked for meanwhile (then it runs again). */
export async function finishReplan(db: Executor, teamId: string, ownerId: string, requestedAt: string): Promise<void> {
  await finishReplanQuery(db, { teamId, ownerId, requestedAt });
}
