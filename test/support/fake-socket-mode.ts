import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { FakeSlack, HttpReply, RecordedCall } from './fake-slack.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** What Slack sends for one request: `SocketModeClient.ts#onWebSocketMessage` reads exactly these fields. */
export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: unknown;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

/** What the app sends back for an envelope (`SocketModeClient.ts#send`): `{ envelope_id, payload: {...ackBody} }`. */
export interface AckFrame {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/** One WebSocket connection the app opened with a ticket from apps.connections.open. */
export interface FakeConnection {
  /** 1 for the first connection, 2 for the one after a reconnect… */
  readonly number: number;
  readonly ticket: string;
  readonly socket: WebSocket;
  /** The hello frame sent on it, exactly as written to the wire. */
  readonly hello: Record<string, unknown>;
  /** Every text frame the app sent on it, parsed (or `{ unparsed }`). */
  readonly frames: Record<string, unknown>[];
  /** Resolves when the socket has closed, whichever side started it. */
  readonly closed: Promise<void>;
  isOpen(): boolean;
}

export interface FakeSocketModeOptions {
  /** The app-level token apps.connections.open must be called with. */
  appToken: string;
  appId?: string;
  /** Bound on every wait (acks, connections); a wait past it rejects with a message saying what was missing. */
  timeoutMs?: number;
}

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A loopback stand-in for Slack's Socket Mode. `attach(fakeSlack)` makes the fake Web API answer
 * `apps.connections.open` (only for the app-level token, sent in the Authorization header) with a single-use
 * `ws://127.0.0.1:PORT/link?ticket=N`; each WebSocket upgrade with a live ticket gets Slack's `hello` frame.
 * Tests then push envelopes and await the app's ack frame for that envelope_id, or ask Slack's side to
 * `disconnect`. Pings from the client are answered with pongs by `ws` itself, as Slack does.
 */
export class FakeSocketMode {
  /** Every apps.connections.open call, in order, as the fake Web API recorded it. */
  readonly opens: RecordedCall[] = [];
  readonly connections: FakeConnection[] = [];
  /** Upgrade attempts refused (unknown or reused ticket, wrong path). */
  readonly refused: string[] = [];
  /** Every envelope delivered with `post`/`send`, in order. */
  readonly envelopes: Envelope[] = [];
  /** Ack frames by envelope_id, as they arrived. */
  readonly acks = new Map<string, AckFrame>();
  /** Frames from the app that answered no envelope we sent (a second ack, an ack for an unknown id, non-JSON). */
  readonly strayFrames: Record<string, unknown>[] = [];

  private readonly appToken: string;
  private readonly appId: string;
  private readonly timeoutMs: number;
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly liveTickets = new Set<string>();
  private readonly cannedOpens: (HttpReply | Record<string, unknown>)[] = [];
  private nextTicket = 1;
  private port = 0;
  private readonly ackWaiters = new Map<string, Waiter<AckFrame>>();
  private readonly connectionWaiters: { count: number; waiter: Waiter<FakeConnection> }[] = [];

