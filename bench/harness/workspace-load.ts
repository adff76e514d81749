import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { slashCommand } from '../../test/support/payloads.js';
import { formBody, slackSignature } from '../../test/support/signing.js';
import type { FakeWebApi } from './fake-web-api.js';
import { machineBusySeconds } from './machine.js';
import { type LoadTarget, SLACK_DEADLINE_MS, type StepResult, type StepRun } from './open-loop.js';
import { summarize } from './stats.js';

/*
 * The open-loop step of open-loop.ts, with each command from a workspace of its own: an app installed by OAuth serves
 * many workspaces, each with its own bot token, so every command names its team and its views.open must carry that
 * team's token. Same schedule, deadlines, errors and result as `runStep` (so `mergeSteps` merges these too); it also
 * hands back every command's team and send time, so a scenario can sort the figures by what the app had cached.
 */

/** Who sends the i-th command of a step, and the bot token its views.open must carry. */
export interface Sender {
  teamId: string;
  userId: string;
  token: string;
}

export interface WorkspaceStepOptions {
  fake: FakeWebApi;
  signingSecret: string;
  rate: number;
  /** Measured seconds, after the lead-in; `count` overrides the total of commands when given. */
  seconds: number;
  leadInSeconds: number;
  /** Exactly this many commands (lead-in included), instead of rate × (lead-in + seconds). */
  count?: number;
  text: string;
  sender: (i: number) => Sender;
  /** CPU seconds used so far by every process of the bench (generator and apps), to tell other load on the machine. */
  benchCpuSeconds: () => number;
}

/** One command as sent: its team, when it went out (performance.now()) and its time to views.open (NaN: none). */
export interface SentCommand {
  teamId: string;
  measured: boolean;
  sent: number;
  openMs: number;
}

export interface WorkspaceStepRun extends StepRun {
  commands: SentCommand[];
}

interface Shot {
  sender: Sender;
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
  done: boolean;
}

let stepSerial = 0;

/** Sends `/infoview <text>` from `sender(i)` at a steady open-loop rate; see `runStep` in open-loop.ts. */
export async function runWorkspaceStep(target: LoadTarget, options: WorkspaceStepOptions): Promise<WorkspaceStepRun> {
  const serial = ++stepSerial;
  const { fake, rate } = options;
  const leadIn = Math.round(rate * options.leadInSeconds);
  const total = options.count ?? leadIn + Math.round(rate * options.seconds);
  const interval = 1000 / rate;
  const timestamp = Math.floor(Date.now() / 1000);
  const shots: Shot[] = [];
  const byTrigger = new Map<string, Shot>();
  for (let i = 0; i < total; i++) {
    const sender = options.sender(i);
    const triggerId = `23345224609.${serial}.${i}`;
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
      sender,
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
      done: false,
    };
    shots.push(shot);
    byTrigger.set(triggerId, shot);
  }

  let strays = 0;
  let duplicates = 0;
  fake.onViewsOpen = (triggerId, arrival) => {
    const shot = byTrigger.get(triggerId);
    if (!shot) strays++;
    else if (!Number.isNaN(shot.openAt)) duplicates++;
    else {
      shot.openAt = arrival.at;
      shot.openAuthorization = arrival.authorization;
    }
  };
  const countsBefore = new Map(fake.counts);
  const pending = new Set<ReturnType<typeof request>>();

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
          shot.done = true;
          pending.delete(req);
        });
      },
    );
    req.once('error', (error) => {
      shot.error ??= error.message;
      shot.done = true;
      pending.delete(req);
    });
    pending.add(req);
    req.end(shot.body);
  };

  const eluBefore = performance.eventLoopUtilization();
  const cpuBefore = target.cpuSeconds();
  const machineBefore = machineBusySeconds();
  const benchBefore = options.benchCpuSeconds();
  const start = performance.now() + 20;
  shots.forEach((shot, i) => (shot.due = start + i * interval));

  // Timer until ~1.5 ms before the next send, then setImmediate polling (I/O still runs), as runStep does.
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
  const late = (shot: Shot, now: number) => now - shot.due > SLACK_DEADLINE_MS;
  const settled = (shot: Shot, now: number) =>
    (shot.done || late(shot, now)) &&
    (!target.opensView || !Number.isNaN(shot.openAt) || shot.error !== undefined || late(shot, now));
  while (true) {
    const now = performance.now();
    if (shots.every((shot) => settled(shot, now)) || now - lastDue > SLACK_DEADLINE_MS + 200) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const end = performance.now();
  for (const shot of shots) if (!shot.done) shot.error ??= 'no ack within 3 s (abandoned)';
  for (const req of pending) req.destroy();
  const cpuAfter = target.cpuSeconds();
  const otherCpu = machineBusySeconds() - machineBefore - (options.benchCpuSeconds() - benchBefore);
  const elu = performance.eventLoopUtilization(eluBefore);
  fake.onViewsOpen = () => undefined;

  const errorKinds: Record<string, number> = {};
  const fail = (kind: string) => (errorKinds[kind] = (errorKinds[kind] ?? 0) + 1);
  const samples = {
    ack: [] as number[],
    open: [] as number[],
    ackFromSent: [] as number[],
    openFromSent: [] as number[],
    sendLag: [] as number[],
  };
  const commands: SentCommand[] = [];
  for (const shot of shots) {
    if (shot.error !== undefined) fail(shot.error.startsWith('no ack') ? shot.error : `request error: ${shot.error}`);
    else if (shot.status !== 200) fail(`ack status ${shot.status}`);
    else if (Number.isNaN(shot.ackAt) || shot.ackAt - shot.due > SLACK_DEADLINE_MS) fail('ack later than 3 s');
    else if (!target.opensView) {
      if (!Number.isNaN(shot.openAt)) fail('unexpected views.open');
    } else if (Number.isNaN(shot.openAt)) fail('no views.open within 3 s');
    else if (shot.openAt - shot.due > SLACK_DEADLINE_MS) fail('views.open later than 3 s (trigger expired)');
    else if (shot.openAuthorization !== `Bearer ${shot.sender.token}`) fail("views.open without its workspace's token");
    commands.push({
      teamId: shot.sender.teamId,
      measured: shot.measured,
      sent: shot.sent,
      openMs: shot.openAt - shot.due,
    });
    if (!shot.measured) continue;
    samples.sendLag.push(shot.sent - shot.due);
    if (!Number.isNaN(shot.ackAt)) {
      samples.ack.push(shot.ackAt - shot.due);
      samples.ackFromSent.push(shot.ackAt - shot.sent);
    }
    if (!Number.isNaN(shot.openAt)) {
      samples.open.push(shot.openAt - shot.due);
      samples.openFromSent.push(shot.openAt - shot.sent);
    }
  }
  if (duplicates > 0) errorKinds['duplicate views.open'] = duplicates;

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
    ack: summarize(samples.ack),
    open: summarize(samples.open),
    ackFromSent: summarize(samples.ackFromSent),
    openFromSent: summarize(samples.openFromSent),
    sendLag: summarize(samples.sendLag),
    errors: Object.values(errorKinds).reduce((a, b) => a + b, 0),
    errorKinds,
    strays,
    generatorElu: elu.utilization,
    otherCpuCores: otherCpu / wall,
    appCpuShare: cpu / wall,
    appCpuMsPerRequest: (cpu * 1000) / shots.length,
    webApiCallsPerRequest,
  };
  return { result, samples, commands };
}
