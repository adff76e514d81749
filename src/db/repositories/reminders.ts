import { sql, type Transaction } from 'kysely';
import type { PlannedReminder, ReminderKind, ReminderSettings, SwitchableKind } from '../../domain/reminder-plan.js';
import type { Owner } from '../../domain/types.js';
import { fromDbInstant, toDbInstant } from '../../lib/time.js';
import type { Db } from '../database.js';
import type { Database, ReminderState } from '../schema.js';

type Executor = Db | Transaction<Database>;

export interface ClaimedReminder {
  id: number;
  owner: Owner;
  /** Exactly one of meetingId and contactId is set: keep-in-touch reminders are about a contact. */
  meetingId: number | null;
  contactId: number | null;
  kind: ReminderKind;
  dueAt: Date;
  attempts: number;
  /** A previous attempt may have posted without recording it: look in the DM first. */
  checkBeforeSend: boolean;
  /** When it was first claimed: no post of it can be older. */
  firstAttemptAt: Date;
  /** When this claim expires: after that another worker may take the reminder. */
  leaseUntil: Date;
}

/**
 * Makes the meeting's pending reminders match `plan`, inside the caller's transaction: new kinds are added, planned
 * ones get their new due time (and are pending again unless already sent), and kinds no longer planned are
 * cancelled. Sent reminders are never touched.
 */
export async function replaceMeetingReminders(
  trx: Transaction<Database>,
  owner: Owner,
  meetingId: number,
  plan: PlannedReminder[],
  nowIso: string,
  /** Kinds to send again even if already sent (a rescheduled meeting's prep tip and heads-up). */
  rearmSent: ReminderKind[] = [],
): Promise<void> {
  for (const reminder of plan) {
    const rearmable: ReminderState[] = rearmSent.includes(reminder.kind) ? ['sent', 'claimed'] : [];
    await trx
      .insertInto('reminders')
      .values({
        team_id: owner.teamId,
        owner_id: owner.userId,
        meeting_id: meetingId,
        kind: reminder.kind,
        due_at: toDbInstant(reminder.dueAt),
        state: 'pending',
        created_at: nowIso,
        updated_at: nowIso,
      })
      .onConflict((oc) =>
        oc
          .columns(['meeting_id', 'kind'])
          .doUpdateSet((eb) => ({
            due_at: toDbInstant(reminder.dueAt),
            state: 'pending',
            attempts: 0,
            lease_until: null,
            last_error: null,
            // A pending row may still have an unknown outcome to look for; anything else starts a new delivery.
            first_attempt_at: sql<string | null>`case when ${eb.ref('reminders.state')} = 'pending' then ${eb.ref('reminders.first_attempt_at')} else null end`,
            check_before_send: sql<0 | 1>`case when ${eb.ref('reminders.state')} = 'pending' then ${eb.ref('reminders.check_before_send')} else 0 end`,
            updated_at: nowIso,
          }))
          // A claimed one is being sent right now: its outcome is recorded by the sender, not overwritten here.
          .where('reminders.state', 'not in', (['sent', 'claimed'] as ReminderState[]).filter((state) => !rearmable.includes(state) || state === 'claimed')),
      )
      .execute();
  }
  const kept = plan.map((reminder) => reminder.kind);
  let stale = trx
    .updateTable('reminders')
    .set({ state: 'cancelled', updated_at: nowIso })
    .where('meeting_id', '=', meetingId)
    .where('state', '=', 'pending');
  if (kept.length > 0) stale = stale.where('kind', 'not in', kept);
  await stale.execute();
}

/** Cancels the meeting's pending reminders of `kinds` (all kinds when omitted), inside the caller's transaction. */
export async function cancelMeetingReminders(trx: Executor, meetingId: number, nowIso: string, kinds?: ReminderKind[]): Promise<void> {
  let query = trx.updateTable('reminders').set({ state: 'cancelled', updated_at: nowIso }).where('meeting_id', '=', meetingId).where('state', '=', 'pending');
  if (kinds) query = query.where('kind', 'in', kinds);
  await query.execute();
}

/**
 * Claims up to `limit` reminders for sending, atomically: pending ones that are due, and claimed ones whose lease
 * ran out (their sender died between posting and recording: their outcome is unknown, so they are looked for in the
 * DM before any new post). One UPDATE … RETURNING, so two ticks can never claim the same row.
 */
