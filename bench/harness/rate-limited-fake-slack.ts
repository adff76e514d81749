import type { IncomingMessage, ServerResponse } from 'node:http';
import { teamOfChannel } from './data.js';
import { serveLoopback } from './fake-web-api.js';

/*
 * A loopback stand-in for Slack's Web API that ENFORCES chat.postMessage's limits (slack-platform.md §3.1, §3.4):
 * about one message a second per channel with a short burst, and a workspace-wide budget of a few hundred a minute,
 * each a token bucket. A post over either limit gets what Slack sends: HTTP 429, `Retry-After: <seconds>`,
 * `{"ok":false,"error":"ratelimited"}`, and is not posted. Every accepted post is recorded with the reminder id from
 * its message metadata and the instant it arrived. The workspace is read from the DM channel id (data.ts makes ids
 * that carry it): the engine holds one bot token.
 */

export interface RateLimits {
  /** Sustained posts a second per channel, and how many may come at once. */
  channelPerSecond: number;
  channelBurst: number;
  /** Sustained posts a minute per workspace, and how many may come at once. */
  workspacePerMinute: number;
  workspaceBurst: number;
}

/** Limits that never bind: every post is answered at once. */
export const NO_LIMITS = { channelPerSecond: 1e9, channelBurst: 1e9, workspacePerMinute: 1e9, workspaceBurst: 1e9 };

export interface PostRecord {
  reminderId: number;
  team: string;
  channel: string;
  /** Date.now() when the request had fully arrived. */
  at: number;
  body: Record<string, unknown>;
}

/** A token bucket on wall time: `capacity` tokens, refilled at `perMs`. */
class TokenBucket {
  private tokens: number;

  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    private last: number,
  ) {
    this.tokens = capacity;
  }

  /** Ms until a token is available (0 = one is available now). */
  waitMs(now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    return this.tokens >= 1 ? 0 : (1 - this.tokens) / this.perMs;
  }

  spend(): void {
    this.tokens -= 1;
  }
}

export class RateLimitedFakeSlack {
  readonly posts: PostRecord[] = [];
  /** Posts refused with a 429. */
  readonly rateLimited: PostRecord[] = [];
  private readonly history = new Map<string, { ts: string; text: string; metadata: unknown }[]>();
  private readonly buckets = new Map<string, TokenBucket>();
  private loopback = { baseUrl: '', stop: async () => {} };
  private sequence = 0;
  /** A workspace whose posts get no answer until `until` (Date.now()); the client's timeout ends them. */
  private hang: { team: string; until: number } | null = null;
  /** Posts left unanswered by `hangTeam`. */
  hung = 0;

  private constructor(readonly limits: RateLimits) {}

  static async start(limits: RateLimits): Promise<RateLimitedFakeSlack> {
    const fake = new RateLimitedFakeSlack(limits);
    fake.loopback = await serveLoopback((req, res, body) => fake.handle(req, res, body));
    return fake;
  }

  /** The Web API base URL, as SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.loopback.baseUrl}/api/`;
  }

  /** Every post to `team` gets no answer until `until` (the connection is dropped then), as a stalled Slack would. */
  hangTeam(team: string, until: number): void {
    this.hang = { team, until };
  }

  /** Forgets what was posted and refills every bucket: the next phase starts clean. */
  reset(): void {
    this.hang = null;
    this.hung = 0;
    this.posts.length = 0;
    this.rateLimited.length = 0;
    this.history.clear();
    this.buckets.clear();
  }

  stop(): Promise<void> {
    return this.loopback.stop();
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) {
    const send = (status: number, reply: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(reply));
    };
    switch ((req.url ?? '').replace(/^\/api\//, '').replace(/\?.*$/, '')) {
      case 'chat.postMessage':
        return this.postMessage(body, send, () => res.destroy());
      case 'auth.test':
        return send(200, { ok: true, team_id: 'T000', user_id: 'UBOT', bot_id: 'BBOT' });
      case 'conversations.open':
        // data.ts stores every user's DM channel, so the engine should never ask.
        return send(200, { ok: true, channel: { id: `D999${String(body.users)}` } });
      case 'conversations.history': {
        const oldest = Number(body.oldest ?? 0);
        const messages = (this.history.get(String(body.channel)) ?? []).filter((m) => Number(m.ts) >= oldest);
        return send(200, { ok: true, has_more: false, messages });
      }
      default:
        return send(200, { ok: false, error: 'unknown_method' });
    }
  }

  private postMessage(
    body: Record<string, unknown>,
    send: (status: number, reply: unknown, headers?: Record<string, string>) => void,
    drop: () => void,
  ): void {
    const at = Date.now();
    const channel = String(body.channel ?? '');
    const team = teamOfChannel(channel);
    const metadata = (typeof body.metadata === 'string' ? JSON.parse(body.metadata) : body.metadata) as
      | { event_payload?: { reminder_id?: number } }
      | undefined;
    const post = { reminderId: Number(metadata?.event_payload?.reminder_id ?? -1), team, channel, at, body };
    if (this.hang !== null && team === this.hang.team && at < this.hang.until) {
      this.hung += 1;
      setTimeout(drop, this.hang.until - at).unref();
      return;
    }
    const { channelBurst, channelPerSecond, workspaceBurst, workspacePerMinute } = this.limits;
    const wait = Math.max(
      this.bucket(`c:${channel}`, channelBurst, channelPerSecond / 1000, at).waitMs(at),
      this.bucket(`w:${team}`, workspaceBurst, workspacePerMinute / 60_000, at).waitMs(at),
    );
    if (wait > 0) {
      this.rateLimited.push(post);
      send(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(Math.max(1, Math.ceil(wait / 1000))) });
      return;
    }
    for (const key of [`c:${channel}`, `w:${team}`]) this.bucket(key, 0, 0, at).spend();
    const ts = `${Math.floor(at / 1000)}.${String(++this.sequence).padStart(6, '0')}`;
    this.posts.push(post);
    const list = this.history.get(channel) ?? [];
    list.unshift({ ts, text: String(body.text ?? ''), metadata });
    this.history.set(channel, list);
    send(200, { ok: true, channel, ts, message: { ts, text: body.text } });
  }

  private bucket(key: string, capacity: number, perMs: number, now: number): TokenBucket {
    const bucket = this.buckets.get(key) ?? new TokenBucket(capacity, perMs, now);
    this.buckets.set(key, bucket);
    return bucket;
  }
}
