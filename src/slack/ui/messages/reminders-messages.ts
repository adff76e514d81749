import type { KnownBlock } from '@slack/types';
import { isWebLink } from '../../../domain/links.js';
import type { ReminderDelivery } from '../../../domain/ports.js';
import type { ThankYouSnooze } from '../../../domain/reminders/reminder-plan.js';
import type { AdviceItem } from '../../../domain/types.js';
import { formatDateTime, inZone } from '../../../lib/zoned-time.js';
import { slackDateTime } from '../slack-date.js';
import { escapeMrkdwn, escapeToFit, linkTo, mrkdwn, plain, truncate } from '../text.js';
import { askFollowUpMessage, askNextMessage } from './asks-messages.js';
import {
  contactLine,
  meetingButtons,
  meetingWhen,
  meetingWhenMrkdwn,
  type OutgoingMessage,
} from './meeting-messages.js';

/** Buttons on reminder DMs; the value is the meeting id, re-checked against the presser. */
export const REMINDER_ACTIONS = {
  thankYouSent: 'thank_you_sent',
  thankYouSnooze: 'thank_you_snooze',
  showThankYou: 'thank_you_show',
  openDebrief: 'debrief_open',
  toggleAdvice: 'advice_items_toggle',
  draftReportBack: 'report_back_draft',
  reportedBack: 'report_back_done',
  keepInTouchSnooze: 'keep_in_touch_snooze',
  keepInTouchTouch: 'keep_in_touch_touch',
} as const;

/**
 * What "Snooze a day" tells the presser: when the nudge comes back and, when sooner than a day, why (the user was
 * promised a day). `now` places "this evening" or "tomorrow evening" in the user's zone.
 */
export function thankYouSnoozedMessage(snooze: ThankYouSnooze, now: Date, zone: string): OutgoingMessage {
  const say = (when: string) => {
    if (snooze.shortened === 'last_call')
      return `Snoozed until ${when}: a full day would be past the 24 hours after the meeting that a thank-you has, so I will remind you an hour before they run out.`;
    if (snooze.shortened === 'before_quiet') {
      const days = inZone(snooze.until, zone).startOf('day').diff(inZone(now, zone).startOf('day'), 'days').days;
      const evening = days === 0 ? 'this evening, ' : days === 1 ? 'tomorrow evening, ' : '';
      return `Snoozed until ${evening}${when}: the last moment before your quiet hours start. A full day would be past the 24 hours after the meeting that a thank-you has, and your quiet hours start before then.`;
    }
    return `Snoozed: I will remind you again ${when}.`;
  };
  return snoozedNote(say, snooze.until, zone);
}

/** A note saying when something comes back: the time in Slack's date formatting in the block, plain in `text`. */
export function snoozedNote(say: (when: string) => string, until: Date, zone: string): OutgoingMessage {
  return {
    text: say(formatDateTime(until, zone)),
    blocks: [{ type: 'section', text: mrkdwn(say(slackDateTime(until, zone))) }],
  };
}

/** Slack's limit on an option's text. */
const OPTION_TEXT_MAX = 75;

/**
 * The advice ledger as checkboxes (at most 10 a block, Slack's limit), ticked where done. Option text is capped at
 * 75 characters, so when an item is longer the full list comes first, numbered, and the boxes carry the numbers.
 */
export function adviceCheckboxes(meetingId: number, items: AdviceItem[]): KnownBlock[] {
  const long = items.some((item) => escapeMrkdwn(item.text).length > OPTION_TEXT_MAX);
  const blocks: KnownBlock[] = long
    ? [
        {
          type: 'section',
          text: mrkdwn(escapeToFit(items.map((item, i) => `${i + 1}. ${item.text}`).join('\n'), 2900)),
        },
      ]
    : [];
  const label = (item: AdviceItem, index: number) =>
    mrkdwn(escapeToFit(long ? `${index + 1}. ${item.text}` : item.text, OPTION_TEXT_MAX));
  for (let start = 0; start < items.length; start += 10) {
    const chunk = items.slice(start, start + 10);
    const options = chunk.map((item, i) => ({ text: label(item, start + i), value: String(item.id) }));
    const done = options.filter((_, i) => chunk[i]?.doneAt !== null);
    blocks.push({
      type: 'actions',
      block_id: `advice:${meetingId}:${start / 10}`,
      elements: [
        {
          type: 'checkboxes',
          action_id: REMINDER_ACTIONS.toggleAdvice,
          options,
          ...(done.length > 0 ? { initial_options: done } : {}),
        },
      ],
    });
  }
  return blocks;
}