export async function claimDueReminders(
  db: Db,
  nowIso: string,
  leaseUntilIso: string,
  limit: number,
): Promise<ClaimedReminder[]> {
  const due = db
    .selectFrom('reminders')
    .select('id')
    .where('state', '=', 'pending')
    .where('due_at', '<=', nowIso)
    .orderBy('due_at')
    .limit(limit);
  const expired = db
    .selectFrom('reminders')
    .select('id')
    .where('state', '=', 'claimed')
    .where('lease_until', '<=', nowIso)
    .orderBy('lease_until')
    .limit(limit);
  const rows = await db
    .updateTable('reminders')
    .set((eb) => ({
      check_before_send: sql<0 | 1>`case when ${eb.ref('state')} = 'claimed' then 1 else ${eb.ref('check_before_send')} end`,
      state: 'claimed',
      first_attempt_at: sql<string>`coalesce(${eb.ref('first_attempt_at')}, ${nowIso})`,
      lease_until: leaseUntilIso,
      attempts: eb('attempts', '+', 1),
      updated_at: nowIso,
    }))
    .where((eb) => eb.or([eb('id', 'in', due), eb('id', 'in', expired)]))
    .returning(['id', 'team_id', 'owner_id', 'meeting_id', 'contact_id', 'kind', 'due_at', 'attempts', 'check_before_send', 'first_attempt_at'])
    .execute();
  return rows
    .map((row) => ({
      id: row.id,
      owner: { teamId: row.team_id, userId: row.owner_id },
      meetingId: row.meeting_id,
      contactId: row.contact_id,
      kind: row.kind as ReminderKind,
      dueAt: fromDbInstant(row.due_at),
      attempts: row.attempts,
      checkBeforeSend: row.check_before_send === 1,
      firstAttemptAt: fromDbInstant(row.first_attempt_at ?? nowIso),
      leaseUntil: fromDbInstant(leaseUntilIso),
    }))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
}

/**
 * Records an outcome for a reminder this worker holds. `claim` is the row's attempts when claimed: a row claimed
 * again by another worker (after this one's lease ran out) has more attempts, and this worker's outcome is dropped.
 * False when the claim was lost (taken over, or cancelled meanwhile).
 */
async function finish(db: Db, claim: Claim, values: Partial<Record<string, unknown>> & { state: ReminderState }, nowIso: string): Promise<boolean> {
  const result = await db
    .updateTable('reminders')
    .set({ ...values, lease_until: null, updated_at: nowIso })
    .where('id', '=', claim.id)
    .where('state', '=', 'claimed')
    .where('attempts', '=', claim.attempts)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Which claim of which reminder an outcome is for. */
export interface Claim {
  id: number;
  attempts: number;
}

export function markReminderSent(db: Db, claim: Claim, post: { channel: string; ts: string }, nowIso: string) {
  return finish(db, claim, { state: 'sent', channel_id: post.channel, message_ts: post.ts, sent_at: nowIso, check_before_send: 0, last_error: null }, nowIso);
}

export function markReminderSkipped(db: Db, claim: Claim, reason: string, nowIso: string) {
  return finish(db, claim, { state: 'skipped', last_error: reason }, nowIso);
}

export function markReminderFailed(db: Db, claim: Claim, error: string, nowIso: string) {
  return finish(db, claim, { state: 'failed', last_error: error }, nowIso);
}

/** Back to pending, due at `dueIso`. `checkBeforeSend` when the last post may have reached Slack. */
export function retryReminderAt(
  db: Db,
  claim: Claim,
  dueIso: string,
  detail: { error: string | null; checkBeforeSend: boolean; countAttempt: boolean },
  nowIso: string,
) {
  return finish(
    db,
    claim,
    {
      state: 'pending',
      due_at: dueIso,
      last_error: detail.error,
      ...(detail.checkBeforeSend ? { check_before_send: 1 } : {}),
      // A 429 is Slack pacing us, not a failed attempt.
      ...(detail.countAttempt ? {} : { attempts: sql`attempts - 1` }),
    },
    nowIso,
  );
}

export async function findReminderSettings(db: Executor, owner: Owner): Promise<ReminderSettings | undefined> {
  const row = await db
    .selectFrom('reminder_settings')
    .selectAll()
    .where('team_id', '=', owner.teamId)
    .where('user_id', '=', owner.userId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    prepLeadMinutes: row.prep_lead_minutes,
    headsUpLeadMinutes: row.heads_up_lead_minutes,
    quietStart: row.quiet_start,
    quietEnd: row.quiet_end,
    disabledKinds: row.disabled_kinds.split(',').filter(Boolean) as SwitchableKind[],
  };
}

export async function saveReminderSettings(db: Executor, owner: Owner, settings: ReminderSettings, nowIso: string): Promise<void> {
  const values = {
    prep_lead_minutes: settings.prepLeadMinutes,
    heads_up_lead_minutes: settings.headsUpLeadMinutes,
    quiet_start: settings.quietStart,
    quiet_end: settings.quietEnd,
    disabled_kinds: settings.disabledKinds.join(','),
    updated_at: nowIso,
  };
  await db
    .insertInto('reminder_settings')
    .values({ team_id: owner.teamId, user_id: owner.userId, ...values })
    .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet(values))
    .execute();
}

