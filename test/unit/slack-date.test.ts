import { describe, expect, it } from 'vitest';
import { DATE_TOKENS, slackDate, slackDateTime, slackDay } from '../../src/slack/ui/slack-date.js';
import { blockKitViolations } from '../support/block-kit-limits.js';
import { FakeSlack } from '../support/fake-slack.js';
import { DAY, DAY_AND_TIME, dateToken, onlyDateToken, withDateFallbacks } from '../support/slack-dates.js';

const inHome = (text: string) => ({ type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });

describe('slackDate', () => {
  it('writes whole Unix seconds, the tokens and the fallback', () => {
    const written = slackDate(new Date('2026-11-03T20:00:00.999Z'), DATE_TOKENS.time, '15:00 EST');
    expect(written).toBe('<!date^1793736000^{time}|15:00 EST>');
    expect(onlyDateToken(written)).toMatchObject({ seconds: 1793736000, tokens: '{time}', link: null });
  });

  it('escapes the fallback for mrkdwn and keeps "|" out of it, so the token stays whole', () => {
    const written = slackDate(new Date('2026-11-03T20:00:00Z'), DATE_TOKENS.day, '<!channel> & a|b > c');
    expect(onlyDateToken(written).fallback).toBe('&lt;!channel&gt; &amp; a/b &gt; c');
    expect(blockKitViolations('home', inHome(written))).toEqual([]);
  });

  it('never writes an empty fallback', () => {
    const written = slackDate(new Date('2026-11-03T20:00:00Z'), DATE_TOKENS.time, '  ');
    expect(onlyDateToken(written).fallback).toBe('2026-11-03T20:00:00.000Z');
  });

  it.each([
    // New York across the autumn change: 15:00 EST and 15:00 EDT are different instants, the fallback says 15:00.
    ['2026-11-03T20:00:00Z', 'America/New_York', 'Tue 3 Nov 2026, 15:00'],
    ['2026-10-30T19:00:00Z', 'America/New_York', 'Fri 30 Oct 2026, 15:00'],
    ['2026-11-03T20:00:00Z', 'Asia/Kolkata', 'Wed 4 Nov 2026, 01:30'],
  ])('slackDateTime(%s in %s) falls back to infoview’s text in that zone', (iso, zone, fallback) => {
    expect(slackDateTime(new Date(iso), zone)).toBe(dateToken(iso, DAY_AND_TIME, fallback));
  });

  it.each([
    // A day stands as its noon in the user's zone, so the user reads that same day whatever their offset.
    ['2026-12-04', 'America/New_York', '2026-12-04T17:00:00Z'],
    ['2026-12-04', 'Pacific/Kiritimati', '2026-12-03T22:00:00Z'],
    ['2026-12-04', 'Pacific/Pago_Pago', '2026-12-04T23:00:00Z'],
  ])('slackDay(%s, %s) is that noon', (day, zone, noon) => {
    const written = slackDay(day, zone);
    expect(written).toBe(dateToken(noon, DAY, 'Fri 4 Dec 2026'));
    expect(withDateFallbacks(`asked ${written}`)).toBe('asked Fri 4 Dec 2026');
  });
});

describe('the fake Slack', () => {
  async function post(fake: FakeSlack, path: string, body: unknown) {
    const res = await fetch(`${fake.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await res.text();
  }

  it('fails the test when the app sent a date token without fallback, or one in plain_text', async () => {
    const fake = await FakeSlack.start();
    await post(fake, '/api/chat.postMessage', {
      channel: 'D0001',
      text: 'Coming up',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'At <!date^1793736000^{time}>' } }],
    });
    await post(fake, '/respond/1', {
      text: 'Snoozed',
      blocks: [{ type: 'section', text: { type: 'plain_text', text: 'At <!date^1793736000^{time}|15:00>' } }],
    });
    await expect(fake.stop()).rejects.toThrow(
      /chat\.postMessage \/blocks\/0\/text\/text: date token .*has no fallback[\s\S]*response_url \/blocks\/0\/text\/text: a date token in plain_text/,
    );
  });

  it('lets well-formed tokens through', async () => {
    const fake = await FakeSlack.start();
    await post(fake, '/api/chat.postMessage', {
      channel: 'D0001',
      text: 'Coming up',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'At <!date^1793736000^{time}|15:00>' } }],
    });
    await expect(fake.stop()).resolves.toBeUndefined();
  });
});
