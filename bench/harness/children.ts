import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLOCK_TICKS_PER_SECOND, ROOT } from './machine.js';

export interface AppProcessSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  port: number;
  /** GET this path until it answers; `readyStatus` says which status counts as up. */
  readyPath: string;
  readyStatus: (status: number) => boolean;
}

/** An app under test, running in its own process tree (tsx starts the real node process as its child). */
export class AppProcess {
  readonly warnLines: string[] = [];
  readonly errorLines: string[] = [];
  private tail = '';
  private exited = false;
  private exitCode: number | null = null;

  private constructor(
    readonly spec: AppProcessSpec,
    private readonly child: ChildProcess,
  ) {
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      this.tail = (this.tail + text).slice(-8000);
      for (const line of text.split('\n')) {
        if (/\bERROR\b|bare-app: listener error/.test(line)) this.errorLines.length < 50 && this.errorLines.push(line);
        else if (/\bWARN\b/.test(line)) this.warnLines.length < 50 && this.warnLines.push(line);
      }
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('exit', (code) => {
      this.exited = true;
      this.exitCode = code;
    });
  }

  static async start(spec: AppProcessSpec): Promise<AppProcess> {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a crash of the bench can still take tsx's node child down with it.
      detached: true,
    });
    const app = new AppProcess(spec, child);
    process.once('exit', () => app.killGroup());
    await app.waitUntilReady(30_000);
    return app;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get url(): string {
    return `http://127.0.0.1:${this.spec.port}`;
  }

  get output(): string {
    return this.tail;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Every pid in the tree (tsx wrapper and the node process running the app). */
  pids(): number[] {
    const all: number[] = [];
    const walk = (pid: number) => {
      all.push(pid);
      for (const child of childrenOf(pid)) walk(child);
    };
    if (this.child.pid !== undefined) walk(this.child.pid);
    return all;
  }

  /** CPU seconds (user + system) the whole tree has used so far; NaN where /proc is not available. */
  cpuSeconds(): number {
    let ticks = 0;
    for (const pid of this.pids()) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        return Number.NaN;
      }
    }
    return ticks / CLOCK_TICKS_PER_SECOND;
  }

  /** SIGTERM (tsx relays it; the app shuts down cleanly, writing a --cpu-prof profile if asked), SIGKILL after 15 s. */
  async stop(): Promise<number | null> {
    if (this.exited) return this.exitCode;
    const exit = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const result = await Promise.race([
      exit.then(() => 'exited' as const),
      sleep(15_000).then(() => 'timeout' as const),
    ]);
    if (result === 'timeout') {
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

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited)
        throw new Error(`${this.spec.name} exited with code ${this.exitCode} before it was ready:\n${this.tail}`);
      const status = await getStatus(`${this.url}${this.spec.readyPath}`);
      if (status !== null && this.spec.readyStatus(status)) return;
      await sleep(100);
    }
    this.killGroup();
    throw new Error(`${this.spec.name} was not ready within ${timeoutMs} ms:\n${this.tail}`);
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

function getStatus(url: string): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

/** A TCP port free on the loopback interface right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Lets an app finish what an earlier step left (a backlog from an overloaded step, its posts after views.open) before
 * the next step starts: waits until neither `calls()` (views.open answered, say) nor its CPU time moves for 300 ms,
 * 15 s at most.
 */
export async function quiesce(app: AppProcess, calls: () => number): Promise<void> {
  const deadline = performance.now() + 15_000;
  let seen = calls();
  let cpu = app.cpuSeconds();
  while (performance.now() < deadline) {
    await sleep(300);
    const nextSeen = calls();
    const nextCpu = app.cpuSeconds();
    const idle = nextSeen === seen && (Number.isNaN(nextCpu) || nextCpu - cpu < 0.03);
    seen = nextSeen;
    cpu = nextCpu;
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
  const assignments = words.slice(0, first);
  const rest = words.slice(first);
  const flags = rest.slice(1, -1);
  if (rest[0] !== 'node' || rest.at(-1) !== 'dist/main.js' || !flags.every((word) => word.startsWith('--')))
    throw new Error(
      `${root}/package.json: "${script}" is not "[NAME=value …] node [--flags] dist/main.js": ${command}`,
    );
  const env = Object.fromEntries(
    assignments.map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]),
  );
  return { env, args: [...flags, 'dist/main.js'] };
}

/** `npm start`'s arguments to node (`productionCommand`'s): `[flags] dist/main.js`. */
export function productionNodeArgs(root: string): string[] {
  return productionCommand(root).args;
}

/**
 * infoview as production runs it (`productionCommand` of `script`: `start`, or `start:engine` for the reminder
 * engine's process; built first when dist/ is stale) in HTTP mode on a free loopback port, logging warnings only;
 * `env` adds the rest (DATABASE_URL, SLACK_API_URL, the token and secret).
 */
export async function startProductionApp(env: Record<string, string>, script = 'start'): Promise<AppProcess> {
  execFileSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const port = await freePort();
  const command = productionCommand(ROOT, script);
  return AppProcess.start({
    name: 'infoview',
    command: process.execPath,
    args: command.args,
    cwd: ROOT,
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