export function reportBackButtons(meetingId: number): KnownBlock {
  const value = String(meetingId);
  return {
    type: 'actions',
    block_id: `report_back:${meetingId}`,
    elements: [
      {
        type: 'button',
        action_id: REMINDER_ACTIONS.draftReportBack,
        text: plain('Draft report-back'),
        value,
        style: 'primary',
      },
      { type: 'button', action_id: REMINDER_ACTIONS.reportedBack, text: plain('Mark as reported back'), value },
    ],
  };
}

/** Slack message metadata that marks a post as a reminder's, so a retry can find it in the DM history. */
export const REMINDER_METADATA_EVENT = 'infoview_reminder';

export function reminderMetadata(reminderId: number, kind: string, delivery: number) {
  return { event_type: REMINDER_METADATA_EVENT, event_payload: { reminder_id: reminderId, kind, delivery } };
}

function where(location: string | null): string {
  if (!location) return 'Where: not set yet. Confirm the place or the link with them.';
  return isWebLink(location)
    ? `Join: ${linkTo(location, truncate(location, 200))}`
    : `Where: ${escapeToFit(location, 500)}`;
}

/** The etiquette checklist, tuned to a video call or an in-person meeting. */
export function etiquetteChecklist(location: string | null): string[] {
  const video = location !== null && isWebLink(location);
  const setting = video
    ? [
        'Test the link, your camera and your sound a few minutes before.',
        'Join on time, somewhere quiet, dressed as you would in person.',
      ]
    : [
        'Arrive 5 to 10 minutes early, and confirm the address beforehand.',
        'Business attire: neither too casual nor overdressed.',
      ];
  return [
    ...setting,
    'Know how to say their name and what their title is.',
    'Keep to the time you asked for; you lead with your questions.',
    'Take only brief notes, and only if they are comfortable with it.',
    'Before you finish, ask who else you should talk to.',
  ];
}

