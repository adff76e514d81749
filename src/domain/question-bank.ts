/**
 * The questions the schedule modal starts from: one each for the day-to-day, the path, the preparation, the
 * trends and the next person to meet (TIARA: trends, insights, advice, resources, assignments).
 * The user edits them freely; the full bank grows with the question-bank feature.
 */
export const STARTER_QUESTIONS: readonly string[] = [
  'What does a typical week look like in your role?',
  'How did you get into this field, and what would you do differently if you started today?',
  'Which skills or experiences matter most for someone trying to move into this work?',
  'What changes do you see coming in this industry over the next few years?',
  'Who else would you suggest I talk to, and may I mention your name?',
];

/** The starter questions as the modal's editable text, one per line. */
export function starterQuestionsText(): string {
  return STARTER_QUESTIONS.map((question) => `• ${question}`).join('\n');
}
