import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import {
  DEBRIEF_LIMITS,
  type DebriefDraft,
  type DebriefField,
  INTEREST_CHOICES,
} from '../../../domain/debriefs/debrief-rules.js';
import type { MeetingWithContact, StoredDebrief } from '../../../domain/types.js';
import { formatDateTime } from '../../../lib/zoned-time.js';
import { escapeToFit, mrkdwn, plain, truncate } from '../text.js';

/** Every id of the debrief modal; block ids double as the keys of inline errors. */
export const DEBRIEF_MODAL = {
  callbackId: 'save_debrief',
  actionId: 'value',
  contactSearchActionId: 'debrief_contact_search',
  blocks: {
    meeting: 'debrief_meeting',
    contact: 'debrief_contact',
    name: 'debrief_name',
    date: 'debrief_date',
    topics: 'debrief_topics',
    learned: 'debrief_learned',
    advice: 'debrief_advice',
    referrals: 'debrief_referrals',
    commitments: 'debrief_commitments',
    interestChange: 'debrief_interest',
    notes: 'debrief_notes',
  },
} as const;

export { INTEREST_CHOICES };

export type DebriefModalInput =
  | { mode: 'meeting'; found: MeetingWithContact; zone: string; existing?: StoredDebrief | null }
  | { mode: 'choose'; choices: MeetingWithContact[]; zone: string; today: string };

function textArea(
  field: Exclude<DebriefField, 'interestChange'>,
  label: string,
  options: { hint?: string; placeholder?: string; initial?: string | null },
): KnownBlock {
  return {
    type: 'input',
    block_id: DEBRIEF_MODAL.blocks[field],
    optional: true,
    label: plain(label),
    ...(options.hint ? { hint: plain(options.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: DEBRIEF_MODAL.actionId,
      multiline: true,
      max_length: DEBRIEF_LIMITS[field],
      ...(options.initial ? { initial_value: truncate(options.initial, DEBRIEF_LIMITS[field]) } : {}),
      ...(options.placeholder ? { placeholder: plain(options.placeholder) } : {}),
    },
  };
}

function meetingOption(found: MeetingWithContact, zone: string): PlainTextOption {
  return {
    text: plain(truncate(`${found.contact.name} · ${formatDateTime(found.meeting.startsAt, zone)}`, 75)),
    value: String(found.meeting.id),
  };
}

const interestOption = (choice: { value: number; label: string }): PlainTextOption => ({
  text: plain(`${choice.value}. ${choice.label}`),
  value: String(choice.value),
});

/** The debrief form: for one meeting, or to choose a recent meeting or log a conversation that was not scheduled. */
export function buildDebriefModal(input: DebriefModalInput): ModalView {
  const existing = input.mode === 'meeting' ? (input.existing ?? null) : null;
  const head: KnownBlock[] =
    input.mode === 'meeting'
      ? [
          {
            type: 'context',
            elements: [
              mrkdwn(
                `Your conversation with *${escapeToFit(input.found.contact.name, 200)}*, ${formatDateTime(input.found.meeting.startsAt, input.zone)}. A quick outline now beats a perfect one later.`,
              ),
            ],
          },
        ]
      : [
          ...(input.choices.length > 0
            ? [
                {
                  type: 'input',
                  block_id: DEBRIEF_MODAL.blocks.meeting,
                  optional: true,
                  label: plain('Which meeting?'),
                  element: {
                    type: 'static_select',
                    action_id: DEBRIEF_MODAL.actionId,
                    placeholder: plain('Your recent meetings'),
                    options: input.choices.slice(0, 100).map((m) => meetingOption(m, input.zone)),
                  },
                } satisfies KnownBlock,
              ]
            : []),
          {
            type: 'context',
            elements: [
              mrkdwn(
                input.choices.length > 0
                  ? 'Or a conversation you did not schedule here:'
                  : 'A conversation you did not schedule here:',
              ),
            ],
          },
          {
            type: 'input',
            block_id: DEBRIEF_MODAL.blocks.contact,
            optional: true,
            label: plain('Who, from your contacts'),
            element: {
              type: 'external_select',
              action_id: DEBRIEF_MODAL.contactSearchActionId,
              min_query_length: 0,
              placeholder: plain('Search your contacts'),
            },
          },
          {
            type: 'input',
            block_id: DEBRIEF_MODAL.blocks.name,
            optional: true,
            label: plain('Or their name'),
            element: {
              type: 'plain_text_input',
              action_id: DEBRIEF_MODAL.actionId,
              max_length: 100,
              placeholder: plain('Ada Lovelace'),
            },
          },
          {
            type: 'input',
            block_id: DEBRIEF_MODAL.blocks.date,
            optional: true,
            label: plain('When you talked'),
            element: { type: 'datepicker', action_id: DEBRIEF_MODAL.actionId, initial_date: input.today },
          },
        ];
  const interest = existing?.interestChange
    ? INTEREST_CHOICES.find((c) => c.value === existing.interestChange)
    : undefined;
  return {
    type: 'modal',
    callback_id: DEBRIEF_MODAL.callbackId,
    title: plain('Debrief'),
    submit: plain('Save'),
    close: plain('Later'),
    private_metadata: JSON.stringify(input.mode === 'meeting' ? { meetingId: input.found.meeting.id } : {}),
    blocks: [
      ...head,
      textArea('topics', 'Topics covered', {
        initial: existing?.topics,
        placeholder: 'Their path, a typical week, where the field is going',
      }),
      textArea('learned', 'What I learned', { initial: existing?.learned }),
      textArea('advice', 'Advice I received', { initial: existing?.advice }),
      textArea('referrals', 'People they suggested I talk to', {
        initial: existing?.referrals,
        hint: 'One a line: Name — title, organisation. Each becomes a contact, referred by this person.',
        placeholder: 'Grace Hopper — Rear Admiral, US Navy',
      }),
      textArea('commitments', 'Things I said I would do or read', {
        initial: existing?.commitments,
        hint: 'One a line. You can tick them off later, and the report-back is drafted from them.',
      }),
      {
        type: 'input',
        block_id: DEBRIEF_MODAL.blocks.interestChange,
        optional: true,
        label: plain('How did my interest in this path change?'),
        element: {
          type: 'static_select',
          action_id: DEBRIEF_MODAL.actionId,
          options: INTEREST_CHOICES.map(interestOption),
          ...(interest ? { initial_option: interestOption(interest) } : {}),
        },
      },
      textArea('notes', 'Private notes', { initial: existing?.notes }),
    ],
  };
}

const value = z
  .object({
    value: z.string().nullish(),
    selected_option: z.object({ value: z.string() }).loose().nullish(),
    selected_date: z.string().nullish(),
  })
  .loose();
const viewSchema = z
  .object({
    id: z.string().optional(),
    private_metadata: z.string().optional(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), value)) }),
  })
  .loose();

