import { afterEach, describe, expect, it, vi } from 'vitest';
import { guardedResponseFetch } from '../../src/slack/response-url.js';

afterEach(() => vi.unstubAllGlobals());

// The guard's decision only: without redirect 'error' every request goes on to the global fetch (stubbed here).
function sent() {
  const urls: string[] = [];
  vi.stubGlobal('fetch', async (input: string) => {
    urls.push(String(input));
    return new Response('{"ok":true}');
  });
  return urls;
}

describe('guardedResponseFetch', () => {
  it('in production (no SLACK_API_URL) lets the WebClient reach slack.com/api and respond() reach hooks.slack.com, nothing else', async () => {
    const urls = sent();
    const guarded = guardedResponseFetch({ slackApiUrl: undefined });
    await guarded('https://slack.com/api/auth.test', { method: 'POST', body: 'x' });
    await guarded('https://hooks.slack.com/commands/T1/2/abc', { method: 'POST', body: '{}' });
    await expect(guarded('https://evil.example/commands/T1/2/abc', { method: 'POST', body: '{}' })).rejects.toThrow(
      /refused a response_url outside Slack \(evil.example\)/,
    );
    await expect(guarded('not a url', { method: 'POST', body: '{}' })).rejects.toThrow(/\(invalid\)/);
    expect(urls).toEqual(['https://slack.com/api/auth.test', 'https://hooks.slack.com/commands/T1/2/abc']);
  });

  it('with SLACK_API_URL, sends to that API and its origin only', async () => {
    const urls = sent();
    const guarded = guardedResponseFetch({ slackApiUrl: 'http://127.0.0.1:4000/api/' });
    await guarded('http://127.0.0.1:4000/api/views.open', { method: 'POST', body: 'x' });
    await guarded('http://127.0.0.1:4000/respond/1', { method: 'POST', body: '{}' });
    await expect(guarded('https://slack.com/api/auth.test', { method: 'POST', body: 'x' })).rejects.toThrow(/refused/);
    expect(urls).toEqual(['http://127.0.0.1:4000/api/views.open', 'http://127.0.0.1:4000/respond/1']);
  });
});
