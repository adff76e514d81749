import type { ShareLevel } from '../../../domain/centre/consent-rules.js';

// The words every consent surface uses for what an advisor sees, so the admin's form, the person's form, Home and the
// receipts say the same thing.

export const COUNTS_TEXT =
  '*Counts*: asks sent, replies and reply rate, conversations held, thank-yous sent within 24 hours, report-backs, referrals gained, 3B7 follow-ups overdue, and when you were last active.';

export const STAGES_TEXT =
  "*Counts and stages*: the counts, and also each ask's and each conversation's stage (waiting, replied, held, thanked…) and its date, without the other person's name.";

export const NEVER_TEXT =
  'Never shown to any advisor: the text of your notes, debriefs, drafts or questions, or the names, organisations and contact details of the people you meet. An advisor sees only what you do from the day you begin sharing with them.';

export const LEVEL_LABELS: Record<ShareLevel, string> = { counts: 'Counts', stages: 'Counts and stages' };

/** A Slack user id as Slack sends it: nothing else may go inside `<@…>`. */
const USER_ID = /^[UW][A-Z0-9]{1,30}$/;

export function isSlackUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID.test(value);
}

/** `<@U1>, <@U2> and <@U3>` for mrkdwn and message text (Slack shows each name); ids that are not ids are left out. */
export function mentions(userIds: readonly string[]): string {
  const names = userIds.filter(isSlackUserId).map((id) => `<@${id}>`);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
