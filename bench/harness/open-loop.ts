import { Agent, type ClientRequest, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { machineBusySeconds } from './machine.js';
import { slashCommand, TEAM_ID } from '../../test/support/payloads.js';
import { formBody, slackSignature } from '../../test/support/signing.js';
import type { FakeWebApi } from './fake-web-api.js';
import { type Summary, summarize } from './stats.js';

/** Slack shows "operation_timeout" when a command is not acked within 3 s, and a trigger_id expires 3 s after it. */
export const SLACK_DEADLINE_MS = 3000;

/** One app under load: where its Bolt endpoint listens (loopback only) and the keep-alive agent reused for it. */
export interface LoadTarget {
  name: string;
  port: number;
  path: string;
  agent: Agent;
  /** CPU seconds its process tree has used so far (NaN when unknown). */
  cpuSeconds: () => number;
  /** False for an app that only acks: no views.open is awaited or counted. */
  opensView: boolean;
}

export function keepAliveAgent(): Agent {
  // Bounded, so an overloaded app queues requests here (still timed from their intended send) instead of thousands of sockets.
  // An idle socket is closed here after 4 s, before the app's server closes it (Node's keepAliveTimeout, 5 s): a request
  // sent on a socket the server is closing at that moment fails with ECONNRESET, which counted as the app's error.
  return new Agent({ keepAlive: true, keepAliveMsecs: 1000, maxSockets: 256, timeout: 4000 });
}

export interface StepOptions {
  fake: FakeWebApi;
  signingSecret: string;
  /** The bot token the apps use; each views.open must carry it (unless `sender` names one per command). */
  token: string;
  rate: number;
  /** Measured seconds, after the lead-in. */
  seconds: number;
  /** Exactly this many commands (lead-in included), instead of rate × (lead-in + seconds). */
  count?: number;
  /**
   * Who sends the i-th command, and the token its views.open must carry: an app installed by OAuth serves many
   * workspaces, each with its own token. Without it, commands come from `users` of one workspace.
   */
  sender?: (i: number) => Sender;
  /** Seconds sent at the same rate first and left out of the figures (JIT, connection set-up, idle sockets). */
  leadInSeconds: number;
  /** The command text, "schedule" by default. */
  text: string;
  /** Distinct users the commands come from, round-robin; 0 = a new user for every command. */
  users: number;
  /** CPU seconds used so far by every process of the bench (generator and apps), to tell other load on the machine. */
  benchCpuSeconds: () => number;
}

/** Who sends a command, and the bot token its views.open must carry. */
export interface Sender {
  teamId: string;
  userId: string;
  token: string;
}

/** One command as sent: its team, when it went out (performance.now()) and its time to views.open (NaN: none). */
export interface SentCommand {
  teamId: string;
  measured: boolean;
  sent: number;
  openMs: number;
}

interface Shot {
  teamId: string;
  /** The Authorization its views.open must carry. */
  expectedAuth: string;
  triggerId: string;
  measured: boolean;
  headers: Record<string, string>;
  body: Buffer;
  due: number;
  sent: number;
  ackAt: number;
  status: number;
  openAt: number;
  openAuthorization: string | undefined;
  error: string | undefined;
  req: ClientRequest | undefined;
}

export interface StepResult {
  target: string;
  rate: number;
  seconds: number;
  /** Requests in the measured window. */
  measured: number;
  /** Time from the intended send time to the complete HTTP response (the ack). */
  ack: Summary;
  /** Time from the intended send time to views.open arriving at the fake Web API. */
  open: Summary;
  /** The same two, from the actual send time instead (differ from the above only by the generator's lateness). */
  ackFromSent: Summary;
  openFromSent: Summary;
  /** How late the generator sent each request against its schedule. */
  sendLag: Summary;
  /** Over lead-in and measured requests alike. */
  errors: number;
  errorKinds: Record<string, number>;
  /** views.open calls that matched no request of this step (stragglers from an earlier, overloaded step). */
  strays: number;
  /** Share of the generator's event loop that was busy, including its polling before each send (so never near 0). */
  generatorElu: number;
  /** CPU used on the machine by processes other than the bench's, in cores (0.5 = half a core): noise in the figures. */
  otherCpuCores: number;
  /** CPU the app's process tree used, as a share of one core, and per request in ms. */
  appCpuShare: number;
  appCpuMsPerRequest: number;
  /** Web API calls per request this step, by method. */
  webApiCallsPerRequest: Record<string, number>;
}

let stepSerial = 0;

/**
 * Sends `/infoview <text>` to the target at a steady open-loop rate: every request has an intended send time fixed in
 * advance and goes out then whether or not earlier ones were answered, and latency is counted from that intended time,
 * so a stalled app cannot hide its stall by slowing the generator down (coordinated omission). Requests are signed up
 * front so signing costs nothing during the run. Ends by itself: after the last send it waits at most 3 s (Slack's
 * deadline) for answers, then abandons what is left and counts it as errors.
 */
export async function runStep(target: LoadTarget, options: StepOptions): Promise<StepRun> {
  const serial = ++stepSerial;
  const { fake, rate } = options;
  const leadIn = Math.round(rate * options.leadInSeconds);
  const total = options.count ?? leadIn + Math.round(rate * options.seconds);
  const interval = 1000 / rate;
  const timestamp = Math.floor(Date.now() / 1000);
  const shots: Shot[] = [];
  const byTrigger = new Map<string, Shot>();
  for (let i = 0; i < total; i++) {
    const triggerId = `13345224609.${serial}.${i}`;
    const sender = options.sender?.(i) ?? {
      teamId: TEAM_ID,
      userId: options.users === 0 ? `UB${serial}X${i}` : `UB${i % options.users}`,
      token: options.token,
    };
    const body = Buffer.from(
      formBody(
        slashCommand({
          text: options.text,
          responseUrl: fake.responseUrl(triggerId),
          userId: sender.userId,
          teamId: sender.teamId,
          triggerId,
        }),
      ),
    );
    const shot: Shot = {
      teamId: sender.teamId,
      expectedAuth: `Bearer ${sender.token}`,
      triggerId,
      measured: i >= leadIn,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(body.length),
        'X-Slack-Request-Timestamp': String(timestamp),
        'X-Slack-Signature': slackSignature(options.signingSecret, timestamp, body.toString('utf8')),
      },
      body,
      due: 0,
      sent: Number.NaN,
      ackAt: Number.NaN,
      status: 0,
      openAt: Number.NaN,
      openAuthorization: undefined,
      error: undefined,
      req: undefined,
    };
    shots.push(shot);
    byTrigger.set(triggerId, shot);
  }

  let strays = 0;
  const duplicates = { count: 0 };
  fake.onViewsOpen = (triggerId, arrival) => {
    const shot = byTrigger.get(triggerId);
    if (!shot) {
      strays++;
      return;
    }
    if (!Number.isNaN(shot.openAt)) {
      duplicates.count++;
      return;
    }
    shot.openAt = arrival.at;
    shot.openAuthorization = arrival.authorization;
  };
  const countsBefore = new Map(fake.counts);

  const fire = (shot: Shot) => {
    shot.sent = performance.now();
    const req = request(
      {
        agent: target.agent,
        host: '127.0.0.1',
        port: target.port,
        path: target.path,
        method: 'POST',
        headers: shot.headers,
      },
      (res) => {
        shot.status = res.statusCode ?? 0;
        res.resume();
        res.once('end', () => {
          shot.ackAt = performance.now();
          shot.req = undefined;
        });
      },
    );
    req.once('error', (error) => {
      shot.error ??= error.message;
      shot.req = undefined;
    });
    shot.req = req;
    req.end(shot.body);
  };

  const eluBefore = performance.eventLoopUtilization();
  const cpuBefore = target.cpuSeconds();
  const machineBefore = machineBusySeconds();
  const benchBefore = options.benchCpuSeconds();
  const start = performance.now() + 20;
  shots.forEach((shot, i) => (shot.due = start + i * interval));

  // Fire everything due; sleep on a timer until ~1.5 ms before the next one, then poll with setImmediate (which still
  // lets I/O run) so sends are not late by the timer's millisecond granularity.
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < shots.length && (shots[next] as Shot).due <= now) fire(shots[next++] as Shot);
      if (next >= shots.length) return resolve();
      const wait = (shots[next] as Shot).due - performance.now();
      if (wait > 2) setTimeout(tick, wait - 1.5);
      else setImmediate(tick);
    };
    tick();
  });

  const lastDue = (shots[shots.length - 1] as Shot).due;
  const settled = (shot: Shot, now: number) =>
    (!Number.isNaN(shot.ackAt) || shot.error !== undefined || now - shot.due > SLACK_DEADLINE_MS) &&
    (!target.opensView || !Number.isNaN(shot.openAt) || shot.error !== undefined || now - shot.due > SLACK_DEADLINE_MS);
  while (true) {
    const now = performance.now();
    if (shots.every((shot) => settled(shot, now)) || now - lastDue > SLACK_DEADLINE_MS + 200) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const end = performance.now();
  for (const shot of shots) {
    if (shot.req) {
      shot.error ??= 'no ack within 3 s (abandoned)';
      shot.req.destroy();
    }
  }
  const cpuAfter = target.cpuSeconds();
  const otherCpu = machineBusySeconds() - machineBefore - (options.benchCpuSeconds() - benchBefore);
  const elu = performance.eventLoopUtilization(eluBefore);
  fake.onViewsOpen = () => undefined;

  const errorKinds: Record<string, number> = {};
  const fail = (kind: string) => (errorKinds[kind] = (errorKinds[kind] ?? 0) + 1);
  const ack: number[] = [];
  const open: number[] = [];
  const ackFromSent: number[] = [];
  const openFromSent: number[] = [];
  const sendLag: number[] = [];
  const commands: SentCommand[] = [];
  for (const shot of shots) {
    if (shot.error !== undefined) fail(shot.error.startsWith('no ack') ? shot.error : `request error: ${shot.error}`);
    else if (shot.status !== 200) fail(`ack status ${shot.status}`);
    else if (Number.isNaN(shot.ackAt) || shot.ackAt - shot.due > SLACK_DEADLINE_MS) fail('ack later than 3 s');
    else if (!target.opensView) {
      if (!Number.isNaN(shot.openAt)) fail('unexpected views.open');
    } else if (Number.isNaN(shot.openAt)) fail('no views.open within 3 s');
    else if (shot.openAt - shot.due > SLACK_DEADLINE_MS) fail('views.open later than 3 s (trigger expired)');
    else if (shot.openAuthorization !== shot.expectedAuth) fail("views.open without its workspace's bot token");
    commands.push({ teamId: shot.teamId, measured: shot.measured, sent: shot.sent, openMs: shot.openAt - shot.due });
    if (!shot.measured) continue;
    sendLag.push(shot.sent - shot.due);
    if (!Number.isNaN(shot.ackAt)) {
      ack.push(shot.ackAt - shot.due);
      ackFromSent.push(shot.ackAt - shot.sent);
    }
    if (!Number.isNaN(shot.openAt)) {
      open.push(shot.openAt - shot.due);
      openFromSent.push(shot.openAt - shot.sent);
    }
  }
  if (duplicates.count > 0) errorKinds['duplicate views.open'] = duplicates.count;

  const webApiCallsPerRequest: Record<string, number> = {};
  for (const [method, count] of fake.counts) {
    const delta = count - (countsBefore.get(method) ?? 0);
    if (delta > 0) webApiCallsPerRequest[method] = Math.round((delta / shots.length) * 1000) / 1000;
  }
  const cpu = cpuAfter - cpuBefore;
  const wall = (end - start) / 1000;
  const result: StepResult = {
    target: target.name,
    rate,
    seconds: options.seconds,
    measured: shots.filter((shot) => shot.measured).length,
    ack: summarize(ack),
    open: summarize(open),
    ackFromSent: summarize(ackFromSent),
    openFromSent: summarize(openFromSent),
    sendLag: summarize(sendLag),
    errors: Object.values(errorKinds).reduce((a, b) => a + b, 0),
    errorKinds,
    strays,
    generatorElu: elu.utilization,
    otherCpuCores: otherCpu / wall,
    appCpuShare: cpu / wall,
    appCpuMsPerRequest: (cpu * 1000) / shots.length,
    webApiCallsPerRequest,
  };
  return { result, samples: { ack, open, ackFromSent, openFromSent, sendLag }, commands };
}

