import { ErrorCode, WebClient } from '@slack/web-api';
import type { Db } from '../db/database.js';
import { DeliveryError, type ReminderDelivery, type ReminderSender } from '../domain/ports.js';
import { NotInstalledError, singleTokenClients, type TeamClients } from './team-clients.js';
import { platformErrorCode } from './web-api-errors.js';
import { openDirectMessage } from './notifier.js';
import { buildReminderMessage, REMINDER_METADATA_EVENT, reminderMetadata } from './ui/messages/reminders-messages.js';

/** Slack answers that retrying cannot fix (slack-platform.md §3.5): the reminder fails at once. */
const PERMANENT = new Set([
  'user_not_found',
  'user_not_visible',
  'user_disabled',
  'account_inactive',
  'channel_not_found',
  'is_archived',
  'messages_tab_disabled',
  'token_revoked',
  'invalid_auth',
  'not_authed',
  'token_expired',
  'missing_scope',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_blocks_too_long',
  'msg_too_long',
  'no_text',
  'invalid_arguments',
  'not_in_channel',
  'restricted_action',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
]);
const SERVER_SIDE = new Set(['internal_error', 'service_unavailable', 'request_timeout']);
/** Network errors that happen before anything reaches Slack: nothing can have been posted. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    current = (current as { original?: unknown; cause?: unknown }).original ?? (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Sorts a Web API failure into what the engine does next. Never throws. */
export function toDeliveryError(error: unknown): DeliveryError {
  // No installation for the workspace: nothing was posted, and nothing will be until it installs the app again.
  if (error instanceof NotInstalledError) return new DeliveryError('permanent', 'not_installed');
  const code = (error as { code?: unknown })?.code;
  if (code === ErrorCode.RateLimitedError) {
    const seconds = Number((error as { retryAfter?: unknown }).retryAfter);
    return new DeliveryError('rate_limited', 'ratelimited', (Number.isFinite(seconds) ? seconds : 30) * 1000);
  }
  const platform = platformErrorCode(error);
  if (platform !== undefined) {
    if (PERMANENT.has(platform)) return new DeliveryError('permanent', platform);
    if (platform === 'ratelimited' || platform === 'rate_limited')
      return new DeliveryError('rate_limited', platform, 30_000);
    if (SERVER_SIDE.has(platform)) return new DeliveryError('transient', platform);
    // fatal_error and anything unknown: "some aspect of the operation may have succeeded".
    return new DeliveryError('unknown_outcome', platform);
  }
  if (code === ErrorCode.HTTPError) {
    const status = (error as { statusCode?: number }).statusCode ?? 0;
    return new DeliveryError(status >= 500 ? 'unknown_outcome' : 'transient', `http ${status}`);
  }
  if (code === ErrorCode.RequestError) {
    const cause = causeCode(error) ?? 'request error';
    return new DeliveryError(NOT_SENT.has(cause) ? 'transient' : 'unknown_outcome', cause);
  }
  return new DeliveryError('unknown_outcome', error instanceof Error ? error.message : String(error));
}

/** How far back the DM history is read for an earlier post of a reminder. */
const HISTORY_PAGES = 5;

/**
 * Slack's limit on conversations.history for apps distributed outside the Slack Marketplace: about one request a
 * minute per workspace, 15 messages each. A reminder whose post may have gone out is looked for within it.
 */
export interface HistoryLimit {
  intervalMs: number;
  messages: number;
}

export const NON_MARKETPLACE_HISTORY: HistoryLimit = { intervalMs: 60_000, messages: 15 };

/**
 * Posts reminder DMs with metadata naming the reminder, and finds such a post again in the DM history (scope
 * im:history). The client must not retry on its own and must reject rate-limited calls, so the engine decides.
 */
export function createReminderSender(
  clients: WebClient | TeamClients,
  db: Db,
  options: { history?: HistoryLimit } = {},
): ReminderSender {
  const teams = clients instanceof WebClient ? singleTokenClients(clients) : clients;
  const history = options.history ?? null;
  /** When each workspace may read DM history next (ms), under `history`. */
  const historyAllowedAt = new Map<string, number>();
  return {
    async send(delivery: ReminderDelivery) {
      try {
        const client = await teams.forTeam(delivery.owner.teamId);
        const channel = await openDirectMessage(client, db, delivery.owner, delivery.now);
        const message = buildReminderMessage(delivery);
        const posted = await client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          metadata: reminderMetadata(delivery.reminderId, delivery.kind, delivery.delivery),
        });
        return { channel, ts: posted.ts ?? '' };
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
    async findDelivered(delivery: ReminderDelivery) {
      try {
        const client = await teams.forTeam(delivery.owner.teamId);
        const channel = await openDirectMessage(client, db, delivery.owner, delivery.now);
        if (history !== null) {
          // Queued per workspace: one read a minute at most; the reminder waits its turn (not counted an attempt).
          const team = delivery.owner.teamId;
          const now = delivery.now.getTime();
          const allowedAt = historyAllowedAt.get(team) ?? 0;
          if (allowedAt > now) throw new DeliveryError('rate_limited', 'history_budget', allowedAt - now);
          historyAllowedAt.set(team, now + history.intervalMs);
        }
        let cursor: string | undefined;
        for (let page = 0; page < (history === null ? HISTORY_PAGES : 1); page++) {
          const found = await client.conversations.history({
            channel,
            oldest: String(Math.floor(delivery.since.getTime() / 1000)),
            include_all_metadata: true,
            limit: history === null ? 200 : history.messages,
            ...(cursor ? { cursor } : {}),
          });
          const match = found.messages?.find((m) => {
            if (m.metadata?.event_type !== REMINDER_METADATA_EVENT) return false;
            const payload = (m.metadata.event_payload ?? {}) as Record<string, unknown>;
            // Posts from before deliveries were numbered are the first delivery.
            return (
              Number(payload.reminder_id) === delivery.reminderId && Number(payload.delivery ?? 1) === delivery.delivery
            );
          });
          if (match?.ts) return { channel, ts: match.ts };
          cursor = found.response_metadata?.next_cursor || undefined;
          if (!found.has_more || !cursor) return null;
        }
        // More history than we read: the outcome stays unknown, so the engine must not post again yet.
        throw new DeliveryError('transient', 'dm history longer than checked');
      } catch (error) {
        throw error instanceof DeliveryError ? error : toDeliveryError(error);
      }
    },
  };
}
