import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { ReminderKind } from '../../../domain/reminders/reminder-plan.js';
import type { Owner } from '../../../domain/types.js';
import { fromDbInstant } from '../../../lib/zoned-time.js';
import { compiledQuery } from '../../compiled-query.js';
import type { Db, Executor } from '../../database.js';
import { idAmong, lockedForClaim, lockedInOrder } from '../../dialect.js';
import { paddedList } from '../../in-list.js';
import type { Database, ReminderState } from '../../schema.js';

// The engine's side of the reminders table (docs/reminders.md, "A drain"): claims, hand-overs, leases and outcomes.
// The planning side is in reminder-plans-repository.ts; the operators' listing and retry of failed rows in
// failed-reminders-repository.ts.

export interface ClaimedReminder {
  id: number;
  owner: Owner;
  /** Exactly one of meetingId and contactId is set: keep-in-touch reminders are about a contact. */
  meetingId: number | null;
  contactId: number | null;
  kind: ReminderKind;
  dueAt: Date;
  /** Attempts at this delivery, this one included (retry backoff counts them). */
  attempts: number;
  /** Claims ever made of the row, this one included: the fence an outcome is recorded under. */
  claims: number;
  /** Which delivery this is: its key (from the facts) and its number (in the message metadata). */
  deliveryKey: string;
  delivery: number;
  /** A previous attempt may have posted without recording it: look in the DM first. */
  checkBeforeSend: boolean;
  /** Taken over from a claim whose lease ran out (its worker died or stalled): it has waited longest. */
  takenOver: boolean;
  /** When it was first claimed: no post of it can be older. */
  firstAttemptAt: Date;
  /** When this claim expires: after that another worker may take the reminder. */
  leaseUntil: Date;
}

/**
 * Claims up to `limit` reminders for sending: first claimed ones whose lease ran out (their sender died), then pending
 * ones that are due. Of those taken over, only the ones whose post was handed to Slack (`handed_over_at`, perhaps
 * posted and not recorded) are looked for in the DM before any new post; one never handed over posted nothing. Taken-over ones come first across claims, not only within one: they have waited
 * longest, and a backlog due with them must not push them back. Each pick is one UPDATE … RETURNING, so two ticks can
 * never claim the same row (on PostgreSQL the rows are locked as they are picked, and rows another claim is picking
 * are skipped). `exceptTeams` leaves out workspaces that already have enough claimed and waiting for their pace, or
 * that another replica is posting for.
 */
export async function claimDueReminders(
  db: Db,
  nowIso: string,
  leaseUntilIso: string,
  limit: number,
  exceptTeams: readonly string[] = [],
): Promise<ClaimedReminder[]> {
  // Rows in `state` whose `column` instant has come, earliest first.
  const pick = (state: 'claimed' | 'pending', column: 'lease_until' | 'due_at', count: number) =>
    db
      .selectFrom('reminders')
      .select('id')
      .where('state', '=', state)
      .where(column, '<=', nowIso)
      .$if(exceptTeams.length > 0, (qb) => qb.where('team_id', 'not in', exceptTeams))
      .orderBy(column)
      .limit(count);
  const expired = await claimPicked(db, pick('claimed', 'lease_until', limit), nowIso, leaseUntilIso, true);
  const due =
    expired.length >= limit
      ? []
      : await claimPicked(db, pick('pending', 'due_at', limit - expired.length), nowIso, leaseUntilIso, false);
  const first = (r: ClaimedReminder) => Number(r.takenOver || r.checkBeforeSend);
  return (
    [...expired, ...due]
      // Taken over (or whose post may have gone out) first: they have waited longest.
      .sort((a, b) => first(b) - first(a) || a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id)
  );
}

/** Claims the reminders `pick` selects (locking them as it picks, on PostgreSQL). */
async function claimPicked(
  db: Db,
  pick: SelectQueryBuilder<Database, 'reminders', { id: number }>,
  nowIso: string,
  leaseUntilIso: string,
  takenOver: boolean,
): Promise<ClaimedReminder[]> {
  const locked = lockedForClaim(db, pick);
  const rows = await db
    .updateTable('reminders')
    .set((eb) => ({
      // An expired claim that had handed its post to Slack may have posted: look before posting again. One that had
      // not posted nothing (with OAuth a DM history read is one a minute per workspace: a dead replica's reminders
      // would come back one a minute).
      check_before_send: sql<0 | 1>`case when ${eb.ref('state')} = 'claimed' and ${eb.ref(
        'handed_over_at',
      )} is not null then 1 else ${eb.ref('check_before_send')} end`,
      // Not handed over under the new claim yet.
      handed_over_at: null,
      state: 'claimed',
      first_attempt_at: sql<string>`coalesce(${eb.ref('first_attempt_at')}, ${nowIso})`,
      lease_until: leaseUntilIso,
      attempts: eb('attempts', '+', 1),
      claims: eb('claims', '+', 1),
      updated_at: nowIso,
    }))
    .where((eb) => idAmong(db, eb, locked))
    .returning([
      'id',
      'team_id',
      'owner_id',
      'meeting_id',
      'contact_id',
      'kind',
      'due_at',
      'attempts',
      'claims',
      'delivery_key',
      'delivery',
      'check_before_send',
      'first_attempt_at',
    ])
    .execute();
  return rows.map((row) => ({
    id: row.id,
    owner: { teamId: row.team_id, userId: row.owner_id },
    meetingId: row.meeting_id,
    contactId: row.contact_id,
    kind: row.kind as ReminderKind,
    dueAt: fromDbInstant(row.due_at),
    attempts: row.attempts,
    claims: row.claims,
    deliveryKey: row.delivery_key,
    delivery: row.delivery,
    checkBeforeSend: row.check_before_send === 1,
    takenOver,
    firstAttemptAt: fromDbInstant(row.first_attempt_at ?? nowIso),
    leaseUntil: fromDbInstant(leaseUntilIso),
  }));
}

