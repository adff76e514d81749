import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KnownBlock, View } from '@slack/types';
import { dateTokenProblemsIn } from './slack-dates.js';

/** A message's metadata as the app sends it and conversations.history gives it back. */
export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/**
 * A request's fields: form fields with JSON-valued ones (blocks, view, metadata…) decoded, or the JSON body. The
 * fields tests look into have Slack's types (what the app means to send; nothing here checks it); the rest are unknown.
 */
export interface CallBody {
  [field: string]: unknown;
  text?: string;
  blocks?: KnownBlock[];
  view?: View;
  metadata?: MessageMetadata;
}

/** One request the app made: a Web API method (e.g. "chat.postMessage") or "response_url". */
export interface RecordedCall {
  method: string;
  body: CallBody;
  authorization: string | undefined;
  /** For response_url calls: the path that was posted to. */
  path: string;
}

/** Thrown by a handler to end the connection without an answer (the call may or may not have landed). */
export class DropConnection extends Error {}

/** A reply with its own HTTP status or headers (a 429 with Retry-After, a 500); plain objects are sent as 200. */
export class HttpReply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

type Handler = (
  call: RecordedCall,
) => HttpReply | Record<string, unknown> | Promise<HttpReply | Record<string, unknown>>;

export interface FakeUser {
  tz: string;
  /** Given in profile.email, as Slack does when the app has users:read.email. */
  email?: string;
  /** More of users.info's user object (team_id, real_name, deleted, is_bot, enterprise_user…); `profile` is merged. */
  info?: Record<string, unknown> & { profile?: Record<string, unknown> };
}

const JSON_FIELDS = new Set([
  'blocks',
  'view',
  'attachments',
  'metadata',
  'unfurls',
  'document_content',
  'user_ids',
  'channel_ids',
]);

function decodeForm(raw: string): CallBody {
  const out: CallBody = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = JSON_FIELDS.has(key) ? JSON.parse(value) : value;
  }
  return out;
}

/**
 * A loopback stand-in for Slack's Web API (the app reads its base URL from SLACK_API_URL) that also serves
 * response_url posts. It records every call, answers like Slack by default, and lets a test override any method.
 */
/** An installation the fake's oauth.v2.access grants for a code. */
export interface OAuthGrant {
  token: string;
  teamId: string;
  teamName: string;
  enterpriseId?: string;
  enterpriseName?: string;
  isEnterpriseInstall?: boolean;
  installer?: string;
  scope?: string;
  /** Token rotation on: the refresh token, and seconds until the token expires. */
  refreshToken?: string;
  expiresIn?: number;
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  /** OAuth codes the fake's oauth.v2.access exchanges (once each) for these installations. */
  readonly oauthCodes = new Map<string, OAuthGrant>();
  /** Tokens handed out by oauth.v2.access, and the installation each belongs to. */
  readonly tokens = new Map<string, OAuthGrant>();
  readonly revoked = new Set<string>();
  readonly users = new Map<string, FakeUser>();
  /** Messages posted with chat.postMessage, by channel, as conversations.history returns them (newest first). */
  readonly messages = new Map<string, { ts: string; text: string; metadata?: MessageMetadata }[]>();
  /**
   * Malformed date tokens (`<!date^…|fallback>`) in anything the app sent, or a token in plain_text: Slack would show
   * them as typed, so `stop()` fails the test that sent them.
   */
  readonly dateTokenProblems: string[] = [];
  private readonly handlers = new Map<string, Handler>();
  private readonly waiters: { method: string; count: number; resolve: (call: RecordedCall) => void }[] = [];
  private server: Server | undefined;
  private sequence = 0;
  /** The time Slack stamps messages with (ts); tests with a fake clock point it there. */
  now: () => number = () => Date.now();
  baseUrl = '';

  static async start(): Promise<FakeSlack> {
    const fake = new FakeSlack();
    fake.server = createServer((req, res) => void fake.handle(req, res));
    fake.server.keepAliveTimeout = 1000;
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server, 'listening');
    fake.baseUrl = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The Web API base URL, as SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** A response_url for one command or interaction; posts to it are recorded as method "response_url". */
  responseUrl(id: string | number = this.calls.length): string {
    return `${this.baseUrl}/respond/${id}`;
  }

  on(method: string, handler: Handler): void {
    this.handlers.set(method, handler);
  }

