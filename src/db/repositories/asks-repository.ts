import type { Selectable, Transaction } from 'kysely';
import type { Ask, AskChannel, AskStatus, Contact, Owner } from '../../domain/types.js';
import { fromDbInstant } from '../../lib/zoned-time.js';
import type { Executor } from '../database.js';
import { paddedList } from '../in-list.js';
import type { AsksTable, Database } from '../schema.js';
import { CONTACT_COLUMNS, findContacts, toContact } from './contacts-repository.js';

const ASK_COLUMNS = [
  'id',
  'contact_id',
  'channel',
  'sent_on',
  'purpose',
  'draft',
  'status',
  'followed_up_at',
  'closed_at',
] as const;
type AskRow = Pick<Selectable<AsksTable>, (typeof ASK_COLUMNS)[number]>;

function toAsk(row: AskRow): Ask {
  return {
    id: row.id,
    contactId: row.contact_id,
    channel: row.channel,
    sentOn: row.sent_on,
    purpose: row.purpose,
    draft: row.draft,
    status: row.status,
    followedUpAt: row.followed_up_at === null ? null : fromDbInstant(row.followed_up_at),
    closedAt: row.closed_at === null ? null : fromDbInstant(row.closed_at),
  };
}

export interface NewAsk {
  contactId: number;
  channel: AskChannel;
  sentOn: string;
  purpose: string | null;
  draft: string | null;
  viewId: string | null;
}

/**
 * Records an ask; null when this view already recorded one (a repeated submission), or when the contact has a waiting
 * ask already (one recorded at the same moment, after the caller looked).
 */
export async function insertAsk(
  db: Transaction<Database>,
  owner: Owner,
  ask: NewAsk,
  nowIso: string,
): Promise<number | null> {
  const row = await db
    .insertInto('asks')
    .values({
      team_id: owner.teamId,
      owner_id: owner.userId,
      contact_id: ask.contactId,
      channel: ask.channel,
      sent_on: ask.sentOn,
      purpose: ask.purpose,
      draft: ask.draft,
      status: 'waiting',
      source_view_id: ask.viewId,
      created_at: nowIso,
      updated_at: nowIso,
    })
    // Nothing either when the contact has a waiting ask already (one waiting ask per contact, `asks_one_waiting_uq`).
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function findAsk(db: Executor, owner: Owner, askId: number): Promise<Ask | undefined> {
  const row = await db
    .selectFrom('asks')
    .select(ASK_COLUMNS)
    .where('id', '=', askId)
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .executeTakeFirst();
  return row === undefined ? undefined : toAsk(row);
}

/** The ask a view recorded, if it did. */
export async function findAskOfView(db: Executor, owner: Owner, viewId: string): Promise<Ask | undefined> {
  const row = await db
    .selectFrom('asks')
    .select(ASK_COLUMNS)
    .where('team_id', '=', owner.teamId)
    .where('source_view_id', '=', viewId)
    .where('owner_id', '=', owner.userId)
    .executeTakeFirst();
  return row === undefined ? undefined : toAsk(row);
}

/** The contact's latest ask (the one its 3B7 nudges are about), if any. */
export async function findLatestAsk(db: Executor, owner: Owner, contactId: number): Promise<Ask | undefined> {
  const row = await db
    .selectFrom('asks')
    .select(ASK_COLUMNS)
    .where('contact_id', '=', contactId)
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : toAsk(row);
}

/** Closes a waiting ask; false when it was not waiting (already closed) or is not the owner's. */
export async function closeWaitingAsk(
  db: Executor,
  owner: Owner,
  askId: number,
  status: Exclude<AskStatus, 'waiting'>,
  nowIso: string,
): Promise<boolean> {
  const result = await db
    .updateTable('asks')
    .set({ status, closed_at: nowIso, updated_at: nowIso })
    .where('id', '=', askId)
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('status', '=', 'waiting')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records the one follow-up; false when the ask is closed, already followed up, or not the owner's. */
export async function markAskFollowedUp(db: Executor, owner: Owner, askId: number, nowIso: string): Promise<boolean> {
  const result = await db
    .updateTable('asks')
    .set({ followed_up_at: nowIso, updated_at: nowIso })
    .where('id', '=', askId)
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('status', '=', 'waiting')
    .where('followed_up_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The user's waiting asks with their contacts, oldest first. */
export async function listWaitingAsks(
  db: Executor,
  owner: Owner,
  limit: number,
): Promise<{ ask: Ask; contact: Contact }[]> {
  const rows = await db
    .selectFrom('asks')
    .select(ASK_COLUMNS)
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('status', '=', 'waiting')
    .orderBy('sent_on')
    .orderBy('id')
    .limit(limit)
    .execute();
  const contacts = new Map(
    (
      await findContacts(
        db,
        owner,
        rows.map((row) => row.contact_id),
      )
    ).map((contact) => [contact.id, contact]),
  );
  return rows.flatMap((row) => {
    const contact = contacts.get(row.contact_id);
    return contact === undefined ? [] : [{ ask: toAsk(row), contact }];
  });
}

/** Asks sent and asks answered with a reply, for Home's progress. */
export async function countAsks(db: Executor, owner: Owner): Promise<{ sent: number; replied: number }> {
  const row = await db
    .selectFrom('asks')
    .select((eb) => [
      eb.fn.countAll<number>().as('sent'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'replied').then(1).else(0).end()).as('replied'),
    ])
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .executeTakeFirstOrThrow();
  return { sent: Number(row.sent), replied: Number(row.replied ?? 0) };
}

/**
 * The next person worth asking: a contact never asked and never met, other than `exceptId`; people someone referred
 * the user to first, then the most recently active.
 */
export async function findNextToAsk(db: Executor, owner: Owner, exceptId: number | null): Promise<Contact | undefined> {
  let query = db
    .selectFrom('contacts as c')
    .select(CONTACT_COLUMNS.map((column) => `c.${column}` as const))
    .where('c.team_id', '=', owner.teamId)
    .where('c.owner_id', '=', owner.userId)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('asks as a').select('a.id').whereRef('a.contact_id', '=', 'c.id'))))
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('meetings as m').select('m.id').whereRef('m.contact_id', '=', 'c.id'))),
    );
  if (exceptId !== null) query = query.where('c.id', '<>', exceptId);
  const row = await query
    .orderBy((eb) => eb.case().when('c.referred_by_id', 'is not', null).then(0).else(1).end())
    .orderBy('c.last_activity_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : toContact(row);
}

