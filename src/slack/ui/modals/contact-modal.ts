import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import {
  CONTACT_LIMITS,
  type ContactDraft,
  type ContactField,
  type ContactFieldErrors,
  isSlackUserId,
} from '../../../domain/contacts/contact-rules.js';
import { type MessageSource, messageSourceSchema, personLabel } from '../../../domain/contacts/message-contacts.js';
import { DEFAULT_KEEP_IN_TOUCH_DAYS, KEEP_IN_TOUCH_CHOICES } from '../../../domain/reminders/reminder-plan.js';
import { timeZoneLabel } from '../../../domain/time-zones/zone-choices.js';
import type { Contact } from '../../../domain/types.js';
import { isValidTimeZone } from '../../../lib/zoned-time.js';
import { escapeMrkdwn, mrkdwn, plain, truncate } from '../text.js';
import { mergeButton } from './merge-contact-modal.js';
import { contactOption } from './schedule-modal.js';

/** Every id of the contact modal; block ids double as the keys of inline errors. */
export const CONTACT_MODAL = {
  callbackId: 'save_contact',
  actionId: 'value',
  timeZoneSearchActionId: 'contact_time_zone_search',
  referrerSearchActionId: 'contact_referrer_search',
  /** Picking a Slack colleague sends a block_actions at once (dispatch_action), to fill the form from their profile. */
  colleagueActionId: 'contact_colleague_pick',
  colleagueNoteBlock: 'contact_colleague_note',
  alsoInMessageBlock: 'contact_also_in_message',
  mergeBlock: 'contact_merge',
  blocks: {
    slackUserId: 'contact_slack_user',
    name: 'contact_name',
    pronunciation: 'contact_pronunciation',
    title: 'contact_title',
    company: 'contact_company',
    email: 'contact_email',
    profileUrl: 'contact_profile_url',
    timeZone: 'contact_time_zone',
    howMet: 'contact_how_met',
    referredById: 'contact_referred_by',
    tags: 'contact_tags',
    notes: 'contact_notes',
    keepInTouchDays: 'contact_keep_in_touch',
  } satisfies Record<ContactField, string>,
} as const;

export interface ContactModalContext {
  /** Set when the modal edits an existing contact. */
  contactId?: number;
  /**
   * How many times the form was filled from a colleague's profile. Slack keeps an input's state (and ignores a new
   * initial value) while its block_id stays the same, so the fields a fill writes get a new block_id each time.
   */
  fill?: number;
  /** A Slack user refused when picked (a bot, deactivated, another workspace): the form is not saved with them. */
  refusedSlackUserId?: string;
  /** Opened from a message (the *Log as contact* shortcut): who else it names, offered once this one is saved. */
  fromMessage?: MessageSource;
}

/** The fields a colleague's profile can fill (and *How you met*, which names the author of a message once known). */
const FILLABLE: ReadonlySet<ContactField> = new Set<ContactField>([
  'name',
  'pronunciation',
  'title',
  'timeZone',
  'howMet',
]);

/** The block_id of a field in the form after `fill` fills (errors are keyed by it). */
export function contactBlockId(field: ContactField, fill = 0): string {
  const base = CONTACT_MODAL.blocks[field];
  return fill > 0 && FILLABLE.has(field) ? `${base}_${fill}` : base;
}

export interface ContactModalInput {
  /** The contact being edited, if any. */
  contact?: Contact;
  /** Its "referred by" contact, to show as the picked option. */
  referrer?: Contact | null;
  /** A name to start a new contact with (`/infoview contact Ada Lovelace`). */
  name?: string | null;
  now: Date;
  /** The open form re-rendered (after a colleague was picked): what it holds now, which wins over `contact`. */
  form?: { draft: ContactDraft; context: ContactModalContext };
  /** One line under the colleague picker: why nothing was filled in, or that Slack could not be reached. */
  colleagueNote?: string | null;
}

type TextField = Exclude<ContactField, 'timeZone' | 'referredById' | 'keepInTouchDays' | 'slackUserId'>;

