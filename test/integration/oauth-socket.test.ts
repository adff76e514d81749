import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type SocketHarness, startSocketHarness } from '../support/socket-harness.js';

// Issue 16, point 1: in Socket Mode the install pages are served on PORT, beside /healthz.

let h: SocketHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('OAuth in Socket Mode', () => {
  it('serves /slack/install and /slack/oauth_redirect on the port of /healthz, and installs', async () => {
    h = await startSocketHarness({
      now: '2026-10-29T14:00:00Z',
      oauth: {
        SLACK_CLIENT_ID: '1111.2222',
        SLACK_CLIENT_SECRET: 'client-secret-for-tests',
        SLACK_STATE_SECRET: 'state-secret-for-the-tests-0123',
        INFOVIEW_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      },
    });
    const base = h.healthUrl.replace(/\/healthz$/, '');
    expect((await fetch(h.healthUrl)).status).toBe(200);
    const page = await fetch(`${base}/slack/install`);
    expect(page.status).toBe(200);
    const href = /id="add-to-slack" href="([^"]+)"/.exec(await page.text())?.[1]?.replaceAll('&amp;', '&') ?? '';
    const state = new URL(href).searchParams.get('state') ?? '';
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    h.fake.oauthCodes.set('socket-code', {
      token: 'xoxb-T0007-socketsocket',
      teamId: 'T0007',
      teamName: 'Socket Careers',
    });
    const done = await fetch(`${base}/slack/oauth_redirect?code=socket-code&state=${state}`, { headers: { cookie } });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Socket Careers');
    const rows = await h.db.selectFrom('installations').select('install_key').execute();
    expect(rows.map((r) => r.install_key)).toEqual(['team:T0007']);
  });
});
