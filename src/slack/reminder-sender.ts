import { WebClient } from '@slack/web-api';
import type { Db } from '../db/database.js';
import { DeliveryError, type ReminderDelivery, type ReminderSender } from '../domain/ports.js';
import { openDirectMessage } from './direct-messages.js';
import { singleTokenClients, type TeamClients } from './installs/team-clients.js';
import { buildReminderMessage, REMINDER_METADATA_EVENT, reminderMetadata } from './ui/messages/reminders-messages.js';
import { WEB_API_TIMEOUT_MS } from './web-api/client-options.js';
import { classifySlackError } from './web-api/slack-errors.js';

/**
 * Sorts a Web API failure into what the engine does next, by the one table in slack-errors.ts: not done (retry with
 * backoff, after Retry-After, or never), maybe done (look in the DM before posting again). Never throws.
 */
export function toDeliveryError(error: unknown): DeliveryError {
  const sorted = classifySlackError(error);
  switch (sorted.outcome) {
    case 'not_done':
      if (sorted.retry === 'after') return new DeliveryError('rate_limited', sorted.code, sorted.retryAfterMs);
      return new DeliveryError(sorted.retry === 'never' ? 'permanent' : 'transient', sorted.code);
    // A post Slack calls done without its ts: the DM history has it.
    case 'done':
    case 'maybe_done':
      return new DeliveryError('unknown_outcome', sorted.code);
  }
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
  options: { history?: HistoryLimit; timeoutMs?: number } = {},
): ReminderSender {
  const teams = clients instanceof WebClient ? singleTokenClients(clients) : clients;
  const history = options.history ?? null;
  /** When each workspace may read DM history next (ms), under `history`. */
  const historyAllowedAt = new Map<string, number>();
  return {
    postTimeoutMs: options.timeoutMs ?? WEB_API_TIMEOUT_MS,
    async send(delivery: ReminderDelivery, handOver: () => Promise<boolean>) {
      let handedOver = false;
      try {
        const client = await teams.forTeam(delivery.owner.teamId);
        // Read with the facts at send time when known (a query per post fewer); else opened (and saved) here.
        const channel = delivery.dmChannelId ?? (await openDirectMessage(client, db, delivery.owner, delivery.now));
        const message = buildReminderMessage(delivery);
        // The last step before the post leaves: the engine records the hand-over (or says the claim is gone).
        if (!(await handOver())) return null;
        handedOver = true;
        const posted = await client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          metadata: reminderMetadata(delivery.reminderId, delivery.kind, delivery.delivery),
        });
        return { channel, ts: posted.ts ?? '' };
      } catch (error) {
        const failure = toDeliveryError(error);
        // Before the hand-over nothing was posted (conversations.open, which may have been done, is idempotent).
        if (!handedOver && failure.kind === 'unknown_outcome') throw new DeliveryError('transient', failure.message);
        throw failure;
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
          // In the order set, forgotten once the next read is allowed: not every workspace ever reminded.
          historyAllowedAt.delete(team);
          historyAllowedAt.set(team, now + history.intervalMs);
          for (const [other, at] of historyAllowedAt) {
            if (at > now) break;
            historyAllowedAt.delete(other);
          }
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
