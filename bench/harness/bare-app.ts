import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { ModalView } from '@slack/types';

/**
 * The baseline for bench/schedule.ts: a bare Bolt 5 app in HTTP mode that answers `/infoview` by acking and opening a
 * trivial modal, nothing else. Same receiver (HTTPReceiver, signature checks on, processBeforeResponse false), same
 * WebClient options as infoview, so the gap between the two is infoview's own work.
 * Env: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL, PORT. Listens on 127.0.0.1 only.
 */

const MINIMAL_MODAL: ModalView = {
  type: 'modal',
  callback_id: 'bare_modal',
  title: { type: 'plain_text', text: 'Bare' },
  blocks: [{ type: 'section', text: { type: 'plain_text', text: 'Hello' } }],
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`bare-app: ${name} is required`);
    process.exit(1);
  }
  return value;
}

const port = Number(process.env.PORT ?? '0');
const apiUrl = process.env.SLACK_API_URL;
const clientOptions = {
  ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}),
  retryConfig: { retries: 0 },
  timeout: 10_000,
};

const receiver = new HTTPReceiver({
  signingSecret: required('SLACK_SIGNING_SECRET'),
  endpoints: '/slack/events',
  processBeforeResponse: false,
  logLevel: LogLevel.WARN,
});
const app = new App({
  token: required('SLACK_BOT_TOKEN'),
  receiver,
  logLevel: LogLevel.WARN,
  clientOptions,
  deferInitialization: true,
});

app.command('/infoview', async ({ ack, client, command }) => {
  await ack();
  await client.views.open({ trigger_id: command.trigger_id, view: MINIMAL_MODAL });
});

app.error(async (error) => {
  console.error('bare-app: listener error', error);
});

await app.init();
await app.start({ port, host: '127.0.0.1' });
console.error(`bare-app is running in HTTP mode on port ${port}`);

process.once('SIGTERM', () => void app.stop().finally(() => process.exit(0)));