export type DebriefSubmission =
  | {
      ok: true;
      viewId: string | null;
      meetingId: number | null;
      /** The form was opened for one meeting (from its nudge), so it has no meeting or contact fields. */
      fixedMeeting: boolean;
      past: { contactId: number | null; name: string; date: string | null };
      draft: DebriefDraft;
    }
  | { ok: false; reason: string };

const id = (text: string | null | undefined) =>
  text && /^\d{1,15}$/.test(text) && Number(text) > 0 ? Number(text) : null;

/** Reads a submitted debrief (untrusted); `ok: false` instead of throwing on a payload of another shape. */
export function parseDebriefSubmission(view: unknown): DebriefSubmission {
  const parsed = viewSchema.safeParse(view);
  if (!parsed.success) return { ok: false, reason: 'view state is missing or malformed' };
  const values = parsed.data.state.values;
  const read = (block: string, action: string = DEBRIEF_MODAL.actionId) => values[block]?.[action];
  const text = (field: Exclude<DebriefField, 'interestChange'>) =>
    (read(DEBRIEF_MODAL.blocks[field])?.value ?? '').trim();
  let fixed: number | null = null;
  try {
    fixed = id(String((JSON.parse(parsed.data.private_metadata || '{}') as { meetingId?: unknown }).meetingId ?? ''));
  } catch {
    fixed = null;
  }
  const interest = Number(read(DEBRIEF_MODAL.blocks.interestChange)?.selected_option?.value);
  return {
    ok: true,
    viewId: parsed.data.id ?? null,
    fixedMeeting: fixed !== null,
    meetingId: fixed ?? id(read(DEBRIEF_MODAL.blocks.meeting)?.selected_option?.value),
    past: {
      contactId: id(read(DEBRIEF_MODAL.blocks.contact, DEBRIEF_MODAL.contactSearchActionId)?.selected_option?.value),
      name: (read(DEBRIEF_MODAL.blocks.name)?.value ?? '').trim(),
      date: read(DEBRIEF_MODAL.blocks.date)?.selected_date ?? null,
    },
    draft: {
      topics: text('topics'),
      learned: text('learned'),
      advice: text('advice'),
      referrals: text('referrals'),
      commitments: text('commitments'),
      interestChange: Number.isInteger(interest) ? interest : null,
      notes: text('notes'),
    },
  };
}

export function debriefErrorsByBlock(errors: Partial<Record<DebriefField, string>>): Record<string, string> {
  const byBlock: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors) as [DebriefField, string][])
    byBlock[DEBRIEF_MODAL.blocks[field]] = message;
  return byBlock;
}
