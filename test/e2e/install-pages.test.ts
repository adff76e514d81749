import { randomBytes } from 'node:crypto';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_SCOPES } from '../../src/slack/installs/scopes.js';
import { type Harness, startHarness } from '../support/harness.js';

// Issue 16: the install and redirect pages in a real headless browser (Debian's chromium, driven by playwright-core):
// the button's link carries the scopes and a state, the browser keeps the state's cookie, and after Slack sends it
// back the page names the workspace.

const OAUTH = {
  SLACK_CLIENT_ID: '1111.2222',
  SLACK_CLIENT_SECRET: 'client-secret-for-tests',
  SLACK_STATE_SECRET: 'state-secret-for-the-tests-0123',
  INFOVIEW_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

let h: Harness;
let browser: Browser;
beforeAll(async () => {
  h = await startHarness({ now: '2026-10-29T14:00:00Z', oauth: OAUTH });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    // As root in a sandbox, without the network: no sandbox, GPU, QUIC or background connections.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

describe('the install pages in a browser', () => {
  it('Add to Slack carries the scopes and a state; back from Slack, the page names the workspace', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${h.baseUrl}/slack/install`);
    expect(response?.status()).toBe(200);
    const button = page.locator('#add-to-slack');
    expect(await button.textContent()).toBe('Add to Slack');
    const link = new URL((await button.getAttribute('href')) ?? '');
    expect(`${link.origin}${link.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
    expect(link.searchParams.get('scope')?.split(',')).toEqual([...BOT_SCOPES]);
    expect(link.searchParams.get('client_id')).toBe(OAUTH.SLACK_CLIENT_ID);
    const state = link.searchParams.get('state') ?? '';
    expect(state).not.toBe('');
    const cookies = await context.cookies(h.baseUrl);
    expect(cookies.find((c) => c.name === 'slack-app-oauth-state')?.value).toBe(state);

    // Slack's consent screen is not reachable here: the browser comes back the way Slack sends it, code and state.
    h.fake.oauthCodes.set('browser-code', {
      token: 'xoxb-T0042-browserbrowser',
      teamId: 'T0042',
      teamName: 'Westside Careers',
    });
    const back = await page.goto(`${h.baseUrl}/slack/oauth_redirect?code=browser-code&state=${state}`);
    expect(back?.status()).toBe(200);
    expect(await page.locator('#workspace').textContent()).toBe('Westside Careers');
    expect(await page.title()).toBe('infoview is installed');
    // The state's cookie is gone, and the same page again is refused (the state was used).
    expect((await context.cookies(h.baseUrl)).find((c) => c.name === 'slack-app-oauth-state')?.value ?? '').toBe('');
    const again = await page.goto(`${h.baseUrl}/slack/oauth_redirect?code=browser-code&state=${state}`);
    expect(again?.status()).toBe(400);
    expect(await page.locator('#reason').textContent()).toContain('expired or was already used');
    await context.close();
  });

  it('a denied consent explains that nothing was installed and offers to start again', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${h.baseUrl}/slack/install`);
    const state = new URL((await page.locator('#add-to-slack').getAttribute('href')) ?? '').searchParams.get('state');
    const back = await page.goto(`${h.baseUrl}/slack/oauth_redirect?error=access_denied&state=${state}`);
    expect(back?.status()).toBe(200);
    expect(await page.locator('#reason').textContent()).toContain('You chose not to allow infoview');
    await page.locator('a.button').click();
    await page.waitForURL(`${h.baseUrl}/slack/install`);
    expect(await page.locator('#add-to-slack').isVisible()).toBe(true);
    await context.close();
  });
});