/** The DM for one reminder, by kind. Pure; every piece of user text is escaped. */
export function buildReminderMessage(delivery: ReminderDelivery): OutgoingMessage {
  if (delivery.kind === 'keep_in_touch') {
    const { contact, lastTouch, zone } = delivery;
    const name = escapeToFit(contact.name, 200);
    const value = String(contact.id);
    return {
      text: `Time to get back in touch with ${name}`,
      blocks: [
        {
          type: 'section',
          text: mrkdwn(
            `It has been a while since you were last in touch with *${name}* (${slackDateTime(lastTouch, zone)}). A short note on what you have been doing keeps the door open.`,
          ),
        },
        {
          type: 'actions',
          block_id: `keep_in_touch:${contact.id}`,
          elements: [
            {
              type: 'button',
              action_id: REMINDER_ACTIONS.keepInTouchTouch,
              text: plain('Log a touch'),
              value,
              style: 'primary',
            },
            { type: 'button', action_id: REMINDER_ACTIONS.keepInTouchSnooze, text: plain('Snooze a week'), value },
          ],
        },
      ],
    };
  }
  if (delivery.kind === 'ask_next')
    return askNextMessage(delivery.contact, delivery.ask, delivery.nextToAsk, delivery.zone);
  if (delivery.kind === 'ask_follow_up')
    return askFollowUpMessage(delivery.contact, delivery.ask, delivery.draft, delivery.zone);
  const { found, zone, kind } = delivery;
  const { meeting, contact } = found;
  const name = escapeToFit(contact.name, 200);
  const when = meetingWhenMrkdwn(meeting, zone, contact);
  const plainWhen = escapeMrkdwn(meetingWhen(meeting, zone, contact));
  const meetingId = String(meeting.id);
  switch (kind) {
    case 'prep': {
      const introductions = [contact.howMet ? `How you met: ${escapeToFit(contact.howMet, 400)}` : null].filter(
        Boolean,
      );
      const blocks: KnownBlock[] = [
        { type: 'header', text: plain('Prepare for your meeting') },
        {
          type: 'section',
          text: mrkdwn(`${contactLine(contact)}${introductions.length ? `\n${introductions.join('\n')}` : ''}`),
        },
        {
          type: 'section',
          text: mrkdwn(`*When:* ${when} (${meeting.durationMinutes} minutes)\n${where(meeting.location)}`),
        },
      ];
      if (meeting.goal)
        blocks.push({ type: 'section', text: mrkdwn(`*Your goal*\n${escapeToFit(meeting.goal, 1500)}`) });
      if (meeting.questions)
        blocks.push({ type: 'section', text: mrkdwn(`*Your questions*\n${escapeToFit(meeting.questions, 2900)}`) });
      blocks.push({
        type: 'section',
        text: mrkdwn(
          `*Checklist*\n${etiquetteChecklist(meeting.location)
            .map((line) => `• ${line}`)
            .join('\n')}`,
        ),
      });
      blocks.push(meetingButtons(meeting, contact.name));
      return { text: `Prepare: ${name}, ${plainWhen}`, blocks };
    }
    case 'heads_up': {
      const say = contact.pronunciation ? ` (say it _${escapeToFit(contact.pronunciation, 200)}_)` : '';
      const text = `Coming up: *${name}*${say}, ${when}.\n${where(meeting.location)}`;
      return { text: `Coming up: ${name}, ${plainWhen}`, blocks: [{ type: 'section', text: mrkdwn(text) }] };
    }
    case 'debrief':
      return {
        text: `How did it go with ${name}? Sketch your outline while it is fresh.`,
        blocks: [
          {
            type: 'section',
            text: mrkdwn(
              `How did it go with *${name}*? Sketch your outline while it is fresh: the topics, what you learned, the advice, and who else to talk to. A few minutes now is worth an hour next week.`,
            ),
          },
          {
            type: 'actions',
            block_id: `debrief:${meetingId}`,
            elements: [
              {
                type: 'button',
                action_id: REMINDER_ACTIONS.openDebrief,
                text: plain('Write the debrief'),
                value: meetingId,
                style: 'primary',
              },
            ],
          },
        ],
      };
    case 'thank_you':
    case 'thank_you_followup': {
      const lead = kind === 'thank_you' ? 'Send a thank-you' : 'A reminder: send your thank-you';
      const text = `${lead} to *${name}* today: within 24 hours of the meeting, and mention something specific you learned.`;
      return {
        text: `${lead} to ${name}`,
        blocks: [
          { type: 'section', text: mrkdwn(text) },
          {
            type: 'actions',
            block_id: `thank_you:${meetingId}`,
            elements: [
              {
                type: 'button',
                action_id: REMINDER_ACTIONS.showThankYou,
                text: plain('See a draft'),
                value: meetingId,
              },
              {
                type: 'button',
                action_id: REMINDER_ACTIONS.thankYouSent,
                text: plain('Mark as sent'),
                value: meetingId,
                style: 'primary',
              },
              {
                type: 'button',
                action_id: REMINDER_ACTIONS.thankYouSnooze,
                text: plain('Snooze a day'),
                value: meetingId,
              },
            ],
          },
        ],
      };
    }
    case 'report_back': {
      const items = delivery.adviceItems;
      const blocks: KnownBlock[] = [
        {
          type: 'section',
          text: mrkdwn(
            `Two weeks ago you met *${name}* (${when}). Report back to them on the suggestions you followed up: it is what makes people glad they helped, and willing to help again.`,
          ),
        },
      ];
      if (items.length > 0) {
        blocks.push({ type: 'context', elements: [mrkdwn('Tick what you did, then draft the note:')] });
        blocks.push(...adviceCheckboxes(meeting.id, items.slice(0, 20)));
      }
      blocks.push(reportBackButtons(meeting.id));
      return { text: `Report back to ${name} on the suggestions you followed up`, blocks };
    }
  }
}
