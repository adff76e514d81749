import { z } from 'zod';
import { isValidTimeZone } from '../../lib/zoned-time.js';
import { webLinkProblem, withScheme } from '../links.js';
import { DEFAULT_KEEP_IN_TOUCH_DAYS, KEEP_IN_TOUCH_CHOICES } from '../reminders/reminder-plan.js';
import type { ContactProfile } from '../types.js';
import { parseTags } from './contact-text.js';

export const CONTACT_LIMITS = {
  name: 100,
  pronunciation: 100,
  title: 150,
  company: 150,
  email: 254,
  profileUrl: 500,
  howMet: 500,
  tags: 300,
  notes: 3000,
} as const;

/**
 * A Slack user id as users_select gives it: "U…" for a workspace user, "W…" for an Enterprise Grid org user
 * (global ids). Upper-case letters and digits only, so it is safe inside a link or a mention.
 */
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;

export function isSlackUserId(value: string): boolean {
  return SLACK_USER_ID.test(value);
}

export const MAX_TAGS = 15;
export const MAX_TAG_LENGTH = 40;

/** The contact form before validation; text fields already trimmed. */
export interface ContactDraft {
  name: string;
  pronunciation: string;
  title: string;
  company: string;
  email: string;
  profileUrl: string;
  timeZone: string;
  howMet: string;
  referredById: number | null;
  tags: string;
  notes: string;
  /** Keep-in-touch cadence in days (0 = off); null = the default. */
  keepInTouchDays: number | null;
  /** The Slack colleague picked in the form, '' for none. */
  slackUserId: string;
}

/** The contact form's fields, all empty (the default cadence). */
export function blankDraft(): ContactDraft {
  return {
    name: '',
    pronunciation: '',
    title: '',
    company: '',
    email: '',
    profileUrl: '',
    timeZone: '',
    howMet: '',
    referredById: null,
    tags: '',
    notes: '',
    keepInTouchDays: null,
    slackUserId: '',
  };
}

export type ContactField = keyof ContactDraft;
export type ContactFieldErrors = Partial<Record<ContactField, string>>;
export type ContactValidation = { ok: true; profile: ContactProfile } | { ok: false; errors: ContactFieldErrors };

const emailSchema = z.email();

/** Checks a contact draft; every problem is reported on its own field. Pure. */
export function validateContactDraft(draft: ContactDraft): ContactValidation {
  const errors: ContactFieldErrors = {};
  if (draft.name === '') errors.name = 'A name is required.';
  for (const field of Object.keys(CONTACT_LIMITS) as (keyof typeof CONTACT_LIMITS)[]) {
    const length = [...draft[field]].length;
    if (length > CONTACT_LIMITS[field])
      errors[field] = `Please keep this under ${CONTACT_LIMITS[field]} characters (it has ${length}).`;
  }
  if (!errors.email && draft.email !== '' && !emailSchema.safeParse(draft.email).success) {
    errors.email = 'That does not look like an email address (name@example.com).';
  }
  if (!errors.profileUrl && draft.profileUrl !== '') {
    const problem = webLinkProblem(draft.profileUrl);
    if (problem)
      errors.profileUrl = problem.replace('e.g. https://zoom.us/j/123456789', 'e.g. https://www.linkedin.com/in/ada');
  }
  if (draft.keepInTouchDays !== null && !(KEEP_IN_TOUCH_CHOICES as readonly number[]).includes(draft.keepInTouchDays)) {
    errors.keepInTouchDays = 'Pick one of the choices.';
  }
  if (draft.timeZone !== '' && !isValidTimeZone(draft.timeZone)) {
    errors.timeZone = 'Pick a time zone from the list.';
  }
  if (draft.slackUserId !== '' && !isSlackUserId(draft.slackUserId)) {
    errors.slackUserId = 'Pick a colleague from the list, or leave this empty.';
  }
  const tags = parseTags(draft.tags);
  if (!errors.tags && tags.length > MAX_TAGS) errors.tags = `Up to ${MAX_TAGS} tags, please.`;
  const longTag = tags.find((tag) => [...tag].length > MAX_TAG_LENGTH);
  if (!errors.tags && longTag)
    errors.tags = `Tags are short labels (up to ${MAX_TAG_LENGTH} characters); separate them with commas.`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const orNull = (text: string) => (text === '' ? null : text);
  return {
    ok: true,
    profile: {
      name: draft.name,
      pronunciation: orNull(draft.pronunciation),
      title: orNull(draft.title),
      company: orNull(draft.company),
      email: orNull(draft.email),
      profileUrl: draft.profileUrl === '' ? null : withScheme(draft.profileUrl),
      timeZone: orNull(draft.timeZone),
      howMet: orNull(draft.howMet),
      referredById: draft.referredById,
      tags,
      notes: orNull(draft.notes),
      keepInTouchDays: draft.keepInTouchDays ?? DEFAULT_KEEP_IN_TOUCH_DAYS,
      slackUserId: orNull(draft.slackUserId),
    },
  };
}