/** Which claim of which reminder an outcome is for. */
export interface Claim {
  id: number;
  claims: number;
}

/** Whether an outcome was recorded, and whether the facts changed while the row was claimed (reconcile it again). */
export interface Recorded {
  recorded: boolean;
  replan: boolean;
}

/**
 * Records an outcome for a reminder this worker holds. A row claimed again by another worker (after this one's
 * lease ran out) has more claims, and this worker's outcome is dropped; so is one deleted meanwhile.
 */
async function finish(
  db: Executor,
  claim: Claim,
  values: Partial<Record<string, unknown>> & { state: ReminderState },
  nowIso: string,
): Promise<Recorded> {
  const row = await db
    .updateTable('reminders')
    .set({ ...values, lease_until: null, updated_at: nowIso })
    .where('id', '=', claim.id)
    .where('state', '=', 'claimed')
    .where('claims', '=', claim.claims)
    // The flag is left as it is: the reconcile it calls for clears it.
    .returning('replan')
    .executeTakeFirst();
  return { recorded: row !== undefined, replan: row?.replan === 1 };
}

// On every delivered reminder (its hand-over and its outcome): compiled once (docs/performance.md, "Compiled queries").
const markSentQuery = compiledQuery(
  'mark reminder sent',
  (db, p: { id: number; claims: number; channel: string; ts: string; nowIso: string }) =>
    db
      .updateTable('reminders')
      .set({
        state: 'sent',
        channel_id: p.channel,
        message_ts: p.ts,
        sent_at: p.nowIso,
        check_before_send: 0,
        last_error: null,
        lease_until: null,
        updated_at: p.nowIso,
      })
      // `finish`'s fence.
      .where('id', '=', p.id)
      .where('state', '=', 'claimed')
      .where('claims', '=', p.claims)
      .returning('replan'),
);

/** Records a post (as `finish` does, in one compiled statement). */
export async function markReminderSent(
  db: Executor,
  claim: Claim,
  post: { channel: string; ts: string },
  nowIso: string,
): Promise<Recorded> {
  const [row] = await markSentQuery(db, {
    id: claim.id,
    claims: claim.claims,
    channel: post.channel,
    ts: post.ts,
    nowIso,
  });
  return { recorded: row !== undefined, replan: row?.replan === 1 };
}

/** A post to record as sent, under its claim. */
export interface SentPost {
  claim: Claim;
  channel: string;
  ts: string;
  sentAtIso: string;
}

/**
 * Records many posts at once, each as `markReminderSent` does (under its claims fence), in one statement: what each
 * came to, by reminder id (absent: not recorded, its claim is gone). At most 400 posts (the bound values).
 */
export async function markRemindersSent(
  db: Executor,
  posts: readonly SentPost[],
  nowIso: string,
): Promise<Map<number, Recorded>> {
  const claims = posts.map((post) => post.claim);
  const byId = (value: (post: SentPost) => string) =>
    sql<string>`case id ${sql.join(
      posts.map((post) => sql`when ${post.claim.id} then ${value(post)}`),
      sql` `,
    )} end`;
  const rows = await db
    .updateTable('reminders')
    .set({
      state: 'sent',
      channel_id: byId((post) => post.channel),
      message_ts: byId((post) => post.ts),
      sent_at: byId((post) => post.sentAtIso),
      check_before_send: 0,
      last_error: null,
      lease_until: null,
      updated_at: nowIso,
    })
    // Locked in id order on PostgreSQL, as the reconcile locks them: the two never wait for each other in a cycle.
    .where(
      'id',
      'in',
      lockedInOrder(db, db.selectFrom('reminders').select('id').where(stillHeld(claims)), { integer: 'id' }),
    )
    .returning(['id', 'replan'])
    .execute();
  return new Map(rows.map((row) => [row.id, { recorded: true, replan: row.replan === 1 }]));
}

