import { readdirSync, readFileSync } from 'node:fs';
import type { AppProcess } from './children.js';
import { CLOCK_TICKS_PER_SECOND } from './machine.js';
import { keepAliveAgent, type LoadTarget } from './open-loop.js';

/**
 * A load target spread over several app processes, round-robin, as a load balancer in front of replicas would: each
 * request goes to the next port (runStep reads `port` once per request). One keep-alive agent pools sockets per
 * port. CPU is the sum of every replica's process tree.
 */
export function roundRobinTarget(name: string, apps: readonly AppProcess[]): LoadTarget {
  if (apps.length === 0) throw new Error(`${name}: no replicas`);
  let next = 0;
  return {
    name,
    get port() {
      const app = apps[next++ % apps.length] as AppProcess;
      return app.spec.port;
    },
    path: '/slack/events',
    agent: keepAliveAgent(),
    cpuSeconds: () => apps.reduce((total, app) => total + app.cpuSeconds(), 0),
    opensView: true,
  };
}

/** utime + stime (and, with `reaped`, the CPU of children it has waited for) of one process, in clock ticks. */
function ticksOf(pid: number, reaped: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    return reaped ? own + Number(fields[13]) + Number(fields[14]) : own;
  } catch {
    return 0; // gone meanwhile
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((s) => s !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * The PostgreSQL server listening on `port` (its postmaster, found by its command line in /proc), and a reader of the
 * CPU seconds its whole tree has used: the postmaster, its backends and background workers, and the backends it has
 * already reaped. NaN where there is no /proc or no such server.
 */
export function postgresCpu(port: number): { pid: number | null; cpuSeconds: () => number } {
  let pid: number | null = null;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let argv: string[];
      try {
        argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      } catch {
        continue;
      }
      const portAt = argv.indexOf('-p');
      if ((argv[0] ?? '').endsWith('/postgres') && portAt > 0 && argv[portAt + 1] === String(port)) {
        pid = Number(entry);
        break;
      }
    }
  } catch {
    // no /proc
  }
  const root = pid;
  return {
    pid,
    cpuSeconds: () => {
      if (root === null) return Number.NaN;
      let ticks = ticksOf(root, true);
      for (const child of childrenOf(root)) ticks += ticksOf(child, false);
      return ticks / CLOCK_TICKS_PER_SECOND;
    },
  };
}
