import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppProcess, freePort, startProductionApp } from './harness/children.js';
import { FakeWebApi } from './harness/fake-web-api.js';
import { ROOT, waitQuiet } from './harness/machine.js';
import { appEnv, compareTargets, highestPassingRate, LoadTarget, STEP_HEADER, stepRow } from './harness/open-loop.js';
import { readOptions, writeResults } from './harness/options.js';
import { table, verdict } from './harness/stats.js';

// `npm run bench`: `/infoview schedule` against a bare Bolt app, open loop, in one run (bench/README.md). This process
// sends the load and plays Slack's Web API (one clock); each app runs in its own process on loopback.

const o = readOptions('npm run bench -- [options]', {
  rate: [100, 'main-phase rate, commands/s'],
  seconds: [20, 'measured seconds per app in the main phase'],
  rounds: [4, 'main phase split into rounds, the order of the apps rotating'],
  warmup: [5, 'seconds of warm-up per app, not measured'],
  candidate: ['', 'another checkout run beside infoview as app "candidate" (A/B in one run)'],
  search: [true, 'the rate search (--no-search: the main phase only)'],
  'wait-quiet': [30, 'at the start, wait up to N s for other processes to use ≤ 0.2 cores'],
});

const quiet = await waitQuiet(o['wait-quiet']);
if (!quiet.quiet) console.log(`other processes use ${quiet.otherCores.toFixed(2)} cores: the figures carry that noise`);
const fake = await FakeWebApi.start();
const tmp = mkdtempSync(join(tmpdir(), 'infoview-bench-'));
const targets: LoadTarget[] = [];
try {
  const env = (name: string) => ({ ...appEnv(fake), DATABASE_URL: join(tmp, `${name}.sqlite`) });
  targets.push(new LoadTarget('infoview', [await startProductionApp(env('infoview'))]));
  if (o.candidate)
    targets.push(new LoadTarget('candidate', [await startProductionApp(env('c'), 'start', resolve(o.candidate))]));
  const port = await freePort();
  const bare = await AppProcess.start({
    name: 'bare',
    args: ['--import', 'tsx', 'bench/harness/bare-app.ts'],
    cwd: ROOT,
    env: { ...env('bare'), PATH: process.env.PATH ?? '', PORT: String(port) },
    port,
    readyPath: '/',
    readyStatus: (status) => status > 0,
  });
  targets.push(new LoadTarget('bare', [bare]));

  console.log(`main phase: ${o.rate}/s, ${o.seconds} s per app in ${o.rounds} rounds`);
  const main = await compareTargets(targets, { fake, ...o });
  const best = new Map<string, number>();
  for (const target of o.search ? targets : []) best.set(target.name, await highestPassingRate(target, { fake }));

  console.log(`\n/infoview schedule at ${o.rate}/s (ms from the intended send)\n`);
  console.log(
    table([
      [...STEP_HEADER, 'highest rate'],
      ...[...main.values()].map((r) => [...stepRow(r), String(best.get(r.target) ?? '-')]),
    ]),
  );
  const b = main.get('bare');
  const verdicts: Record<string, object> = {};
  for (const name of ['infoview', 'candidate']) {
    const r = main.get(name);
    if (!r || !b) continue;
    const cpu = r.appCpuMsPerRequest / b.appCpuMsPerRequest;
    const open = r.open.p99 / b.open.p99;
    const rate = (best.get(name) ?? Number.NaN) / (best.get('bare') ?? Number.NaN);
    verdicts[name] = { cpuRatio: cpu, openP99Ratio: open, rateRatio: rate };
    console.log(
      `${name} / bare: CPU per command ${cpu.toFixed(2)}× (≤ 1.2×: ${verdict(cpu <= 1.2)}), views.open p99 ${open.toFixed(2)}× (≤ 1.3×: ${verdict(open <= 1.3)})` +
        (o.search ? `, highest passing rate ${rate.toFixed(2)}× (≥ 0.8×: ${verdict(rate >= 0.8)})` : ''),
    );
  }
  for (const r of main.values()) if (r.errors > 0) console.log(`${r.target}: errors ${JSON.stringify(r.errorKinds)}`);
  for (const r of main.values())
    if (r.otherCpuCores > 0.2) console.log(`WARNING: others used > 0.2 cores (${r.target})`);
  writeResults('schedule', o, { main: Object.fromEntries(main), highestRate: Object.fromEntries(best), verdicts });
} finally {
  for (const target of targets) target.agent.destroy();
  await Promise.all(targets.flatMap((t) => t.apps.map((app) => app.stop())));
  await fake.stop();
  rmSync(tmp, { recursive: true, force: true });
}
