import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import { starterQuestionsText } from '../../../domain/meetings/question-bank.js';
import {
  DEFAULT_DURATION_MINUTES,
  DURATION_CHOICES,
  FIELD_LIMITS,
  type FieldErrors,
  type ScheduleDraft,
  type ScheduleField,
} from '../../../domain/meetings/schedule-rules.js';
import type { MeetingWithContact } from '../../../domain/types.js';
import { plain, truncate } from '../text.js';

/** Every id of the schedule modal, written once. Block ids double as the keys of inline errors. */
export const SCHEDULE_MODAL = {
  callbackId: 'schedule_meeting',
  actionId: 'value',
  /** The type-ahead over the user's own contacts; its options come from the app's options handler. */
  contactSearchActionId: 'schedule_contact_search',
  blocks: {
    contactId: 'existing_contact',
    name: 'contact_name',
    pronunciation: 'contact_pronunciation',
    title: 'contact_title',
    company: 'contact_company',
    startsAt: 'starts_at',
    durationMinutes: 'duration',
    location: 'location',
    goal: 'goal',
    questions: 'questions',
  } satisfies Record<ScheduleField, string>,
} as const;

/** What the modal remembers between opening and submission (private_metadata, at most 3000 characters). */
export interface ScheduleModalContext {
  /** Set when the modal reschedules an existing meeting. */
  meetingId?: number;
  /** The DM message the Reschedule button was pressed on, so it can be updated afterwards. */
  origin?: { channel: string; ts: string };
}

const contextSchema = z.object({
  meetingId: z.number().int().positive().optional(),
  origin: z.object({ channel: z.string().max(50), ts: z.string().max(50) }).optional(),
});

export interface ScheduleModalInput {
  context?: ScheduleModalContext;
  /** A contact to start from (Schedule on a contact): shown picked in the type-ahead. */
  contact?: { id: number; name: string; company: string | null } | null;
  name?: string | null;
  pronunciation?: string | null;
  title?: string | null;
  company?: string | null;
  startsAt?: Date | null;
  durationMinutes?: number;
  location?: string | null;
  goal?: string | null;
  questions?: string | null;
}

const MAX_SLACK_INPUT = 3000;

function textInput(
  field: Exclude<ScheduleField, 'startsAt' | 'durationMinutes' | 'contactId'>,
  label: string,
  options: { initial?: string | null; placeholder?: string; hint?: string; multiline?: boolean; optional?: boolean },
): KnownBlock {
  const maxLength = Math.min(FIELD_LIMITS[field], MAX_SLACK_INPUT);
  const initial = options.initial ? truncate(options.initial, maxLength) : undefined;
  return {
    type: 'input',
    block_id: SCHEDULE_MODAL.blocks[field],
    optional: options.optional ?? true,
    label: plain(label),
    ...(options.hint ? { hint: plain(options.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: SCHEDULE_MODAL.actionId,
      max_length: maxLength,
      multiline: options.multiline ?? false,
      ...(initial ? { initial_value: initial } : {}),
      ...(options.placeholder ? { placeholder: plain(options.placeholder) } : {}),
    },
  };
}

/** A contact as a select option: "Ada Lovelace · Engines Ltd", at most 75 characters; the value is its id. */
export function contactOption(contact: { id: number; name: string; company: string | null }): PlainTextOption {
  const label = contact.company ? `${contact.name} · ${contact.company}` : contact.name;
  return { text: plain(truncate(label, 75)), value: String(contact.id) };
}

function durationOption(minutes: number): PlainTextOption {
  return { text: plain(`${minutes} minutes`), value: String(minutes) };
}

/** The schedule (or reschedule) modal; pure. Slack shows the datetimepicker in the user's own zone. */
export function buildScheduleModal(input: ScheduleModalInput = {}): ModalView {
  const rescheduling = input.context?.meetingId !== undefined;
  const duration = (DURATION_CHOICES as readonly number[]).includes(input.durationMinutes ?? -1)
    ? (input.durationMinutes as number)
    : DEFAULT_DURATION_MINUTES;
  // Rescheduling keeps the meeting's contact and edits its details; a new meeting can pick one or name a new one.
  const picker: KnownBlock[] = rescheduling
    ? []
    : [
        {
          type: 'input',
          block_id: SCHEDULE_MODAL.blocks.contactId,
          optional: true,
          label: plain('Someone from your contacts'),
          hint: plain('Start typing a name. For someone new, leave this empty and fill in their name below.'),
          element: {
            type: 'external_select',
            action_id: SCHEDULE_MODAL.contactSearchActionId,
            min_query_length: 0,
            placeholder: plain('Search your contacts'),
            ...(input.contact ? { initial_option: contactOption(input.contact) } : {}),
          },
        },
      ];
  const blocks: KnownBlock[] = [
    ...picker,
    textInput('name', rescheduling ? 'Who are you meeting?' : 'Or someone new: their name', {
      initial: input.name,
      placeholder: 'Ada Lovelace',
      optional: !rescheduling,
    }),
    textInput('pronunciation', 'How to pronounce their name', {
      initial: input.pronunciation,
      placeholder: 'AY-duh LUV-lace',
      hint: 'Spell it the way it sounds. Saying a name right is the first thing they will notice.',
    }),
    textInput('title', 'Their title', { initial: input.title, placeholder: 'Senior Data Analyst' }),
    textInput('company', 'Their organisation', { initial: input.company, placeholder: 'Analytical Engines Ltd' }),
    {
      type: 'input',
      block_id: SCHEDULE_MODAL.blocks.startsAt,
      label: plain('When'),
      hint: plain('Shown in your Slack time zone.'),
      element: {
        type: 'datetimepicker',
        action_id: SCHEDULE_MODAL.actionId,
        ...(input.startsAt ? { initial_date_time: Math.floor(input.startsAt.getTime() / 1000) } : {}),
      },
    },
    {
      type: 'input',
      block_id: SCHEDULE_MODAL.blocks.durationMinutes,
      label: plain('How long'),
      hint: plain('Informational interviews are short: 20 to 30 minutes is plenty, and respecting it matters.'),
      element: {
        type: 'static_select',
        action_id: SCHEDULE_MODAL.actionId,
        options: DURATION_CHOICES.map(durationOption),
        initial_option: durationOption(duration),
      },
    },
    textInput('location', 'Where', {
      initial: input.location,
      placeholder: 'An address, or a video link such as https://zoom.us/j/123',
    }),
    textInput('goal', 'What do you want to learn?', {
      initial: input.goal,
      multiline: true,
      placeholder: 'What the work is really like, and how people get into it',
    }),
    textInput('questions', 'Questions you plan to ask', {
      initial: input.questions === undefined ? starterQuestionsText() : input.questions,
      multiline: true,
      hint: 'A few good starters are filled in. Edit, add or remove any.',
    }),
  ];
  return {
    type: 'modal',
    callback_id: SCHEDULE_MODAL.callbackId,
    title: plain(rescheduling ? 'Reschedule' : 'Schedule a meeting'),
    submit: plain(rescheduling ? 'Save changes' : 'Schedule'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(input.context ?? {}),
    blocks,
  };
}

/** The modal pre-filled from a stored meeting, for the Reschedule button. */
export function buildRescheduleModal(found: MeetingWithContact, origin?: ScheduleModalContext['origin']): ModalView {
  const { meeting, contact } = found;
  return buildScheduleModal({
    context: { meetingId: meeting.id, ...(origin ? { origin } : {}) },
    name: contact.name,
    pronunciation: contact.pronunciation,
    title: contact.title,
    company: contact.company,
    startsAt: meeting.startsAt,
    durationMinutes: meeting.durationMinutes,
    location: meeting.location,
    goal: meeting.goal,
    questions: meeting.questions ?? '',
  });
}

const stateValueSchema = z
  .object({
    value: z.string().nullish(),
    selected_date_time: z.number().nullish(),
    selected_option: z.object({ value: z.string() }).loose().nullish(),
  })
  .loose();
const viewSchema = z
  .object({
    id: z.string().optional(),
    private_metadata: z.string().optional(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), stateValueSchema)) }),
  })
  .loose();

