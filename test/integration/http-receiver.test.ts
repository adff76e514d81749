import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModalView } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MEETING_ACTIONS } from '../../src/slack/ui/messages/meeting-messages.js';
import { SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { BOT_TOKEN, type Harness, SIGNING_SECRET, startHarness } from '../support/harness.js';
import { buttonPress, OTHER_USER_ID, slashCommand, TEAM_ID, USER_ID, viewSubmission } from '../support/payloads.js';
import { formBody, payloadBody, postSigned } from '../support/signing.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness({ now: '2026-11-25T12:00:00Z', logLevel: 'debug' });
});

afterEach(async () => {
  await h.stop();
});

const command = () => formBody(slashCommand({ text: 'help', responseUrl: h.fake.responseUrl() }));

async function stillServes() {
  const res = await h.command('help');
  expect(res.status).toBe(200);
  expect(((await res.json()) as { text: string }).text).toContain('/infoview schedule');
}

describe('the HTTP receiver', () => {
  it('at LOG_LEVEL=debug, what users wrote never reaches the log', async () => {
    await h.command('schedule Ada Lovelace');
    const view = (await h.fake.waitFor('views.open')).body.view as ModalView;
    await h.interact(
      viewSubmission(view, {
        [SCHEDULE_MODAL.blocks.startsAt]: new Date('2026-12-03T20:00:00Z'),
        [SCHEDULE_MODAL.blocks.goal]: 'my-private-goal',
      }),
    );
    await h.settle();
    const log = h.logs.join('\n');
    expect(log).toContain('http request body');
    expect(log).not.toContain('my-private-goal');
    expect(log).not.toContain('Lovelace');
  });

  it('refuses a request from a workspace other than the installed one before any listener runs', async () => {
    const res = await h.command('schedule Ada Lovelace', { teamId: 'T9999' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await h.settle();
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect(h.logs.join('\n')).toContain('refused a request from workspace T9999');
    await stillServes();
  });

  it('never posts to a response_url outside Slack, whatever a payload says', async () => {
    const hits: string[] = [];
    const foreign = createServer((req, res) => {
      hits.push(String(req.url));
      res.end('{}');
    });
    foreign.listen(0, '127.0.0.1');
    await once(foreign, 'listening');
    const url = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/steal`;
    try {
      await h.interact(buttonPress({ actionId: MEETING_ACTIONS.cancel, value: '999', responseUrl: url }));
      await h.settle();
      expect(hits).toEqual([]);
      expect(h.logs.join('\n')).toContain('refused a response_url outside Slack');
      await stillServes();
    } finally {
      foreign.close();
    }
  });

  it('refuses a request signed with another secret (forged), and does nothing', async () => {
    const res = await postSigned(h.eventsUrl, SIGNING_SECRET, command(), { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('refuses a correctly signed request older than five minutes (replayed)', async () => {
    const res = await postSigned(h.eventsUrl, SIGNING_SECRET, command(), {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(res.status).toBe(401);
  });

  it('refuses a request without a signature', async () => {
    const res = await fetch(h.eventsUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: command(),
    });
    expect(res.status).toBe(401);
  });

  it('refuses a body altered after signing', async () => {
    const body = command();
    const timestamp = Math.floor(Date.now() / 1000);
    const { slackSignature } = await import('../support/signing.js');
    const res = await postSigned(h.eventsUrl, SIGNING_SECRET, body.replace('help', 'upcoming'), {
      timestamp,
      signature: slackSignature(SIGNING_SECRET, timestamp, body),
    });
    expect(res.status).toBe(401);
  });

  it.each([
    [
      'a payload that is not JSON',
      formBody({ payload: '{"type": "block_actions", oops' }),
      'application/x-www-form-urlencoded',
    ],
    ['a JSON body that is not JSON', '{"type":', 'application/json'],
  ])('answers %s with a 4xx and stays up', async (_case, body, contentType) => {
    const res = await postSigned(h.eventsUrl, SIGNING_SECRET, body, { contentType });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await stillServes();
  });

  it.each([
    [
      'a view submission without a view state',
      {
        type: 'view_submission',
        team: { id: 'T0001' },
        user: { id: 'U0001', team_id: 'T0001' },
        view: { id: 'V1', callback_id: SCHEDULE_MODAL.callbackId, private_metadata: '' },
      },
    ],
    [
      'a view submission with garbage state',
      {
        type: 'view_submission',
        team: { id: 'T0001' },
        user: { id: 'U0001', team_id: 'T0001' },
        view: { id: 'V1', callback_id: SCHEDULE_MODAL.callbackId, state: { values: 42 } },
      },
    ],
  ])('answers %s inline and stays up', async (_case, payload) => {
    const res = await postSigned(h.eventsUrl, SIGNING_SECRET, payloadBody(payload));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      response_action: 'errors',
      errors: { [SCHEDULE_MODAL.blocks.name]: expect.stringContaining('could not be read') },
    });
    await stillServes();
  });

  it.each(['abc', '-1', '0', '1e3', '99999999999999999999', ''])(
    'treats a button value of %j as a meeting that is not yours',
    async (value) => {
      await h.interact(buttonPress({ actionId: MEETING_ACTIONS.cancel, value, responseUrl: h.fake.responseUrl() }));
      const reply = await h.fake.waitFor('response_url');
      expect(reply.body.text).toContain('not one of yours');
      await stillServes();
    },
  );

  it('survives a payload of an unknown type', async () => {
    const res = await postSigned(h.eventsUrl, SIGNING_SECRET, payloadBody({ type: 'mystery', team: { id: 'T0001' } }));
    expect(res.status).toBeLessThan(500);
    await stillServes();
  });

  it('answers the readiness probe with 200 while the database answers', async () => {
    const res = await fetch(`${h.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('a line logged while handling a signed slash command carries its team, user and request id', async () => {
    // Neither user is known to Slack: users.info fails and the listener logs a warning through the request's logger.
    await Promise.all([h.command('upcoming'), h.command('upcoming', { userId: OTHER_USER_ID })]);
    await h.fake.waitFor('response_url', 2);
    await h.settle();
    const entries = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    const warnings = entries.filter((entry) => String(entry.msg).startsWith('users.info failed'));
    expect(warnings).toHaveLength(2);
    for (const user of [USER_ID, OTHER_USER_ID]) {
      expect(
        warnings.find((entry) => entry.msg === `users.info failed for ${TEAM_ID}/${user}; using the last known zone`),
      ).toMatchObject({
        level: 'warn',
        team: TEAM_ID,
        user,
        request: expect.stringMatching(/^[0-9a-f]{8}$/),
        err: { message: expect.stringContaining('user_not_found') },
      });
    }
    expect(warnings[0]?.request).not.toBe(warnings[1]?.request);
    // Each line is tied to its request by the request's logger, so none says another user. Bolt's and the Web API
    // client's own (debug) lines carry no request id: see src/slack/middleware/request-logger.ts for why.
    for (const warning of warnings) {
      const ofRequest = entries.filter((entry) => entry.request === warning.request);
      expect(new Set(ofRequest.map((entry) => entry.user))).toEqual(new Set([warning.user]));
    }
  });

  it("a listener's unhandled error is logged with the request's team, user and id", async () => {
    h.fake.on('views.open', () => ({ ok: false, error: 'internal_error' }));
    await h.command('schedule');
    await h.fake.waitFor('views.open');
    await h.settle();
    const failed = h.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === 'unhandled error in a listener');
    expect(failed).toMatchObject({
      level: 'error',
      team: TEAM_ID,
      user: USER_ID,
      request: expect.stringMatching(/^[0-9a-f]{8}$/),
      err: { message: expect.stringContaining('internal_error') },
    });
  });

  it('the refusal of another workspace names it in its fields', async () => {
    await h.command('help', { teamId: 'T9999' });
    await h.settle();
    const refused = h.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => String(entry.msg).startsWith('refused a request'));
    expect(refused).toMatchObject({ level: 'warn', team: 'T9999', user: USER_ID, request: expect.any(String) });
  });

  it('never logs the bot token, even at debug level', async () => {
    await h.command('schedule');
    await h.fake.waitFor('views.open');
    await h.command('upcoming');
    await h.fake.waitFor('response_url');
    expect(h.logs.length).toBeGreaterThan(0);
    expect(h.logs.join('\n')).not.toContain(BOT_TOKEN.slice(5));
  });
});
