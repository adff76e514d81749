import type { WebClient } from '@slack/web-api';
import type { ListenerDeps } from '../../../deps.js';
import {
  type ColleagueFacts,
  fillFromColleague,
  readColleague,
  readOutsider,
  type SlackUserFacts,
} from '../../../domain/contacts/colleagues.js';
import type { ContactDraft } from '../../../domain/contacts/contact-rules.js';
import { howMetFromMessage, type MessageSource } from '../../../domain/contacts/message-contacts.js';
import type { Contact, Owner } from '../../../domain/types.js';
import { buildContactModal, type ContactModalContext } from '../../ui/modals/contact-modal.js';
import { lookUpSlackUser } from '../../user-directory.js';
import { platformErrorCode } from '../../web-api/web-api-errors.js';
import { type OpenedView, updateModal } from '../modals.js';

/** How long the form waits for Slack (users.info, chat.getPermalink) before it is left as it opened. */
export const FILL_DEADLINE_MS = 8000;

const UNREACHABLE = 'Slack could not be reached to read their profile. Fill in the fields yourself.';
const NOT_FOUND = 'Slack does not know that person in this workspace. Log them as a contact without a Slack link.';

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** `work`'s outcome, or a failure named "late" once `ms` have passed (the work is left to finish on its own). */
export async function within<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: new Error('late') }), ms);
  });
  const settled = work.then(
    (value): Settled<T> => ({ ok: true, value }),
    (error: unknown): Settled<T> => ({ ok: false, error }),
  );
  return Promise.race([settled, late]).finally(() => clearTimeout(timer));
}

/** chat.getPermalink (no scope needed): the message's link, or null (a channel the app cannot see, or late). */
export async function askPermalink(
  client: WebClient,
  channel: string,
  ts: string,
  logger: ListenerDeps['logger'],
): Promise<string | null> {
  const result = await within(client.chat.getPermalink({ channel, message_ts: ts }), FILL_DEADLINE_MS);
  const permalink = result.ok ? result.value.permalink : undefined;
  // The view carries the link (messageSourceSchema): one of another shape or length is left out.
  if (typeof permalink === 'string' && /^https:\/\/\S+$/.test(permalink) && permalink.length <= 400) {
    return permalink;
  }
  if (!result.ok) logger.warn(`chat.getPermalink failed for ${channel}`, platformErrorCode(result.error) ?? 'late');
  return null;
}

export interface MessageFormFill {
  client: WebClient;
  deps: ListenerDeps;
  owner: Owner;
  /** The form as Slack opened (or last updated) it: its id and hash. */
  opened: OpenedView;
  /** What the form was built with. */
  form: { draft: ContactDraft; context: ContactModalContext & { fromMessage: MessageSource } };
  referrer: Contact | null;
  /** The Slack user the form is about (the author, or a mentioned colleague); null for nobody to read. */
  slackUserId: string | null;
  /** The message's link, when it must be asked of Slack (the payload did not give it). */
  permalink: Promise<string | null> | null;
}

/**
 * After the form opened: the person's profile (users.info) and the message's link, each within FILL_DEADLINE_MS, then
 * the form again by views.update with its hash, filled as the colleague picker fills it (the fields that were
 * empty, under new block ids) and *How you met* naming the author. Someone who cannot be linked (an app, deactivated)
 * is explained under the picker; someone outside the workspace (Slack Connect) keeps their name and title, without a
 * link. A form the user changed meanwhile (hash_conflict) or closed (not_found) is left alone.
 */
export async function fillMessageForm(fill: MessageFormFill): Promise<void> {
  const { client, deps, owner, form, opened } = fill;
  if (!opened.id) return;
  const [user, link] = await Promise.all([
    fill.slackUserId === null ? null : within(lookUpSlackUser(client, fill.slackUserId), FILL_DEADLINE_MS),
    fill.permalink,
  ]);
  let { draft, context } = form;
  const source = context.fromMessage;
  let note: string | null = null;
  let facts: ColleagueFacts | null = null;
  if (user !== null && fill.slackUserId !== null) {
    const read = readProfile(user, owner.teamId, draft.slackUserId === fill.slackUserId);
    facts = read.facts;
    note = read.note;
    if (read.refused) context = { ...context, refusedSlackUserId: fill.slackUserId };
    if (!user.ok)
      deps.logger.warn(
        `users.info failed for ${fill.slackUserId} in ${owner.teamId} (message shortcut)`,
        platformErrorCode(user.error) ?? 'late',
      );
  }
  const filled = facts === null ? draft : fillFromColleague(draft, facts);
  const nextSource: MessageSource = {
    ...source,
    author: source.isAuthor && facts?.name ? facts.name : source.author,
    link: link ?? source.link,
  };
  const mentioned = !source.isAuthor;
  // What the app wrote in *How you met* follows the author's name and the link; anything else is the user's.
  const howMet =
    draft.howMet === howMetFromMessage(source, mentioned) ? howMetFromMessage(nextSource, mentioned) : draft.howMet;
  if (facts === null && note === null && howMet === draft.howMet) return;
  draft = { ...filled, howMet };
  context = { ...context, fromMessage: nextSource, fill: (context.fill ?? 0) + 1 };
  const view = buildContactModal({
    form: { draft, context },
    referrer: fill.referrer,
    colleagueNote: note,
    now: deps.clock.now(),
  });
  try {
    await updateModal(client, { id: opened.id, hash: opened.hash }, view);
  } catch (error) {
    const code = platformErrorCode(error);
    if (code !== 'hash_conflict' && code !== 'not_found') throw error;
  }
}

/** What users.info said of the person: facts to fill, a note, and whether a preset Slack link must be refused. */
function readProfile(
  user: Settled<SlackUserFacts>,
  teamId: string,
  linked: boolean,
): { facts: ColleagueFacts | null; note: string | null; refused: boolean } {
  if (!user.ok) {
    const notFound = platformErrorCode(user.error) === 'user_not_found';
    return { facts: null, note: notFound ? NOT_FOUND : UNREACHABLE, refused: notFound && linked };
  }
  const colleague = readColleague(user.value, teamId);
  if (colleague.ok) return { facts: colleague.facts, note: null, refused: false };
  const outsider = readOutsider(user.value, teamId);
  if (outsider === null) return { facts: null, note: colleague.reason, refused: linked };
  const note = linked
    ? 'They are not in this workspace (Slack Connect): clear *Slack colleague* to log them without a Slack link.'
    : 'They are not in this workspace (Slack Connect), so they are logged without a Slack link.';
  return { facts: outsider, note, refused: linked };
}