export type ScheduleSubmission =
  | { ok: true; draft: ScheduleDraft; context: ScheduleModalContext; viewId: string | null }
  | { ok: false; reason: string };

/**
 * Reads a submitted schedule modal (Slack's `view`, untrusted) into a draft. A payload that is not shaped like our
 * modal gives `ok: false` instead of throwing.
 */
export function parseScheduleSubmission(view: unknown): ScheduleSubmission {
  const parsed = viewSchema.safeParse(view);
  if (!parsed.success) return { ok: false, reason: 'view state is missing or malformed' };
  const values = parsed.data.state.values;
  const read = (field: ScheduleField) => values[SCHEDULE_MODAL.blocks[field]]?.[SCHEDULE_MODAL.actionId];
  const picked =
    values[SCHEDULE_MODAL.blocks.contactId]?.[SCHEDULE_MODAL.contactSearchActionId]?.selected_option?.value;
  const text = (field: ScheduleField) => (read(field)?.value ?? '').trim();
  const seconds = read('startsAt')?.selected_date_time;
  const minutes = Number(read('durationMinutes')?.selected_option?.value);
  return {
    ok: true,
    viewId: parsed.data.id ?? null,
    context: parseContext(parsed.data.private_metadata),
    draft: {
      contactId: picked !== undefined && /^\d{1,15}$/.test(picked) && Number(picked) > 0 ? Number(picked) : null,
      name: text('name'),
      pronunciation: text('pronunciation'),
      title: text('title'),
      company: text('company'),
      startsAt: typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000) : null,
      durationMinutes: Number.isInteger(minutes) ? minutes : null,
      location: text('location'),
      goal: text('goal'),
      questions: text('questions'),
    },
  };
}

function parseContext(metadata: string | undefined): ScheduleModalContext {
  if (!metadata) return {};
  try {
    const result = contextSchema.safeParse(JSON.parse(metadata));
    return result.success ? result.data : {};
  } catch {
    return {};
  }
}

/** Field errors keyed by block_id, as `response_action: 'errors'` wants them. */
export function scheduleErrorsByBlock(errors: FieldErrors): Record<string, string> {
  const byBlock: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors) as [ScheduleField, string][]) {
    byBlock[SCHEDULE_MODAL.blocks[field]] = message;
  }
  return byBlock;
}
