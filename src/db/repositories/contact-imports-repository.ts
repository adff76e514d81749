import type { Transaction } from 'kysely';
import type { Contact, ContactProfile, Owner } from '../../domain/types.js';
import type { Executor } from '../database.js';
import type { Database } from '../schema.js';
import { CONTACT_COLUMNS, profileColumns, toContact, updateContactProfile } from './contacts-repository.js';

/**
 * Rows per insert statement: 18 values each, well under SQLite's 32,766 and PostgreSQL's 65,535 parameters. 10,000
 * contacts are 20 statements.
 */
const INSERT_BATCH = 500;

/** Every contact of the owner, oldest first: what an import matches its rows against. */
export async function contactsForImport(db: Executor, owner: Owner): Promise<Contact[]> {
  const rows = await db
    .selectFrom('contacts')
    .select(CONTACT_COLUMNS)
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .orderBy('id')
    .execute();
  return rows.map(toContact);
}

/** Inserts the owner's new contacts in batches; call inside the import's transaction. */
export async function insertImportedContacts(
  trx: Transaction<Database>,
  owner: Owner,
  profiles: readonly ContactProfile[],
  nowIso: string,
): Promise<void> {
  for (let start = 0; start < profiles.length; start += INSERT_BATCH) {
    await trx
      .insertInto('contacts')
      .values(
        profiles.slice(start, start + INSERT_BATCH).map((profile) => ({
          team_id: owner.teamId,
          owner_id: owner.userId,
          ...profileColumns(profile),
          created_at: nowIso,
          updated_at: nowIso,
          last_activity_at: nowIso,
        })),
      )
      .execute();
  }
}

/** Fills in empty fields of the owner's contact (its cadence and everything else kept); call inside the import's transaction. */
export async function fillImportedFields(
  trx: Transaction<Database>,
  owner: Owner,
  contact: Contact,
  fields: Partial<ContactProfile>,
  nowIso: string,
): Promise<void> {
  const { id, ...profile } = contact;
  await updateContactProfile(trx, owner, id, { ...profile, ...fields }, nowIso);
}
