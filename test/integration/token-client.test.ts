import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sharedWebClient, tokenClient } from '../../src/slack/installs/bounded-clients.js';
import { FakeSlack } from '../support/fake-slack.js';

// Issue 30: a workspace's WebClient is a view of one shared client (docs/performance.md, "Bounded WebClients"). What
// Slack receives from a view must be what it receives from `new WebClient(token, options)`, token and body alike.

let fake: FakeSlack;
beforeEach(async () => {
  fake = await FakeSlack.start();
});
afterEach(async () => {
  await fake.stop();
});

const options = () => ({ slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
/** The calls Slack received, as compared: method, token header and body. */
const received = () => fake.calls.map(({ method, authorization, body }) => ({ method, authorization, body }));

describe('tokenClient', () => {
  it('sends what a WebClient made with its token sends: the token in the header, never in the body', async () => {
    const run = async (client: WebClient) => {
      await client.chat.postMessage({ channel: 'D1', text: 'hello' });
      await client.apiCall('auth.test');
      await client.views.open({
        trigger_id: 't',
        view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] },
      });
    };
    await run(new WebClient('xoxb-own', { ...options(), teamId: 'T1' }));
    const fromWebClient = received();
    fake.calls.length = 0;
    await run(tokenClient(sharedWebClient({ ...options(), teamId: 'T9' }), 'xoxb-own', 'T1'));
    expect(received()).toEqual(fromWebClient);
    expect(fromWebClient.every((call) => call.authorization === 'Bearer xoxb-own' && !('token' in call.body))).toBe(
      true,
    );
    expect(fromWebClient.every((call) => call.body.team_id === 'T1')).toBe(true);
  });

  it('views of one shared client keep their own tokens, at once and after each other', async () => {
    const shared = sharedWebClient(options());
    const [a, b] = [tokenClient(shared, 'xoxb-a'), tokenClient(shared, 'xoxb-b')];
    await Promise.all([
      a.chat.postMessage({ channel: 'DA', text: 'a' }),
      b.chat.postMessage({ channel: 'DB', text: 'b' }),
      a.conversations.history({ channel: 'DA' }),
    ]);
    const byChannel = Object.fromEntries(
      fake.calls.map((call) => [`${call.method} ${call.body.channel}`, call.authorization]),
    );
    expect(byChannel).toEqual({
      'chat.postMessage DA': 'Bearer xoxb-a',
      'chat.postMessage DB': 'Bearer xoxb-b',
      'conversations.history DA': 'Bearer xoxb-a',
    });
    expect([a.token, b.token, shared.token]).toEqual(['xoxb-a', 'xoxb-b', undefined]);
    // What a caller sets on a view stays on that view.
    Reflect.set(a, 'teamId', 'T2');
    expect([Reflect.get(a, 'teamId'), Reflect.get(b, 'teamId'), Reflect.get(shared, 'teamId')]).toEqual([
      'T2',
      undefined,
      undefined,
    ]);
    expect(a).toBeInstanceOf(WebClient);
  });

  it('uploads files (files.uploadV2: its calls and the upload itself) as a WebClient with its token does', async () => {
    const run = async (client: WebClient) => {
      await client.filesUploadV2({ channel_id: 'D1', file: Buffer.from('png'), filename: 'chart.png', title: 'Chart' });
      await client.files.uploadV2({ channel_id: 'D1', file: Buffer.from('csv'), filename: 'week.csv' });
    };
    await run(new WebClient('xoxb-files', options()));
    const fromWebClient = received().map(({ method, authorization }) => ({ method, authorization }));
    fake.calls.length = 0;
    await run(tokenClient(sharedWebClient(options()), 'xoxb-files'));
    expect(received().map(({ method, authorization }) => ({ method, authorization }))).toEqual(fromWebClient);
    expect(fromWebClient.filter((call) => call.method === 'files.completeUploadExternal')).toHaveLength(2);
  });
});
