/**
 * The question bank: questions for informational interviews, written for infoview, grouped by what they ask about
 * and tagged with the TIARA framing (Trends, Insights, Advice, Resources, Assignments). Salary and benefits belong
 * here: unwise in a job interview, fine when you are only learning about the work.
 */

export type Tiara = 'trends' | 'insights' | 'advice' | 'resources' | 'assignments';

export interface QuestionCategory {
  id: string;
  title: string;
  questions: readonly { id: string; text: string; tiara: Tiara }[];
}

const q = (id: string, tiara: Tiara, text: string) => ({ id, text, tiara });

export const QUESTION_BANK: readonly QuestionCategory[] = [
  {
    id: 'day',
    title: 'A typical day',
    questions: [
      q('day1', 'insights', 'What does a typical week look like in your role?'),
      q('day2', 'assignments', 'What are you working on right now, and what does a good outcome look like?'),
      q('day3', 'insights', 'Which parts of the job take more of your time than people would expect?'),
      q('day4', 'insights', 'What do you enjoy most about the work, and what would you happily give away?'),
      q('day5', 'insights', 'Who do you work with most closely, inside and outside your team?'),
    ],
  },
  {
    id: 'path',
    title: 'Career path',
    questions: [
      q('path1', 'insights', 'How did you get into this field?'),
      q('path2', 'advice', 'If you were starting again today, what would you do differently?'),
      q('path3', 'insights', 'What were the turning points in your career, and how did you decide?'),
      q('path4', 'insights', 'Where do people in your role usually go next?'),
      q('path5', 'insights', 'How common is it to come into this work from another field, as I hope to?'),
    ],
  },
  {
    id: 'skills',
    title: 'Skills and preparation',
    questions: [
      q('skills1', 'advice', 'Which skills matter most for doing this job well?'),
      q(
        'skills2',
        'advice',
        'Which of my experiences do you think would transfer, and what gaps should I close first?',
      ),
      q('skills3', 'resources', 'What training, courses or certifications are actually valued here?'),
      q('skills4', 'insights', 'What separates someone who is good at this from someone who is great?'),
      q('skills5', 'assignments', 'Is there a small project I could do to test whether I would enjoy this work?'),
    ],
  },
  {
    id: 'trends',
    title: "The industry's trends",
    questions: [
      q('trends1', 'trends', 'What changes do you see coming in this industry over the next few years?'),
      q('trends2', 'trends', 'How is technology changing the way your work is done?'),
      q('trends3', 'trends', 'Which parts of the field are growing, and which are shrinking?'),
      q('trends4', 'trends', 'What challenges keep people in this industry up at night?'),
      q('trends5', 'trends', 'Which organisations or people do you think are shaping where the field goes?'),
    ],
  },
  {
    id: 'organisation',
    title: 'The organisation',
    questions: [
      q('org1', 'insights', 'How would you describe the culture here, beyond what the website says?'),
      q('org2', 'insights', 'How are decisions made, and how much say do people in your role have?'),
      q('org3', 'insights', 'How does your team measure success?'),
      q('org4', 'insights', 'What kind of person thrives here, and who tends to struggle?'),
      q('org5', 'insights', 'How does the organisation support people who want to move into a new role?'),
    ],
  },
  {
    id: 'money',
    title: 'Salary and benefits',
    questions: [
      q('money1', 'insights', 'What salary range is typical for someone starting in this role?'),
      q('money2', 'insights', 'How does pay usually grow as people progress in this career?'),
      q('money3', 'insights', 'Which benefits or working arrangements make the biggest difference in this field?'),
      q('money4', 'insights', 'How are hours and workload, realistically, through the year?'),
    ],
  },
  {
    id: 'advice',
    title: 'Advice',
    questions: [
      q('advice1', 'advice', 'What advice would you give someone in my position?'),
      q('advice2', 'advice', 'What do you wish someone had told you before you started?'),
      q('advice3', 'advice', 'What would make my background stand out to someone hiring for this work?'),
      q('advice4', 'advice', 'What mistakes do newcomers to this field commonly make?'),
      q('advice5', 'advice', 'If you were in my shoes, what would you do in the next three months?'),
    ],
  },
  {
    id: 'resources',
    title: 'Resources',
    questions: [
      q('res1', 'resources', 'Which books, newsletters or podcasts do you follow to keep up?'),
      q('res2', 'resources', 'Which professional associations, events or communities are worth joining?'),
      q('res3', 'resources', 'Where are openings in this field usually advertised, if they are advertised at all?'),
      q('res4', 'resources', 'Are there tools or software I should learn to be credible in this work?'),
    ],
  },
  {
    id: 'people',
    title: 'Who else should I talk to?',
    questions: [
      q('people1', 'resources', 'Who else would you suggest I talk to, and may I mention your name?'),
      q('people2', 'resources', 'Is there someone who took a path like the one I am considering?'),
      q('people3', 'resources', 'Who sees this field from a different angle than you do?'),
      q('people4', 'advice', 'How would you suggest I approach them?'),
    ],
  },
];

export function allQuestions() {
  return QUESTION_BANK.flatMap((category) =>
    category.questions.map((question) => ({ ...question, category: category.id })),
  );
}

/** The category whose id or title starts with `text` (case-insensitive); undefined when none does. */
export function findCategory(text: string): QuestionCategory | undefined {
  const wanted = text.trim().toLowerCase();
  if (wanted === '') return undefined;
  return QUESTION_BANK.find(
    (c) => c.id === wanted || c.title.toLowerCase().startsWith(wanted) || c.title.toLowerCase().includes(wanted),
  );
}

/** The questions the schedule modal starts from: one each for the day-to-day, the path, skills, trends, and who else. */
export const STARTER_QUESTIONS: readonly string[] = ['day1', 'path2', 'skills2', 'trends1', 'people1'].map(
  (id) => allQuestions().find((question) => question.id === id)?.text ?? '',
);

/** The starter questions as the modal's editable text, one per line. */
export function starterQuestionsText(): string {
  return STARTER_QUESTIONS.map((question) => `• ${question}`).join('\n');
}

/** Appends questions to a meeting's planned questions, one a line, leaving out those already there. */
export function appendQuestions(current: string | null, added: string[]): string {
  const existing = current ?? '';
  const have = new Set(
    existing.split('\n').map((line) =>
      line
        .replace(/^\s*[•*-]\s*/, '')
        .trim()
        .toLowerCase(),
    ),
  );
  const fresh = added.filter((text) => !have.has(text.trim().toLowerCase()));
  return [existing.trimEnd(), ...fresh.map((text) => `• ${text}`)].filter((line) => line !== '').join('\n');
}