export function markReminderSkipped(db: Executor, claim: Claim, reason: string, nowIso: string) {
  return finish(db, claim, { state: 'skipped', last_error: reason }, nowIso);
}

export function markReminderFailed(db: Executor, claim: Claim, error: string, nowIso: string) {
  return finish(db, claim, { state: 'failed', last_error: error }, nowIso);
}

/** Back to pending, due at `dueIso`. `checkBeforeSend` when the last post may have reached Slack. */
export function retryReminderAt(
  db: Executor,
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

/**
 * Records, just before the post leaves, that this claim hands the reminder's post to Slack, and sets its lease to
 * `leaseUntilIso` (the caller never shortens it): one small write under the claims fence (the engine shares a group
 * commit's transaction with other reminders' writes). A claim that expires after this may have posted, so the next one looks in the DM first. False when the claim is no
 * longer this worker's: the post must not go out.
 */
export async function handOverReminder(
  db: Executor,
  claim: Claim,
  nowIso: string,
  leaseUntilIso: string,
): Promise<boolean> {
  const rows = await handOverQuery(db, { id: claim.id, claims: claim.claims, nowIso, leaseUntilIso });
  return rows.length === 1;
}

const handOverQuery = compiledQuery(
  'hand over reminder',
  (db, p: { id: number; claims: number; nowIso: string; leaseUntilIso: string }) =>
    db
      .updateTable('reminders')
      .set({ handed_over_at: p.nowIso, lease_until: p.leaseUntilIso })
      .where('id', '=', p.id)
      .where('state', '=', 'claimed')
      .where('claims', '=', p.claims)
      .returning('id'),
);

/**
 * Extends the lease of claims this worker still holds (the claims fence, as for an outcome), to `leaseUntilIso`: a
 * reminder waiting for its workspace's pace is not taken for one whose worker died. Returns the ids renewed.
 */
export async function renewLeases(db: Db, claims: readonly Claim[], leaseUntilIso: string): Promise<number[]> {
  const renewed: number[] = [];
  for (const chunk of chunksOf(claims)) {
    const rows = await db
      .updateTable('reminders')
      .set({ lease_until: leaseUntilIso })
      .where(stillHeld(chunk))
      .returning('id')
      .execute();
    renewed.push(...rows.map((row) => row.id));
  }
  return renewed;
}

/**
 * Claims in chunks of a statement each: one statement for many (a round trip each would be hundreds on PostgreSQL),
 * within the bound values a statement may carry (two a claim).
 */
function* chunksOf<C extends Claim>(claims: readonly C[]): Generator<readonly C[]> {
  for (let i = 0; i < claims.length; i += 400) yield claims.slice(i, i + 400);
}

/** The rows these claims still hold: claimed, and not claimed again since (same claim count). */
function stillHeld(chunk: readonly Claim[]) {
  return (eb: ExpressionBuilder<Database, 'reminders'>) =>
    eb.and([
      eb('state', '=', 'claimed'),
      eb(
        eb.refTuple('id', 'claims'),
        'in',
        paddedList(chunk).map((claim) => eb.tuple(claim.id, claim.claims)),
      ),
    ]);
}

/**
 * Hands claims back untried (shutting down, or more than this replica keeps); the claim does not count as an attempt.
 * A reminder taken over from a dead worker (or one that may have posted) stays among the taken-over claims, its lease
 * ended now, so the next claim takes it first again: pending, it would wait behind every reminder due with it, and a
 * takeover could take minutes. Any other is pending again as it was.
 */
export async function releaseReminders(
  db: Executor,
  claims: readonly (Claim & { takenOver?: boolean })[],
  nowIso: string,
): Promise<void> {
  for (const chunk of chunksOf(claims)) {
    const takenOver = chunk.filter((claim) => claim.takenOver).map((claim) => claim.id);
    const first =
      takenOver.length === 0
        ? sql<boolean>`check_before_send = 1`
        : sql<boolean>`(check_before_send = 1 or id in (${sql.join(takenOver)}))`;
    await db
      .updateTable('reminders')
      .set({
        state: sql<ReminderState>`case when ${first} then 'claimed' else 'pending' end`,
        lease_until: sql<string | null>`case when ${first} then ${nowIso} else null end`,
        attempts: sql`attempts - 1`,
        updated_at: nowIso,
      })
      .where(stillHeld(chunk))
      .execute();
  }
}

/** The plan says later (quiet hours, or the facts moved it): pending again at `dueIso`, which is now the plan. */
export function deferReminder(db: Executor, claim: Claim, dueIso: string, nowIso: string) {
  return finish(
    db,
    claim,
    { state: 'pending', due_at: dueIso, planned_due_at: dueIso, attempts: sql`attempts - 1` },
    nowIso,
  );
}
