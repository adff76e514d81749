import type { KnownBlock, ModalView } from '@slack/types';
import { directMessageLink } from '../../../domain/contacts/colleagues.js';
import type { ContactHistory, DeletionSummary } from '../../../domain/contacts/contacts-service.js';
import type { Contact } from '../../../domain/types.js';
import { askButton } from '../messages/asks-messages.js';
import { CONTACT_ACTIONS, contactButtons } from '../messages/contacts-messages.js';
import { contactLine, meetingWhen } from '../messages/meeting-messages.js';
import { escapeMrkdwn, escapeToFit, linkTo, mrkdwn, plain, truncate } from '../text.js';
import { mergeButton } from './merge-contact-modal.js';

export const DELETE_CONTACT_MODAL = { callbackId: 'delete_contact' } as const;

const MAX_VIEW_BLOCKS = 100;

function name(contact: Contact): string {
  return `*${escapeToFit(contact.name, 200)}*`;
}

/** Pushed over the contact form when the person is already logged: edit that one, or go back and change the name. */
export function buildDuplicateContactView(existing: Contact): ModalView {
  return {
    type: 'modal',
    title: plain('Already logged'),
    close: plain('Back'),
    blocks: [
      { type: 'section', text: mrkdwn(`You already have this person in your contacts:\n${contactLine(existing)}`) },
      {
        type: 'context',
        elements: [
          mrkdwn('Edit them instead, or go back and change the name or organisation if this is someone else.'),
        ],
      },
      {
        type: 'actions',
        block_id: 'duplicate_actions',
        elements: [
          {
            type: 'button',
            action_id: CONTACT_ACTIONS.editExisting,
            text: plain(truncate(`Edit ${existing.name}`, 75)),
            value: String(existing.id),
            style: 'primary',
          },
        ],
      },
    ],
  };
}

/** What the contact form turns into once saved: a confirmation with the next useful step. */
export function buildContactSavedView(contact: Contact, created: boolean): ModalView {
  return {
    type: 'modal',
    title: plain(created ? 'Contact logged' : 'Contact saved'),
    close: plain('Done'),
    blocks: [
      { type: 'section', text: mrkdwn(`${created ? 'Logged' : 'Saved'}:\n${contactLine(contact)}`) },
      contactButtons(contact, `contact_actions:${contact.id}`),
    ],
  };
}

/**
 * Everything about one contact in time order, and the referral chain both ways; `reports` links full reports by
 * meeting id. A Slack colleague gets a link that opens a DM with them in the viewer's workspace (`teamId`): the user
 * writes to them, the app never does.
 */
