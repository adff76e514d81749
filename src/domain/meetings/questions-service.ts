import type { Db } from '../../db/database.js';
import { insertSavedQuestion, listSavedQuestions } from '../../db/repositories/home-repository.js';
import { findMeeting, updateMeetingQuestions } from '../../db/repositories/meetings-repository.js';
import { NotFoundError, UserInputError } from '../../lib/errors.js';
import { toDbInstant } from '../../lib/zoned-time.js';
import { MEETING_NOT_FOUND } from '../not-found.js';
import type { MeetingWithContact, Owner } from '../types.js';
import { appendQuestions } from './question-bank.js';
import { FIELD_LIMITS } from './schedule-rules.js';

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
