import type { ActionsBlock, KnownBlock, SectionBlock } from '@slack/types';
import { isWebLink } from '../../../domain/links.js';
import type { Contact, Meeting, MeetingWithContact } from '../../../domain/types.js';
import {
  addMinutes,
  formatDateTime,
  formatTime,
  formatWeekday,
  offsetMinutesAt,
  zoneAbbreviation,
} from '../../../lib/zoned-time.js';
import { DATE_TOKENS, slackDate, slackDateTime } from '../slack-date.js';
import { escapeMrkdwn, escapeToFit, linkTo, mrkdwn, plain, truncate } from '../text.js';

/** Buttons on meeting messages; their value is the meeting id, which every handler re-checks against the owner. */
export const MEETING_ACTIONS = {
  reschedule: 'meeting_reschedule',
  cancel: 'meeting_cancel',
} as const;

export interface OutgoingMessage {
  text: string;
  blocks: KnownBlock[];
}

const SECTION_TEXT_MAX = 3000;
const FIELD_TEXT_MAX = 2000;

/**
 * "Tue 3 Nov 2026, 15:00–15:30 EST" in the user's zone, and when the contact's zone differs at that moment,
 * " · 21:00 for Ada" (with the weekday when it is another day there). Plain text, for plain_text fields, option texts
 * and notification text; escape before mrkdwn. In mrkdwn use `meetingWhenMrkdwn`.
 */
export function meetingWhen(meeting: Meeting, zone: string, contact?: Pick<Contact, 'name' | 'timeZone'>): string {
  const end = addMinutes(meeting.startsAt, meeting.durationMinutes);
  const mine = `${formatDateTime(meeting.startsAt, zone)}–${formatTime(end, zone)} ${zoneAbbreviation(meeting.startsAt, zone)}`;
  return `${mine}${theirTime(meeting, zone, contact)}`;
}

/**
 * The same in mrkdwn: start and end in Slack's date formatting, so each reader sees their own clock and locale, with
 * `meetingWhen`'s text as the fallback. The contact's local time stays infoview's text (Slack cannot know their zone).
 */
export function meetingWhenMrkdwn(
  meeting: Meeting,
  zone: string,
  contact?: Pick<Contact, 'name' | 'timeZone'>,
): string {
  const end = addMinutes(meeting.startsAt, meeting.durationMinutes);
  const start = slackDateTime(meeting.startsAt, zone);
  const until = slackDate(
    end,
    DATE_TOKENS.time,
    `${formatTime(end, zone)} ${zoneAbbreviation(meeting.startsAt, zone)}`,
  );
  return `${start}–${until}${escapeMrkdwn(theirTime(meeting, zone, contact))}`;
}

/** " · 21:00 for Ada" when the contact's zone is at another offset at that moment, else "". */
function theirTime(meeting: Meeting, zone: string, contact?: Pick<Contact, 'name' | 'timeZone'>): string {
  const theirs = contact?.timeZone;
  if (!theirs || offsetMinutesAt(meeting.startsAt, theirs) === offsetMinutesAt(meeting.startsAt, zone)) return '';
  const otherDay = formatWeekday(meeting.startsAt, theirs) !== formatWeekday(meeting.startsAt, zone);
  const when = `${otherDay ? `${formatWeekday(meeting.startsAt, theirs)} ` : ''}${formatTime(meeting.startsAt, theirs)}`;
  return ` · ${when} for ${firstName(contact.name)}`;
}

function firstName(name: string): string {
  return truncate(name.trim().split(/\s+/)[0] ?? name, 20);
}

/**
 * "*Ada Lovelace* · say it _AY-duh_" then "Analyst at Engines Ltd": the name and how to say it come first.
 * `budget` scales the room each part may take, so lists of many contacts stay small.
 */
export function contactLine(contact: Contact, budget: 'full' | 'compact' = 'full'): string {
  const room = budget === 'full' ? 1 : 0.3;
  const name = `*${escapeToFit(contact.name, 300 * room)}*`;
  const saying = contact.pronunciation ? ` · say it _${escapeToFit(contact.pronunciation, 300 * room)}_` : '';
  const role = [contact.title, contact.company].filter((part): part is string => Boolean(part));
  const roleLine = role.length > 0 ? `\n${escapeToFit(role.join(' at '), 600 * room)}` : '';
  return `${name}${saying}${roleLine}`;
}

