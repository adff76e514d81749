import { Agent, type ClientRequest, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { slashCommand, TEAM_ID } from '../../test/support/payloads.js';
import { formBody, slackSignature } from '../../test/support/signing.js';
import { type AppProcess, quiesce } from './children.js';
import type { FakeWebApi } from './fake-web-api.js';
import { machineBusySeconds } from './machine.js';
import { ms, type Summary, summarize } from './stats.js';

/** Slack shows "operation_timeout" when a command is not acked within 3 s, and a trigger_id expires 3 s after it. */
export const SLACK_DEADLINE_MS = 3000;
export const SIGNING_SECRET = 'bench-signing-secret';
export const BOT_TOKEN = 'xoxb-1111-2222-bench';
/** An app's environment under load: the bench's token and signing secret, the fake's Web API. */
export const appEnv = (fake: Pick<FakeWebApi, 'apiUrl'>) => ({
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: fake.apiUrl,
});

/** One or more app processes under load; requests go round-robin, as a load balancer in front of replicas would. */
export class LoadTarget {
  // Bounded, so an overloaded app queues requests here (still timed from their intended send). An idle socket is
  // closed after 4 s, before the app's server closes it (keepAliveTimeout 5 s), which would fail a request with ECONNRESET.
  readonly agent = new Agent({ keepAlive: true, keepAliveMsecs: 1000, maxSockets: 256, timeout: 4000 });
  private next = 0;

  constructor(
    readonly name: string,
    readonly apps: readonly AppProcess[],
    /** CPU seconds of a database server the apps use (`treeCpuSeconds`), counted apart from theirs. */
    readonly dbCpuSeconds: () => number = () => 0,
  ) {}

  nextPort(): number {
    return (this.apps[this.next++ % this.apps.length] as AppProcess).spec.port;
  }

  cpuSeconds(): number {
    return this.apps.reduce((total, app) => total + app.cpuSeconds(), 0);
  }
}

export interface LoadOptions {
  fake: FakeWebApi;
  /** Who sends the i-th command, and the token its views.open must carry; by default a new user of one workspace. */
  sender?: (i: number, target: LoadTarget) => { teamId: string; userId: string; token: string };
  /** Seconds sent first at the same rate and left out of the figures (JIT, connection set-up). */
  leadIn?: number;
}

export interface StepResult {
  target: string;
  rate: number;
  measured: number;
  /** From the intended send time to the complete HTTP response (the ack), and to views.open arriving at the fake. */
  ack: Summary;
  open: Summary;
  errors: number;
  errorKinds: Record<string, number>;
  /** CPU used meanwhile by processes other than this one and the target's, in cores: noise in the figures. */
  otherCpuCores: number;
  /** CPU the target's processes used per command, ms; and its database server (0 for SQLite). */
  appCpuMsPerRequest: number;
  dbCpuMsPerRequest: number;
}
type StepRun = StepResult & { samples: { ack: number[]; open: number[] } };

interface Shot {
  auth: string;
  measured: boolean;
  body: Buffer;
  signature: string;
  due: number;
  status: number;
  ackAt: number;
  openAt: number;
  openAuth?: string;
  error?: string;
  req?: ClientRequest;
}

let stepSerial = 0;

/**
 * Sends `/infoview schedule` to the target at a steady open-loop rate (bench/README.md, "Open loop"). After the last
 * send it waits at most 3 s (Slack's deadline), counts what is left as errors, then lets the apps finish any backlog.
 */
export async function runStep(target: LoadTarget, rate: number, seconds: number, o: LoadOptions): Promise<StepRun> {
  const serial = ++stepSerial;
  const leadIn = Math.round(rate * (o.leadIn ?? 0.5));
  const total = leadIn + Math.round(rate * seconds);
  const timestamp = Math.floor(Date.now() / 1000);
  const byTrigger = new Map<string, Shot>();
  const shots: Shot[] = [];
  for (let i = 0; i < total; i++) {
    const triggerId = `13345224609.${serial}.${i}`;
    const sender = o.sender?.(i, target) ?? { teamId: TEAM_ID, userId: `UB${serial}X${i}`, token: BOT_TOKEN };
    const command = { text: 'schedule', responseUrl: o.fake.responseUrl(triggerId), triggerId, ...sender };
    const body = Buffer.from(formBody(slashCommand(command)));
    const signature = slackSignature(SIGNING_SECRET, timestamp, body.toString('utf8'));
    const [auth, measured, ackAt, openAt] = [`Bearer ${sender.token}`, i >= leadIn, Number.NaN, Number.NaN];
    const shot: Shot = { auth, measured, body, signature, due: 0, status: 0, ackAt, openAt };
    shots.push(shot);
    byTrigger.set(triggerId, shot);
  }
  let duplicates = 0;
  o.fake.onViewsOpen = (triggerId, arrival) => {
    const shot = byTrigger.get(triggerId);
    if (shot && !Number.isNaN(shot.openAt)) duplicates++;
    else if (shot) [shot.openAt, shot.openAuth] = [arrival.at, arrival.authorization];
  };
  const fire = (shot: Shot) => {
    const headers = {
      'Content-Type': 'application/x-www-form-urlencoded',
      'Content-Length': String(shot.body.length),
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': shot.signature,
    };
    const options = { agent: target.agent, host: '127.0.0.1', port: target.nextPort(), path: '/slack/events' };
    const req = request({ ...options, method: 'POST', headers }, (res) => {
      shot.status = res.statusCode ?? 0;
      res.resume();
      res.once('end', () => ([shot.ackAt, shot.req] = [performance.now(), undefined]));
    });
    req.once('error', (error) => ([shot.error, shot.req] = [shot.error ?? error.message, undefined]));
    shot.req = req;
    req.end(shot.body);
  };

  const [cpuBefore, dbBefore] = [target.cpuSeconds(), target.dbCpuSeconds()];
  const ownBefore = process.cpuUsage();
  const machineBefore = machineBusySeconds();
  const start = performance.now() + 20;
  for (const [i, shot] of shots.entries()) shot.due = start + (i * 1000) / rate;
  // Sleep on a timer until ~1.5 ms before the next send, then poll with setImmediate (which still lets I/O run).
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      while (next < shots.length && (shots[next] as Shot).due <= performance.now()) fire(shots[next++] as Shot);
      if (next >= shots.length) return resolve();
      const wait = (shots[next] as Shot).due - performance.now();
      if (wait > 2) setTimeout(tick, wait - 1.5);
      else setImmediate(tick);
    };
    tick();
  });
  const lastDue = (shots.at(-1) as Shot).due;
  const done = (s: Shot, now: number) =>
    s.error !== undefined || now - s.due > SLACK_DEADLINE_MS || (!Number.isNaN(s.ackAt) && !Number.isNaN(s.openAt));
  while (!shots.every((s) => done(s, performance.now())) && performance.now() - lastDue < SLACK_DEADLINE_MS + 200)
    await new Promise((resolve) => setTimeout(resolve, 20));
  const wall = (performance.now() - start) / 1000;
  for (const shot of shots) {
    shot.error ??= shot.req ? 'no ack within 3 s' : undefined;
    shot.req?.destroy();
  }
  const [cpu, db] = [target.cpuSeconds() - cpuBefore, target.dbCpuSeconds() - dbBefore];
  const own = process.cpuUsage(ownBefore);
  const otherCpu = machineBusySeconds() - machineBefore - (own.user + own.system) / 1e6 - cpu - db;
  o.fake.onViewsOpen = () => undefined;

  const errorKinds: Record<string, number> = {};
  const fail = (kind: string) => (errorKinds[kind] = (errorKinds[kind] ?? 0) + 1);
  const ack: number[] = [];
  const open: number[] = [];
  for (const s of shots) {
    if (s.error !== undefined) fail(s.error);
    else if (s.status !== 200) fail(`ack status ${s.status}`);
    else if (!(s.ackAt - s.due <= SLACK_DEADLINE_MS)) fail('ack later than 3 s');
    else if (!(s.openAt - s.due <= SLACK_DEADLINE_MS)) fail('no views.open within 3 s');
    else if (s.openAuth !== s.auth) fail("views.open without its workspace's bot token");
    if (!s.measured) continue;
    if (!Number.isNaN(s.ackAt)) ack.push(s.ackAt - s.due);
    if (!Number.isNaN(s.openAt)) open.push(s.openAt - s.due);
  }
  if (duplicates > 0) errorKinds['duplicate views.open'] = duplicates;
  for (const app of target.apps) await quiesce(app, () => o.fake.count('views.open'));
  return {
    target: target.name,
    rate,
    measured: total - leadIn,
    ack: summarize(ack),
    open: summarize(open),
    errors: Object.values(errorKinds).reduce((a, b) => a + b, 0),
    errorKinds,
    otherCpuCores: Math.max(0, otherCpu / wall),
    appCpuMsPerRequest: (cpu * 1000) / total,
    dbCpuMsPerRequest: (db * 1000) / total,
    samples: { ack, open },
  };
}

