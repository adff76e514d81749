/** Whose data this is: every read and write is scoped by both. */
export interface Owner {
  readonly teamId: string;
  readonly userId: string;
}

export interface ContactDetails {
  name: string;
  pronunciation: string | null;
  title: string | null;
  company: string | null;
}

/** Everything the user records about a person; ContactDetails is the part the schedule modal edits too. */
export interface ContactProfile extends ContactDetails {
  email: string | null;
  profileUrl: string | null;
  /** IANA zone, when known. */
  timeZone: string | null;
  howMet: string | null;
  referredById: number | null;
  tags: string[];
  notes: string | null;
  /** Keep-in-touch cadence in days, 0 = off. */
  keepInTouchDays: number;
  /** The Slack user this person is, for a colleague in the same workspace ("U…"/"W…"); null for anyone else. */
  slackUserId: string | null;
}

export interface Contact extends ContactProfile {
  id: number;
}

export interface MeetingPlan {
  startsAt: Date;
  durationMinutes: number;
  location: string | null;
  goal: string | null;
  questions: string | null;
}

export type MeetingStatus = 'scheduled' | 'cancelled';

export interface Meeting extends MeetingPlan {
  id: number;
  contactId: number;
  /** The owner's IANA zone when the meeting was scheduled. */
  timeZone: string;
  status: MeetingStatus;
  thankYouSentAt: Date | null;
  debriefedAt: Date | null;
  reportedBackAt: Date | null;
  thankYouDraft: string | null;
  reportBackDraft: string | null;
  /** The iCalendar SEQUENCE of the meeting's event: it grows with each reschedule or cancellation. */
  calendarSequence: number;
}

export interface MeetingWithContact {
  meeting: Meeting;
  contact: Contact;
}

export interface ScheduleRequest {
  /** An existing contact picked in the form, or null to create one from `contact`. */
  contactId: number | null;
  contact: ContactDetails;
  plan: MeetingPlan;
}

/** A debrief as stored: the texts as the user wrote them. */
export interface StoredDebrief {
  meetingId: number;
  topics: string | null;
  learned: string | null;
  advice: string | null;
  referrals: string | null;
  commitments: string | null;
  interestChange: number | null;
  notes: string | null;
}

/** One thing the user said they would do, from a debrief. */
export interface AdviceItem {
  id: number;
  meetingId: number;
  text: string;
  doneAt: Date | null;
}

export type AskChannel = 'email' | 'linkedin' | 'slack' | 'phone' | 'other';
export type AskStatus = 'waiting' | 'replied' | 'declined' | 'no_answer';

/** A request for a short conversation, sent to a contact: the 3B7 clock runs from its day. */
export interface Ask {
  id: number;
  contactId: number;
  channel: AskChannel;
  /** The local day it went out, "YYYY-MM-DD". */
  sentOn: string;
  purpose: string | null;
  draft: string | null;
  status: AskStatus;
  followedUpAt: Date | null;
  closedAt: Date | null;
}
