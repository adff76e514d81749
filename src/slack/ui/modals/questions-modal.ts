import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import { QUESTION_BANK, type QuestionCategory } from '../../../domain/meetings/question-bank.js';
import { OWN_QUESTION_LIMIT } from '../../../domain/meetings/questions-service.js';
import type { MeetingWithContact } from '../../../domain/types.js';
import { formatDateTime } from '../../../lib/zoned-time.js';
import { escapeToFit, mrkdwn, plain, truncate } from '../text.js';

export const QUESTIONS_MODAL = {
  callbackId: 'question_bank',
  actionId: 'value',
  blocks: { pick: 'questions_pick', meeting: 'questions_meeting', own: 'questions_own' },
} as const;

/** "b:day1" for a bank question, "o:12" for one of the user's own: short option values (Slack allows 75). */
const bankValue = (id: string) => `b:${id}`;
const ownValue = (id: number) => `o:${id}`;

function option(value: string, text: string): PlainTextOption {
  return { text: plain(truncate(text, 75)), value };
}

export interface QuestionsModalInput {
  categories?: readonly QuestionCategory[];
  own: { id: number; text: string }[];
  meetings: MeetingWithContact[];
  zone: string;
}

/**
 * The question bank: the user's own questions first, then the bank by category, each question in full; below, pick
 * questions to add to an upcoming meeting's plan, or save one of your own.
 */
export function buildQuestionsModal(input: QuestionsModalInput): ModalView {
  const categories = input.categories ?? QUESTION_BANK;
  const blocks: KnownBlock[] = [
    {
      type: 'context',
      elements: [
        mrkdwn(
          'Framed on TIARA: ask about *T*rends, *I*nsights, *A*dvice, *R*esources and *A*ssignments. Salary questions are fine here, unlike in a job interview.',
        ),
      ],
    },
  ];
  if (input.own.length > 0) {
    blocks.push({ type: 'header', text: plain('Your questions') });
    blocks.push({ type: 'section', text: mrkdwn(escapeToFit(input.own.map((q) => `• ${q.text}`).join('\n'), 2900)) });
  }
  for (const category of categories) {
    blocks.push({ type: 'header', text: plain(category.title) });
    blocks.push({
      type: 'section',
      text: mrkdwn(category.questions.map((q) => `• ${q.text} _(${q.tiara})_`).join('\n')),
    });
  }
  const groups = [
    ...(input.own.length > 0
      ? [
          {
            label: plain('Your questions'),
            options: input.own.slice(0, 100).map((q) => option(ownValue(q.id), q.text)),
          },
        ]
      : []),
    ...categories.map((category) => ({
      label: plain(truncate(category.title, 75)),
      options: category.questions.map((q) => option(bankValue(q.id), q.text)),
    })),
  ];
  if (input.meetings.length > 0) {
    blocks.push({
      type: 'input',
      block_id: QUESTIONS_MODAL.blocks.pick,
      optional: true,
      label: plain('Add these questions…'),
      element: {
        type: 'multi_static_select',
        action_id: QUESTIONS_MODAL.actionId,
        placeholder: plain('Pick questions'),
        option_groups: groups,
      },
    });
    blocks.push({
      type: 'input',
      block_id: QUESTIONS_MODAL.blocks.meeting,
      optional: true,
      label: plain('…to this meeting'),
      element: {
        type: 'static_select',
        action_id: QUESTIONS_MODAL.actionId,
        placeholder: plain('An upcoming meeting'),
        options: input.meetings
          .slice(0, 100)
          .map((m) =>
            option(String(m.meeting.id), `${m.contact.name} · ${formatDateTime(m.meeting.startsAt, input.zone)}`),
          ),
      },
    });
  }
  blocks.push({
    type: 'input',
    block_id: QUESTIONS_MODAL.blocks.own,
    optional: true,
    label: plain('Save a question of your own'),
    hint: plain('It will show first, here and when you add questions to a meeting.'),
    element: { type: 'plain_text_input', action_id: QUESTIONS_MODAL.actionId, max_length: OWN_QUESTION_LIMIT },
  });
  return {
    type: 'modal',
    callback_id: QUESTIONS_MODAL.callbackId,
    title: plain('Question bank'),
    submit: plain('Save'),
    close: plain('Close'),
    blocks,
  };
}

const value = z
  .object({
    value: z.string().nullish(),
    selected_option: z.object({ value: z.string() }).loose().nullish(),
    selected_options: z.array(z.object({ value: z.string() }).loose()).nullish(),
  })
  .loose();
const schema = z.object({ state: z.object({ values: z.record(z.string(), z.record(z.string(), value)) }) }).loose();

export interface QuestionsSubmission {
  bankIds: string[];
  ownIds: number[];
  meetingId: number | null;
  ownQuestion: string;
}

export function parseQuestionsSubmission(view: unknown): QuestionsSubmission | null {
  const parsed = schema.safeParse(view);
  if (!parsed.success) return null;
  const read = (block: string) => parsed.data.state.values[block]?.[QUESTIONS_MODAL.actionId];
  const picked = (read(QUESTIONS_MODAL.blocks.pick)?.selected_options ?? []).map((o) => o.value);
  const meeting = read(QUESTIONS_MODAL.blocks.meeting)?.selected_option?.value;
  return {
    bankIds: picked.filter((v) => v.startsWith('b:')).map((v) => v.slice(2)),
    ownIds: picked.filter((v) => /^o:\d{1,15}$/.test(v)).map((v) => Number(v.slice(2))),
    meetingId: meeting && /^\d{1,15}$/.test(meeting) ? Number(meeting) : null,
    ownQuestion: (read(QUESTIONS_MODAL.blocks.own)?.value ?? '').trim(),
  };
}
