import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import { CONTACT_LIMITS, type ContactDraft, type ContactField, type ContactFieldErrors } from '../../../domain/contact-rules.js';
import { DEFAULT_KEEP_IN_TOUCH_DAYS, KEEP_IN_TOUCH_CHOICES } from '../../../domain/reminder-plan.js';
import { timeZoneLabel } from '../../../domain/time-zones.js';
import type { Contact } from '../../../domain/types.js';
import { plain, truncate } from '../text.js';
import { contactOption } from './schedule.js';

/** Every id of the contact modal; block ids double as the keys of inline errors. */
export const CONTACT_MODAL = {
  callbackId: 'save_contact',
  actionId: 'value',
  timeZoneSearchActionId: 'contact_time_zone_search',
  referrerSearchActionId: 'contact_referrer_search',
  blocks: {
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
}

export interface ContactModalInput {
  /** The contact being edited, if any. */
  contact?: Contact;
  /** Its "referred by" contact, to show as the picked option. */
  referrer?: Contact | null;
  /** A name to start a new contact with (`/infoview contact Ada Lovelace`). */
  name?: string | null;
  now: Date;
}

type TextField = Exclude<ContactField, 'timeZone' | 'referredById' | 'keepInTouchDays'>;

function textInput(
  field: TextField,
  label: string,
  options: { initial?: string | null; placeholder?: string; hint?: string; multiline?: boolean; optional?: boolean },
): KnownBlock {
  const maxLength = CONTACT_LIMITS[field];
  const initial = options.initial ? truncate(options.initial, maxLength) : undefined;
  return {
    type: 'input',
    block_id: CONTACT_MODAL.blocks[field],
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

/** Log a contact, or edit one (`input.contact`). Pure. */
export function buildContactModal(input: ContactModalInput): ModalView {
  const contact = input.contact;
  const blocks: KnownBlock[] = [
    textInput('name', 'Name', { initial: contact?.name ?? input.name, placeholder: 'Ada Lovelace', optional: false }),
    textInput('pronunciation', 'How to pronounce it', {
      initial: contact?.pronunciation,
      placeholder: 'AY-duh LUV-lace',
      hint: 'Spell it the way it sounds, so you say it right when you meet.',
    }),
    textInput('title', 'Title', { initial: contact?.title, placeholder: 'Senior Data Analyst' }),
    textInput('company', 'Organisation', { initial: contact?.company, placeholder: 'Analytical Engines Ltd' }),
    textInput('email', 'Email', { initial: contact?.email, placeholder: 'ada@example.com' }),
    textInput('profileUrl', 'Profile link', { initial: contact?.profileUrl, placeholder: 'https://www.linkedin.com/in/ada' }),
    {
      type: 'input',
      block_id: CONTACT_MODAL.blocks.timeZone,
      optional: true,
      label: plain('Their time zone'),
      hint: plain('Type a city, e.g. Berlin or New York. Meeting times then show their time too.'),
      element: {
        type: 'external_select',
        action_id: CONTACT_MODAL.timeZoneSearchActionId,
        min_query_length: 1,
        placeholder: plain('Search time zones'),
        ...(contact?.timeZone ? { initial_option: timeZoneOption(contact.timeZone, input.now) } : {}),
      },
    },
    textInput('howMet', 'How you met', { initial: contact?.howMet, placeholder: 'Alumni mixer, March 2026' }),
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
    textInput('tags', 'Tags', { initial: contact?.tags.join(', '), placeholder: 'data, research, alumni', hint: 'Separate tags with commas.' }),
    textInput('notes', 'Notes', { initial: contact?.notes, multiline: true }),
    {
      type: 'input',
      block_id: CONTACT_MODAL.blocks.keepInTouchDays,
      label: plain('Keep in touch'),
      hint: plain('A nudge when this long has passed since your last meeting, debrief, thank-you or report-back.'),
      element: {
        type: 'static_select',
        action_id: CONTACT_MODAL.actionId,
        options: KEEP_IN_TOUCH_CHOICES.map(cadenceOption),
        initial_option: cadenceOption(contact?.keepInTouchDays ?? DEFAULT_KEEP_IN_TOUCH_DAYS),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: CONTACT_MODAL.callbackId,
    title: plain(contact ? 'Edit contact' : 'Log a contact'),
    submit: plain('Save'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(contact ? { contactId: contact.id } : {}),
    blocks,
  };
}

const stateValueSchema = z
  .object({ value: z.string().nullish(), selected_option: z.object({ value: z.string() }).loose().nullish() })
  .loose();
const viewSchema = z
  .object({
    id: z.string().optional(),
    previous_view_id: z.string().nullish(),
    private_metadata: z.string().optional(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), stateValueSchema)) }),
  })
  .loose();
const contextSchema = z.object({ contactId: z.number().int().positive().optional() });

export type ContactSubmission =
  | { ok: true; draft: ContactDraft; context: ContactModalContext; stacked: boolean }
  | { ok: false; reason: string };

/** Reads a submitted contact modal (untrusted); `ok: false` instead of throwing on a payload of another shape. */
export function parseContactSubmission(view: unknown): ContactSubmission {
  const parsed = viewSchema.safeParse(view);
  if (!parsed.success) return { ok: false, reason: 'view state is missing or malformed' };
  const values = parsed.data.state.values;
  const text = (field: TextField) => (values[CONTACT_MODAL.blocks[field]]?.[CONTACT_MODAL.actionId]?.value ?? '').trim();
  const picked = (field: 'timeZone' | 'referredById', actionId: string) => values[CONTACT_MODAL.blocks[field]]?.[actionId]?.selected_option?.value;
  const referrer = picked('referredById', CONTACT_MODAL.referrerSearchActionId);
  const cadence = values[CONTACT_MODAL.blocks.keepInTouchDays]?.[CONTACT_MODAL.actionId]?.selected_option?.value;
  let context: ContactModalContext = {};
  try {
    const result = contextSchema.safeParse(JSON.parse(parsed.data.private_metadata || '{}'));
    if (result.success) context = result.data;
  } catch {
    // Not ours: treat as a new contact.
  }
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
      referredById: referrer !== undefined && /^\d{1,15}$/.test(referrer) && Number(referrer) > 0 ? Number(referrer) : null,
      tags: text('tags'),
      notes: text('notes'),
      keepInTouchDays: cadence === undefined || !/^\d{1,3}$/.test(cadence) ? null : Number(cadence),
    },
  };
}

/** Field errors keyed by block_id, as `response_action: 'errors'` wants them. */
export function contactErrorsByBlock(errors: ContactFieldErrors): Record<string, string> {
  const byBlock: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors) as [ContactField, string][]) {
    byBlock[CONTACT_MODAL.blocks[field]] = message;
  }
  return byBlock;
}
