import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** What the fake saw of one views.open: when its body had fully arrived (performance.now(), this process's clock). */
export interface ViewsOpenArrival {
  at: number;
  authorization: string | undefined;
}

/**
 * A lean loopback stand-in for Slack's Web API, for load. Unlike test/support/fake-slack.ts it keeps no call log (that
 * one scans its whole log on every request, which grows O(n²) under load and would skew the generator's own timing):
 * it answers auth.test, users.info, views.open and response_url posts, counts calls by method, and hands each
 * views.open arrival to `onViewsOpen` keyed by trigger_id.
 */
export class FakeWebApi {
  readonly counts = new Map<string, number>();
  onViewsOpen: (triggerId: string, arrival: ViewsOpenArrival) => void = () => undefined;
  /** A message posted to a response URL made by `responseUrl(id)`. */
  onResponse: (id: string, at: number) => void = () => undefined;
  /** A Home tab published (views.publish), for the user it is for. */
  onPublish: (userId: string, at: number) => void = () => undefined;
  private server: Server | undefined;
  private nextView = 1;
  baseUrl = '';

  /** `teamId`: the workspace of the token (auth.test); the app serves only that one. */
  static async start(timeZone = 'America/New_York', teamId = 'T0001'): Promise<FakeWebApi> {
    const fake = new FakeWebApi(timeZone, teamId);
    const server = createServer((req, res) => fake.handle(req, res));
    // Clients keep their connections; never make them reconnect mid-run.
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    fake.server = server;
    fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  private constructor(
    private readonly timeZone: string,
    private readonly teamId: string,
  ) {}

  /** The Web API base URL, as SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.baseUrl}/respond/${id}`;
  }

  count(method: string): number {
    return this.counts.get(method) ?? 0;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      const url = req.url ?? '/';
      const method = url.startsWith('/api/')
        ? (url.slice('/api/'.length).split('?')[0] ?? '')
        : url.startsWith('/respond/')
          ? 'response_url'
          : url;
      this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
      const raw = Buffer.concat(chunks).toString('utf8');
      const form = (req.headers['content-type'] ?? '').includes('application/json')
        ? new URLSearchParams(Object.entries(safeJson(raw)).map(([k, v]): [string, string] => [k, String(v)]))
        : new URLSearchParams(raw);
      let reply: Record<string, unknown>;
      switch (method) {
        case 'auth.test':
          reply = {
            ok: true,
            url: 'https://example.slack.com/',
            team: 'Example',
            user: 'infoview',
            team_id: this.teamId,
            user_id: 'UBOT',
            bot_id: 'BBOT',
          };
          break;
        case 'users.info': {
          const user = form.get('user') ?? '';
          reply = {
            ok: true,
            user: { id: user, tz: this.timeZone, tz_label: this.timeZone, tz_offset: 0, deleted: false },
          };
          break;
        }
        case 'views.open': {
          const triggerId = form.get('trigger_id') ?? '';
          this.onViewsOpen(triggerId, { at, authorization: req.headers.authorization });
          reply = { ok: true, view: { id: `V${this.nextView++}`, type: 'modal' } };
          break;
        }
        case 'response_url':
          this.onResponse(url.slice('/respond/'.length), at);
          reply = { ok: true };
          break;
        case 'views.publish':
          this.onPublish(form.get('user_id') ?? '', at);
          reply = { ok: true, view: { id: `V${this.nextView++}`, type: 'home' } };
          break;
        default:
          reply = { ok: false, error: 'unknown_method' };
      }
      const body = JSON.stringify(reply);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
  }
}

function safeJson(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
