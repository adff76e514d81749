import { DateTime } from 'luxon';
import type { Db } from '../../db/database.js';
import { searchContacts } from '../../db/repositories/contacts-repository.js';
import {
  countContacts,
  insertSavedQuestion,
  listKeepInTouchDue,
  listMeetingsAwaitingDebrief,
  listReportBacksDue,
  listSavedQuestions,
  listThankYousToSend,
  type ProgressCounts,
  progressCounts,
} from '../../db/repositories/home-repository.js';
import { findMeeting, updateMeetingQuestions } from '../../db/repositories/meetings-repository.js';
import { findPrepStates } from '../../db/repositories/reminder-plans-repository.js';
import { NotFoundError, UserInputError } from '../../lib/errors.js';
import { toDbInstant } from '../../lib/zoned-time.js';
import { type AskOverview, askOverview } from '../asks/asks-service.js';
import { listUpcomingMeetings } from './meetings-service.js';
import { MEETING_NOT_FOUND } from '../not-found.js';
import { appendQuestions } from './question-bank.js';
import { REPORT_BACK_DAYS } from '../reminders/reminder-plan.js';
import { DURATION_CHOICES, FIELD_LIMITS } from './schedule-rules.js';
import type { Contact, MeetingWithContact, Owner } from '../types.js';

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
  };
}

export const OWN_QUESTION_LIMIT = 300;
const MAX_OWN_QUESTIONS = 50;

/** The user's own questions, newest first (the bank shows them first). */
export function ownQuestions(db: Db, owner: Owner) {
  return listSavedQuestions(db, owner);
}

export async function saveOwnQuestion(db: Db, owner: Owner, text: string, now: Date): Promise<void> {
  const question = text.trim();
  if ([...question].length > OWN_QUESTION_LIMIT)
    throw new UserInputError(`Keep a question under ${OWN_QUESTION_LIMIT} characters.`);
  if ((await listSavedQuestions(db, owner)).length >= MAX_OWN_QUESTIONS)
    throw new UserInputError(`You have ${MAX_OWN_QUESTIONS} questions saved already.`);
  await insertSavedQuestion(db, owner, question, toDbInstant(now));
}

/** Adds questions to a meeting still to come, skipping those already planned; refuses another user's meeting. */
export async function addQuestionsToMeeting(
  db: Db,
  owner: Owner,
  meetingId: number,
  questions: string[],
  now: Date,
): Promise<MeetingWithContact> {
  const found = await findMeeting(db, owner, meetingId);
  if (found === undefined) throw new NotFoundError(MEETING_NOT_FOUND);
  if (found.meeting.status === 'cancelled') throw new UserInputError('That meeting was cancelled.');
  const merged = appendQuestions(found.meeting.questions, questions);
  if ([...merged].length > FIELD_LIMITS.questions)
    throw new UserInputError(
      `That would make the meeting's questions longer than ${FIELD_LIMITS.questions} characters. Pick fewer.`,
    );
  await updateMeetingQuestions(db, owner, meetingId, merged, toDbInstant(now));
  return (await findMeeting(db, owner, meetingId)) as MeetingWithContact;
}
