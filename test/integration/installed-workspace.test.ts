import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createInfoview, StartError } from '../../src/infoview.js';
import { createLogger } from '../../src/lib/logger.js';
import { holdAt } from '../../src/lib/pause-points.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakeSlack } from '../support/fake-slack.js';
import { BOT_TOKEN, SIGNING_SECRET, startHarness } from '../support/harness.js';
import { testDatabaseUrl } from '../support/test-database.js';

// With one bot token only its workspace is served. Which one that is, auth.test says: while it has not answered
// (it failed at start), every workspace is refused, and it is asked again until it answers.

describe('serving the installed workspace only, with one bot token', () => {
  it('refuses every workspace while auth.test has not answered, and serves the installed one once a retry does', async () => {
    const retry = holdAt('slack:installed-workspace-retry');
    const h = await startHarness({
      now: '2026-10-29T14:00:00Z',
      waitForWorkspace: false,
      beforeStart: (fake) => {
        // The app's own check at start passes; the installed-workspace check after it fails once.
        let calls = 0;
        fake.on('auth.test', (call) => (++calls === 2 ? { ok: false, error: 'internal_error' } : fake.asSlack(call)));
      },
    });
    try {
      expect(await retry.reached).toBe(1);
      const other = await h.command('help', { teamId: 'T9999' });
      expect(other.status).toBe(200);
      expect(await other.text()).toBe('');
      const own = await h.command('help');
      expect(await own.text()).toBe('');
      await h.settle();
      expect(h.logs.join('\n')).toContain(
        'refused a request from workspace T9999: the installed workspace is not known yet',
      );
      retry.release();
      // The retry is under way (or answered): the request waits for it, and is served.
      const served = await h.command('help');
      expect(((await served.json()) as { text: string }).text).toContain('/infoview schedule');
      expect(h.fake.callsTo('auth.test')).toHaveLength(3);
      expect(await (await h.command('help', { teamId: 'T9999' })).text()).toBe('');
    } finally {
      retry.release();
      await h.stop();
    }
  });
});

describe('the app’s own auth.test at start, with one bot token', () => {
  it.each(['internal_error', 'service_unavailable', 'fatal_error'])(
    'stops the start with a clear error when Slack answers %s (a Slack outage, not a rejected token)',
    async (code) => {
      const fake = await FakeSlack.start();
      fake.on('auth.test', () => ({ ok: false, error: code }));
      const logs: string[] = [];
      const config = loadConfig({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        DATABASE_URL: await testDatabaseUrl(),
        PORT: '0',
        LOG_LEVEL: 'warn',
      });
      const infoview = await createInfoview(config, {
        clock: new FakeClock('2026-10-29T14:00:00Z'),
        logger: createLogger({ level: 'warn', write: (line) => logs.push(line) }),
        trigger: false,
      });
      try {
        const started = infoview.start();
        await expect(started).rejects.toBeInstanceOf(StartError);
        await expect(started).rejects.toThrow(`Slack's Web API could not check SLACK_BOT_TOKEN (${code})`);
        // Not taken for a refused token: that would serve no workspace until someone restarts the process.
        expect(infoview.rejectedToken).toBeNull();
        expect(logs.join('\n')).not.toContain('did not accept SLACK_BOT_TOKEN');
      } finally {
        await infoview.stop();
        await fake.stop();
      }
    },
  );
});