/** A workspace's holidays from `fromDay` on, in date order. */
export async function listHolidays(
  db: Executor,
  teamId: string,
  fromDay: string,
): Promise<{ day: string; name: string | null }[]> {
  return db
    .selectFrom('workspace_holidays')
    .select(['day', 'name'])
    .where('team_id', '=', teamId)
    .where('day', '>=', fromDay)
    .orderBy('day')
    .execute();
}

/** The holidays of several workspaces from `fromDay` on, as sets of days. */
export async function holidaysOfTeams(
  db: Executor,
  teamIds: readonly string[],
  fromDay: string,
): Promise<Map<string, Set<string>>> {
  const byTeam = new Map<string, Set<string>>();
  if (teamIds.length === 0) return byTeam;
  const rows = await db
    .selectFrom('workspace_holidays')
    .select(['team_id', 'day'])
    .where('team_id', 'in', paddedList([...new Set(teamIds)]))
    .where('day', '>=', fromDay)
    .execute();
  for (const row of rows) byTeam.set(row.team_id, (byTeam.get(row.team_id) ?? new Set()).add(row.day));
  return byTeam;
}

/** Replaces a workspace's holidays from `fromDay` on (earlier ones are kept: past asks were counted with them). */
export async function replaceHolidays(
  db: Transaction<Database>,
  teamId: string,
  fromDay: string,
  days: { day: string; name: string | null }[],
): Promise<void> {
  await db.deleteFrom('workspace_holidays').where('team_id', '=', teamId).where('day', '>=', fromDay).execute();
  if (days.length > 0)
    await db
      .insertInto('workspace_holidays')
      .values(days.map((d) => ({ team_id: teamId, day: d.day, name: d.name })))
      .onConflict((oc) => oc.doNothing())
      .execute();
}

export async function findAskPurpose(db: Executor, owner: Owner): Promise<string | null> {
  const row = await db
    .selectFrom('reminder_settings')
    .select('ask_purpose')
    .where('team_id', '=', owner.teamId)
    .where('user_id', '=', owner.userId)
    .executeTakeFirst();
  return row?.ask_purpose ?? null;
}

/** Saves the purpose line; a user without settings yet gets the default settings with it. */
export async function saveAskPurpose(
  db: Executor,
  owner: Owner,
  purpose: string | null,
  defaults: { prep: number; headsUp: number; quietStart: string; quietEnd: string },
  nowIso: string,
): Promise<void> {
  await db
    .insertInto('reminder_settings')
    .values({
      team_id: owner.teamId,
      user_id: owner.userId,
      prep_lead_minutes: defaults.prep,
      heads_up_lead_minutes: defaults.headsUp,
      quiet_start: defaults.quietStart,
      quiet_end: defaults.quietEnd,
      disabled_kinds: '',
      ask_purpose: purpose,
      updated_at: nowIso,
    })
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ ask_purpose: purpose, updated_at: nowIso }))
    .execute();
}
