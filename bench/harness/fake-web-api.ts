import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * A lean loopback stand-in for Slack's Web API, for load. Unlike test/support/fake-slack.ts it keeps no call log (that
 * one scans its whole log on every request, which grows O(n²) under load and would skew the generator's timing): it
 * answers auth.test, users.info, views.open, views.publish, chat.postMessage and response_url posts, counts calls by
 * method, and hands each arrival (performance.now(), this process's clock) to its listener.
 */
export class FakeWebApi {
  private readonly counts = new Map<string, number>();
  onViewsOpen: (triggerId: string, arrival: { at: number; authorization: string | undefined }) => void = () => {};
  /** A message posted to a response URL made by `responseUrl(id)`. */
  onResponse: (id: string, at: number) => void = () => {};
  /** A Home tab published (views.publish), for the user it is for. */
  onPublish: (userId: string, at: number) => void = () => {};
  private loopback = { baseUrl: '', stop: async () => {} };

  /** `teamId`: the workspace of the token (auth.test); the app serves only that one. */
  static async start(timeZone = 'America/New_York', teamId = 'T0001'): Promise<FakeWebApi> {
    const fake = new FakeWebApi(timeZone, teamId);
    fake.loopback = await serveLoopback((req, res, body, at) => fake.handle(req, res, body, at));
    return fake;
  }

  private constructor(
    private readonly timeZone: string,
    private readonly teamId: string,
  ) {}

  /** The Web API base URL, as SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.loopback.baseUrl}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.loopback.baseUrl}/respond/${id}`;
  }

  count(method: string): number {
    return this.counts.get(method) ?? 0;
  }

  stop(): Promise<void> {
    return this.loopback.stop();
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>, at: number): void {
    const url = req.url ?? '/';
    const method = url.startsWith('/respond/') ? 'response_url' : (url.slice('/api/'.length).split('?')[0] ?? '');
    this.counts.set(method, this.count(method) + 1);
    let reply: Record<string, unknown> = { ok: true };
    if (method === 'auth.test')
      reply = {
        ok: true,
        url: 'https://example.slack.com/',
        team: 'Example',
        user: 'infoview',
        team_id: this.teamId,
        user_id: 'UBOT',
        bot_id: 'BBOT',
      };
    else if (method === 'users.info')
      reply = { ok: true, user: { id: body.user, tz: this.timeZone, tz_offset: 0, deleted: false } };
    else if (method === 'views.open') {
      this.onViewsOpen(String(body.trigger_id ?? ''), { at, authorization: req.headers.authorization });
      reply = { ok: true, view: { id: `V${this.count(method)}`, type: 'modal' } };
    } else if (method === 'views.publish') {
      this.onPublish(String(body.user_id ?? ''), at);
      reply = { ok: true, view: { id: `H${this.count(method)}`, type: 'home' } };
    } else if (method === 'chat.postMessage')
      reply = { ok: true, channel: body.channel, ts: `1.${this.count(method)}` };
    else if (method === 'response_url') this.onResponse(url.slice('/respond/'.length), at);
    else reply = { ok: false, error: 'unknown_method' };
    const json = JSON.stringify(reply);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
    res.end(json);
  }
}

/**
 * Serves `handle` on a loopback port, each request once its body has fully arrived (`at`, performance.now()), the body
 * parsed from JSON or a form. Clients keep their connections; never make them reconnect mid-run.
 */
export async function serveLoopback(
  handle: (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>, at: number) => void,
) {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      const raw = Buffer.concat(chunks).toString('utf8');
      const json = (req.headers['content-type'] ?? '').includes('application/json');
      handle(req, res, json ? JSON.parse(raw || '{}') : Object.fromEntries(new URLSearchParams(raw)), at);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop };
}