function textInput(
  field: TextField,
  label: string,
  options: {
    initial: string;
    placeholder?: string;
    hint?: string;
    multiline?: boolean;
    optional?: boolean;
    fill?: number;
  },
): KnownBlock {
  const maxLength = CONTACT_LIMITS[field];
  const initial = options.initial ? truncate(options.initial, maxLength) : undefined;
  return {
    type: 'input',
    block_id: contactBlockId(field, options.fill),
    optional: options.optional ?? true,
    label: plain(label),
    ...(options.hint ? { hint: plain(options.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: CONTACT_MODAL.actionId,
      max_length: maxLength,
      multiline: options.multiline ?? false,
      ...(initial ? { initial_value: initial } : {}),
      ...(options.placeholder ? { placeholder: plain(options.placeholder) } : {}),
    },
  };
}

function cadenceOption(days: number): PlainTextOption {
  return { text: plain(days === 0 ? 'Off' : `Every ${days} days`), value: String(days) };
}

export function timeZoneOption(zone: string, now: Date): PlainTextOption {
  return { text: plain(truncate(timeZoneLabel(zone, now), 75)), value: zone };
}

/** What the form shows: the open form as it stands, else the contact being edited, else a blank (or named) one. */
function formValues(input: ContactModalInput): ContactDraft {
  if (input.form) return input.form.draft;
  const c = input.contact;
  return {
    name: c?.name ?? input.name ?? '',
    pronunciation: c?.pronunciation ?? '',
    title: c?.title ?? '',
    company: c?.company ?? '',
    email: c?.email ?? '',
    profileUrl: c?.profileUrl ?? '',
    timeZone: c?.timeZone ?? '',
    howMet: c?.howMet ?? '',
    referredById: c?.referredById ?? null,
    tags: c?.tags.join(', ') ?? '',
    notes: c?.notes ?? '',
    keepInTouchDays: c?.keepInTouchDays ?? null,
    slackUserId: c?.slackUserId ?? '',
  };
}

/** Log a contact, or edit one (`input.contact`); or the open form again with `input.form`'s values. Pure. */
export function buildContactModal(input: ContactModalInput): ModalView {
  const values = formValues(input);
  const context: ContactModalContext = input.form?.context ?? (input.contact ? { contactId: input.contact.id } : {});
  const cadence =
    values.keepInTouchDays !== null && (KEEP_IN_TOUCH_CHOICES as readonly number[]).includes(values.keepInTouchDays)
      ? values.keepInTouchDays
      : DEFAULT_KEEP_IN_TOUCH_DAYS;
  const colleague: KnownBlock[] = [
    {
      type: 'input',
      block_id: CONTACT_MODAL.blocks.slackUserId,
      optional: true,
      dispatch_action: true,
      label: plain('Slack colleague'),
      hint: plain(
        'Someone in this workspace? Pick them to fill in their name, title and time zone. Infoview never messages them.',
      ),
      element: {
        type: 'users_select',
        action_id: CONTACT_MODAL.colleagueActionId,
        placeholder: plain('Pick a person'),
        ...(isSlackUserId(values.slackUserId) ? { initial_user: values.slackUserId } : {}),
      },
    },
  ];
  if (input.colleagueNote) {
    colleague.push({
      type: 'context',
      block_id: CONTACT_MODAL.colleagueNoteBlock,
      elements: [mrkdwn(escapeMrkdwn(truncate(input.colleagueNote, 300)))],
    });
  }
  const fill = context.fill ?? 0;
  const blocks: KnownBlock[] = [
    ...colleague,
    ...alsoInMessage(context.fromMessage),
    textInput('name', 'Name', { initial: values.name, placeholder: 'Ada Lovelace', optional: false, fill }),
    textInput('pronunciation', 'How to pronounce it', {
      fill,
      initial: values.pronunciation,
      placeholder: 'AY-duh LUV-lace',
      hint: 'Spell it the way it sounds, so you say it right when you meet.',
    }),
    textInput('title', 'Title', { initial: values.title, placeholder: 'Senior Data Analyst', fill }),
    textInput('company', 'Organisation', { initial: values.company, placeholder: 'Analytical Engines Ltd' }),
    textInput('email', 'Email', { initial: values.email, placeholder: 'ada@example.com' }),
    textInput('profileUrl', 'Profile link', {
      initial: values.profileUrl,
      placeholder: 'https://www.linkedin.com/in/ada',
    }),
    {
      type: 'input',
      block_id: contactBlockId('timeZone', fill),
      optional: true,
      label: plain('Their time zone'),
      hint: plain('Type a city, e.g. Berlin or New York. Meeting times then show their time too.'),
      element: {
        type: 'external_select',
        action_id: CONTACT_MODAL.timeZoneSearchActionId,
        min_query_length: 1,
        placeholder: plain('Search time zones'),
        ...(values.timeZone && isValidTimeZone(values.timeZone)
          ? { initial_option: timeZoneOption(values.timeZone, input.now) }
          : {}),
      },
    },
    textInput('howMet', 'How you met', { initial: values.howMet, placeholder: 'Alumni mixer, March 2026', fill }),
    {
      type: 'input',
      block_id: CONTACT_MODAL.blocks.referredById,
      optional: true,
      label: plain('Referred by'),
      hint: plain('One of your contacts who introduced you.'),
      element: {
        type: 'external_select',
        action_id: CONTACT_MODAL.referrerSearchActionId,
        min_query_length: 0,
        placeholder: plain('Search your contacts'),
        ...(input.referrer ? { initial_option: contactOption(input.referrer) } : {}),
      },
    },
    textInput('tags', 'Tags', {
      initial: values.tags,
      placeholder: 'data, research, alumni',
      hint: 'Separate tags with commas.',
    }),
    textInput('notes', 'Notes', { initial: values.notes, multiline: true }),
    {
      type: 'input',
      block_id: CONTACT_MODAL.blocks.keepInTouchDays,
      label: plain('Keep in touch'),
      hint: plain('A nudge when this long has passed since your last meeting, debrief, thank-you or report-back.'),
      element: {
        type: 'static_select',
        action_id: CONTACT_MODAL.actionId,
        options: KEEP_IN_TOUCH_CHOICES.map(cadenceOption),
        initial_option: cadenceOption(cadence),
      },
    },
  ];
  // Editing: the same person logged twice is merged from here (the form gives way to the merge's views).
  if (context.contactId)
    blocks.push({
      type: 'actions',
      block_id: CONTACT_MODAL.mergeBlock,
      elements: [mergeButton({ id: context.contactId })],
    });
  return {
    type: 'modal',
    callback_id: CONTACT_MODAL.callbackId,
    title: plain(context.contactId ? 'Edit contact' : 'Log a contact'),
    submit: plain('Save'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(context),
    blocks,
  };
}

/** The author's form from a message that names others: who they are, and that they come next. */
function alsoInMessage(source: MessageSource | undefined): KnownBlock[] {
  if (!source?.isAuthor || source.people.length === 0) return [];
  // A mention is written as Slack writes it (<@U…>), so Slack shows the person's name; anything else is escaped.
  const names = source.people.map((p) => (p.slackUserId ? `<@${p.slackUserId}>` : escapeMrkdwn(personLabel(p))));
  return [
    {
      type: 'context',
      block_id: CONTACT_MODAL.alsoInMessageBlock,
      elements: [
        mrkdwn(
          truncate(
            `Also in this message: ${names.join(', ')}. Save this contact first; you can then log them, referred by the author.`,
            2000,
          ),
        ),
      ],
    },
  ];
}

const stateValueSchema = z
  .object({
    value: z.string().nullish(),
    selected_option: z.object({ value: z.string() }).loose().nullish(),
    selected_user: z.unknown().optional(),
  })
  .loose();
const viewSchema = z
  .object({
    id: z.string().optional(),
    previous_view_id: z.string().nullish(),
    private_metadata: z.string().optional(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), stateValueSchema)) }),
  })
  .loose();
