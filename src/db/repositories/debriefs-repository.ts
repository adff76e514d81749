import type { AdvicePlan, Debrief } from '../../domain/debriefs/debrief-rules.js';
import type { AdviceItem, Owner, StoredDebrief } from '../../domain/types.js';
import { fromDbInstant } from '../../lib/zoned-time.js';
import type { Executor } from '../database.js';
import { paddedList } from '../in-list.js';

/** Creates or replaces the meeting's debrief (one per meeting, so a repeated submission changes nothing twice). */
export async function upsertDebrief(
  db: Executor,
  owner: Owner,
  meetingId: number,
  debrief: Debrief,
  nowIso: string,
): Promise<void> {
  const values = {
    topics: debrief.topics,
    learned: debrief.learned,
    advice: debrief.advice,
    referrals: debrief.referralsText,
    commitments: debrief.commitmentsText,
    interest_change: debrief.interestChange,
    notes: debrief.notes,
    updated_at: nowIso,
  };
  // Scoped here, not only by callers: only a meeting of the owner's gets a debrief, and only theirs is overwritten.
  if (!(await ownsMeeting(db, owner, meetingId)))
    throw new Error(`debrief for meeting ${meetingId}, which is not ${owner.userId}'s`);
  await db
    .insertInto('debriefs')
    .values({ team_id: owner.teamId, owner_id: owner.userId, meeting_id: meetingId, ...values, created_at: nowIso })
    .onConflict((oc) =>
      oc
        .column('meeting_id')
        .doUpdateSet(values)
        .where('debriefs.team_id', '=', owner.teamId)
        .where('debriefs.owner_id', '=', owner.userId),
    )
    .execute();
}

/** True when the meeting is the owner's: writes that add rows about a meeting check it themselves. */
export async function ownsMeeting(db: Executor, owner: Owner, meetingId: number): Promise<boolean> {
  const row = await db
    .selectFrom('meetings')
    .select('id')
    .where('id', '=', meetingId)
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findDebrief(db: Executor, owner: Owner, meetingId: number): Promise<StoredDebrief | undefined> {
  const row = await db
    .selectFrom('debriefs')
    .selectAll()
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    meetingId: row.meeting_id,
    topics: row.topics,
    learned: row.learned,
    advice: row.advice,
    referrals: row.referrals,
    commitments: row.commitments,
    interestChange: row.interest_change,
    notes: row.notes,
  };
}

/**
 * Makes the meeting's advice items match `texts` by position: a changed text starts undone, an unchanged one keeps
 * its tick, and items past the end are removed.
 */
/**
 * Applies a debrief's advice plan to the owner's meeting: removed items go, kept ones move to their new position with
 * their id and tick, new ones are added. Positions are unique per meeting, so kept items pass through negative ones.
 */
export async function applyAdvicePlan(
  db: Executor,
  owner: Owner,
  meetingId: number,
  plan: AdvicePlan,
  nowIso: string,
): Promise<void> {
  const own = () =>
    db
      .updateTable('advice_items')
      .where('team_id', '=', owner.teamId)
      .where('owner_id', '=', owner.userId)
      .where('meeting_id', '=', meetingId);
  if (plan.remove.length > 0) {
    await db
      .deleteFrom('advice_items')
      .where('team_id', '=', owner.teamId)
      .where('owner_id', '=', owner.userId)
      .where('meeting_id', '=', meetingId)
      .where('id', 'in', paddedList(plan.remove))
      .execute();
  }
  for (const [index, item] of plan.keep.entries())
    await own()
      .set({ position: -1 - index })
      .where('id', '=', item.id)
      .execute();
  for (const item of plan.keep)
    await own().set({ position: item.position, text: item.text }).where('id', '=', item.id).execute();
  if (plan.insert.length > 0) {
    if (!(await ownsMeeting(db, owner, meetingId)))
      throw new Error(`advice items for meeting ${meetingId}, which is not ${owner.userId}'s`);
    await db
      .insertInto('advice_items')
      .values(
        plan.insert.map(({ position, text }) => ({
          team_id: owner.teamId,
          owner_id: owner.userId,
          meeting_id: meetingId,
          position,
          text,
          created_at: nowIso,
        })),
      )
      .execute();
  }
}

export async function listAdviceItems(db: Executor, owner: Owner, meetingId: number): Promise<AdviceItem[]> {
  const rows = await db
    .selectFrom('advice_items')
    .select(['id', 'meeting_id', 'text', 'done_at'])
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('meeting_id', '=', meetingId)
    .orderBy('position')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    meetingId: row.meeting_id,
    text: row.text,
    doneAt: row.done_at ? fromDbInstant(row.done_at) : null,
  }));
}

/** Ticks exactly `doneIds` among the meeting's items (others unticked); ids not the owner's are ignored. */
export async function setAdviceItemsDone(
  db: Executor,
  owner: Owner,
  meetingId: number,
  doneIds: number[],
  nowIso: string,
): Promise<void> {
  const scoped = db
    .updateTable('advice_items')
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('meeting_id', '=', meetingId);
  if (doneIds.length > 0) {
    await scoped.set({ done_at: nowIso }).where('id', 'in', paddedList(doneIds)).where('done_at', 'is', null).execute();
    await scoped.set({ done_at: null }).where('id', 'not in', doneIds).execute();
  } else {
    await scoped.set({ done_at: null }).execute();
  }
}