/** Merges the measured samples of several steps against one target (the interleaved rounds of the main phase). */
export function mergeSteps(runs: readonly StepRun[]): StepResult & { rounds: number } {
  const steps = runs.map((run) => run.result);
  const samples = runs.map((run) => run.samples);
  const first = steps[0];
  if (!first) throw new Error('mergeSteps: no steps');
  const pick = (key: keyof StepSamples) => samples.flatMap((s) => s[key]);
  const errorKinds: Record<string, number> = {};
  for (const step of steps)
    for (const [kind, n] of Object.entries(step.errorKinds)) errorKinds[kind] = (errorKinds[kind] ?? 0) + n;
  const mean = (f: (s: StepResult) => number) => steps.reduce((a, s) => a + f(s), 0) / steps.length;
  return {
    ...first,
    seconds: steps.reduce((a, s) => a + s.seconds, 0),
    measured: steps.reduce((a, s) => a + s.measured, 0),
    ack: summarize(pick('ack')),
    open: summarize(pick('open')),
    ackFromSent: summarize(pick('ackFromSent')),
    openFromSent: summarize(pick('openFromSent')),
    sendLag: summarize(pick('sendLag')),
    errors: steps.reduce((a, s) => a + s.errors, 0),
    errorKinds,
    strays: steps.reduce((a, s) => a + s.strays, 0),
    generatorElu: mean((s) => s.generatorElu),
    otherCpuCores: mean((s) => s.otherCpuCores),
    appCpuShare: mean((s) => s.appCpuShare),
    appCpuMsPerRequest: mean((s) => s.appCpuMsPerRequest),
    rounds: steps.length,
  };
}

export interface StepRun {
  result: StepResult;
  samples: StepSamples;
  /** Every command of the step, lead-in included, in the order sent. */
  commands: SentCommand[];
}

/** Raw measured latencies of one step, kept only where steps are merged. */
export interface StepSamples {
  ack: number[];
  open: number[];
  ackFromSent: number[];
  openFromSent: number[];
  sendLag: number[];
}
