import perfHooks from 'node:perf_hooks';
import { afterEach, expect, it, vi } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { systemClock } from '../../src/lib/clock.js';
import { createMetrics } from '../../src/observability/metrics.js';

// An idle replica's CPU is what it wakes up for (issue 30: replicas cost what one costs). The metrics' event-loop
// histogram was its most frequent wake-up: prom-client samples every 10 ms by default, 100 times a second.

afterEach(() => {
  vi.restoreAllMocks();
});

it('samples the event loop at most 10 times a second (prom-client would wake an idle process 100 times)', () => {
  const monitor = vi.spyOn(perfHooks, 'monitorEventLoopDelay');
  createMetrics({} as Db, systemClock, { poolSize: 1 });
  expect(monitor).toHaveBeenCalledTimes(1);
  const [options] = monitor.mock.calls[0] ?? [];
  expect(options?.resolution).toBeGreaterThanOrEqual(100);
  for (const result of monitor.mock.results) if (result.type === 'return') result.value.disable();
});