/**
 * The targets side by side at one rate: a warm-up each, then `rounds` rounds whose order rotates, so drift on the
 * machine hits them alike; each target's rounds merged.
 */
export async function compareTargets(
  targets: readonly LoadTarget[],
  o: LoadOptions & { rate: number; seconds: number; rounds: number; warmup: number },
): Promise<Map<string, StepResult>> {
  for (const target of targets) if (o.warmup > 0) await runStep(target, o.rate, o.warmup, { ...o, leadIn: 0 });
  const runs = new Map(targets.map((t) => [t.name, [] as StepRun[]]));
  for (let round = 0; round < o.rounds; round++) {
    for (const target of [...targets.slice(round % targets.length), ...targets.slice(0, round % targets.length)]) {
      const run = await runStep(target, o.rate, o.seconds / o.rounds, o);
      runs.get(target.name)?.push(run);
      console.log(`  round ${round + 1} ${target.name}: views.open p99 ${ms(run.open.p99)} ms, errors ${run.errors}`);
    }
  }
  const merged = new Map<string, StepResult>();
  for (const [name, list] of runs) {
    const errorKinds: Record<string, number> = {};
    for (const r of list) for (const [k, n] of Object.entries(r.errorKinds)) errorKinds[k] = (errorKinds[k] ?? 0) + n;
    const mean = (f: (r: StepRun) => number) => list.reduce((a, r) => a + f(r), 0) / list.length;
    merged.set(name, {
      target: name,
      rate: o.rate,
      measured: list.reduce((a, r) => a + r.measured, 0),
      ack: summarize(list.flatMap((r) => r.samples.ack)),
      open: summarize(list.flatMap((r) => r.samples.open)),
      errors: list.reduce((a, r) => a + r.errors, 0),
      errorKinds,
      otherCpuCores: mean((r) => r.otherCpuCores),
      appCpuMsPerRequest: mean((r) => r.appCpuMsPerRequest),
      dbCpuMsPerRequest: mean((r) => r.dbCpuMsPerRequest),
    });
  }
  return merged;
}

