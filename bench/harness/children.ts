import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLOCK_TICKS_PER_SECOND, ROOT } from './machine.js';

export interface AppProcessSpec {
  name: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  port: number;
  /** GET this path until it answers with a status `readyStatus` accepts. */
  readyPath: string;
  readyStatus: (status: number) => boolean;
}

/** An app under test: one node process of its own (its own process group, so a crash of the bench takes it down). */
export class AppProcess {
  private tail = '';
  private exited = false;
  private exitCode: number | null = null;

  private constructor(
    readonly spec: AppProcessSpec,
    private readonly child: ChildProcess,
  ) {
    const onOutput = (chunk: Buffer) => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('exit', (code) => {
      this.exited = true;
      this.exitCode = code;
    });
  }

  static async start(spec: AppProcessSpec): Promise<AppProcess> {
    const child = spawn(process.execPath, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const app = new AppProcess(spec, child);
    process.once('exit', () => app.killGroup());
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (app.exited) throw new Error(`${spec.name} exited (${app.exitCode}) before it was ready:\n${app.tail}`);
      const status = await getStatus(`${app.url}${spec.readyPath}`);
      if (status !== null && spec.readyStatus(status)) return app;
      if (Date.now() > deadline) {
        app.killGroup();
        throw new Error(`${spec.name} was not ready within 30 s:\n${app.tail}`);
      }
      await sleep(100);
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get url(): string {
    return `http://127.0.0.1:${this.spec.port}`;
  }

  /** The last 8,000 characters it wrote. */
  get output(): string {
    return this.tail;
  }

  /** CPU seconds (user + system) the process has used so far; NaN where /proc is not available. */
  cpuSeconds(): number {
    try {
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    } catch {
      return Number.NaN;
    }
  }

  /** Resident memory now and its peak so far (VmRSS, VmHWM), in MB. */
  memoryMB(): { rss: number; peak: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kB = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kB('VmRSS') / 1024, peak: kB('VmHWM') / 1024 };
  }

  /** SIGTERM (the app shuts down cleanly), SIGKILL after 15 s. Resolves to the exit code. */
  async stop(): Promise<number | null> {
    if (this.exited) return this.exitCode;
    const exit = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    if ((await Promise.race([exit, sleep(15_000, 'timeout')])) === 'timeout') {
      this.killGroup();
      await exit;
    }
    return this.exitCode;
  }

  /** SIGKILL, as a lost machine would: no shutdown of any kind. Resolves once it is gone. */
  async crash(): Promise<void> {
    if (this.exited) return;
    const exit = once(this.child, 'exit');
    this.killGroup();
    await exit;
  }

  private killGroup(): void {
    if (this.exited || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

async function getStatus(url: string): Promise<number | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return null;
  }
}

/**
 * CPU seconds of process `pid` and its children so far (a PostgreSQL postmaster and its backends, which come and go):
 * its own utime + stime, its reaped children's (cutime + cstime) and its live children's own.
 */
export function treeCpuSeconds(pid: number): number {
  const stat = (p: string) => readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ').map(Number) ?? [];
  let ticks = stat(String(pid))
    .slice(11, 15)
    .reduce((a, b) => a + b, 0);
  for (const p of readdirSync('/proc').filter((name) => /^\d+$/.test(name)))
    try {
      const f = stat(p);
      if (f[1] === pid) ticks += (f[11] ?? 0) + (f[12] ?? 0);
    } catch {} // gone meanwhile
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** A TCP port free on the loopback interface right now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Lets an app finish what a step left (a backlog, its posts after views.open) before the next: waits until neither
 * `calls()` nor its CPU time moves for 300 ms, 15 s at most.
 */
export async function quiesce(app: AppProcess, calls: () => number): Promise<void> {
  const deadline = performance.now() + 15_000;
  let [seen, cpu] = [calls(), app.cpuSeconds()];
  while (performance.now() < deadline) {
    await sleep(300);
    const [nextSeen, nextCpu] = [calls(), app.cpuSeconds()];
    const idle = nextSeen === seen && (Number.isNaN(nextCpu) || nextCpu - cpu < 0.03);
    [seen, cpu] = [nextSeen, nextCpu];
    if (idle) return;
  }
}

/**
 * A production command of the checkout at `root`, read from its package.json script (`start`, `start:engine`):
 * `[NAME=value …] node [--flags] dist/main.js`, the command the README gives to deploy. Read, not copied, so a
 * benchmark measures what production runs (V8's flags change its memory).
 */
export function productionCommand(root: string, script = 'start'): { env: Record<string, string>; args: string[] } {
  const command = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts[script];
  const words = command?.trim().split(/\s+/) ?? [];
  let first = 0;
  while (/^[A-Z_][A-Z0-9_]*=/.test(words[first] ?? '')) first++;
  const rest = words.slice(first);
  const flags = rest.slice(1, -1);
  if (rest[0] !== 'node' || rest.at(-1) !== 'dist/main.js' || !flags.every((word) => word.startsWith('--')))
    throw new Error(
      `${root}/package.json: "${script}" is not "[NAME=value …] node [--flags] dist/main.js": ${command}`,
    );
  const env = Object.fromEntries(
    words.slice(0, first).map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]),
  );
  return { env, args: [...flags, 'dist/main.js'] };
}

/** `npm start`'s arguments to node (`productionCommand`'s): `[flags] dist/main.js`. */
export function productionNodeArgs(root: string): string[] {
  return productionCommand(root).args;
}

/**
 * infoview as production runs it (`productionCommand` of `script` in the checkout `root`, built first when dist/ is
 * stale) in HTTP mode on a free loopback port, logging warnings only; `env` adds the rest (DATABASE_URL,
 * SLACK_API_URL, the token and secret); `nodeFlags` come before the script's own (a bench's A/B of V8 flags).
 */
export async function startProductionApp(
  env: Record<string, string>,
  script = 'start',
  root = ROOT,
  nodeFlags: string[] = [],
) {
  execFileSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: root, stdio: 'inherit' });
  const port = await freePort();
  const command = productionCommand(root, script);
  return AppProcess.start({
    name: 'infoview',
    args: [...nodeFlags, ...command.args],
    cwd: root,
    env: {
      ...command.env,
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      // Empty, not absent: main.ts loads .env when present, and an xapp- token there would switch on Socket Mode.
      SLACK_APP_TOKEN: '',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
    port,
    readyPath: '/healthz',
    readyStatus: (status) => status === 200,
  });
}
