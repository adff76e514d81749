import type { KnownBlock } from '@slack/types';
import type { DebriefOutcome } from '../../../domain/debriefs.js';
import { escapeMrkdwn, escapeToFit, mrkdwn, plain, truncate } from '../text.js';
import { CONTACT_ACTIONS } from './contacts.js';
import type { OutgoingMessage } from './meeting.js';
import { adviceCheckboxes, REMINDER_ACTIONS } from './reminders.js';

/** Buttons on draft messages; the value is the meeting id, re-checked against the presser. */
export const DRAFT_ACTIONS = {
  editThankYou: 'thank_you_edit',
  editReportBack: 'report_back_edit',
} as const;

/** Room kept in a message for the people suggested: each is one section with a Schedule button. */
const MAX_REFERRALS_SHOWN = 15;

/** The DM after a debrief: the people suggested (now contacts) with Schedule, and the things to do, to tick off. */
export function buildDebriefSavedMessage(outcome: DebriefOutcome): OutgoingMessage {
  const { found, referred, items } = outcome;
  const name = escapeToFit(found.contact.name, 200);
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwn(`:memo: Debrief saved for your conversation with *${name}*.`) },
  ];
  if (referred.length > 0) {
    blocks.push({ type: 'section', text: mrkdwn(`*Who they suggested* (added to your contacts, referred by ${name}):`) });
    for (const { contact, created } of referred.slice(0, MAX_REFERRALS_SHOWN)) {
      const role = [contact.title, contact.company].filter(Boolean).join(', ');
      blocks.push({
        type: 'section',
        text: mrkdwn(`*${escapeToFit(contact.name, 200)}*${role ? ` · ${escapeToFit(role, 300)}` : ''}${created ? '' : ' _(already in your contacts)_'}`),
        accessory: { type: 'button', action_id: CONTACT_ACTIONS.schedule, text: plain('Schedule'), value: String(contact.id) },
      });
    }
    if (referred.length > MAX_REFERRALS_SHOWN) {
      blocks.push({ type: 'context', elements: [mrkdwn(`and ${referred.length - MAX_REFERRALS_SHOWN} more, in your contacts`)] });
    }
  }
  if (items.length > 0) {
    blocks.push({ type: 'section', text: mrkdwn('*Things you said you would do* (tick them off as you go):') });
    blocks.push(...adviceCheckboxes(found.meeting.id, items.slice(0, 20)));
  }
  return { text: `Debrief saved: ${name}`, blocks };
}

function quoted(draft: string): string {
  return escapeToFit(draft, 2800)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

/** The thank-you draft to copy, with Edit and Mark as sent. */
export function buildThankYouDraftMessage(meetingId: number, contactName: string, draft: string): OutgoingMessage {
  const value = String(meetingId);
  return {
    text: `A thank-you note for ${escapeMrkdwn(truncate(contactName, 200))}, ready to copy`,
    blocks: [
      { type: 'section', text: mrkdwn(`*A thank-you note for ${escapeToFit(contactName, 200)}*, ready to copy. Send it today: within 24 hours is what people remember.`) },
      { type: 'section', text: mrkdwn(quoted(draft)) },
      {
        type: 'actions',
        block_id: `thank_you_draft:${meetingId}`,
        elements: [
          { type: 'button', action_id: DRAFT_ACTIONS.editThankYou, text: plain('Edit'), value },
          { type: 'button', action_id: REMINDER_ACTIONS.thankYouSent, text: plain('Mark as sent'), value, style: 'primary' },
        ],
      },
    ],
  };
}

/** The report-back draft to copy, with Edit and Mark as reported back. */
export function buildReportBackDraftMessage(meetingId: number, contactName: string, draft: string): OutgoingMessage {
  const value = String(meetingId);
  return {
    text: `A report-back note for ${escapeMrkdwn(truncate(contactName, 200))}, ready to copy`,
    blocks: [
      { type: 'section', text: mrkdwn(`*A report-back note for ${escapeToFit(contactName, 200)}*, ready to copy. Fill in what came of each suggestion.`) },
      { type: 'section', text: mrkdwn(quoted(draft)) },
      {
        type: 'actions',
        block_id: `report_back_draft:${meetingId}`,
        elements: [
          { type: 'button', action_id: DRAFT_ACTIONS.editReportBack, text: plain('Edit'), value },
          { type: 'button', action_id: REMINDER_ACTIONS.reportedBack, text: plain('Mark as reported back'), value, style: 'primary' },
        ],
      },
    ],
  };
}
