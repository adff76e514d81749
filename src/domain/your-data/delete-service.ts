import type { Db } from '../../db/database.js';
import { deleteUserRows } from '../../db/repositories/export-repository.js';
import type { Owner } from '../types.js';

/** Deletes everything of the user (one transaction); their pending reminders go with their rows, so none fires. */
export function deleteMyData(db: Db, owner: Owner): Promise<Record<string, number>> {
  return deleteUserRows(db, owner);
}
