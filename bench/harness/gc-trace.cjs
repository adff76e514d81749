'use strict';
/*
 * Preloaded into the app by `npm run bench:reminders -- --gc-trace` (NODE_OPTIONS="--require …"): one row per garbage
 * collection, written as JSON to INFOVIEW_GC_TRACE_FILE when the process exits. Each row: ms since the process
 * started, the collection's kind, its duration (ms), then the old space's used bytes and the young generation's
 * capacity and used bytes when the observer is called (soon after; collections reported together share one reading).
 * Old-space growth across scavenges is about what they promoted.
 */
const { PerformanceObserver, constants } = require('node:perf_hooks');
const { getHeapSpaceStatistics } = require('node:v8');
const { writeFileSync } = require('node:fs');

const file = process.env.INFOVIEW_GC_TRACE_FILE;
const KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental-marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak-callbacks',
};

if (file) {
  const rows = [];
  const observer = new PerformanceObserver((list) => {
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, space]));
    for (const entry of list.getEntries()) {
      rows.push([
        Math.round(entry.startTime),
        KINDS[entry.detail?.kind] ?? String(entry.detail?.kind),
        Math.round(entry.duration * 100) / 100,
        spaces.old_space.space_used_size,
        spaces.new_space.space_size,
        spaces.new_space.space_used_size,
      ]);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  process.on('exit', () => writeFileSync(file, JSON.stringify(rows)));
}
