import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import {
  ASK_CHANNEL_LABELS,
  ASK_CHANNELS,
  ASK_DRAFT_MAX_CHARS,
  type AskRecord,
  type AskStart,
  PURPOSE_MAX_CHARS,
  wordCount,
} from '../../../domain/asks/asks-service.js';
import { formatDay } from '../../../domain/business-days.js';
import type { AskChannel, Contact } from '../../../domain/types.js';
import { askOutcomeButtons } from '../messages/asks-messages.js';
import { escapeToFit, linkTo, mrkdwn, plain, truncate } from '../text.js';
import { contactOption } from './schedule-modal.js';

/** The ask modal and the contact picker before it; ids in one place. */
export const ASK_MODAL = {
  callbackId: 'ask_record',
  pickCallbackId: 'ask_pick',
  followUpCallbackId: 'ask_follow_up',
  actionId: 'value',
  /** The purpose field sends its text on Enter, so the draft can be composed again with it. */
  purposeActionId: 'ask_purpose_enter',
  contactSearchActionId: 'ask_contact_search',
  blocks: { contact: 'contact', purpose: 'purpose', draft: 'draft', channel: 'channel', sentOn: 'sent_on' },
} as const;

const option = (channel: AskChannel): PlainTextOption => ({ text: plain(ASK_CHANNEL_LABELS[channel]), value: channel });

interface AskMetadata {
  contactId: number;
  /** Bumped each time the draft is composed again: a new block_id is what makes Slack show a new initial value. */
  version: number;
}

export interface AskModalInput extends AskStart {
  /** The link that opens a DM with the contact, when they are a colleague in this workspace. */
  directMessageUrl: string | null;
  version: number;
}

function whoLine(contact: Contact, referrer: Contact | null): string {
  const role = [contact.title, contact.company].filter(Boolean).join(', ');
  const parts = [
    `To *${escapeToFit(contact.name, 200)}*`,
    role ? escapeToFit(role, 300) : null,
    referrer ? `referred by ${escapeToFit(referrer.name, 200)}` : null,
  ];
  return parts.filter(Boolean).join(' · ');
}

/** The ask: a short draft composed from facts, to copy (and edit), then "Mark as sent". Pure. */
export function buildAskModal(input: AskModalInput): ModalView {
  const { contact, referrer, waiting } = input;
  const metadata: AskMetadata = { contactId: contact.id, version: input.version };
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(whoLine(contact, referrer)) }];
  if (waiting !== null) {
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `You asked them on ${formatDay(waiting.sentOn)} (${ASK_CHANNEL_LABELS[waiting.channel]}) and are waiting for a reply. What came of it?`,
      ),
    });
    blocks.push(askOutcomeButtons(waiting.id, { followUp: false }));
    return {
      type: 'modal',
      callback_id: ASK_MODAL.callbackId,
      private_metadata: JSON.stringify(metadata),
      title: plain('Ask for a conversation'),
      close: plain('Close'),
      blocks,
    };
  }
  blocks.push(
    {
      type: 'input',
      block_id: ASK_MODAL.blocks.purpose,
      optional: true,
      dispatch_action: true,
      label: plain('Who I am and what I am exploring'),
      hint: plain('One line, saved for your next asks. Press Enter to put it in the draft.'),
      element: {
        type: 'plain_text_input',
        action_id: ASK_MODAL.purposeActionId,
        max_length: PURPOSE_MAX_CHARS,
        dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
        placeholder: plain('I am a chemistry graduate exploring a move into data science'),
        ...(input.purpose ? { initial_value: truncate(input.purpose, PURPOSE_MAX_CHARS) } : {}),
      },
    },
    {
      type: 'input',
      block_id: `${ASK_MODAL.blocks.draft}_${input.version}`,
      label: plain('Your ask, to copy'),
      hint: plain(
        `${wordCount(input.draft)} words. Keep it short: to learn, not to ask for a job; 15–20 minutes; whenever suits them.`,
      ),
      element: {
        type: 'plain_text_input',
        action_id: ASK_MODAL.actionId,
        multiline: true,
        max_length: ASK_DRAFT_MAX_CHARS,
        initial_value: truncate(input.draft, ASK_DRAFT_MAX_CHARS),
      },
    },
  );
  if (input.directMessageUrl !== null && contact.slackUserId !== null) {
    // A link and their mention (which opens their profile, with its Message button, on the web client too).
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `${linkTo(input.directMessageUrl, `Open a DM with ${truncate(contact.name, 80)}`)} (<@${contact.slackUserId}>): copy the draft first, then paste it there. infoview never messages anyone but you.`,
      ),
    });
  }
  blocks.push(
    {
      type: 'input',
      block_id: ASK_MODAL.blocks.channel,
      label: plain('Sent by'),
      element: {
        type: 'static_select',
        action_id: ASK_MODAL.actionId,
        options: ASK_CHANNELS.map(option),
        initial_option: option(input.directMessageUrl !== null ? 'slack' : 'email'),
      },
    },
    {
      type: 'input',
      block_id: ASK_MODAL.blocks.sentOn,
      label: plain('Sent on'),
      hint: plain(
        'I will nudge you after 3 business days without a reply (ask the next person) and after 7 (follow up once).',
      ),
      element: { type: 'datepicker', action_id: ASK_MODAL.actionId, initial_date: input.today },
    },
  );
  return {
    type: 'modal',
    callback_id: ASK_MODAL.callbackId,
    private_metadata: JSON.stringify(metadata),
    title: plain('Ask for a conversation'),
    submit: plain('Mark as sent'),
    close: plain('Close'),
    blocks,
  };
}

