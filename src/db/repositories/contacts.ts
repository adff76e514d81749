import type { Transaction } from 'kysely';
import type { Contact, ContactDetails, Owner } from '../../domain/types.js';
import type { Db } from '../database.js';
import type { ContactRow, Database } from '../schema.js';

export function toContact(row: Pick<ContactRow, 'id' | 'name' | 'pronunciation' | 'title' | 'company'>): Contact {
  return { id: row.id, name: row.name, pronunciation: row.pronunciation, title: row.title, company: row.company };
}

export async function insertContact(
  db: Db | Transaction<Database>,
  owner: Owner,
  details: ContactDetails,
  nowIso: string,
): Promise<Contact> {
  const row = await db
    .insertInto('contacts')
    .values({
      team_id: owner.teamId,
      owner_id: owner.userId,
      ...details,
      created_at: nowIso,
      updated_at: nowIso,
    })
    .returning(['id', 'name', 'pronunciation', 'title', 'company'])
    .executeTakeFirstOrThrow();
  return toContact(row);
}

/** Updates the owner's contact; returns undefined when it is not theirs. */
export async function updateContact(
  db: Db | Transaction<Database>,
  owner: Owner,
  contactId: number,
  details: ContactDetails,
  nowIso: string,
): Promise<Contact | undefined> {
  const row = await db
    .updateTable('contacts')
    .set({ ...details, updated_at: nowIso })
    .where('id', '=', contactId)
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .returning(['id', 'name', 'pronunciation', 'title', 'company'])
    .executeTakeFirst();
  return row === undefined ? undefined : toContact(row);
}
