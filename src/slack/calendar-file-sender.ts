import type { WebClient } from '@slack/web-api';
import { findEmail } from '../db/repositories/slack-users-repository.js';
import type { ListenerDeps } from '../deps.js';
import { type CalendarMethod, meetingCalendarFile } from '../domain/meetings/calendar-file.js';
import type { MeetingWithContact, Owner } from '../domain/types.js';
import { sendFilesToUser } from './direct-messages.js';

function fileName(found: MeetingWithContact): string {
  const slug =
    found.contact.name
      .normalize('NFKD')
      .replace(/[^\w]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase()
      .slice(0, 40) || 'meeting';
  return `infoview-${slug}.ics`;
}

/**
 * DMs the meeting's calendar file: an invitation after scheduling or rescheduling (same UID, higher SEQUENCE, so the
 * calendar entry moves), a cancellation after cancelling. A failed upload is logged: the meeting itself is saved.
 */
export async function sendCalendarFile(
  client: WebClient,
  deps: ListenerDeps,
  owner: Owner,
  found: MeetingWithContact,
  method: CalendarMethod,
): Promise<void> {
  const now = deps.clock.now();
  try {
    const userEmail = await findEmail(deps.db, owner);
    const content = meetingCalendarFile(owner, found, {
      method,
      sequence: found.meeting.calendarSequence,
      now,
      userEmail,
    });
    const comment =
      method === 'CANCEL' ? 'Open this to remove the meeting from your calendar:' : 'Add it to your calendar:';
    await sendFilesToUser(
      client,
      deps.db,
      owner,
      [{ filename: fileName(found), content, title: `Meeting with ${found.contact.name}` }],
      comment,
      now,
    );
  } catch (error) {
    deps.logger.warn(`calendar file for meeting ${found.meeting.id} not sent`, error);
  }
}
