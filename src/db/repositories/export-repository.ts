import type { Owner } from '../../domain/types.js';
import type { Db } from '../database.js';
import { rememberDeparted } from './centre/cohort-repository.js';

/** Every row of one user, table by table, as stored (the JSON export is exactly this). */
export async function exportRows(db: Db, owner: Owner) {
  const [contacts, meetings, debriefs, adviceItems, reminders, savedQuestions, settings, asks, shares, views] =
    await Promise.all([
      db
        .selectFrom('contacts')
        .selectAll()
        .where('team_id', '=', owner.teamId)
        .where('owner_id', '=', owner.userId)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('meetings')
        .selectAll()
        .where('team_id', '=', owner.teamId)
        .where('owner_id', '=', owner.userId)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('debriefs')
        .selectAll()
        .where('team_id', '=', owner.teamId)
        .where('owner_id', '=', owner.userId)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('advice_items')
        .selectAll()
        .where('team_id', '=', owner.teamId)
        .where('owner_id', '=', owner.userId)
        .orderBy('meeting_id')
        .orderBy('position')
        .execute(),
      db
        .selectFrom('reminders')
        .selectAll()
        .where('team_id', '=', owner.teamId)
        .where('owner_id', '=', owner.userId)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('saved_questions')
        .selectAll()
        .where('team_id', '=', owner.teamId)
        .where('owner_id', '=', owner.userId)
        .orderBy('id')
        .execute(),
      db
        .selectFrom('reminder_settings')
        .selectAll()
        .where('team_id', '=', owner.teamId)
        .where('user_id', '=', owner.userId)
        .executeTakeFirst(),
      db
        .selectFrom('asks')
        .selectAll()
        .where('team_id', '=', owner.teamId)
        .where('owner_id', '=', owner.userId)
        .orderBy('id')
        .execute(),
      // Whom they share their progress with (the career-centre view), and each time an advisor looked.
      db
        .selectFrom('progress_shares')
        .select(['advisor_id', 'level', 'created_at', 'updated_at'])
        .where('team_id', '=', owner.teamId)
        .where('owner_id', '=', owner.userId)
        .orderBy('advisor_id')
        .execute(),
      db
        .selectFrom('advisor_views')
        .select(['advisor_id', 'surface', 'viewed_at'])
        .where('team_id', '=', owner.teamId)
        .where('owner_id', '=', owner.userId)
        .orderBy('viewed_at')
        .orderBy('id')
        .execute(),
    ]);
  return {
    contacts,
    meetings,
    debriefs,
    adviceItems,
    reminders,
    savedQuestions,
    settings: settings ?? null,
    asks,
    progressShares: shares,
    advisorViews: views,
  };
}

/**
 * Deletes every row of one user in one transaction: reminders, advice items, debriefs, meetings, asks, contacts,
 * saved questions, settings, career-centre shares and view log, and the user record. Returns how many rows each table lost.
 */
export async function deleteUserRows(db: Db, owner: Owner): Promise<Record<string, number>> {
  return db.transaction().execute(async (trx) => {
    await rememberDeparted(trx, owner);
    const counts: Record<string, number> = {};
    for (const table of [
      'reminders',
      'advice_items',
      'debriefs',
      'meetings',
      'asks',
      'contacts',
      'saved_questions',
      'calendar_feeds',
      // Their shares and view log: gone from every advisor's Home and from future cohort tables at once.
      'progress_shares',
      'advisor_views',
    ] as const) {
      const result = await trx
        .deleteFrom(table)
        .where('team_id', '=', owner.teamId)
        .where('owner_id', '=', owner.userId)
        .executeTakeFirst();
      counts[table] = Number(result.numDeletedRows);
    }
    for (const table of ['reminder_settings', 'slack_users'] as const) {
      const result = await trx
        .deleteFrom(table)
        .where('team_id', '=', owner.teamId)
        .where('user_id', '=', owner.userId)
        .executeTakeFirst();
      counts[table] = Number(result.numDeletedRows);
    }
    // An advisor's own choice of sort and page on their Home.
    const prefs = await trx
      .deleteFrom('advisor_home_prefs')
      .where('team_id', '=', owner.teamId)
      .where('advisor_id', '=', owner.userId)
      .executeTakeFirst();
    counts.advisor_home_prefs = Number(prefs.numDeletedRows);
    return counts;
  });
}

export async function countUserRows(
  db: Db,
  owner: Owner,
): Promise<{ contacts: number; meetings: number; adviceItems: number }> {
  const count = async (table: 'contacts' | 'meetings' | 'advice_items') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('team_id', '=', owner.teamId)
          .where('owner_id', '=', owner.userId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    contacts: await count('contacts'),
    meetings: await count('meetings'),
    adviceItems: await count('advice_items'),
  };
}