  private constructor(options: FakeSocketModeOptions) {
    this.appToken = options.appToken;
    this.appId = options.appId ?? 'A0001';
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.server = createServer((_req, res) => {
      // Slack's WebSocket host answers plain HTTP with an error; only upgrades are served.
      res.writeHead(426, { 'Content-Type': 'text/plain' });
      res.end('upgrade required');
    });
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  static async start(options: FakeSocketModeOptions): Promise<FakeSocketMode> {
    const fake = new FakeSocketMode(options);
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server, 'listening');
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** Makes `slack` answer apps.connections.open the way Slack does; records each call in `opens`. */
  attach(slack: FakeSlack): void {
    slack.on('apps.connections.open', (call) => {
      this.opens.push(call);
      const canned = this.cannedOpens.shift();
      if (canned) return canned;
      const token = /^Bearer (.+)$/.exec(call.authorization ?? '')?.[1];
      // Slack reads the token from the Authorization header only (a POST param is rejected) and wants an xapp token.
      if (token === undefined) return { ok: false, error: 'not_authed' };
      if (!token.startsWith('xapp-')) return { ok: false, error: 'not_allowed_token_type' };
      if (token !== this.appToken) return { ok: false, error: 'invalid_auth' };
      const ticket = String(this.nextTicket++);
      this.liveTickets.add(ticket);
      return { ok: true, url: `ws://127.0.0.1:${this.port}/link?ticket=${ticket}` };
    });
  }

  /** Answers the next apps.connections.open call(s) with these replies instead (a 503, `{ ok: false, error }`…). */
  failNextOpens(...replies: (HttpReply | Record<string, unknown>)[]): void {
    this.cannedOpens.push(...replies);
  }

  /** Connections opened so far (closed ones included). */
  get connectionCount(): number {
    return this.connections.length;
  }

  /** The connection Slack would deliver to: the newest one still open. */
  get current(): FakeConnection | undefined {
    return [...this.connections].reverse().find((connection) => connection.isOpen());
  }

  /**
   * Resolves with the `count`-th connection once it is open and its hello has been written (at once if it already
   * has). The client may not have read the hello yet: await its "connected" event before stopping it.
   */
  waitForConnection(count = this.connections.length + 1, timeoutMs = this.timeoutMs): Promise<FakeConnection> {
    const existing = this.connections[count - 1];
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<FakeConnection> = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.connectionWaiters.splice(
            this.connectionWaiters.findIndex((w) => w.waiter === waiter),
            1,
          );
          reject(
            new Error(
              `no Socket Mode connection #${count} within ${timeoutMs} ms: ${this.connections.length} connection(s), ` +
                `${this.opens.length} apps.connections.open call(s), refused upgrades: [${this.refused.join(', ')}]`,
            ),
          );
        }, timeoutMs),
      };
      this.connectionWaiters.push({ count, waiter });
    });
  }

  /**
   * Delivers one envelope on the current connection, as Slack does, and resolves with the app's ack frame for its
   * envelope_id. Rejects if no connection is open, or if no ack arrives within the timeout.
   */
  send(
    type: EnvelopeType,
    payload: unknown,
    options: {
      acceptsResponsePayload?: boolean;
      envelopeId?: string;
      retryAttempt?: number;
      retryReason?: string;
      timeoutMs?: number;
    } = {},
  ): Promise<AckFrame> {
    try {
      const envelopeId = this.post(type, payload, options);
      return this.ackFor(envelopeId, options.timeoutMs);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Delivers one envelope without waiting for its ack; returns its envelope_id (see `ackFor`). */
  post(
    type: EnvelopeType,
    payload: unknown,
    options: {
      acceptsResponsePayload?: boolean;
      envelopeId?: string;
      retryAttempt?: number;
      retryReason?: string;
    } = {},
  ): string {
    const envelope: Envelope = {
      envelope_id: options.envelopeId ?? randomUUID(),
      type,
      payload,
      // Slack sets this for slash commands and view submissions, whose ack body it shows to the user.
      accepts_response_payload: options.acceptsResponsePayload ?? type !== 'events_api',
      ...(options.retryAttempt === undefined
        ? {}
        : { retry_attempt: options.retryAttempt, retry_reason: options.retryReason ?? 'timeout' }),
    };
    this.sendRaw(JSON.stringify(envelope));
    this.envelopes.push(envelope);
    return envelope.envelope_id;
  }

  /** Writes one frame as is on the current connection: a malformed envelope, a non-JSON text, a binary frame. */
  sendRaw(data: string | Buffer): void {
    const connection = this.current;
    if (!connection)
      throw new Error(`no open Socket Mode connection to send on (${this.connections.length} opened so far)`);
    connection.socket.send(data);
  }

  /** Resolves with the ack frame for `envelopeId` (at once if it already came). */
  ackFor(envelopeId: string, timeoutMs = this.timeoutMs): Promise<AckFrame> {
    const existing = this.acks.get(envelopeId);
    if (existing) return Promise.resolve(existing);
    if (this.ackWaiters.has(envelopeId))
      return Promise.reject(new Error(`already waiting for the ack of envelope ${envelopeId}`));
    return new Promise((resolve, reject) => {
      this.ackWaiters.set(envelopeId, {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.ackWaiters.delete(envelopeId);
          reject(
            new Error(
              `no ack for envelope ${envelopeId} within ${timeoutMs} ms; acks received for: [${[...this.acks.keys()].join(', ')}]`,
            ),
          );
        }, timeoutMs),
      });
    });
  }

  /**
   * Slack's side asks for a reconnect: sends `{"type":"disconnect","reason":…}` on the current connection, then
   * closes it (Slack recycles the host). Resolves once that socket is closed.
   */
  async disconnect(
    reason: 'refresh_requested' | 'warning' | 'link_disabled' = 'refresh_requested',
  ): Promise<FakeConnection> {
    const connection = this.current;
    if (!connection) throw new Error('no open Socket Mode connection to disconnect');
    connection.socket.send(
      JSON.stringify({ type: 'disconnect', reason, debug_info: { host: `applink-fake-${connection.number}` } }),
    );
    connection.socket.close(1000, reason);
    await this.bounded(connection.closed, `connection #${connection.number} did not close after the disconnect frame`);
    return connection;
  }

  /** Closes every socket and the server, and fails any wait still pending. */
  async stop(): Promise<void> {
    for (const [envelopeId, waiter] of this.ackWaiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`fake Socket Mode stopped before the ack of envelope ${envelopeId}`));
    }
    this.ackWaiters.clear();
    for (const { count, waiter } of this.connectionWaiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`fake Socket Mode stopped before connection #${count}`));
    }
    for (const connection of this.connections) {
      if (connection.socket.readyState !== connection.socket.CLOSED) connection.socket.terminate();
    }
    await Promise.all(this.connections.map((connection) => connection.closed));
    this.wss.close();
    this.server.closeAllConnections();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    const ticket = url.searchParams.get('ticket') ?? '';
    // Tickets are single-use, like Slack's: a client must call apps.connections.open again for every connection.
    if (url.pathname !== '/link' || !this.liveTickets.delete(ticket)) {
      this.refused.push(req.url ?? '');
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, ticket));
  }

  private accept(socket: WebSocket, ticket: string): void {
    const number = this.connections.length + 1;
    const open = this.connections.filter((connection) => connection.isOpen()).length + 1;
    const hello = {
      type: 'hello',
      num_connections: open,
      debug_info: { host: `applink-fake-${number}`, build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: this.appId },
    };
    const frames: Record<string, unknown>[] = [];
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const connection: FakeConnection = {
      number,
      ticket,
      socket,
      hello,
      frames,
      closed,
      isOpen: () => socket.readyState === socket.OPEN,
    };
    socket.on('message', (data, isBinary) => this.receive(connection, data, isBinary));
    socket.on('error', () => {
      // A reset from the client surfaces as 'close' too; nothing else to do.
    });
    this.connections.push(connection);
    socket.send(JSON.stringify(hello));
    for (const entry of [...this.connectionWaiters]) {
      if (entry.count <= this.connections.length) {
        this.connectionWaiters.splice(this.connectionWaiters.indexOf(entry), 1);
        clearTimeout(entry.waiter.timer);
        entry.waiter.resolve(this.connections[entry.count - 1] as FakeConnection);
      }
    }
  }

  private receive(connection: FakeConnection, data: RawData, isBinary: boolean): void {
    const text = isBinary
      ? ''
      : Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Buffer.concat(data as Buffer[]).toString('utf8');
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(text) as Record<string, unknown>;
    } catch {
      frame = { unparsed: isBinary ? '<binary>' : text };
    }
    connection.frames.push(frame);
    const envelopeId = typeof frame.envelope_id === 'string' ? frame.envelope_id : undefined;
    const known = envelopeId !== undefined && this.envelopes.some((envelope) => envelope.envelope_id === envelopeId);
    if (envelopeId === undefined || !known || this.acks.has(envelopeId)) {
      this.strayFrames.push(frame);
      return;
    }
    const ack = frame as unknown as AckFrame;
    this.acks.set(envelopeId, ack);
    const waiter = this.ackWaiters.get(envelopeId);
    if (waiter) {
      this.ackWaiters.delete(envelopeId);
      clearTimeout(waiter.timer);
      waiter.resolve(ack);
    }
  }

  private bounded<T>(promise: Promise<T>, message: string, timeoutMs = this.timeoutMs): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${message} within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}
