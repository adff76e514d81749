import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BlockAction, RespondFn } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openModal, updateModal } from '../../src/slack/listeners/modals.js';
import { buildScheduleModal } from '../../src/slack/ui/modals/schedule-modal.js';
import { TRIGGER_EXPIRED_TEXT } from '../../src/slack/web-api/web-api-errors.js';
import { slashCommand } from '../support/payloads.js';

let server: Server | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A loopback Web API that records each request's method and form body, and answers `answer`. */
async function fakeWebApi(answer: object = { ok: true, view: { id: 'V1', hash: '1.a' } }) {
  const seen: { method: string; body: string }[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: (req.url ?? '').replace('/api/', ''), body });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  return { seen, client: new WebClient('xoxb-test', { slackApiUrl: base, retryConfig: { retries: 0 } }) };
}

const command = slashCommand({ text: 'schedule', responseUrl: 'https://hooks.slack.com/commands/T1/1/x' });

function buttonBody(responseUrl: string): BlockAction {
  return {
    type: 'block_actions',
    actions: [],
    team: { id: 'T0001', domain: 'example' },
    user: { id: 'U0001', username: 'jobseeker' },
    token: 'deprecated-verification-token',
    response_url: responseUrl,
    trigger_id: '111.222.333',
    api_app_id: 'A0001',
    container: { type: 'message' },
  };
}

describe('openModal', () => {
  it('sends views.open the same form the WebClient sends for the view object, and returns the view opened', async () => {
    const { seen, client } = await fakeWebApi();
    const view = buildScheduleModal({ name: 'Ada', startsAt: null });
    await client.views.open({ trigger_id: command.trigger_id, view });
    const opened = await openModal({ command, client, respond: vi.fn<RespondFn>() }, view);
    expect(opened).toEqual({ id: 'V1', hash: '1.a' });
    expect(seen.map((call) => call.method)).toEqual(['views.open', 'views.open']);
    expect(seen[1]?.body).toBe(seen[0]?.body);
  });

  it('sends views.update the same form too, with the hash', async () => {
    const { seen, client } = await fakeWebApi();
    const view = buildScheduleModal({ name: 'Ada', startsAt: null });
    await client.views.update({ view_id: 'V1', hash: '1.a', view });
    await updateModal(client, { id: 'V1', hash: '1.a' }, view);
    expect(seen[1]?.body).toBe(seen[0]?.body);
  });

  it('encodes a view passed again (a blank form kept in a constant) only once', async () => {
    const { client } = await fakeWebApi();
    const view = buildScheduleModal({ name: null, startsAt: null });
    const stringify = vi.spyOn(JSON, 'stringify');
    const press = { command, client, respond: vi.fn<RespondFn>() };
    await openModal(press, view);
    const encodings = () => stringify.mock.calls.filter(([value]) => value === view).length;
    expect(encodings()).toBe(1);
    await openModal(press, view);
    expect(encodings()).toBe(1);
  });

  it('an expired trigger on a command is told in an ephemeral reply, and gives null', async () => {
    const { client } = await fakeWebApi({ ok: false, error: 'expired_trigger_id' });
    const respond = vi.fn<RespondFn>();
    expect(await openModal({ command, client, respond }, buildScheduleModal())).toBeNull();
    expect(respond).toHaveBeenCalledWith({ response_type: 'ephemeral', text: TRIGGER_EXPIRED_TEXT });
  });

  it('an expired trigger on a button is told under the message pressed on; with no response_url and no DM, nowhere', async () => {
    const { client } = await fakeWebApi({ ok: false, error: 'exchanged_trigger_id' });
    const respond = vi.fn<RespondFn>();
    const body = buttonBody('https://hooks.slack.com/actions/T1/1/x');
    expect(await openModal({ body, client, respond }, buildScheduleModal())).toBeNull();
    expect(respond).toHaveBeenCalledWith({
      response_type: 'ephemeral',
      replace_original: false,
      text: TRIGGER_EXPIRED_TEXT,
    });
    respond.mockClear();
    expect(await openModal({ body: buttonBody(''), client, respond }, buildScheduleModal())).toBeNull();
    expect(respond).not.toHaveBeenCalled();
  });

  it('any other failure throws', async () => {
    const { client } = await fakeWebApi({ ok: false, error: 'invalid_arguments' });
    await expect(openModal({ command, client, respond: vi.fn<RespondFn>() }, buildScheduleModal())).rejects.toThrow(
      /invalid_arguments/,
    );
  });
});