export function buildContactHistoryView(
  history: ContactHistory,
  zone: string,
  teamId: string,
  reports: ReadonlyMap<number, string> = new Map(),
): ModalView {
  const { contact, referredByChain, referrals, meetings } = history;
  const details = [
    contact.email ? `Email: ${escapeToFit(contact.email, 300)}` : null,
    contact.profileUrl ? `Profile: ${linkTo(contact.profileUrl, truncate(contact.profileUrl, 80))}` : null,
    contact.timeZone ? `Time zone: ${escapeMrkdwn(contact.timeZone)}` : null,
    contact.howMet ? `How you met: ${escapeToFit(contact.howMet, 500)}` : null,
    contact.tags.length > 0 ? `Tags: ${escapeToFit(contact.tags.join(', '), 400)}` : null,
  ].filter(Boolean);
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(contactLine(contact)) }];
  if (details.length > 0) blocks.push({ type: 'section', text: mrkdwn(details.join('\n')) });
  if (contact.slackUserId) {
    const link = linkTo(
      directMessageLink(teamId, contact.slackUserId),
      truncate(`Open a DM with ${contact.name}`, 150),
    );
    blocks.push({ type: 'section', block_id: 'contact_slack_dm', text: mrkdwn(`${link} (<@${contact.slackUserId}>)`) });
  }
  if (contact.notes) blocks.push({ type: 'section', text: mrkdwn(`*Notes*\n${escapeToFit(contact.notes, 2900)}`) });
  blocks.push({
    type: 'actions',
    block_id: `contact_history_actions:${contact.id}`,
    elements: [
      askButton(contact, 'Ask for a conversation'),
      { type: 'button', action_id: CONTACT_ACTIONS.schedule, text: plain('Schedule'), value: String(contact.id) },
      mergeButton(contact),
    ],
  });

  blocks.push({ type: 'header', text: plain('Referrals') });
  const chain = referredByChain.map((c) => name(c)).join(' ← ');
  blocks.push({
    type: 'section',
    text: mrkdwn(
      referredByChain.length > 0 ? `Introduced to you by ${chain}` : 'Not referred by any of your contacts.',
    ),
  });
  if (referrals.length > 0) {
    const lines = referrals.map(
      ({ contact: c, hops }) => `${'    '.repeat(hops - 1)}• ${name(c)}${hops > 1 ? ` _(${hops} steps away)_` : ''}`,
    );
    blocks.push({ type: 'section', text: mrkdwn(fitLines(`Introduced you to:\n`, lines, 2900)) });
  }

  blocks.push({ type: 'header', text: plain('Meetings') });
  if (meetings.length === 0) blocks.push({ type: 'section', text: mrkdwn('No meetings yet.') });
  // Keep room for the header blocks above; older meetings first, so the last block says how many were left out.
  const room = MAX_VIEW_BLOCKS - blocks.length - 1;
  for (const meeting of meetings.slice(0, room)) {
    const marks = [
      meeting.debriefedAt ? 'debriefed' : null,
      meeting.thankYouSentAt ? 'thank-you sent' : null,
      meeting.reportedBackAt ? 'reported back' : null,
    ].filter(Boolean);
    const status =
      meeting.status === 'cancelled' ? ' _(cancelled)_' : marks.length > 0 ? ` _(${marks.join(', ')})_` : '';
    const where = meeting.location ? ` · ${escapeToFit(meeting.location, 200)}` : '';
    const report = reports.get(meeting.id);
    const reportLink = report === undefined ? '' : ` · ${linkTo(report, 'Full report')}`;
    blocks.push({
      type: 'section',
      text: mrkdwn(`${escapeMrkdwn(meetingWhen(meeting, zone, contact))}${status}${where}${reportLink}`),
    });
  }
  if (meetings.length > room) {
    blocks.push({ type: 'context', elements: [mrkdwn(`and ${meetings.length - room} more meetings`)] });
  }
  return { type: 'modal', title: plain('History'), close: plain('Done'), blocks };
}

function fitLines(heading: string, lines: string[], max: number): string {
  let text = heading;
  for (const [index, line] of lines.entries()) {
    const rest = lines.length - index;
    if (text.length + line.length + 30 > max) return `${text}…and ${rest} more`;
    text += `${line}\n`;
  }
  return text.trimEnd();
}

/** Asks before deleting, saying exactly what goes with the contact. */
export function buildDeleteContactView(summary: DeletionSummary): ModalView {
  const { contact, meetings, upcomingMeetings } = summary;
  const goes = [
    meetings === 0
      ? 'No meetings are logged with them.'
      : `${meetings} meeting${meetings === 1 ? '' : 's'} with them${upcomingMeetings > 0 ? ` (${upcomingMeetings} still to come)` : ''}, with their debriefs, notes and any reminders not yet sent.`,
  ];
  return {
    type: 'modal',
    callback_id: DELETE_CONTACT_MODAL.callbackId,
    private_metadata: JSON.stringify({ contactId: contact.id }),
    title: plain('Delete contact?'),
    submit: plain('Delete'),
    close: plain('Keep'),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(`This deletes ${name(contact)} and everything logged about them:\n• ${goes.join('\n• ')}`),
      },
      {
        type: 'context',
        elements: [mrkdwn('This cannot be undone. People they referred you to stay in your contacts.')],
      },
    ],
  };
}

export function buildContactDeletedView(summary: DeletionSummary): ModalView {
  const meetings = summary.meetings === 0 ? '' : ` and ${summary.meetings} meeting${summary.meetings === 1 ? '' : 's'}`;
  return {
    type: 'modal',
    title: plain('Contact deleted'),
    close: plain('Done'),
    blocks: [{ type: 'section', text: mrkdwn(`Deleted ${name(summary.contact)}${meetings}.`) }],
  };
}

/** Shown in place of a view when its contact is not the user's (or no longer exists). */
export function buildNotFoundView(message: string): ModalView {
  return {
    type: 'modal',
    title: plain('Not found'),
    close: plain('Close'),
    blocks: [{ type: 'section', text: mrkdwn(escapeMrkdwn(message)) }],
  };
}
