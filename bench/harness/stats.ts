import { performance } from 'node:perf_hooks';

/** Latency summary in milliseconds; percentiles by nearest rank over the sorted samples. */
export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const at = (p: number) => (n === 0 ? Number.NaN : (sorted[Math.max(0, Math.ceil((p / 100) * n) - 1)] as number));
  const mean = sorted.reduce((total, value) => total + value, 0) / n;
  return { n, mean, p50: at(50), p95: at(95), p99: at(99), max: at(100) };
}

/** A number for a table cell: ms with 2 decimals under 10, 1 decimal under 100, none above. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return value.toFixed(0);
}

/** Milliseconds `work` took, on performance.now(). */
export async function timed(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** A summary's cells for `table`: n, p50, p95, p99, max. */
export const summaryCells = (s: Summary) => [String(s.n), ...[s.p50, s.p95, s.p99, s.max].map(ms)];

/** A target's verdict. */
export const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

/** Pads cells into aligned columns; the first row is the header. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  const line = (row: readonly string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const [head, ...body] = rows;
  if (!head) return '';
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
