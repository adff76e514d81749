import type { Db } from '../../db/database.js';
import { findDebrief, listAdviceItems } from '../../db/repositories/debriefs-repository.js';
import {
  claimFullReport,
  findFullReport,
  listFullReportLinks,
  releaseFullReport,
  saveFullReport,
} from '../../db/repositories/full-reports-repository.js';
import { findMeeting } from '../../db/repositories/meetings-repository.js';
import { NotFoundError, UserInputError } from '../../lib/errors.js';
import { toDbInstant } from '../../lib/zoned-time.js';
import { MEETING_NOT_FOUND } from '../not-found.js';
import type { Owner } from '../types.js';
import {
  buildFullReport,
  type FullReport,
  fullReportTitle,
  type PublishedReport,
  type StoredFullReport,
} from './full-report.js';

/** How long a claim lasts before another click may take it over: far longer than the Slack calls it covers. */
const CLAIM_MINUTES = 10;

export type FullReportStart =
  | { kind: 'exists'; report: StoredFullReport; title: string }
  | { kind: 'busy' }
  | { kind: 'claimed'; report: FullReport };

/**
 * Begins the full report of the owner's debriefed meeting: the one already written, or "busy" while another click
 * is writing it, or the claim to write it with the report built from the debrief (then `finishFullReport` or
 * `abandonFullReport`). NotFoundError for a meeting that is not the owner's; UserInputError before a debrief.
 */
export async function startFullReport(
  db: Db,
  owner: Owner,
  meetingId: number,
  zone: string,
  now: Date,
): Promise<FullReportStart> {
  const found = await findMeeting(db, owner, meetingId);
  if (found === undefined) throw new NotFoundError(MEETING_NOT_FOUND);
  const debrief = await findDebrief(db, owner, meetingId);
  if (debrief === undefined) throw new UserInputError('Write the debrief first: the full report is made from it.');
  const title = () => fullReportTitle(found.contact.name, found.meeting.startsAt, zone);
  const existing = await findFullReport(db, owner, meetingId);
  if (existing !== undefined) return { kind: 'exists', report: existing, title: title() };
  const staleBefore = new Date(now.getTime() - CLAIM_MINUTES * 60_000);
  if (!(await claimFullReport(db, owner, meetingId, toDbInstant(now), toDbInstant(staleBefore)))) {
    // Lost the race to a click that has just finished, or one still writing.
    const written = await findFullReport(db, owner, meetingId);
    return written === undefined ? { kind: 'busy' } : { kind: 'exists', report: written, title: title() };
  }
  const items = await listAdviceItems(db, owner, meetingId);
  const commitments = items.map((item) => ({ text: item.text, done: item.doneAt !== null }));
  return {
    kind: 'claimed',
    report: buildFullReport({ contact: found.contact, startsAt: found.meeting.startsAt, zone, debrief, commitments }),
  };
}

/** Records where the claimed report went, with the Markdown it was made from (the export carries it). */
export async function finishFullReport(
  db: Db,
  owner: Owner,
  meetingId: number,
  published: PublishedReport,
  markdown: string,
  now: Date,
): Promise<StoredFullReport> {
  await saveFullReport(db, owner, meetingId, published, markdown, toDbInstant(now));
  const stored = await findFullReport(db, owner, meetingId);
  if (stored === undefined) throw new NotFoundError(MEETING_NOT_FOUND);
  return stored;
}

/** Releases the claim after a failed creation: nothing is recorded, and the next click tries again. */
export function abandonFullReport(db: Db, owner: Owner, meetingId: number): Promise<void> {
  return releaseFullReport(db, owner, meetingId);
}

/** The links of the owner's full reports for these meetings, by meeting id (for History). */
export function fullReportLinks(db: Db, owner: Owner, meetingIds: number[]): Promise<Map<number, string>> {
  return listFullReportLinks(db, owner, meetingIds);
}
