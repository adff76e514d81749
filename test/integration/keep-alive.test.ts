import { Agent, get } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startHarness } from '../support/harness.js';
import { startSocketHarness } from '../support/socket-harness.js';

// Behind a load balancer, connections it keeps alive for 60 s must not be closed by the app after Node's 5 s (the
// balancer then answers 502): every server the app listens with keeps idle connections longer than balancers do.

/** Two GETs over one kept-alive connection: their statuses, Keep-Alive headers and whether the second reused it. */
async function twiceOnOneConnection(url: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const once = () =>
    new Promise<{ status: number; keepAlive: string; reused: boolean }>((resolve, reject) => {
      const req = get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            keepAlive: String(res.headers['keep-alive']),
            reused: req.reusedSocket,
          }),
        );
      });
      req.on('error', reject);
    });
  try {
    return [await once(), await once()];
  } finally {
    agent.destroy();
  }
}

describe('kept-alive connections behind a load balancer', () => {
  it('in HTTP mode, keeps idle connections 65 s and waits 66 s for headers by default, and serves a second request on the same connection', async () => {
    const h = await startHarness({ now: '2026-10-29T14:00:00Z' });
    try {
      const server = h.infoview.httpServer;
      expect(server?.keepAliveTimeout).toBe(65_000);
      expect(server?.headersTimeout).toBe(66_000);
      const [first, second] = await twiceOnOneConnection(`${h.baseUrl}/healthz`);
      expect(first).toEqual({ status: 200, keepAlive: 'timeout=65', reused: false });
      expect(second).toEqual({ status: 200, keepAlive: 'timeout=65', reused: true });
    } finally {
      await h.stop();
    }
  });

  it('in HTTP mode, takes the configured timeouts', async () => {
    const h = await startHarness({
      now: '2026-10-29T14:00:00Z',
      env: { HTTP_KEEP_ALIVE_TIMEOUT_MS: '120000', HTTP_HEADERS_TIMEOUT_MS: '125000' },
    });
    try {
      expect(h.infoview.httpServer?.keepAliveTimeout).toBe(120_000);
      expect(h.infoview.httpServer?.headersTimeout).toBe(125_000);
      const [, second] = await twiceOnOneConnection(`${h.baseUrl}/healthz`);
      expect(second).toEqual({ status: 200, keepAlive: 'timeout=120', reused: true });
    } finally {
      await h.stop();
    }
  });

  it('in Socket Mode, the server beside it for the routes takes the configured timeouts', async () => {
    const h = await startSocketHarness({ now: '2026-10-29T14:00:00Z', env: { HTTP_KEEP_ALIVE_TIMEOUT_MS: '90000' } });
    try {
      expect(h.infoview.httpServer?.keepAliveTimeout).toBe(90_000);
      expect(h.infoview.httpServer?.headersTimeout).toBe(91_000);
      const [first, second] = await twiceOnOneConnection(h.healthUrl);
      expect(first).toEqual({ status: 200, keepAlive: 'timeout=90', reused: false });
      expect(second).toEqual({ status: 200, keepAlive: 'timeout=90', reused: true });
    } finally {
      await h.stop();
    }
  });
});
