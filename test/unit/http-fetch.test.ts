import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { webApiFetch } from '../../src/slack/web-api/http-fetch.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const post = (body: string) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Bearer xoxb-1' },
  body,
  redirect: 'error' as const,
});

describe('webApiFetch', () => {
  it('posts the body with its headers and answers as fetch would: status, headers, url, text', async () => {
    let seen: { method?: string; headers: Record<string, unknown>; body: string } | undefined;
    const base = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen = { method: req.method, headers: req.headers, body };
        res
          .writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '3' })
          .end('{"ok":false,"error":"ratelimited"}');
      });
    });
    const response = await webApiFetch(`${base}/api/chat.postMessage`, post('channel=C1&text=h%C3%A9'));
    expect(seen).toMatchObject({
      method: 'POST',
      body: 'channel=C1&text=h%C3%A9',
      headers: { authorization: 'Bearer xoxb-1', 'content-length': '23' },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(response.url).toBe(`${base}/api/chat.postMessage`);
    expect(JSON.parse(await response.text())).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('rejects a redirect, a refused connection (TypeError, as fetch) and a call past its signal', async () => {
    const base = await serve((req, res) => {
      if (req.url === '/redirect') res.writeHead(302, { Location: 'https://example.com/' }).end();
      // /slow never answers
    });
    await expect(webApiFetch(`${base}/redirect`, post('a=1'))).rejects.toBeInstanceOf(TypeError);
    await expect(
      webApiFetch(`${base}/slow`, { ...post('a=1'), signal: AbortSignal.timeout(50) }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    await expect(webApiFetch('http://127.0.0.1:1/api/x', post('a=1'))).rejects.toBeInstanceOf(TypeError);
  });
});
