import type { PublishedReport, StoredFullReport } from '../../domain/debriefs/full-report.js';
import type { Owner } from '../../domain/types.js';
import { fromDbInstant } from '../../lib/zoned-time.js';
import type { Db } from '../database.js';
import { paddedList } from '../in-list.js';

/** The debrief's full report, once written; undefined before (or while it is being written). */
export async function findFullReport(db: Db, owner: Owner, meetingId: number): Promise<StoredFullReport | undefined> {
  const row = await db
    .selectFrom('debriefs')
    .select(['report_format', 'report_canvas_id', 'report_file_id', 'report_url', 'report_created_at'])
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
  if (row?.report_format == null || row.report_created_at === null) return undefined;
  return {
    format: row.report_format,
    canvasId: row.report_canvas_id,
    fileId: row.report_file_id,
    url: row.report_url,
    createdAt: fromDbInstant(row.report_created_at),
  };
}

/**
 * Claims the writing of the debrief's full report: one conditional update, so of two clicks only one gets true and
 * creates anything. A claim older than `staleBeforeIso` (a process that died while writing) can be taken over.
 */
export async function claimFullReport(
  db: Db,
  owner: Owner,
  meetingId: number,
  nowIso: string,
  staleBeforeIso: string,
): Promise<boolean> {
  const result = await db
    .updateTable('debriefs')
    .set({ report_claimed_at: nowIso })
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('meeting_id', '=', meetingId)
    .where('report_format', 'is', null)
    .where((eb) => eb.or([eb('report_claimed_at', 'is', null), eb('report_claimed_at', '<', staleBeforeIso)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives the claim back after a failed creation, so the user can try again. */
export async function releaseFullReport(db: Db, owner: Owner, meetingId: number): Promise<void> {
  await db
    .updateTable('debriefs')
    .set({ report_claimed_at: null })
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('meeting_id', '=', meetingId)
    .where('report_format', 'is', null)
    .execute();
}

/** Records the written report (and ends the claim). */
export async function saveFullReport(
  db: Db,
  owner: Owner,
  meetingId: number,
  published: PublishedReport,
  markdown: string,
  nowIso: string,
): Promise<void> {
  await db
    .updateTable('debriefs')
    .set({
      report_format: published.format,
      report_canvas_id: published.format === 'canvas' ? published.canvasId : null,
      report_file_id: published.format === 'markdown' ? published.fileId : null,
      report_url: published.url,
      report_markdown: markdown,
      report_created_at: nowIso,
      report_claimed_at: null,
    })
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('meeting_id', '=', meetingId)
    .execute();
}

/** The links of the full reports written for these meetings of the owner's, by meeting id. */
export async function listFullReportLinks(db: Db, owner: Owner, meetingIds: number[]): Promise<Map<number, string>> {
  if (meetingIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('debriefs')
    .select(['meeting_id', 'report_url'])
    .where('team_id', '=', owner.teamId)
    .where('owner_id', '=', owner.userId)
    .where('meeting_id', 'in', paddedList(meetingIds))
    .where('report_url', 'is not', null)
    .execute();
  return new Map(rows.map((row) => [row.meeting_id, row.report_url as string]));
}
