import type * as Ics from 'ics';
import type { EventAttributes } from 'ics';
import { lazyModule } from '../../lib/lazy-module.js';
import { isWebLink } from '../links.js';
import type { MeetingWithContact, Owner } from '../types.js';

const ics = lazyModule<typeof Ics>('ics');

/** One event per meeting, for ever: a reschedule or cancellation replaces it in the user's calendar. */
export function calendarUid(owner: Owner, meetingId: number): string {
  return `meeting-${owner.teamId}-${meetingId}@infoview`;
}

export type CalendarMethod = 'REQUEST' | 'CANCEL';

/**
 * The meeting as an iCalendar file (RFC 5545) for "Add to calendar": times in UTC, which every calendar shows in the
 * user's own zone; the contact, pronunciation and link in the event. `sequence` must grow with each change.
 * Pure; throws only if the library rejects the event (a bug).
 */
/**
 * Who the event is between, as RFC 5546 wants for METHOD:REQUEST and CANCEL (an ORGANIZER and at least one
 * ATTENDEE): the user organises it, with their Slack email when the app may read it, else an address under the
 * reserved .invalid domain that no mail can reach; the contact attends when their email is known, else the user does.
 */
export function calendarParties(
  owner: Owner,
  userEmail: string | null,
  contact: { name: string; email: string | null },
) {
  const organizer = {
    name: 'You (via infoview)',
    email: userEmail ?? `${owner.userId.toLowerCase()}@${owner.teamId.toLowerCase()}.slack.invalid`,
  };
  const attendee =
    contact.email !== null
      ? {
          name: contact.name,
          email: contact.email,
          rsvp: false,
          partstat: 'NEEDS-ACTION' as const,
          role: 'REQ-PARTICIPANT' as const,
        }
      : { ...organizer, rsvp: false, partstat: 'ACCEPTED' as const, role: 'CHAIR' as const };
  return { organizer, attendees: [attendee] };
}

/** The event's title and description, the same in the calendar file and the calendar feed. Pure. */
export function meetingEventText(found: Pick<MeetingWithContact, 'meeting' | 'contact'>): {
  title: string;
  description: string;
} {
  const { meeting, contact } = found;
  const who = [contact.name, contact.pronunciation ? `(say it: ${contact.pronunciation})` : null]
    .filter(Boolean)
    .join(' ');
  const role = [contact.title, contact.company].filter(Boolean).join(', ');
  const description = [
    `Informational interview with ${who}${role ? `, ${role}` : ''}.`,
    meeting.location && isWebLink(meeting.location) ? `Join: ${meeting.location}` : null,
    meeting.goal ? `What you want to learn: ${meeting.goal}` : null,
    meeting.questions ? `Your questions:\n${meeting.questions}` : null,
  ]
    .filter(Boolean)
    .join('\n\n');
  return { title: `Informational interview: ${contact.name}`, description };
}

export function meetingCalendarFile(
  owner: Owner,
  found: MeetingWithContact,
  options: { method: CalendarMethod; sequence: number; now: Date; userEmail: string | null },
): string {
  const { meeting, contact } = found;
  const start = meeting.startsAt;
  const { title, description } = meetingEventText(found);
  // DTSTAMP from our clock, not the library's own: ics reads `timestamp` though its types omit it.
  const attributes: EventAttributes & { timestamp: number } = {
    uid: calendarUid(owner, meeting.id),
    method: options.method,
    sequence: options.sequence,
    status: options.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    title,
    description,
    ...(meeting.location ? { location: meeting.location } : {}),
    ...(meeting.location && isWebLink(meeting.location) ? { url: meeting.location } : {}),
    start: start.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: meeting.durationMinutes },
    timestamp: options.now.getTime(),
    productId: 'infoview',
    calName: 'infoview',
    ...calendarParties(owner, options.userEmail, contact),
  };
  const result = ics().createEvent(attributes);
  if (result.error || !result.value)
    throw new Error(`calendar file for meeting ${meeting.id}: ${String(result.error)}`);
  return result.value;
}
