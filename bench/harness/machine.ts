import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The checkout the benchmarks run in. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Linux USER_HZ: the unit of /proc/stat and of utime/stime in /proc/<pid>/stat (100 on every mainstream x86-64 kernel). */
export const CLOCK_TICKS_PER_SECOND = 100;

/** What a result was measured on: CPU model, cores, memory, Node, OS. */
export function machineInfo(): { cpu: string; cores: number; memoryGiB: number; node: string; os: string } {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()}`,
  };
}

/** The commit measured, and whether src/ or migrations/ had uncommitted changes then (figures belong to the tree). */
export function gitTree(): { commit: string; srcChanged: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const status = ['status', '--porcelain', '--', 'src', 'migrations', 'package-lock.json'];
    return { commit, srcChanged: execFileSync('git', status, { cwd: ROOT, encoding: 'utf8' }).trim() !== '' };
  } catch {
    return { commit: 'unknown', srcChanged: false };
  }
}

/** CPU seconds all cores of the machine have spent busy since boot (/proc/stat); NaN where there is no /proc. */
export function machineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, ...fields] = line.trim().split(/\s+/);
    const ticks = fields.slice(0, 8).map(Number);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return (ticks.reduce((a, b) => a + b, 0) - idle) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/**
 * Runs `work` and says how busy the rest of the machine was meanwhile, in cores, leaving out this process and the
 * processes `ownCpuSeconds` counts (the apps under test).
 */
export async function otherCoresDuring<T>(
  work: () => Promise<T>,
  ownCpuSeconds: () => number = () => 0,
): Promise<{ result: T; otherCores: number }> {
  const machineBefore = machineBusySeconds();
  const selfBefore = process.cpuUsage();
  const ownBefore = ownCpuSeconds();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const self = process.cpuUsage(selfBefore);
  const others = machineBusySeconds() - machineBefore - (self.user + self.system) / 1e6 - (ownCpuSeconds() - ownBefore);
  return { result, otherCores: Math.max(0, others / seconds) };
}

/**
 * The machine is shared (2 cores; tests and other people's work): waits, one second at a time and at most
 * `maxSeconds`, until other processes use at most `threshold` cores. Says what it found, so a figure taken while the
 * machine stayed busy is reported as such.
 */
export async function waitQuiet(
  maxSeconds: number,
  threshold = 0.2,
): Promise<{ waitedSeconds: number; otherCores: number; quiet: boolean }> {
  const started = performance.now();
  for (;;) {
    const { otherCores } = await otherCoresDuring(() => sleep(1000));
    const waitedSeconds = (performance.now() - started) / 1000;
    if (otherCores <= threshold || waitedSeconds >= maxSeconds)
      return { waitedSeconds, otherCores, quiet: otherCores <= threshold };
  }
}
