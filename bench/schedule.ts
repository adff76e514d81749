import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppProcess, freePort, productionNodeArgs, quiesce } from './harness/children.js';
import { FakeWebApi } from './harness/fake-web-api.js';
import { ROOT, waitQuiet } from './harness/machine.js';
import { keepAliveAgent, type LoadTarget, mergeSteps, runStep, type StepResult } from './harness/open-loop.js';
import { readOptions, writeResults } from './harness/options.js';
import { ms, table } from './harness/stats.js';

// `npm run bench`: `/infoview schedule` against a bare Bolt app, open loop, in one run (bench/README.md). This process
// sends the load and plays Slack's Web API (one clock); each app runs in its own process on loopback.

const o = readOptions('npm run bench -- [options]', {
  rate: [100, 'main-phase rate, commands/s'],
  seconds: [20, 'measured seconds per app in the main phase'],
  rounds: [4, 'main phase split into rounds, the order of the apps rotating'],
  warmup: [5, 'seconds of warm-up per app, not measured'],
  'lead-in': [0.5, 'seconds sent and left out at the start of each step'],
  'step-seconds': [5, 'measured seconds per step of the rate search'],
  rates: ['100,200,400,800,1600,3200', 'rates tried in turn until the first fail'],
  bisect: [2, 'bisections between the last pass and the first fail'],
  limit: [50, 'p99 limit of ack and views.open in the rate search, ms'],
  users: [0, 'distinct users sending; 0 = a new user for every command'],
  text: ['schedule', 'the command text'],
  apps: ['infoview,bare,bare-ack', 'apps of the main phase'],
  candidate: ['', 'another checkout run beside infoview as app "candidate" (A/B in one run)'],
  'infoview-dir': [ROOT, 'the checkout app "infoview" runs from'],
  search: [true, 'the rate search (--no-search: the main phase only)'],
  'wait-quiet': [30, 'at the start, wait up to N s for other processes to use ≤ 0.2 cores'],
});
const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-1111-2222-bench';
const names = o.apps.split(',').filter(Boolean);
if (o.candidate) names.splice(names.indexOf('infoview') + 1, 0, 'candidate');
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const quiet = await waitQuiet(o['wait-quiet'], 0.2);
if (!quiet.quiet) log(`other processes use ${quiet.otherCores.toFixed(2)} cores: the figures carry that noise`);
const fake = await FakeWebApi.start();
const tmp = mkdtempSync(join(tmpdir(), 'infoview-bench-'));
const apps = new Map<string, AppProcess>();
const targets = new Map<string, LoadTarget>();
try {
  for (const name of names) {
    const port = await freePort();
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmp,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_APP_TOKEN: '', // not absent: main.ts reads .env, where an xapp- token would turn on Socket Mode
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      DATABASE_URL: join(tmp, `${name}.sqlite`),
      LOG_LEVEL: 'warn',
      BARE_ACK_ONLY: name === 'bare-ack' ? '1' : '0',
    };
    const cwd = resolve(name === 'candidate' ? o.candidate : name === 'infoview' ? o['infoview-dir'] : ROOT);
    const bare = name.startsWith('bare');
    if (!bare) execFileSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd, stdio: 'inherit' });
    const args = bare ? ['--import', 'tsx', 'bench/harness/bare-app.ts'] : productionNodeArgs(cwd);
    const [readyPath, ready] = bare ? ['/', (s: number) => s > 0] : ['/healthz', (s: number) => s === 200];
    const spec = { name, command: process.execPath, args, cwd, env, port, readyPath, readyStatus: ready };
    apps.set(name, await AppProcess.start(spec));
  }
  for (const [name, app] of apps) {
    const cpuSeconds = () => app.cpuSeconds();
    const target = { name, port: app.spec.port, path: '/slack/events', agent: keepAliveAgent(), cpuSeconds };
    targets.set(name, { ...target, opensView: name !== 'bare-ack' });
  }
  const benchCpu = () => {
    const own = process.cpuUsage();
    return (own.user + own.system) / 1e6 + [...apps.values()].reduce((sum, app) => sum + app.cpuSeconds(), 0);
  };
  const step = async (name: string, rate: number, seconds: number, leadInSeconds: number) => {
    const target = targets.get(name) as LoadTarget;
    const { signingSecret, token, text, users } = { signingSecret: SECRET, token: TOKEN, ...o };
    const run = await runStep(target, {
      fake,
      signingSecret,
      token,
      rate,
      seconds,
      leadInSeconds,
      text,
      users,
      benchCpuSeconds: benchCpu,
    });
    await quiesce(apps.get(name) as AppProcess, () => fake.count('views.open'));
    return run;
  };

  for (const name of apps.keys()) if (o.warmup > 0) await step(name, o.rate, o.warmup, 0);
  // Main phase: rounds rotate the order of the apps, so drift on the machine hits them alike.
  const runs = new Map(names.map((name) => [name, [] as Awaited<ReturnType<typeof step>>[]]));
  for (let round = 0; round < o.rounds; round++) {
    for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
      log(`main: ${name} at ${o.rate}/s, round ${round + 1}/${o.rounds}`);
      runs.get(name)?.push(await step(name, o.rate, o.seconds / o.rounds, o['lead-in']));
    }
  }
  const main = new Map([...runs].map(([name, list]) => [name, mergeSteps(list)]));

  // Rate search: steps at rising rates until the first fail, then bisections.
  const passes = (r: StepResult) => r.errors === 0 && r.ack.p99 < o.limit && r.open.p99 < o.limit;
  const search = new Map<string, { rate: number; pass: boolean; result: StepResult }[]>();
  for (const name of o.search ? names.filter((n) => n !== 'bare-ack') : []) {
    const steps: { rate: number; pass: boolean; result: StepResult }[] = [];
    const at = async (rate: number) => {
      const result = (await step(name, rate, o['step-seconds'], o['lead-in'])).result;
      steps.push({ rate, pass: passes(result), result });
      log(`search: ${name} at ${rate}/s: ${passes(result) ? 'pass' : 'FAIL'} (p99 ${ms(result.open.p99)} ms)`);
      return passes(result);
    };
    let low = 0;
    let high = Number.POSITIVE_INFINITY;
    for (const rate of o.rates.split(',').map(Number)) {
      if (await at(rate)) low = rate;
      else {
        high = rate;
        break;
      }
    }
    for (let i = 0; i < o.bisect && Number.isFinite(high); i++) {
      const mid = Math.round((low + high) / 20) * 10;
      if (mid <= low || mid >= high) break;
      if (await at(mid)) low = mid;
      else high = mid;
    }
    search.set(name, steps);
  }

  const header = [
    'app',
    'rate/s',
    'n',
    'ack p50',
    'p99',
    'views.open p50',
    'p95',
    'p99',
    'max',
    'errors',
    'CPU ms/cmd',
  ];
  const row = (name: string, r: StepResult) => {
    const cells = [r.rate, r.measured, ms(r.ack.p50), ms(r.ack.p99), ms(r.open.p50), ms(r.open.p95), ms(r.open.p99)];
    return [name, ...cells.map(String), ms(r.open.max), String(r.errors), ms(r.appCpuMsPerRequest)];
  };
  console.log(`\nMain phase: /infoview ${o.text} at ${o.rate}/s, ${o.seconds} s per app (ms from the intended send)\n`);
  console.log(table([header, ...[...main].map(([name, r]) => row(name, r))]));
  const best = (name: string) => Math.max(0, ...(search.get(name) ?? []).filter((s) => s.pass).map((s) => s.rate));
  const bare = main.get('bare');
  const verdicts: Record<string, unknown> = {};
  for (const name of ['infoview', 'candidate']) {
    const r = main.get(name);
    if (!r || !bare) continue;
    const cpu = r.appCpuMsPerRequest / bare.appCpuMsPerRequest;
    const open = r.open.p99 / bare.open.p99;
    const rate = best(name) / best('bare');
    verdicts[name] = { cpuRatio: cpu, openP99Ratio: open, rateRatio: rate };
    const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
    console.log(
      `${name} / bare: CPU per command ${cpu.toFixed(2)}× (≤ 1.2×: ${met(cpu <= 1.2)}), ` +
        `views.open p99 ${open.toFixed(2)}× (≤ 1.3×: ${met(open <= 1.3)})` +
        (search.size ? `, highest passing rate ${best(name)} / ${best('bare')}/s = ${rate.toFixed(2)}× (≥ 0.8×)` : ''),
    );
  }
  for (const [name, r] of main) if (r.errors > 0) console.log(`${name}: errors ${JSON.stringify(r.errorKinds)}`);
  const noisy = [...main.values()].filter((r) => r.otherCpuCores > 0.2);
  if (noisy.length) console.log(`WARNING: other processes used > 0.2 cores during ${noisy.map((r) => r.target)}`);
  for (const [name, steps] of search) {
    const rows = steps.map((s) => [...row(name, s.result), s.pass ? 'pass' : 'FAIL']);
    console.log(`\nRate search (${o['step-seconds']} s steps, p99 < ${o.limit} ms, no error): ${name}\n`);
    console.log(table([[...header, 'verdict'], ...rows]));
  }
  const searchOut = Object.fromEntries(search);
  log(`wrote ${writeResults('schedule', o, { main: Object.fromEntries(main), search: searchOut, verdicts })}`);
} finally {
  for (const target of targets.values()) target.agent.destroy();
  await Promise.all([...apps.values()].map((app) => app.stop()));
  await fake.stop();
  rmSync(tmp, { recursive: true, force: true });
}