/** `/infoview ask` without a name (or with one that matches nobody): pick the contact first. Pure. */
export function buildAskPickModal(input: { note: string | null; contact: Contact | null }): ModalView {
  const blocks: KnownBlock[] = [];
  if (input.note) blocks.push({ type: 'context', elements: [mrkdwn(input.note)] });
  blocks.push({
    type: 'input',
    block_id: ASK_MODAL.blocks.contact,
    label: plain('Who do you want to ask?'),
    hint: plain('Someone not in your contacts yet? Add them with /infoview contact first.'),
    element: {
      type: 'external_select',
      action_id: ASK_MODAL.contactSearchActionId,
      min_query_length: 0,
      placeholder: plain('Search your contacts'),
      ...(input.contact ? { initial_option: contactOption(input.contact) } : {}),
    },
  });
  return {
    type: 'modal',
    callback_id: ASK_MODAL.pickCallbackId,
    title: plain('Ask for a conversation'),
    submit: plain('Next'),
    close: plain('Cancel'),
    blocks,
  };
}

/** The one follow-up: its draft to copy, and "I followed up". Pure. */
export function buildFollowUpModal(input: {
  askId: number;
  contact: Contact;
  draft: string;
  sentOn: string;
}): ModalView {
  return {
    type: 'modal',
    callback_id: ASK_MODAL.followUpCallbackId,
    private_metadata: JSON.stringify({ askId: input.askId }),
    title: plain('Follow up once'),
    submit: plain('I followed up'),
    close: plain('Close'),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `No reply from *${escapeToFit(input.contact.name, 200)}* since ${formatDay(input.sentOn)}. One short, friendly follow-up is fine; after that, let it go and ask someone else.`,
        ),
      },
      {
        type: 'input',
        block_id: ASK_MODAL.blocks.draft,
        optional: true,
        label: plain('Your follow-up, to copy'),
        element: {
          type: 'plain_text_input',
          action_id: ASK_MODAL.actionId,
          multiline: true,
          max_length: ASK_DRAFT_MAX_CHARS,
          initial_value: truncate(input.draft, ASK_DRAFT_MAX_CHARS),
        },
      },
    ],
  };
}

const valueSchema = z
  .object({
    value: z.string().nullish(),
    selected_date: z.string().nullish(),
    selected_option: z.object({ value: z.string() }).loose().nullish(),
  })
  .loose();
const viewSchema = z
  .object({
    id: z.string().optional(),
    private_metadata: z.string(),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), valueSchema)) }),
  })
  .loose();
const metadataSchema = z.object({
  contactId: z.number().int().positive(),
  version: z.number().int().min(0).max(10_000),
});

function parseMetadata<T>(text: string, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The ask modal's state: what was typed, and the draft block's id (for inline errors). Null for a malformed view. */
export function parseAskView(view: unknown): { record: AskRecord; draftBlockId: string; version: number } | null {
  const parsed = viewSchema.safeParse(view);
  if (!parsed.success) return null;
  const meta = parseMetadata(parsed.data.private_metadata, metadataSchema);
  if (meta === null) return null;
  const values = parsed.data.state.values;
  const draftBlockId = `${ASK_MODAL.blocks.draft}_${meta.version}`;
  const channel = values[ASK_MODAL.blocks.channel]?.[ASK_MODAL.actionId]?.selected_option?.value;
  return {
    record: {
      contactId: meta.contactId,
      channel: (ASK_CHANNELS as readonly string[]).includes(channel ?? '') ? (channel as AskChannel) : 'other',
      sentOn: values[ASK_MODAL.blocks.sentOn]?.[ASK_MODAL.actionId]?.selected_date ?? '',
      purpose: values[ASK_MODAL.blocks.purpose]?.[ASK_MODAL.purposeActionId]?.value?.trim() || null,
      draft: values[draftBlockId]?.[ASK_MODAL.actionId]?.value?.trim() || null,
      viewId: parsed.data.id ?? null,
    },
    draftBlockId,
    version: meta.version,
  };
}

/** The contact picked in the picker modal, or null. */
export function parseAskPick(view: unknown): number | null {
  const parsed = viewSchema.safeParse(view);
  if (!parsed.success) return null;
  const value =
    parsed.data.state.values[ASK_MODAL.blocks.contact]?.[ASK_MODAL.contactSearchActionId]?.selected_option?.value;
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export function parseFollowUpView(view: unknown): number | null {
  const parsed = viewSchema.safeParse(view);
  if (!parsed.success) return null;
  return parseMetadata(parsed.data.private_metadata, z.object({ askId: z.number().int().positive() }))?.askId ?? null;
}
