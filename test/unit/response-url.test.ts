import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { guardedResponseFetch, isSlackResponseUrl } from '../../src/slack/web-api/response-url.js';

let server: Server | undefined;
afterEach(async () => {
  vi.unstubAllGlobals();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A loopback stand-in for Slack that records each request's path and body; /moved redirects to /elsewhere. */
async function fakeSlack(): Promise<{ base: string; seen: string[] }> {
  const seen: string[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push(`${req.url} ${body}`);
      if (req.url === '/moved') res.writeHead(302, { Location: '/elsewhere' }).end();
      else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

// What Bolt's respond() sends (@slack/bolt's createRespond): no redirect option, no signal.
const respondInit = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"text":"Done"}' };

describe('guardedResponseFetch', () => {
  it('in production (no SLACK_API_URL) accepts slack.com/api, files.slack.com uploads and hooks.slack.com, refuses anything else unsent', async () => {
    const sent: string[] = [];
    vi.stubGlobal('fetch', async (input: string) => {
      sent.push(String(input));
      return new Response('{"ok":true}');
    });
    expect(isSlackResponseUrl('https://hooks.slack.com/commands/T1/2/abc', { slackApiUrl: undefined })).toBe(true);
    expect(isSlackResponseUrl('https://hooks.slack-gov.com/actions/T1/2/abc', { slackApiUrl: undefined })).toBe(true);
    expect(isSlackResponseUrl('http://hooks.slack.com/commands/T1/2/abc', { slackApiUrl: undefined })).toBe(false);
    expect(isSlackResponseUrl('https://hooks.slack.com:8443/commands/T1/2/abc', { slackApiUrl: undefined })).toBe(
      false,
    );
    const guarded = guardedResponseFetch({ slackApiUrl: undefined });
    // files.uploadV2's second step: the bytes go to the upload URL Slack gave (a form, so Node's fetch sends it).
    const upload = new FormData();
    upload.append('file', new Blob(['BEGIN:VCALENDAR']), 'meeting.ics');
    const uploaded = await guarded('https://files.slack.com/upload/v1/CwABAAAAXgo', {
      method: 'POST',
      body: upload,
      redirect: 'error',
    });
    expect(uploaded.status).toBe(200);
    await expect(guarded('https://files.slack.com.evil.example/upload/v1/x', respondInit)).rejects.toThrow(/refused/);
    await expect(guarded('http://files.slack.com/upload/v1/x', respondInit)).rejects.toThrow(/refused/);
    await expect(guarded('https://evil.example/commands/T1/2/abc', respondInit)).rejects.toThrow(
      /refused a response_url outside Slack \(evil.example\)/,
    );
    await expect(guarded('not a url', respondInit)).rejects.toThrow(/\(invalid\)/);
    expect(sent).toEqual(['https://files.slack.com/upload/v1/CwABAAAAXgo']);
  });

  it("with SLACK_API_URL, sends Web API calls and respond()'s posts to that origin only, over node:http", async () => {
    const slack = await fakeSlack();
    // Node's fetch is never used: its first call compiles its HTTP parser (about 35 MB for a moment).
    vi.stubGlobal('fetch', () => Promise.reject(new Error('the global fetch was used')));
    const guarded = guardedResponseFetch({ slackApiUrl: `${slack.base}/api/` });
    const apiCall = await guarded(`${slack.base}/api/views.open`, { method: 'POST', body: 'x', redirect: 'error' });
    const responded = await guarded(`${slack.base}/respond/1`, respondInit);
    expect([apiCall.status, responded.status]).toEqual([200, 200]);
    await expect(guarded('https://slack.com/api/auth.test', { method: 'POST', body: 'x' })).rejects.toThrow(/refused/);
    expect(slack.seen).toEqual(['/api/views.open x', '/respond/1 {"text":"Done"}']);
  });

  it('does not follow a redirect from a response URL off the host it checked', async () => {
    const slack = await fakeSlack();
    const guarded = guardedResponseFetch({ slackApiUrl: `${slack.base}/api/` });
    await expect(guarded(`${slack.base}/moved`, respondInit)).rejects.toThrow(/fetch failed/);
    expect(slack.seen).toEqual(['/moved {"text":"Done"}']);
  });
});
