import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gitTree, machineInfo, ROOT } from './machine.js';

/** One option: its default (a number, a string, or false for a flag) and what it does. */
export type OptionTable = Record<string, readonly [number | string | boolean, string]>;
type Values<T extends OptionTable> = {
  [K in keyof T]: T[K][0] extends number ? number : T[K][0] extends boolean ? boolean : string;
};

/**
 * The options of a scenario, from one table: `--name value` (or `--name` for a flag, `--no-name` to turn one off),
 * each also read from BENCH_<NAME>; `--help` prints the table. Keys are written as the flags are (`'wait-quiet'`).
 */
export function readOptions<T extends OptionTable>(usage: string, table: T, argv = process.argv.slice(2)): Values<T> {
  const values: Record<string, number | string | boolean> = {};
  for (const [name, [fallback]] of Object.entries(table)) {
    const env = process.env[`BENCH_${name.toUpperCase().replaceAll('-', '_')}`];
    values[name] =
      env === undefined
        ? fallback
        : typeof fallback === 'number'
          ? Number(env)
          : typeof fallback === 'boolean'
            ? ['1', 'true'].includes(env)
            : env;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help') {
      const width = Math.max(...Object.keys(table).map((n) => n.length)) + 4;
      console.log(
        `${usage}\n\n${Object.entries(table)
          .map(([n, [d, help]]) => `  --${n.padEnd(width)}${help}${d === false ? '' : ` (${d})`}`)
          .join('\n')}\n  --help`,
      );
      process.exit(0);
    }
    const name = arg.replace(/^--(no-)?/, '');
    const entry = table[name];
    if (!arg.startsWith('--') || entry === undefined) throw new Error(`unknown option ${arg} (--help lists them)`);
    if (typeof entry[0] === 'boolean') values[name] = !arg.startsWith('--no-');
    else {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      values[name] = typeof entry[0] === 'number' ? Number(value) : value;
    }
    if (Number.isNaN(values[name])) throw new Error(`${arg} must be a number`);
  }
  return values as Values<T>;
}

/** Writes a run's results to bench/results/<name>-<time>.json (git-ignored), with the machine and the commit. */
export function writeResults(name: string, options: object, results: object): string {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  const file = join(dir, `${name}-${stamp}.json`);
  const json = {
    benchmark: name,
    machine: machineInfo(),
    tree: gitTree(),
    argv: process.argv.slice(2),
    options,
    results,
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`results: ${relative(ROOT, file)}`);
  return relative(ROOT, file);
}
