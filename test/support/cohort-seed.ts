import type { Db } from '../../src/db/database.js';
import { replaceShares, saveCentre } from '../../src/db/repositories/centre-repository.js';
import { insertContact, profileFromDetails } from '../../src/db/repositories/contacts-repository.js';
import { addDays } from '../../src/domain/centre/progress-facts.js';
import type { Owner } from '../../src/domain/types.js';

// A centre for the cohort tests, set up as the consent screens would leave it (through the centre repository).

export const TEAM = 'T0001';

/** Turns the centre on with these advisors and k. */
export async function openCentre(db: Db, advisorIds: string[], minCohort = 10, atIso = '2026-09-01T09:00:00.000Z') {
  await db
    .transaction()
    .execute((trx) => saveCentre(trx, TEAM, { enabled: true, minCohort, advisorIds }, 'UADMIN', atIso));
}

/** `userId` shares with `advisorIds` (counts level), from `atIso`. */
export async function share(db: Db, userId: string, advisorIds: string[], atIso = '2026-09-01T10:00:00.000Z') {
  const owner: Owner = { teamId: TEAM, userId };
  await db.transaction().execute((trx) =>
    replaceShares(
      trx,
      owner,
      advisorIds.map((advisorId) => ({ advisorId, level: 'counts' as const })),
      atIso,
    ),
  );
}

/**
 * `asks` asks (each answered the same day) sent by `userId` on the Wednesday of the week starting `weekStart`. The
 * contact's name is a marker that nothing an advisor receives may contain.
 */
export async function logAsks(db: Db, userId: string, weekStart: string, asks: number, loggedAtIso: string) {
  const owner: Owner = { teamId: TEAM, userId };
  const contact = await insertContact(
    db,
    owner,
    profileFromDetails({ name: `MARKER-${userId}`, pronunciation: null, title: null, company: 'MARKER-ORG' }),
    loggedAtIso,
  );
  const day = addDays(weekStart, 2);
  for (let i = 0; i < asks; i += 1)
    await db
      .insertInto('asks')
      .values({
        team_id: TEAM,
        owner_id: userId,
        contact_id: contact.id,
        channel: 'email',
        sent_on: day,
        purpose: 'MARKER-purpose',
        draft: 'MARKER-draft',
        status: 'replied',
        followed_up_at: null,
        closed_at: `${day}T15:00:00.000Z`,
        source_view_id: null,
        created_at: loggedAtIso,
        updated_at: loggedAtIso,
      })
      .execute();
}

/** Ten Mondays' worth of week starts, oldest first, ending with the week before `currentWeek`. */
export function weeksBefore(currentWeek: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(currentWeek, -7 * (count - i)));
}
