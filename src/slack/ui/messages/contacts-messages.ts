import type { ActionsBlock, KnownBlock } from '@slack/types';
import { z } from 'zod';
import type { ContactSummary } from '../../../domain/contacts/contacts-service.js';
import type { Contact } from '../../../domain/types.js';
import { slackDateTime } from '../slack-date.js';
import { escapeMrkdwn, escapeToFit, mrkdwn, plain, truncate } from '../text.js';
import { askButton } from './asks-messages.js';
import { contactLine, type OutgoingMessage } from './meeting-messages.js';

/** Buttons on contact lists and views; the value is the contact id, re-checked against the presser every time. */
export const CONTACT_ACTIONS = {
  schedule: 'contact_schedule',
  edit: 'contact_edit',
  history: 'contact_history',
  delete: 'contact_delete',
  more: 'contacts_more',
  editExisting: 'contact_edit_existing',
} as const;

/** Two blocks a contact; ten of the largest stay well under Slack's message size. */
export const CONTACTS_PAGE_SIZE = 10;

/** What the "More" button carries: the query and where the next page starts (button values hold 2000). */
export interface ContactsPageCursor {
  query: string;
  offset: number;
}

const cursorSchema = z.object({ query: z.string().max(500), offset: z.number().int().min(0).max(1_000_000) });

export function parseContactsCursor(value: string | undefined): ContactsPageCursor | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(value ?? ''));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function contactButtons(contact: Contact, blockId: string): ActionsBlock {
  const value = String(contact.id);
  return {
    type: 'actions',
    block_id: blockId,
    elements: [
      { type: 'button', action_id: CONTACT_ACTIONS.schedule, text: plain('Schedule'), value, style: 'primary' },
      askButton(contact),
      { type: 'button', action_id: CONTACT_ACTIONS.edit, text: plain('Edit'), value },
      { type: 'button', action_id: CONTACT_ACTIONS.history, text: plain('History'), value },
      { type: 'button', action_id: CONTACT_ACTIONS.delete, text: plain('Delete'), value, style: 'danger' },
    ],
  };
}

function meetingsLine(summary: ContactSummary, zone: string): string {
  const parts = [
    summary.lastMeeting ? `last met ${slackDateTime(summary.lastMeeting, zone)}` : null,
    summary.nextMeeting ? `next ${slackDateTime(summary.nextMeeting, zone)}` : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : 'no meetings yet';
}

/** The ephemeral answer to `/infoview contacts [query]`: one page, newest activity first, with "More". */
export function buildContactList(
  summaries: ContactSummary[],
  options: { query: string; offset: number; hasMore: boolean; zone: string },
): OutgoingMessage {
  const { query, offset, hasMore, zone } = options;
  const about = query === '' ? 'Your contacts' : `Contacts matching “${truncate(query, 60)}”`;
  if (summaries.length === 0) {
    const text =
      offset > 0
        ? 'No more contacts.'
        : query === ''
          ? 'You have not logged anyone yet. Log a contact with `/infoview contact Ada Lovelace`.'
          : `No contact matches “${escapeToFit(truncate(query, 60), 400)}”. Try part of a name, an organisation, a title or a tag.`;
    return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
  }
  const blocks: KnownBlock[] = [{ type: 'header', text: plain(truncate(about, 150)) }];
  summaries.forEach((summary, index) => {
    blocks.push({
      type: 'section',
      text: mrkdwn(`${contactLine(summary.contact, 'compact')}\n_${meetingsLine(summary, zone)}_`),
    });
    blocks.push(contactButtons(summary.contact, `contact_actions:${summary.contact.id}:${offset + index}`));
  });
  const shown = `${offset + 1}–${offset + summaries.length}`;
  const footer: KnownBlock[] = [{ type: 'context', elements: [mrkdwn(`Showing ${shown}.`)] }];
  if (hasMore) {
    const cursor: ContactsPageCursor = { query: truncate(query, 500), offset: offset + summaries.length };
    footer.push({
      type: 'actions',
      block_id: 'contacts_more',
      elements: [
        { type: 'button', action_id: CONTACT_ACTIONS.more, text: plain('More'), value: JSON.stringify(cursor) },
      ],
    });
  }
  blocks.push(...footer);
  return { text: `${escapeMrkdwn(about)}: ${shown}`, blocks };
}