/** A re-armed row is a new delivery: no earlier post of it is to be looked for. */
const NEW_DELIVERY = { first_attempt_at: null, check_before_send: 0 as const, message_ts: null, channel_id: null, sent_at: null };

/** Sets one kind of the meeting's reminder (pending, due at `dueIso`), whatever it was, unless it is being sent. */
export async function snoozeReminder(trx: Executor, owner: Owner, meetingId: number, kind: ReminderKind, dueIso: string, nowIso: string): Promise<void> {
  await trx
    .insertInto('reminders')
    .values({ team_id: owner.teamId, owner_id: owner.userId, meeting_id: meetingId, kind, due_at: dueIso, state: 'pending', created_at: nowIso, updated_at: nowIso })
    .onConflict((oc) =>
      oc
        .columns(['meeting_id', 'kind'])
        .doUpdateSet({ due_at: dueIso, state: 'pending', attempts: 0, last_error: null, ...NEW_DELIVERY, updated_at: nowIso })
        .where('reminders.state', '!=', 'claimed'),
    )
    .execute();
}

/** The owner's scheduled meetings that still have reminders to send: what a change of settings re-plans. */
export async function meetingsWithPendingReminders(
  db: Executor,
  owner: Owner,
): Promise<{ id: number; startsAt: Date; durationMinutes: number; done: { thankYouSent: boolean; debriefed: boolean; reportedBack: boolean } }[]> {
  const rows = await db
    .selectFrom('meetings')
    .select(['id', 'starts_at', 'duration_minutes', 'thank_you_sent_at', 'debriefed_at', 'reported_back_at'])
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('status', '=', 'scheduled')
    .where((eb) =>
      eb.exists(eb.selectFrom('reminders').select('reminders.id').whereRef('reminders.meeting_id', '=', 'meetings.id').where('reminders.state', '=', 'pending')),
    )
    .execute();
  return rows.map((row) => ({
    id: row.id,
    startsAt: fromDbInstant(row.starts_at),
    durationMinutes: row.duration_minutes,
    done: { thankYouSent: row.thank_you_sent_at !== null, debriefed: row.debriefed_at !== null, reportedBack: row.reported_back_at !== null },
  }));
}

/** Sets the contact's keep-in-touch reminder: pending at `dueIso`, or cancelled when `dueIso` is null. */
export async function planContactReminder(trx: Executor, owner: Owner, contactId: number, dueIso: string | null, nowIso: string): Promise<void> {
  if (dueIso === null) {
    await trx.updateTable('reminders').set({ state: 'cancelled', updated_at: nowIso }).where('contact_id', '=', contactId).where('kind', '=', 'keep_in_touch').where('state', '=', 'pending').execute();
    return;
  }
  await trx
    .insertInto('reminders')
    .values({ team_id: owner.teamId, owner_id: owner.userId, contact_id: contactId, kind: 'keep_in_touch', due_at: dueIso, state: 'pending', created_at: nowIso, updated_at: nowIso })
    .onConflict((oc) =>
      oc
        .columns(['contact_id', 'kind'])
        .doUpdateSet({ due_at: dueIso, state: 'pending', attempts: 0, last_error: null, ...NEW_DELIVERY, updated_at: nowIso })
        // Not while it is being sent; and a nudge already sent for this very due time is not sent again.
        .where((eb) =>
          eb.and([eb('reminders.state', '!=', 'claimed'), eb.or([eb('reminders.state', '!=', 'sent'), eb('reminders.due_at', '!=', dueIso)])]),
        ),
    )
    .execute();
}

/** For each meeting: whether its prep tip was sent, is still to come, or is not planned. */
export async function findPrepStates(db: Executor, meetingIds: number[]): Promise<Map<number, 'sent' | 'pending' | 'off'>> {
  if (meetingIds.length === 0) return new Map();
  const rows = await db.selectFrom('reminders').select(['meeting_id', 'state']).where('meeting_id', 'in', meetingIds).where('kind', '=', 'prep').execute();
  return new Map(
    rows.map((row) => [row.meeting_id as number, row.state === 'sent' ? 'sent' : row.state === 'pending' || row.state === 'claimed' ? 'pending' : 'off']),
  );
}
