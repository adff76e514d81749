import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, sourceFiles } from '../support/source-files.js';

function importsOf(path: string): string[] {
  const text = readFileSync(join(root, path), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] as string);
}

// STYLE.md's direction of dependencies, checked so it stays true as the code grows.
describe('layering', () => {
  it('domain/ never imports Slack, node-cron, or the process environment', () => {
    for (const file of sourceFiles('src/domain')) {
      expect(
        importsOf(file).filter((spec) => /^@slack\/|^node-cron$|\/slack\/|\/scheduler\//.test(spec)),
        file,
      ).toEqual([]);
      const text = readFileSync(join(root, file), 'utf8');
      expect(text, file).not.toMatch(/process\.env|new Date\(\)|Date\.now\(\)/);
    }
  });

  it('engine/ uses domain/ and db/ but never Slack, node-cron or the process environment', () => {
    for (const file of sourceFiles('src/engine')) {
      expect(
        importsOf(file).filter((spec) =>
          /^@slack\/|^node-cron$|\/slack\/|\/scheduler\/|\/cli\/|infoview\.js$/.test(spec),
        ),
        file,
      ).toEqual([]);
      const text = readFileSync(join(root, file), 'utf8');
      expect(text, file).not.toMatch(/process\.env|new Date\(\)|Date\.now\(\)/);
    }
  });

  it('domain/ and db/ never import the engine (it is built on them)', () => {
    for (const file of [...sourceFiles('src/domain'), ...sourceFiles('src/db')]) {
      expect(
        importsOf(file).filter((spec) => /\/engine\//.test(spec)),
        file,
      ).toEqual([]);
    }
  });

  it('slack/ui/ does no I/O and reads no clock', () => {
    for (const file of sourceFiles('src/slack/ui')) {
      expect(
        importsOf(file).filter((spec) => /\/db\/|@slack\/(bolt|web-api)|^node:/.test(spec)),
        file,
      ).toEqual([]);
      expect(readFileSync(join(root, file), 'utf8'), file).not.toMatch(/new Date\(\)|Date\.now\(\)/);
    }
  });

  it('only config.ts reads process.env, and only main.ts, the CLIs and the env-file helper touch the process', () => {
    const readers = sourceFiles('src').filter((file) => /process\.env/.test(readFileSync(join(root, file), 'utf8')));
    expect(readers.map((file) => relative('src', file)).sort()).toEqual([
      'cli/reminders-cli.ts',
      'cli/tokens-cli.ts',
      'db/migrate-cli.ts',
      'main.ts',
    ]);
    // All hand process.env to config.ts and read nothing from it themselves.
    for (const file of readers)
      expect(readFileSync(join(root, file), 'utf8'), file).not.toMatch(/process\.env\.[A-Z_]/);
  });

  it('migrations never import application code', () => {
    for (const file of sourceFiles('migrations')) {
      expect(
        importsOf(file).filter((spec) => spec.includes('src/')),
        file,
      ).toEqual([]);
    }
  });

  it('listeners do not write SQL', () => {
    for (const file of sourceFiles('src/slack/listeners')) {
      expect(readFileSync(join(root, file), 'utf8'), file).not.toMatch(
        /selectFrom|insertInto|updateTable|deleteFrom|sql`/,
      );
    }
  });

  it('has no import cycles in src/ (type-only imports count too: they tie the modules together as much)', () => {
    const files = new Set(sourceFiles('src'));
    const edges = new Map<string, string[]>();
    for (const file of files) {
      const local = importsOf(file).filter((spec) => spec.startsWith('.'));
      edges.set(
        file,
        local
          .map((spec) => normalize(join(dirname(file), spec.replace(/\.js$/, '.ts'))))
          .filter((target) => files.has(target)),
      );
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      state.set(file, 'open');
      for (const next of edges.get(file) ?? []) {
        if (state.get(next) === 'open')
          cycles.push([...path.slice(path.indexOf(next)), next].map((f) => relative('src', f)).join(' -> '));
        else if (!state.has(next)) visit(next, [...path, next]);
      }
      state.set(file, 'done');
    };
    for (const file of [...files].sort()) if (!state.has(file)) visit(file, [file]);
    expect(cycles).toEqual([]);
  });
});
