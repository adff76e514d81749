import type { KnownBlock } from '@slack/types';
import type { MeetingWithContact } from '../../../domain/types.js';
import { escapeMrkdwn, escapeToFit, mrkdwn, plain } from '../text.js';
import {
  contactLine,
  meetingButtons,
  meetingWhen,
  meetingWhenMrkdwn,
  type OutgoingMessage,
} from './meeting-messages.js';

/** Two blocks a meeting; eight of the largest possible stay under the ~13k characters Slack accepts in blocks. */
export const UPCOMING_LIMIT = 8;

/** The ephemeral answer to `/infoview upcoming`: soonest first, each with its buttons. */
export function buildUpcomingList(meetings: MeetingWithContact[], zone: string, more: boolean): OutgoingMessage {
  if (meetings.length === 0) {
    const text = 'You have no upcoming meetings. Schedule one with `/infoview schedule Ada Lovelace next Tuesday 3pm`.';
    return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
  }
  const blocks: KnownBlock[] = [{ type: 'header', text: plain('Your upcoming meetings') }];
  for (const found of meetings.slice(0, UPCOMING_LIMIT)) {
    // 100, not more: the date tokens take room, and eight of the largest items must still fit.
    const where = found.meeting.location ? `\n${escapeToFit(found.meeting.location, 100)}` : '';
    blocks.push({
      type: 'section',
      text: mrkdwn(
        `*${meetingWhenMrkdwn(found.meeting, zone, found.contact)}* · ${found.meeting.durationMinutes} min\n${contactLine(found.contact, 'compact')}${where}`,
      ),
    });
    blocks.push(meetingButtons(found.meeting, found.contact.name));
  }
  if (more) {
    blocks.push({ type: 'context', elements: [mrkdwn(`Showing the next ${UPCOMING_LIMIT}.`)] });
  }
  const first = meetings[0];
  const text = first
    ? `${meetings.length}${more ? '+' : ''} upcoming meeting(s); next: ${escapeMrkdwn(first.contact.name)}, ${escapeMrkdwn(meetingWhen(first.meeting, zone, first.contact))}`
    : 'Your upcoming meetings';
  return { text, blocks };
}
