import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { productionCommand, productionNodeArgs } from '../../bench/harness/children.js';

// The production command is written in two places people read (`npm start`, the README's deploy steps) and run by
// every benchmark that measures the app: a flag there (V8's heap sizes, source maps) changes the memory and CPU
// issues 13 and 14 measure, so all three must say the same.

const ROOT = new URL('../..', import.meta.url).pathname;

describe('the production command', () => {
  it('is npm start without the build check (node --max-old-space-size=512 dist/main.js), and the README deploys the same', () => {
    const args = productionNodeArgs(ROOT);
    // The cap makes V8 grow its old generation by about 1.4× what survives a full collection instead of 4×: 10,000
    // OAuth workspaces in 190 MB instead of 337 (docs/performance.md, "V8's heap growth in the web process").
    expect(args).toEqual(['--max-old-space-size=512', 'dist/main.js']);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const deploy = readme.slice(readme.indexOf('### Running it in production'));
    expect(deploy).toContain(`\nnode ${args.join(' ')} `);
  });

  it('runs the web and engine processes as the README deploys them, the same build with a role each', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const deploy = readme.slice(readme.indexOf('### Running it in production'));
    for (const [script, role] of [
      ['start:web', 'web'],
      ['start:engine', 'engine'],
    ] as const) {
      const { env, args } = productionCommand(ROOT, script);
      expect(env).toEqual({ INFOVIEW_ROLE: role });
      // The web process serves what `npm start` serves, with the same heap.
      if (role === 'web') expect(args).toEqual(productionNodeArgs(ROOT));
      expect(args.at(-1)).toBe('dist/main.js');
      expect(deploy).toContain(`\nINFOVIEW_ROLE=${role} node ${args.join(' ')} `);
    }
  });

  it('refuses a start script of another shape rather than benchmarking something else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infoview-start-'));
    for (const start of [
      'tsx src/main.ts',
      'node dist/main.js --port 3000',
      'ROLE=x tsx src/main.ts',
      'x=1 node dist/main.js',
    ]) {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start } }));
      expect(() => productionNodeArgs(dir)).toThrow(/is not "\[NAME=value …\] node \[--flags\] dist\/main.js"/);
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'node --a --b=1 dist/main.js' } }));
    expect(productionNodeArgs(dir)).toEqual(['--a', '--b=1', 'dist/main.js']);
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ scripts: { engine: 'INFOVIEW_ROLE=engine LOG_LEVEL=warn node --a dist/main.js' } }),
    );
    expect(productionCommand(dir, 'engine')).toEqual({
      env: { INFOVIEW_ROLE: 'engine', LOG_LEVEL: 'warn' },
      args: ['--a', 'dist/main.js'],
    });
  });
});
