import { DateTime } from 'luxon';
import type { Db } from '../db/database.js';
import { searchContacts } from '../db/repositories/contacts-repository.js';
import {
  countContacts,
  listKeepInTouchDue,
  listMeetingsAwaitingDebrief,
  listReportBacksDue,
  listThankYousToSend,
  type ProgressCounts,
  progressCounts,
} from '../db/repositories/home-repository.js';
import { findPrepStates } from '../db/repositories/reminders/reminder-plans-repository.js';
import { toDbInstant } from '../lib/zoned-time.js';
import { type AskOverview, askOverview } from './asks/asks-service.js';
import { loadCohortTable } from './centre/cohort-service.js';
import type { CohortTable } from './centre/cohort-table.js';
import { type SharingState, sharingForHome } from './centre/sharing-service.js';
import { listUpcomingMeetings } from './meetings/meetings-service.js';
import { DURATION_CHOICES } from './meetings/schedule-rules.js';
import { REPORT_BACK_DAYS } from './reminders/reminder-plan.js';
import type { Contact, MeetingWithContact, Owner } from './types.js';

/** How many of each list Home loads: one more than it shows, so it knows to say "and more". */
export const HOME_LIST_SIZE = 5;

const LONGEST_MEETING_MS = Math.max(...DURATION_CHOICES) * 60_000;

export interface HomeData {
  attention: {
    debriefs: MeetingWithContact[];
    thankYous: { found: MeetingWithContact; hoursLeft: number }[];
    reportBacks: MeetingWithContact[];
    keepInTouch: Contact[];
  };
  upcoming: { found: MeetingWithContact; prep: 'sent' | 'pending' | 'off' }[];
  recentContacts: Contact[];
  contactCount: number;
  progress: ProgressCounts;
  asks: AskOverview;
  /** The career-centre section: null while the workspace's centre view is off. */
  sharing: SharingState | null;
  /** The cohort's figures as this advisor may see them; null for anyone not an advisor. */
  cohort: CohortTable | null;
}

/** Everything the Home tab shows for one user, each list bounded. */
export async function loadHome(db: Db, owner: Owner, now: Date, zone: string): Promise<HomeData> {
  const nowIso = toDbInstant(now);
  const take = HOME_LIST_SIZE + 1;
  const [debriefs, thankYous, reportBacks, keepInTouch, upcoming, recentContacts, contactCount] = await Promise.all([
    listMeetingsAwaitingDebrief(db, owner, nowIso, take),
    listThankYousToSend(
      db,
      owner,
      {
        sinceIso: toDbInstant(new Date(now.getTime() - 86_400_000)),
        nowIso,
        earliestStartIso: toDbInstant(new Date(now.getTime() - 86_400_000 - LONGEST_MEETING_MS)),
      },
      take,
    ),
    listReportBacksDue(
      db,
      owner,
      {
        fromIso: toDbInstant(new Date(now.getTime() - 60 * 86_400_000)),
        toIso: toDbInstant(new Date(now.getTime() - REPORT_BACK_DAYS * 86_400_000)),
      },
      take,
    ),
    listKeepInTouchDue(db, owner, nowIso, take),
    listUpcomingMeetings(db, owner, now, take),
    searchContacts(db, owner, [], { limit: take, offset: 0 }),
    countContacts(db, owner),
  ]);
  const monthStart = DateTime.fromJSDate(now, { zone }).startOf('month').toJSDate();
  const dayAgoIso = toDbInstant(new Date(now.getTime() - 86_400_000));
  const progress = await progressCounts(db, owner, { monthStartIso: toDbInstant(monthStart), nowIso, dayAgoIso });
  const prep = await findPrepStates(
    db,
    upcoming.map((u) => u.meeting.id),
  );
  const asks = await askOverview(db, owner, now, zone, take);
  const sharing = await sharingForHome(db, owner);
  const cohort = await loadCohortTable(db, owner.teamId, owner.userId, now);
  return {
    attention: {
      // A meeting still under way is not ready for its debrief.
      debriefs: debriefs.filter(
        (m) => m.meeting.startsAt.getTime() + m.meeting.durationMinutes * 60_000 <= now.getTime(),
      ),
      thankYous: thankYous.map((found) => ({
        found,
        hoursLeft: Math.max(
          0,
          Math.floor(
            (found.meeting.startsAt.getTime() + found.meeting.durationMinutes * 60_000 + 86_400_000 - now.getTime()) /
              3_600_000,
          ),
        ),
      })),
      reportBacks,
      keepInTouch,
    },
    upcoming: upcoming.map((found) => ({ found, prep: prep.get(found.meeting.id) ?? 'off' })),
    recentContacts,
    contactCount,
    progress,
    asks,
    sharing,
    cohort,
  };
}
