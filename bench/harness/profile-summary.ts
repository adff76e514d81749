import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { table } from './stats.js';

/*
 * Summarises V8 .cpuprofile files written by `npm run bench -- --profile`: where the app's main thread spent its
 * time, by package/file (self time) and by function (self and total time).
 *
 *   npx tsx bench/harness/profile-summary.ts bench/results/profiles/<stamp>/infoview [--top 30] [--match text]
 *
 * A directory means its largest .cpuprofile (tsx's own wrapper process writes a small one too).
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function pickFile(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  const files = readdirSync(path)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(path, f))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (!files[0]) throw new Error(`no .cpuprofile in ${path}`);
  return files[0];
}

/** "node_modules/@slack/bolt/..." -> "@slack/bolt"; app files keep their path from the repo root; node: internals as is. */
function owner(url: string): string {
  if (url === '') return '(native/VM)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  if (url.startsWith('node:')) return url;
  const src = url.search(/\/(src|bench|migrations)\//);
  return src === -1 ? url : url.slice(src + 1);
}

const args = process.argv.slice(2);
const target = args.find((a) => !a.startsWith('--'));
if (!target) {
  console.error('usage: tsx bench/harness/profile-summary.ts <profile file or dir> [--top N] [--match text]');
  process.exit(1);
}
const top = Number(args[args.indexOf('--top') + 1] ?? 25) || 25;
const match = args.includes('--match') ? args[args.indexOf('--match') + 1] : undefined;
const file = pickFile(target);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const totalUs = profile.endTime - profile.startTime;
const idleUs = [...selfUs]
  .filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)')
  .reduce((a, [, us]) => a + us, 0);
const busyUs = totalUs - idleUs;

const key = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${owner(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const selfByOwner = new Map<string, number>();
const selfByFn = new Map<string, number>();
const totalByFn = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id);
  if (!node || node.callFrame.functionName === '(idle)') continue;
  const o = ['(garbage collector)', '(program)'].includes(node.callFrame.functionName)
    ? node.callFrame.functionName
    : owner(node.callFrame.url);
  selfByOwner.set(o, (selfByOwner.get(o) ?? 0) + us);
  selfByFn.set(key(node), (selfByFn.get(key(node)) ?? 0) + us);
  // Total time: credit each distinct function on the stack once.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const k = key(byId.get(cur) as ProfileNode);
    if (seen.has(k)) continue;
    seen.add(k);
    totalByFn.set(k, (totalByFn.get(k) ?? 0) + us);
  }
}

const pct = (us: number) => `${((us / busyUs) * 100).toFixed(1)}%`;
const msOf = (us: number) => (us / 1000).toFixed(0);
const rows = (m: Map<string, number>, filter?: string) =>
  [...m]
    .filter(([k]) => !filter || k.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => [k.length > 110 ? `${k.slice(0, 107)}...` : k, msOf(us), pct(us)]);

console.log(
  `${file}\nprofile ${msOf(totalUs)} ms, busy ${msOf(busyUs)} ms (${((busyUs / totalUs) * 100).toFixed(0)}%); percentages are of busy time\n`,
);
console.log(table([['self time by package / file', 'ms', 'share'], ...rows(selfByOwner)]), '\n');
console.log(table([['self time by function', 'ms', 'share'], ...rows(selfByFn, match)]), '\n');
console.log(table([['total (inclusive) time by function', 'ms', 'share'], ...rows(totalByFn, match)]));