const contextSchema = z.object({
  contactId: z.number().int().positive().optional(),
  fill: z.number().int().min(0).max(1000).optional(),
  refusedSlackUserId: z.string().refine(isSlackUserId).optional(),
  // Where the form came from: one that cannot be read is dropped alone, never the rest of the form's context.
  fromMessage: messageSourceSchema.optional().catch(undefined),
});

export type ContactSubmission =
  | { ok: true; draft: ContactDraft; context: ContactModalContext; stacked: boolean }
  | { ok: false; reason: string };

/** Reads a submitted contact modal (untrusted); `ok: false` instead of throwing on a payload of another shape. */
export function parseContactSubmission(view: unknown): ContactSubmission {
  const parsed = viewSchema.safeParse(view);
  if (!parsed.success) return { ok: false, reason: 'view state is missing or malformed' };
  let context: ContactModalContext = {};
  try {
    const result = contextSchema.safeParse(JSON.parse(parsed.data.private_metadata || '{}'));
    if (result.success) context = result.data;
  } catch {
    // Not ours: treat as a new contact.
  }
  const values = parsed.data.state.values;
  const fill = context.fill ?? 0;
  const text = (field: TextField) =>
    (values[contactBlockId(field, fill)]?.[CONTACT_MODAL.actionId]?.value ?? '').trim();
  const picked = (field: 'timeZone' | 'referredById', actionId: string) =>
    values[contactBlockId(field, fill)]?.[actionId]?.selected_option?.value;
  const referrer = picked('referredById', CONTACT_MODAL.referrerSearchActionId);
  const cadence = values[CONTACT_MODAL.blocks.keepInTouchDays]?.[CONTACT_MODAL.actionId]?.selected_option?.value;
  // Only the picker's own state counts; anything but a string (or nothing) is kept as text so validation refuses it.
  const pickedUser = values[CONTACT_MODAL.blocks.slackUserId]?.[CONTACT_MODAL.colleagueActionId]?.selected_user;
  const slackUserId =
    typeof pickedUser === 'string' ? pickedUser.trim() : pickedUser == null ? '' : JSON.stringify(pickedUser);
  return {
    ok: true,
    context,
    stacked: Boolean(parsed.data.previous_view_id),
    draft: {
      name: text('name'),
      pronunciation: text('pronunciation'),
      title: text('title'),
      company: text('company'),
      email: text('email'),
      profileUrl: text('profileUrl'),
      timeZone: picked('timeZone', CONTACT_MODAL.timeZoneSearchActionId) ?? '',
      howMet: text('howMet'),
      referredById:
        referrer !== undefined && /^\d{1,15}$/.test(referrer) && Number(referrer) > 0 ? Number(referrer) : null,
      tags: text('tags'),
      notes: text('notes'),
      keepInTouchDays: cadence === undefined || !/^\d{1,3}$/.test(cadence) ? null : Number(cadence),
      slackUserId,
    },
  };
}

/** Field errors keyed by block_id, as `response_action: 'errors'` wants them. */
export function contactErrorsByBlock(errors: ContactFieldErrors, fill = 0): Record<string, string> {
  const byBlock: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors) as [ContactField, string][]) {
    byBlock[contactBlockId(field, fill)] = message;
  }
  return byBlock;
}
