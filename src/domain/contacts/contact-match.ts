import type { Transaction } from 'kysely';
import { findContactByNameKey, findContactsByNamePart } from '../../db/repositories/contacts-repository.js';
import type { Database } from '../../db/schema.js';
import { UserInputError } from '../../lib/errors.js';
import type { Contact, Owner } from '../types.js';
import { contactNameKey } from './contact-text.js';

/**
 * The contact a typed name stands for, so that scheduling with "Ada Lovelace" again never makes a second Ada: with a
 * company, the contact of that name and company; without one, the only contact of that name, whatever their company.
 * Null when there is none (a new contact is wanted). Several of that name and no company to tell them apart: a
 * UserInputError that names them, for the form to ask which.
 */
export async function contactNamed(
  trx: Transaction<Database>,
  owner: Owner,
  name: string,
  company: string | null,
): Promise<Contact | null> {
  const key = contactNameKey(name, company);
  if (company !== null && company.trim() !== '') return (await findContactByNameKey(trx, owner, key, null)) ?? null;
  const namePart = key.slice(0, key.indexOf('|'));
  if (namePart === '') return null;
  const matches = await findContactsByNamePart(trx, owner, namePart, 4);
  if (matches.length <= 1) return matches[0] ?? null;
  const at = matches
    .slice(0, 3)
    .map((contact) => contact.company ?? 'no company')
    .join(', ');
  throw new UserInputError(
    `You have ${matches.length > 3 ? 'more than 3' : matches.length} contacts called ${name.trim()} (${at}): pick one under "Someone from your contacts", or add the company.`,
  );
}