/**
 * The highest passing rate: 5 s steps at 100, 200, 400… per second until the first fail, then two bisections. A step
 * passes with no error and the p99 of ack and views.open under 50 ms.
 */
export async function highestPassingRate(target: LoadTarget, o: LoadOptions): Promise<number> {
  const passes = async (rate: number) => {
    const r = await runStep(target, rate, 5, o);
    const pass = r.errors === 0 && r.ack.p99 < 50 && r.open.p99 < 50;
    console.log(`  search ${target.name} at ${rate}/s: ${pass ? 'pass' : 'FAIL'} (p99 ${ms(r.open.p99)} ms)`);
    return pass;
  };
  let [low, high] = [0, 0];
  for (let rate = 100; rate <= 3200 && high === 0; rate *= 2)
    [low, high] = (await passes(rate)) ? [rate, 0] : [low, rate];
  for (let i = 0; i < 2 && high > 0; i++) {
    const mid = Math.round((low + high) / 20) * 10;
    if (mid <= low || mid >= high) break;
    if (await passes(mid)) low = mid;
    else high = mid;
  }
  return low;
}

/** A row of a step's figures for `table`. */
export const STEP_HEADER = [
  'target',
  'n',
  'ack p50',
  'p99',
  'views.open p50',
  'p95',
  'p99',
  'errors',
  'CPU ms/cmd',
  'DB',
];
export const stepRow = (r: StepResult) => [
  r.target,
  String(r.measured),
  ...[r.ack.p50, r.ack.p99, r.open.p50, r.open.p95, r.open.p99].map(ms),
  String(r.errors),
  ms(r.appCpuMsPerRequest),
  ms(r.dbCpuMsPerRequest),
];
/** CPU per command of the target's processes and its database server, ms. */
export const perCmd = (r?: StepResult) => (r?.appCpuMsPerRequest ?? Number.NaN) + (r?.dbCpuMsPerRequest ?? Number.NaN);
