import { isOfferedTimeZone } from '../time-zones/zone-choices.js';
import { CONTACT_LIMITS, type ContactDraft } from './contact-rules.js';

export { isSlackUserId } from './contact-rules.js';

/**
 * The link that opens a DM with a Slack user. Slack's deep-linking reference documents
 * `slack://user?team={TEAM_ID}&id={USER_ID}` as "Open a direct message" with that user (the team is required);
 * `https://slack.com/app_redirect` is documented only with `app` (a DM with the app itself) or `channel` (a
 * channel by name or id), not a user. The user clicks it; the app never messages anyone but its user. Pure.
 */
export function directMessageLink(teamId: string, slackUserId: string): string {
  return `slack://user?team=${encodeURIComponent(teamId)}&id=${encodeURIComponent(slackUserId)}`;
}

/** The DM link for a contact who is a Slack colleague; null for anyone else. */
export function directMessageLinkOf(teamId: string, contact: { slackUserId: string | null }): string | null {
  return contact.slackUserId === null ? null : directMessageLink(teamId, contact.slackUserId);
}

/** What users.info says about a user, as far as the contact form cares (every field optional, as in Slack's types). */
export interface SlackUserFacts {
  id?: string;
  team_id?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_app_user?: boolean;
  is_stranger?: boolean;
  real_name?: string;
  tz?: string;
  /** Enterprise Grid: the workspaces of the org the user belongs to. */
  enterprise_user?: { teams?: string[] };
  profile?: { real_name?: string; display_name?: string; title?: string; pronunciation?: string; bot_id?: string };
}

/** What a colleague's Slack profile gives the contact form; empty strings for what Slack does not say. */
export interface ColleagueFacts {
  name: string;
  title: string;
  timeZone: string;
  pronunciation: string;
}

export type ColleagueLookup = { ok: true; facts: ColleagueFacts } | { ok: false; reason: string };

/**
 * Reads a picked Slack user for the contact form of a user in `teamId`. A bot, a deactivated account, or someone
 * outside this workspace is refused with a reason the form shows. On Enterprise Grid `team_id` may be another
 * workspace of the same org, so membership is also read from `enterprise_user.teams`; `is_stranger` marks a user
 * of another organisation (shared channels). Pure.
 */
export function readColleague(user: SlackUserFacts, teamId: string): ColleagueLookup {
  if (user.is_bot || user.profile?.bot_id || user.id === 'USLACKBOT') {
    return { ok: false, reason: 'That is a bot or app, not a colleague. Pick a person, or leave this empty.' };
  }
  if (user.deleted)
    return { ok: false, reason: 'That account is deactivated. Pick someone else, or leave this empty.' };
  const inTeam = user.team_id === teamId || (user.enterprise_user?.teams ?? []).includes(teamId);
  if (user.is_stranger || !inTeam) {
    return { ok: false, reason: 'That person is not in this workspace. Log them as a contact without a Slack link.' };
  }
  return { ok: true, facts: profileFacts(user) };
}

/**
 * What the profile of someone outside this workspace (Slack Connect, another workspace) says: a contact of theirs is
 * logged without a Slack link, but with their name and title. Null for a bot, a deactivated account or a colleague
 * (readColleague reads those). Pure.
 */
export function readOutsider(user: SlackUserFacts, teamId: string): ColleagueFacts | null {
  if (user.is_bot || user.profile?.bot_id || user.id === 'USLACKBOT' || user.deleted) return null;
  if (readColleague(user, teamId).ok) return null;
  return profileFacts(user);
}

function profileFacts(user: SlackUserFacts): ColleagueFacts {
  const profile = user.profile ?? {};
  const text = (value: string | undefined, max: number) => [...(value ?? '').trim()].slice(0, max).join('');
  // Slack documents no pronunciation field in the user object; it is read only when a profile carries one.
  const pronunciation = typeof profile.pronunciation === 'string' ? profile.pronunciation : '';
  return {
    name: text(profile.real_name || user.real_name || profile.display_name, CONTACT_LIMITS.name),
    title: text(profile.title, CONTACT_LIMITS.title),
    timeZone: user.tz && isOfferedTimeZone(user.tz) ? user.tz : '',
    pronunciation: text(pronunciation, CONTACT_LIMITS.pronunciation),
  };
}

/** The form with the colleague's facts in the fields the user left empty; what they typed is never replaced. Pure. */
export function fillFromColleague(draft: ContactDraft, facts: ColleagueFacts): ContactDraft {
  const keep = (typed: string, given: string) => (typed.trim() !== '' ? typed : given);
  return {
    ...draft,
    name: keep(draft.name, facts.name),
    title: keep(draft.title, facts.title),
    timeZone: keep(draft.timeZone, facts.timeZone),
    pronunciation: keep(draft.pronunciation, facts.pronunciation),
  };
}
