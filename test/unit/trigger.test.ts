import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';
import { startTrigger, type Trigger } from '../../src/scheduler/index.js';

// node-cron runs on timers and Date: vitest's fake timers stand in for both, so no test waits for wall time.
let trigger: Trigger | undefined;
afterEach(async () => {
  await trigger?.stop();
  vi.useRealTimers();
});

function setUp() {
  vi.useFakeTimers({ now: new Date('2026-11-25T12:00:00.500Z') });
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
  let holdNext = false;
  let release: (() => void) | undefined;
  const run = vi.fn(async () => {
    if (!holdNext) return;
    holdNext = false;
    await new Promise<void>((resolve) => (release = resolve));
  });
  trigger = startTrigger('*/10 * * * * *', run, logger);
  return { lines, run, hold: () => (holdNext = true), free: () => release?.() };
}

describe('the reminder trigger', () => {
  it('runs on its schedule', async () => {
    const { run } = setUp();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('coalesces a jump of the wall clock into one catch-up run and one log line', async () => {
    const { run, lines } = setUp();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(1);
    // A laptop asleep for a day: 8,640 ten-second slots go by at once.
    vi.setSystemTime(new Date(Date.now() + 86_400_000));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run.mock.calls.length).toBeLessThanOrEqual(3);
    expect(run.mock.calls.length).toBeGreaterThanOrEqual(2);
    const warnings = lines.filter((line) => (JSON.parse(line) as { level: string }).level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/missed run\(s\) coalesced into one/);
  });

  it('never runs twice at once', async () => {
    const { run, hold, free } = setUp();
    hold();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(run).toHaveBeenCalledTimes(1);
    free();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('a firing during a long run joins it: no second run, no warning, and readiness still sees the trigger alive', async () => {
    const { run, hold, free, lines } = setUp();
    hold();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(1);
    const started = trigger?.lastRunAt();
    await vi.advanceTimersByTimeAsync(30_000); // three more firings while the first run is held
    expect(run).toHaveBeenCalledTimes(1);
    expect(trigger?.lastRunAt()).toBe((started as number) + 30_000);
    expect(trigger?.intervalMs()).toBe(10_000);
    free();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(2);
    expect(lines.filter((line) => /warn/i.test(line))).toEqual([]);
  });
});
