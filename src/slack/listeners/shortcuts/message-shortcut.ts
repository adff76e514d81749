import type { MessageShortcut } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import type { ListenerDeps } from '../../../deps.js';
import { blankDraft, isSlackUserId } from '../../../domain/contacts/contact-rules.js';
import { contactOfSlackUser } from '../../../domain/contacts/contacts-service.js';
import {
  howMetFromMessage,
  type MessageSource,
  messageDay,
  messageLink,
  peopleInMessage,
} from '../../../domain/contacts/message-contacts.js';
import { latestTimeZone, storedTimeZoneOrUtc } from '../../../domain/time-zones/user-time-zone.js';
import { requestDeps } from '../../middleware/request-logger.js';
import { buildContactModal } from '../../ui/modals/contact-modal.js';
import { buildMessagePeopleView } from '../../ui/modals/message-people-view.js';
import { SHORTCUTS } from '../../ui/shortcuts.js';
import { slackUserDirectory } from '../../user-directory.js';
import { platformErrorCode } from '../../web-api/web-api-errors.js';
import type { ListenerRegistry } from '../listener-router.js';
import { openModal, updateModal } from '../modals.js';
import { interactionOwner } from '../owner.js';
import { askPermalink, fillMessageForm } from './message-form-fill.js';

const APP_AUTHOR = 'An app posted this message, so there is no author to log.';

/** What the shortcut reads of the message_action payload (untrusted: anything else is ignored). */
const payloadSchema = z
  .object({
    channel: z.object({ id: z.string() }).loose(),
    team: z.object({ domain: z.string().optional(), enterprise_id: z.string().optional() }).loose().nullish(),
    message: z
      .object({
        ts: z.string(),
        thread_ts: z.string().optional(),
        user: z.string().optional(),
        /** The author's workspace: another one for a Slack Connect author. */
        team: z.string().optional(),
        user_team: z.string().optional(),
        bot_id: z.string().nullish(),
        subtype: z.string().optional(),
        text: z.string().optional(),
      })
      .loose(),
  })
  .loose();

/**
 * *Log as contact* on any message (a channel the app is not in, a thread, a DM): ack, then open the contact form at
 * once (no Web API call stands before views.open), filled from the payload: the author picked as the Slack colleague,
 * *How you met* "Slack message on <day>: <link>" (the link built from the payload where Slack gives the workspace's
 * domain). Then users.info (and chat.getPermalink where needed) fill the rest by views.update with the view's hash.
 * An author already among the user's contacts, or an app's message naming people, opens the list of the people the
 * message names instead, each to log referred by the author.
 */
export function registerMessageShortcut(app: Pick<ListenerRegistry, 'shortcut'>, appDeps: ListenerDeps): void {
  app.shortcut<MessageShortcut>(
    { callback_id: SHORTCUTS.logMessageAsContact.callbackId, type: 'message_action' },
    async ({ ack, body, client, respond, context }) => {
      const deps = requestDeps(appDeps, context);
      await ack();
      const owner = interactionOwner(body);
      const parsed = payloadSchema.safeParse(body);
      if (!parsed.success) {
        deps.logger.warn(`message shortcut from ${owner.teamId}/${owner.userId} could not be read`);
        return;
      }
      const { message, channel, team } = parsed.data;
      const now = deps.clock.now();
      const fromApp = Boolean(message.bot_id) || message.subtype === 'bot_message';
      const authorId = !fromApp && message.user && isSlackUserId(message.user) ? message.user : null;
      // A Slack Connect author's workspace is not the user's (outside Enterprise Grid, where users.info decides).
      const authorTeam = message.user_team ?? message.team;
      const outside = authorTeam !== undefined && authorTeam !== owner.teamId && !team?.enterprise_id;
      const link = team?.enterprise_id
        ? null
        : messageLink({ domain: team?.domain, channelId: channel.id, ts: message.ts, threadTs: message.thread_ts });
      const source: MessageSource = {
        author: '',
        day: messageDay(message.ts, await storedTimeZoneOrUtc(deps.db, owner)),
        link,
        people: peopleInMessage(
          message.text ?? '',
          [authorId, owner.userId].filter((id) => id !== null),
        ),
        referrerId: null,
        isAuthor: authorId !== null,
      };
      const known = authorId === null ? null : await contactOfSlackUser(deps.db, owner, authorId);
      const press = { body, client, respond };
      const permalink = () => (link === null ? askPermalink(client, channel.id, message.ts, deps.logger) : null);
      if (known !== null || (authorId === null && source.people.length > 0)) {
        // Nobody to save for the author: the people the message names, referred by the author when a contact.
        const listed: MessageSource = { ...source, author: known?.name ?? '', referrerId: known?.id ?? null };
        const list = (withLink: MessageSource): ModalView =>
          buildMessagePeopleView({
            source: { ...withLink, isAuthor: false },
            referrer: known,
            ...(known ? { knownAuthor: known } : { note: APP_AUTHOR }),
          });
        const opened = await openModal(press, list(listed), { dm: deps });
        const asked = opened?.id ? await permalink() : null;
        if (opened?.id && asked !== null) {
          await updateModal(client, { id: opened.id, hash: opened.hash }, list({ ...listed, link: asked })).catch(
            (error: unknown) => {
              const code = platformErrorCode(error);
              if (code !== 'hash_conflict' && code !== 'not_found') throw error;
            },
          );
        }
      } else {
        const draft = {
          ...blankDraft(),
          slackUserId: authorId !== null && !outside ? authorId : '',
          howMet: howMetFromMessage(source, false),
        };
        const form = { draft, context: { fromMessage: source } };
        const view = buildContactModal({ form, referrer: null, now, colleagueNote: fromApp ? APP_AUTHOR : null });
        const opened = await openModal(press, view, { dm: deps });
        if (opened !== null) {
          await fillMessageForm({
            client,
            deps,
            owner,
            opened,
            form,
            referrer: null,
            slackUserId: authorId,
            permalink: permalink(),
          });
        }
      }
      await latestTimeZone(deps.db, slackUserDirectory(client), owner, now, deps.logger);
    },
  );
}
