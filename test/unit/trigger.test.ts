import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';
import { startTrigger, type Trigger } from '../../src/scheduler/index.js';

// node-cron runs on timers and Date: vitest's fake timers stand in for both, so no test waits for wall time.
let trigger: Trigger | undefined;
afterEach(async () => {
  await trigger?.stop();
  vi.useRealTimers();
});

/** `holdCall`: which run (1 is the one at start) waits for `free()`. */
function setUp(holdCall = 0) {
  vi.useFakeTimers({ now: new Date('2026-11-25T12:00:00.500Z') });
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
  let calls = 0;
  let release: (() => void) | undefined;
  const run = vi.fn(async () => {
    calls += 1;
    if (calls === holdCall) await new Promise<void>((resolve) => (release = resolve));
  });
  trigger = startTrigger('*/10 * * * * *', run, logger);
  return { lines, run, free: () => release?.() };
}

describe('the reminder trigger', () => {
  it('runs once at start, then on its schedule', async () => {
    const { run } = setUp();
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(run).toHaveBeenCalledTimes(4);
  });

  it('coalesces a jump of the wall clock into one catch-up run and one log line', async () => {
    const { run, lines } = setUp();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(2);
    // A laptop asleep for a day: 8,640 ten-second slots go by at once.
    vi.setSystemTime(new Date(Date.now() + 86_400_000));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run.mock.calls.length).toBeLessThanOrEqual(4);
    expect(run.mock.calls.length).toBeGreaterThanOrEqual(3);
    const warnings = lines.filter((line) => (JSON.parse(line) as { level: string }).level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/missed run\(s\) coalesced into one/);
  });

  it('never runs twice at once', async () => {
    const { run, free } = setUp(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(run).toHaveBeenCalledTimes(1);
    free();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('a firing during a long run joins it: no second run, no warning, and readiness still sees the trigger alive', async () => {
    const { run, free, lines } = setUp(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(2);
    const started = trigger?.lastRunAt();
    await vi.advanceTimersByTimeAsync(30_000); // three more firings while that run is held
    expect(run).toHaveBeenCalledTimes(2);
    expect(trigger?.lastRunAt()).toBe((started as number) + 30_000);
    expect(trigger?.intervalMs()).toBe(10_000);
    free();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(3);
    expect(lines.filter((line) => /warn/i.test(line))).toEqual([]);
  });

  it('tells a waiting drain of each firing, also one that joins the run under way', async () => {
    const { free } = setUp(2);
    let fired = 0;
    void trigger?.nextFiring().then(() => (fired += 1));
    await vi.advanceTimersByTimeAsync(10_000); // the firing that starts run 2 (held)
    expect(fired).toBe(1);
    void trigger?.nextFiring().then(() => (fired += 1));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fired).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000); // a firing that joins the held run
    expect(fired).toBe(2);
    free();
  });
});