function whereText(location: string): string {
  return isWebLink(location) ? linkTo(location, truncate(location, 200)) : escapeToFit(location, FIELD_TEXT_MAX - 20);
}

export function meetingButtons(meeting: Meeting, contactName: string): ActionsBlock {
  return {
    type: 'actions',
    block_id: `meeting_actions:${meeting.id}`,
    elements: [
      {
        type: 'button',
        action_id: MEETING_ACTIONS.reschedule,
        text: plain('Reschedule'),
        value: String(meeting.id),
      },
      {
        type: 'button',
        action_id: MEETING_ACTIONS.cancel,
        text: plain('Cancel meeting'),
        style: 'danger',
        value: String(meeting.id),
        confirm: {
          title: plain('Cancel this meeting?'),
          text: plain(`Your meeting with ${truncate(contactName, 60)} will be cancelled. Let them know too.`),
          confirm: plain('Cancel meeting'),
          deny: plain('Keep it'),
          style: 'danger',
        },
      },
    ],
  };
}

/** The DM sent after scheduling or rescheduling: who, when (user's zone, with weekday), how long, where. */
export function buildMeetingConfirmation(
  found: MeetingWithContact,
  zone: string,
  kind: 'scheduled' | 'rescheduled',
): OutgoingMessage {
  const { meeting, contact } = found;
  const when = meetingWhenMrkdwn(meeting, zone, contact);
  const fields = [
    mrkdwn(`*When*\n${when}`),
    mrkdwn(`*How long*\n${meeting.durationMinutes} minutes`),
    ...(meeting.location ? [mrkdwn(`*Where*\n${whereText(meeting.location)}`)] : []),
  ];
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(kind === 'scheduled' ? 'Meeting scheduled' : 'Meeting rescheduled') },
    { type: 'section', text: mrkdwn(contactLine(contact)), fields } satisfies SectionBlock,
  ];
  if (meeting.goal) {
    blocks.push({
      type: 'section',
      text: mrkdwn(`*What you want to learn*\n${escapeToFit(meeting.goal, SECTION_TEXT_MAX - 40)}`),
    });
  }
  if (meeting.questions) {
    blocks.push({
      type: 'section',
      text: mrkdwn(`*Your questions*\n${escapeToFit(meeting.questions, SECTION_TEXT_MAX - 40)}`),
    });
  }
  blocks.push(meetingButtons(meeting, contact.name));
  const verb = kind === 'scheduled' ? 'Scheduled' : 'Rescheduled';
  return {
    text: `${verb}: ${escapeMrkdwn(contact.name)}, ${escapeMrkdwn(meetingWhen(meeting, zone, contact))}`,
    blocks,
  };
}

/** Replaces a meeting message once the meeting is cancelled: no buttons left to press. */
export function buildMeetingCancelled(found: MeetingWithContact, zone: string): OutgoingMessage {
  const when = meetingWhenMrkdwn(found.meeting, zone, found.contact);
  return {
    text: `Cancelled: your meeting with ${escapeMrkdwn(found.contact.name)} on ${escapeMrkdwn(meetingWhen(found.meeting, zone, found.contact))}.`,
    blocks: [
      {
        type: 'section',
        text: mrkdwn(`:x: Cancelled: your meeting with *${escapeToFit(found.contact.name, 300)}* on ${when}.`),
      },
    ],
  };
}

/** Replaces the message a Reschedule button was pressed on, pointing to the new confirmation. */
export function buildMeetingMoved(found: MeetingWithContact, zone: string): OutgoingMessage {
  const when = meetingWhenMrkdwn(found.meeting, zone, found.contact);
  return {
    text: `Moved: your meeting with ${escapeMrkdwn(found.contact.name)} is now ${escapeMrkdwn(meetingWhen(found.meeting, zone, found.contact))}.`,
    blocks: [
      {
        type: 'context',
        elements: [
          mrkdwn(
            `Moved: your meeting with *${escapeToFit(found.contact.name, 300)}* is now ${when}. See the newer message.`,
          ),
        ],
      },
    ],
  };
}