  /** Back to answering `method` like Slack. */
  off(method: string): void {
    this.handlers.delete(method);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The latest call to `method`; a clear failure when there has been none. */
  lastCall(method: string): RecordedCall {
    const call = this.callsTo(method).at(-1);
    if (call === undefined) throw new Error(`no call to ${method}`);
    return call;
  }

  /** Resolves with the `count`-th call to `method` once it has arrived (at once if it already has). */
  waitFor(method: string, count = 1, timeoutMs = 60_000): Promise<RecordedCall> {
    const existing = this.callsTo(method)[count - 1];
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no call #${count} to ${method} within ${timeoutMs} ms; calls: ${this.calls.map((c) => c.method).join(', ')}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        method,
        count,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      });
    });
  }

  /** Files uploaded through files.uploadV2: id -> name, content and (once completed) the channel they went to. */
  readonly files = new Map<string, { filename: string; content: string; channel?: string; comment?: string }>();

  /**
   * Files users shared (a modal's file_input, a DM): id -> who shared it, its name and bytes, and the size files.info
   * reports (the real one unless set). files.info describes them; /download/<id> serves them to a bot token only.
   */
  readonly userFiles = new Map<string, { user: string; name: string; bytes: Buffer; size?: number }>();

  /** Canvases made with canvases.create: id -> title, Markdown, and who was given which access (canvases.access.set). */
  readonly canvases = new Map<string, { title: string; markdown: string; access: Map<string, string> }>();

  /** The files completed into `channel`, in upload order. */
  filesIn(channel: string) {
    return [...this.files.values()].filter((file) => file.channel === channel);
  }

  private async receiveUpload(fileId: string, bytes: Buffer, contentType: string): Promise<void> {
    const entry = this.files.get(fileId);
    if (!entry) return;
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
      for (const value of form.values()) {
        if (typeof value !== 'string') entry.content = Buffer.from(await value.arrayBuffer()).toString('utf8');
      }
    } else {
      entry.content = bytes.toString('utf8');
    }
    this.calls.push({
      method: 'file_upload',
      body: { file_id: fileId },
      authorization: undefined,
      path: `/upload/${fileId}`,
    });
  }

  /** Stops serving; then fails when the app sent a malformed date token (see `dateTokenProblems`). */
  async stop(): Promise<void> {
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server?.close(() => resolve()));
      this.server = undefined;
    }
    if (this.dateTokenProblems.length > 0) {
      throw new Error(`the app sent malformed date tokens:\n  - ${this.dateTokenProblems.join('\n  - ')}`);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    const path = new URL(req.url ?? '/', this.baseUrl).pathname;
    if (path.startsWith('/download/')) {
      this.serveDownload(path.slice('/download/'.length), req, res);
      return;
    }
    if (path.startsWith('/upload/')) {
      await this.receiveUpload(path.slice('/upload/'.length), bytes, String(req.headers['content-type'] ?? ''));
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('OK');
      return;
    }
    const isJson = (req.headers['content-type'] ?? '').includes('application/json');
    let body: CallBody;
    try {
      body = raw === '' ? {} : isJson ? JSON.parse(raw) : decodeForm(raw);
    } catch {
      body = { unparsed: raw };
    }
    const method = path.startsWith('/api/')
      ? path.slice('/api/'.length)
      : path.startsWith('/respond/')
        ? 'response_url'
        : path;
    const call: RecordedCall = { method, body, authorization: req.headers.authorization, path };
    this.calls.push(call);
    this.dateTokenProblems.push(...dateTokenProblemsIn(body).map((problem) => `${method} ${problem}`));

    const handler = this.handlers.get(method) ?? ((c: RecordedCall) => this.asSlack(c));
    let reply: HttpReply;
    try {
      const produced = await handler(call);
      reply = produced instanceof HttpReply ? produced : new HttpReply(200, produced);
    } catch (error) {
      if (error instanceof DropConnection) {
        req.socket.destroy();
        this.notifyWaiters(method);
        return;
      }
      reply = new HttpReply(500, { ok: false, error: String(error) });
    }
    res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
    res.end(JSON.stringify(reply.body));
    this.notifyWaiters(method);
  }

  /** url_private_download: the bytes for a bot token; anything else gets Slack's sign-in page (HTML, status 200). */
  private serveDownload(fileId: string, req: IncomingMessage, res: ServerResponse): void {
    const authorization = req.headers.authorization;
    this.calls.push({ method: 'file_download', body: { file_id: fileId }, authorization, path: `/download/${fileId}` });
    const file = this.userFiles.get(fileId);
    if (file === undefined || !/^Bearer xox[bp]-/.test(authorization ?? '')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><body>Sign in to Slack</body></html>');
    } else {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': file.bytes.length });
      res.end(file.bytes);
    }
    this.notifyWaiters('file_download');
  }

  private notifyWaiters(method: string): void {
    const count = this.callsTo(method).length;
    for (const waiter of [...this.waiters]) {
      if (waiter.method === method && waiter.count <= count) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(this.callsTo(method)[waiter.count - 1] as RecordedCall);
      }
    }
  }

  /**
   * Slack's ambiguous answer: the next `times` calls to `method` take effect as Slack would (a post is stored, a token
   * refreshed), and are then answered with `reply` (by default `internal_error`, which Slack documents as "some
   * part of the operation may have succeeded"). A `reply` of null drops the connection instead: the client times out
   * or sees a reset, not knowing whether the call landed.
   */
  landsThenAnswers(
    method: string,
    reply: HttpReply | Record<string, unknown> | null = { ok: false, error: 'internal_error' },
    times = 1,
  ): void {
    let left = times;
    const previous = this.handlers.get(method);
    this.on(method, async (call) => {
      const landed = previous ? await previous(call) : this.asSlack(call);
      if (left <= 0) return landed;
      left -= 1;
      if (left === 0) {
        if (previous) this.on(method, previous);
        else this.off(method);
      }
      if (reply === null) throw new DropConnection();
      return reply;
    });
  }

  /** What Slack would answer (and do) for this call: the fake's default behaviour, for handlers that wrap it. */
  asSlack(call: RecordedCall): Record<string, unknown> {
    const body = call.body;
    switch (call.method) {
      case 'oauth.v2.access': {
        if (body.grant_type === 'refresh_token') {
          // Token rotation: a refresh token works once and brings a new token and a new refresh token.
          const [oldToken, grant] = [...this.tokens].find(([, g]) => g.refreshToken === body.refresh_token) ?? [];
          if (oldToken === undefined || grant === undefined) return { ok: false, error: 'invalid_refresh_token' };
          const next = { ...grant, token: `${grant.token}-r`, refreshToken: `${grant.refreshToken}-r` };
          this.tokens.delete(oldToken);
          this.tokens.set(next.token, next);
          return {
            ok: true,
            token_type: 'bot',
            access_token: next.token,
            refresh_token: next.refreshToken,
            expires_in: 43_200,
          };
        }
        // Each code works once, like Slack's.
        const grant = this.oauthCodes.get(String(body.code));
        this.oauthCodes.delete(String(body.code));
        if (grant === undefined) return { ok: false, error: 'invalid_code' };
        this.tokens.set(grant.token, grant);
        return {
          ok: true,
          app_id: 'A0001',
          authed_user: { id: grant.installer ?? 'U0001' },
          scope: String(grant.scope ?? 'commands,chat:write'),
          token_type: 'bot',
          access_token: grant.token,
          bot_user_id: 'UBOT',
          team: grant.isEnterpriseInstall ? null : { id: grant.teamId, name: grant.teamName },
          enterprise: grant.enterpriseId ? { id: grant.enterpriseId, name: grant.enterpriseName } : null,
          is_enterprise_install: grant.isEnterpriseInstall === true,
          ...(grant.refreshToken ? { refresh_token: grant.refreshToken, expires_in: grant.expiresIn ?? 43_200 } : {}),
        };
      }
      case 'auth.test': {
        // A token installed through oauth.v2.access answers for its own workspace or organisation.
        const token = String(call.authorization ?? '').replace(/^Bearer /, '') || String(body.token ?? '');
        const grant = this.tokens.get(token);
        if (grant !== undefined)
          return {
            ok: true,
            url: 'https://example.slack.com/',
            team: grant.teamName,
            user: 'infoview',
            team_id: grant.teamId,
            ...(grant.enterpriseId ? { enterprise_id: grant.enterpriseId } : {}),
            is_enterprise_install: grant.isEnterpriseInstall === true,
            user_id: 'UBOT',
            bot_id: 'BBOT',
          };
        if (this.revoked.has(token)) return { ok: false, error: 'invalid_auth' };
        // Any other token is the one workspace's.
        return {
          ok: true,
          url: 'https://example.slack.com/',
          team: 'Example',
          user: 'infoview',
          team_id: 'T0001',
          user_id: 'UBOT',
          bot_id: 'BBOT',
        };
      }
      case 'users.info': {
        const user = this.users.get(String(body.user));
        if (!user) return { ok: false, error: 'user_not_found' };
        const profile = { ...(user.email ? { email: user.email } : {}), ...user.info?.profile };
        return {
          ok: true,
          user: {
            id: body.user,
            tz: user.tz,
            tz_label: user.tz,
            tz_offset: 0,
            deleted: false,
            ...user.info,
            ...(Object.keys(profile).length > 0 ? { profile } : {}),
          },
        };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(body.users).replace(/^U/, '')}` } };
      case 'chat.postMessage': {
        const ts = `${Math.floor(this.now() / 1000)}.${String(++this.sequence).padStart(6, '0')}`;
        const posted = { ts, text: String(body.text ?? ''), ...(body.metadata ? { metadata: body.metadata } : {}) };
        this.messages.set(String(body.channel), [posted, ...(this.messages.get(String(body.channel)) ?? [])]);
        return { ok: true, channel: body.channel, ts, message: { text: body.text, ts } };
      }
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts, message: { text: body.text, ts: body.ts } };
      case 'conversations.history': {
        const oldest = Number(body.oldest ?? 0);
        const found = (this.messages.get(String(body.channel)) ?? []).filter((m) => Number(m.ts) >= oldest);
        const withMetadata = body.include_all_metadata === 'true' || body.include_all_metadata === true;
        return {
          ok: true,
          has_more: false,
          messages: found.map((m) => (withMetadata ? m : { ts: m.ts, text: m.text })),
        };
      }
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish':
        return { ok: true, view: { ...(body.view as object), id: `V${this.calls.length}` } };
      case 'response_url':
        return { ok: true };
      case 'files.getUploadURLExternal': {
        const id = `F${this.files.size + 1}`;
        this.files.set(id, { filename: String(body.filename), content: '' });
        return { ok: true, upload_url: `${this.baseUrl}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const done = JSON.parse(String(body.files ?? '[]')) as { id: string; title?: string }[];
        for (const file of done) {
          const entry = this.files.get(file.id);
          if (entry) Object.assign(entry, { channel: body.channel_id, comment: body.initial_comment });
        }
        return { ok: true, files: done.map((file) => ({ id: file.id, title: file.title })) };
      }
      case 'canvases.create': {
        const id = `FCANVAS${this.canvases.size + 1}`;
        const content = body.document_content as { type?: string; markdown?: string } | undefined;
        this.canvases.set(id, {
          title: String(body.title ?? ''),
          markdown: content?.markdown ?? '',
          access: new Map(),
        });
        return { ok: true, canvas_id: id };
      }
      case 'canvases.access.set': {
        const canvas = this.canvases.get(String(body.canvas_id));
        if (!canvas) return { ok: false, error: 'canvas_not_found' };
        for (const user of (body.user_ids as string[] | undefined) ?? [])
          canvas.access.set(user, String(body.access_level));
        return { ok: true };
      }
      case 'canvases.delete':
        return this.canvases.delete(String(body.canvas_id)) ? { ok: true } : { ok: false, error: 'canvas_not_found' };
      case 'files.info': {
        // Canvases are files too: files.info gives their permalink.
        const id = String(body.file);
        const canvas = this.canvases.get(id);
        if (canvas)
          return {
            ok: true,
            file: {
              id,
              title: canvas.title,
              filetype: 'quip',
              permalink: `https://example.slack.com/docs/T0001/${id}`,
            },
          };
        const shared = this.userFiles.get(id);
        if (shared)
          return {
            ok: true,
            file: {
              id,
              name: shared.name,
              title: shared.name,
              user: shared.user,
              filetype: shared.name.split('.').at(-1) ?? 'text',
              mimetype: 'text/csv',
              size: shared.size ?? shared.bytes.length,
              url_private: `${this.baseUrl}/download/${id}`,
              url_private_download: `${this.baseUrl}/download/${id}`,
            },
          };
        const file = this.files.get(id);
        if (file)
          return {
            ok: true,
            file: {
              id,
              name: file.filename,
              title: file.filename,
              // Where a completed upload was shared, as Slack lists it (a DM under ims).
              ims: file.channel?.startsWith('D') ? [file.channel] : [],
              channels: file.channel !== undefined && !file.channel.startsWith('D') ? [file.channel] : [],
              permalink: `https://example.slack.com/files/UBOT/${id}/${encodeURIComponent(file.filename)}`,
            },
          };
        return { ok: false, error: 'file_not_found' };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** The text of the section at `index` in a message's blocks; fails clearly when that is not a section with text. */
export function sectionText(body: CallBody, index: number): string {
  const block = body.blocks?.[index];
  if (block?.type !== 'section' || block.text === undefined)
    throw new Error(`block ${index} is not a section with text: ${JSON.stringify(block)}`);
  return block.text.text;
}
