import { looksLikeLink, webLinkProblem, withScheme } from '../links.js';
import type { ScheduleRequest } from '../types.js';

/** Informational interviews are short: these are the lengths offered, 30 minutes by default. */
export const DURATION_CHOICES = [15, 20, 30, 45, 60] as const;
export const DEFAULT_DURATION_MINUTES = 30;

/** Our own limits per field (Slack's plain_text_input maximum is 3000). The modal enforces them too. */
export const FIELD_LIMITS = {
  name: 100,
  pronunciation: 100,
  title: 150,
  company: 150,
  location: 500,
  goal: 1000,
  questions: 3000,
} as const;

/** How far ahead a meeting may be scheduled. */
export const MAX_DAYS_AHEAD = 366;

/** What the schedule form holds before validation; text fields are already trimmed. */
export interface ScheduleDraft {
  /** A contact picked from the user's own; when set, the name fields below are not needed. */
  contactId: number | null;
  name: string;
  pronunciation: string;
  title: string;
  company: string;
  startsAt: Date | null;
  durationMinutes: number | null;
  location: string;
  goal: string;
  questions: string;
}

export type ScheduleField = keyof ScheduleDraft;
export type FieldErrors = Partial<Record<ScheduleField, string>>;

export type ScheduleValidation = { ok: true; request: ScheduleRequest } | { ok: false; errors: FieldErrors };

/** Checks a draft against the rules at `now`; every problem is reported on its own field. Pure. */
export function validateScheduleDraft(draft: ScheduleDraft, now: Date): ScheduleValidation {
  const errors: FieldErrors = {};
  if (draft.name === '' && draft.contactId === null) {
    errors.name = 'Who are you meeting? Pick someone from your contacts or type a name.';
  }
  for (const field of Object.keys(FIELD_LIMITS) as (keyof typeof FIELD_LIMITS)[]) {
    const limit = FIELD_LIMITS[field];
    const length = [...draft[field]].length;
    if (length > limit) errors[field] = `Please keep this under ${limit} characters (it has ${length}).`;
  }
  if (draft.startsAt === null) {
    errors.startsAt = 'Pick the date and time of the meeting.';
  } else if (draft.startsAt.getTime() < now.getTime()) {
    errors.startsAt = 'That time has already passed. Pick a time in the future.';
  } else if (draft.startsAt.getTime() > now.getTime() + MAX_DAYS_AHEAD * 86_400_000) {
    errors.startsAt = 'That is more than a year away. Pick a date within the next year.';
  }
  if (draft.durationMinutes === null || !(DURATION_CHOICES as readonly number[]).includes(draft.durationMinutes)) {
    errors.durationMinutes = `Pick a length: ${DURATION_CHOICES.join(', ')} minutes.`;
  }
  const linkProblem = errors.location === undefined ? locationProblem(draft.location) : undefined;
  if (linkProblem !== undefined) errors.location = linkProblem;

  if (Object.keys(errors).length > 0 || draft.startsAt === null || draft.durationMinutes === null) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    request: {
      contactId: draft.contactId,
      contact: {
        name: draft.name,
        pronunciation: orNull(draft.pronunciation),
        title: orNull(draft.title),
        company: orNull(draft.company),
      },
      plan: {
        startsAt: draft.startsAt,
        durationMinutes: draft.durationMinutes,
        location: orNull(withScheme(draft.location)),
        goal: orNull(draft.goal),
        questions: orNull(draft.questions),
      },
    },
  };
}

function orNull(text: string): string | null {
  return text === '' ? null : text;
}

/**
 * A location is either free text (an address) or one link; a link must be one that opens (see webLinkProblem).
 */
export function locationProblem(location: string): string | undefined {
  return looksLikeLink(location) ? webLinkProblem(location) : undefined;
}
