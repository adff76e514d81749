import type { ModalView } from '@slack/types';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRemindersQuery } from '../../src/db/repositories/reminders/metrics-repository.js';
import { readiness } from '../../src/observability/health.js';
import { SCHEDULE_MODAL } from '../../src/slack/ui/modals/schedule-modal.js';
import { type Harness, startHarness } from '../support/harness.js';
import { USER_ID, viewSubmission } from '../support/payloads.js';
import { startSocketHarness } from '../support/socket-harness.js';
import { testDialect } from '../support/test-database.js';

// Metrics and readiness (issue 13, 4 and 5), read the way an operator's scraper and load balancer read them.

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ now: '2026-11-02T14:00:00Z' });
  h.fake.users.set(USER_ID, { tz: 'Europe/London' });
  h.fake.now = () => h.clock.now().getTime();
});
afterEach(async () => {
  await h.stop();
});

async function metrics(): Promise<string> {
  const res = await fetch(`${h.baseUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

/** The value of one sample line, e.g. `infoview_reminders{kind="prep",state="pending"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  it.runIf(testDialect() === 'sqlite')(
    'counts the open reminders from an index alone (a million pending took 440 ms of the event loop reading rows)',
    async () => {
      const query = openRemindersQuery(h.db).compile();
      const plan = await h.db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
      );
      expect(plan.rows.map((row) => row.detail)).toEqual([
        expect.stringContaining('USING COVERING INDEX reminders_state_kind_idx'),
      ]);
    },
  );

  it('counts acks, Web API calls (views.open), reminders by kind and state, outcomes, errors by code, and fire lag', async () => {
    await h.command('schedule Ada Lovelace');
    const form = (await h.fake.waitFor('views.open')).body.view as ModalView;
    await h.interact(viewSubmission(form, { [SCHEDULE_MODAL.blocks.startsAt]: new Date('2026-11-02T16:00:00Z') }));
    await h.settle();
    let text = await metrics();
    expect(sample(text, 'infoview_ack_seconds_count{kind="http"}')).toBe(2);
    expect(sample(text, 'infoview_slack_api_seconds_count{method="views.open",outcome="ok"}')).toBe(1);
    expect(sample(text, 'infoview_reminders{kind="heads_up",state="pending"}')).toBe(1);
    expect(sample(text, 'infoview_reminders_due')).toBe(1); // the prep tip: too late for 24 h before, so now
    expect(sample(text, 'infoview_db_pool_size')).toBe(testDialect() === 'postgres' ? 10 : 1);
    expect(sample(text, 'infoview_db_query_seconds_count{outcome="ok"}')).toBeGreaterThan(5);
    expect(text).toContain('infoview_process_resident_memory_bytes');

    // The prep tip is posted 90 s after it was due; at 15:00 the heads-up fails for good.
    h.clock.advance(90_000);
    await h.tick();
    h.fake.on('chat.postMessage', () => ({ ok: false, error: 'channel_not_found' }));
    h.clock.set('2026-11-02T15:00:00Z');
    await h.tick();
    text = await metrics();
    expect(sample(text, 'infoview_reminder_outcomes_total{kind="prep",outcome="sent"}')).toBe(1);
    expect(sample(text, 'infoview_reminder_fire_lag_seconds_count{kind="prep"}')).toBe(1);
    expect(sample(text, 'infoview_reminder_fire_lag_seconds_bucket{le="60",kind="prep"}')).toBe(0);
    expect(sample(text, 'infoview_reminder_fire_lag_seconds_bucket{le="120",kind="prep"}')).toBe(1);
    expect(sample(text, 'infoview_reminder_outcomes_total{kind="heads_up",outcome="failed"}')).toBe(1);
    expect(sample(text, 'infoview_reminder_delivery_errors_total{code="channel_not_found"}')).toBe(1);
    expect(
      sample(text, 'infoview_slack_api_seconds_count{method="chat.postMessage",outcome="channel_not_found"}'),
    ).toBe(1);
    // Counts are read from the database at most every 15 s: a minute on, the failed heads-up shows.
    h.clock.advance(60_000);
    expect(sample(await metrics(), 'infoview_reminders{kind="heads_up",state="failed"}')).toBe(1);
  });
});

describe('/healthz and /readyz', () => {
  it('is alive, and ready while the database answers and the token was accepted', async () => {
    expect(await (await fetch(`${h.baseUrl}/healthz`)).json()).toEqual({ ok: true });
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, checks: { database: { ok: true }, slack_token: { ok: true } } });
  });

  it('in Socket Mode, readiness includes the connection, and acks are timed', async () => {
    const s = await startSocketHarness({ now: '2026-11-02T14:00:00Z' });
    try {
      const url = s.healthUrl.replace('/healthz', '/readyz');
      expect(await (await fetch(url)).json()).toEqual({
        ok: true,
        checks: { database: { ok: true }, slack_token: { ok: true }, socket_mode: { ok: true } },
      });
      // An envelope's ack frame is timed too.
      await s.command('help');
      const text = await (await fetch(s.healthUrl.replace('/healthz', '/metrics'))).text();
      expect(sample(text, 'infoview_ack_seconds_count{kind="slash_commands"}')).toBe(1);
    } finally {
      await s.stop();
    }
  });

  it.each([
    // last run, now, interval: ready?
    [0, 29_000, 10_000, true],
    [0, 31_000, 10_000, false],
  ])('trigger last ran at %i, now %i, every %i ms: ready %s', async (lastRunAt, now, intervalMs, ok) => {
    const result = await readiness({
      db: h.deps.db,
      tokenProblem: () => null,
      socketOpen: null,
      trigger: () => ({ lastRunAt, intervalMs }),
      now: () => now,
    });
    expect(result.ok).toBe(ok);
    if (!ok)
      expect(result.checks.trigger).toEqual({
        ok: false,
        detail: 'the reminder trigger last ran 31 s ago (it runs every 10 s)',
      });
  });
});
