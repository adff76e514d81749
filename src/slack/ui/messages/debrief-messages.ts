import type { KnownBlock } from '@slack/types';
import type { DebriefOutcome } from '../../../domain/debriefs/debriefs-service.js';
import { escapeMrkdwn, escapeToFit, mrkdwn, plain, truncate } from '../text.js';
import { CONTACT_ACTIONS } from './contacts-messages.js';
import type { OutgoingMessage } from './meeting-messages.js';
import { adviceCheckboxes, REMINDER_ACTIONS } from './reminders-messages.js';

/** Buttons on draft messages; the value is the meeting id, re-checked against the presser. */
export const DRAFT_ACTIONS = {
  editThankYou: 'thank_you_edit',
  editReportBack: 'report_back_edit',
} as const;

/** Buttons on the DM after a debrief; the value is the meeting id, re-checked against the presser. */
export const DEBRIEF_ACTIONS = {
  writeFullReport: 'full_report_write',
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
    blocks.push({
      type: 'section',
      text: mrkdwn(`*Who they suggested* (added to your contacts, referred by ${name}):`),
    });
    for (const { contact, created } of referred.slice(0, MAX_REFERRALS_SHOWN)) {
      const role = [contact.title, contact.company].filter(Boolean).join(', ');
      blocks.push({
        type: 'section',
        text: mrkdwn(
          `*${escapeToFit(contact.name, 200)}*${role ? ` · ${escapeToFit(role, 300)}` : ''}${created ? '' : ' _(already in your contacts)_'}`,
        ),
        accessory: {
          type: 'button',
          action_id: CONTACT_ACTIONS.schedule,
          text: plain('Schedule'),
          value: String(contact.id),
        },
      });
    }
    if (referred.length > MAX_REFERRALS_SHOWN) {
      blocks.push({
        type: 'context',
        elements: [mrkdwn(`and ${referred.length - MAX_REFERRALS_SHOWN} more, in your contacts`)],
      });
    }
  }
  if (items.length > 0) {
    blocks.push({ type: 'section', text: mrkdwn('*Things you said you would do* (tick them off as you go):') });
    blocks.push(...adviceCheckboxes(found.meeting.id, items.slice(0, 20)));
  }
  blocks.push({
    type: 'section',
    block_id: `full_report:${found.meeting.id}`,
    text: mrkdwn(
      '*The full report*: a canvas with a heading for each part of this debrief, to expand while it is fresh. Only you can see it.',
    ),
    accessory: {
      type: 'button',
      action_id: DEBRIEF_ACTIONS.writeFullReport,
      text: plain('Write the full report'),
      value: String(found.meeting.id),
    },
  });
  return { text: `Debrief saved: ${name}`, blocks };
}

/** The draft as a quote, within a section's 3,000 characters: the ">" of each line counts too. */
function quoted(draft: string): string {
  const lines = draft.split('\n');
  const quotedText = lines.map((line) => `>${escapeMrkdwn(line)}`).join('\n');
  if (quotedText.length <= 2900) return quotedText;
  // Too long: keep whole lines while they fit, then say the rest is in the Edit view.
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    const next = `>${escapeToFit(line, 500)}`;
    if (length + next.length + 1 > 2800) break;
    kept.push(next);
    length += next.length + 1;
  }
  return `${kept.join('\n')}\n_…the rest is in Edit._`;
}

const DRAFTS = {
  thank_you: {
    noun: 'thank-you note',
    advice: 'Send it today: within 24 hours is what people remember.',
    edit: DRAFT_ACTIONS.editThankYou,
    done: { action: REMINDER_ACTIONS.thankYouSent, label: 'Mark as sent' },
  },
  report_back: {
    noun: 'report-back note',
    advice: 'Fill in what came of each suggestion.',
    edit: DRAFT_ACTIONS.editReportBack,
    done: { action: REMINDER_ACTIONS.reportedBack, label: 'Mark as reported back' },
  },
} as const;

/** A drafted note to copy, quoted, with Edit and the button that records it as sent. */
function draftMessage(
  which: keyof typeof DRAFTS,
  meetingId: number,
  contactName: string,
  draft: string,
): OutgoingMessage {
  const kind = DRAFTS[which];
  const value = String(meetingId);
  const name = escapeToFit(contactName, 200);
  return {
    text: `A ${kind.noun} for ${escapeMrkdwn(truncate(contactName, 200))}, ready to copy`,
    blocks: [
      { type: 'section', text: mrkdwn(`*A ${kind.noun} for ${name}*, ready to copy. ${kind.advice}`) },
      { type: 'section', text: mrkdwn(quoted(draft)) },
      {
        type: 'actions',
        block_id: `${which}_draft:${meetingId}`,
        elements: [
          { type: 'button', action_id: kind.edit, text: plain('Edit'), value },
          { type: 'button', action_id: kind.done.action, text: plain(kind.done.label), value, style: 'primary' },
        ],
      },
    ],
  };
}

export function buildThankYouDraftMessage(meetingId: number, contactName: string, draft: string): OutgoingMessage {
  return draftMessage('thank_you', meetingId, contactName, draft);
}

export function buildReportBackDraftMessage(meetingId: number, contactName: string, draft: string): OutgoingMessage {
  return draftMessage('report_back', meetingId, contactName, draft);
}
