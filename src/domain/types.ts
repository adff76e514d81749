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

export interface Contact extends ContactDetails {
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
}

export interface MeetingWithContact {
  meeting: Meeting;
  contact: Contact;
}

export interface ScheduleRequest {
  contact: ContactDetails;
  plan: MeetingPlan;
}
