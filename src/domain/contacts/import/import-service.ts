import type { Db } from '../../../db/database.js';
import { lockOwner } from '../../../db/dialect.js';
import {
  contactsForImport,
  fillImportedFields,
  insertImportedContacts,
} from '../../../db/repositories/contact-imports-repository.js';
import { toDbInstant } from '../../../lib/zoned-time.js';
import type { Owner } from '../../types.js';
import type { ImportFormat, UnreadableRow } from './import-file.js';
import { planImport } from './import-rules.js';
import { readContactsFile } from './read-contacts-file.js';

/** What an import of a file does (the preview) or did (after confirming). */
export interface ImportSummary {
  format: ImportFormat;
  created: number;
  filled: number;
  unchanged: number;
  repeated: number;
  unreadable: UnreadableRow[];
  /** The first few new people's names, for the preview to show what is coming. */
  sample: string[];
}

export type ImportOutcome = { ok: true; summary: ImportSummary } | { ok: false; problem: string };

const SAMPLE_SIZE = 5;

/** What importing `bytes` would do to the owner's contacts; changes nothing. Never throws for a bad file. */
export async function previewImport(db: Db, owner: Owner, bytes: Uint8Array): Promise<ImportOutcome> {
  const read = readContactsFile(bytes);
  if (!read.ok) return read;
  const plan = planImport(read.rows, read.unreadable, await contactsForImport(db, owner), 0);
  return { ok: true, summary: summarise(read.format, plan) };
}

/**
 * Imports `bytes` into the owner's contacts in one transaction (all of it or nothing): new people with
 * `cadenceDays` keep-in-touch (0 = none), empty fields of matching contacts filled in. The file is matched again
 * inside the transaction, so importing the same file twice adds nothing the second time.
 */
export async function importContacts(
  db: Db,
  owner: Owner,
  bytes: Uint8Array,
  options: { cadenceDays: number; now: Date },
): Promise<ImportOutcome> {
  const read = readContactsFile(bytes);
  if (!read.ok) return read;
  const nowIso = toDbInstant(options.now);
  const plan = await db.transaction().execute(async (trx) => {
    await lockOwner(trx, owner);
    const found = planImport(read.rows, read.unreadable, await contactsForImport(trx, owner), options.cadenceDays);
    await insertImportedContacts(trx, owner, found.created, nowIso);
    for (const { contact, fields } of found.filled) await fillImportedFields(trx, owner, contact, fields, nowIso);
    return found;
  });
  return { ok: true, summary: summarise(read.format, plan) };
}

function summarise(format: ImportFormat, plan: ReturnType<typeof planImport>): ImportSummary {
  return {
    format,
    created: plan.created.length,
    filled: plan.filled.length,
    unchanged: plan.unchanged,
    repeated: plan.repeated,
    unreadable: plan.unreadable,
    sample: plan.created.slice(0, SAMPLE_SIZE).map((p) => p.name),
  };
}
