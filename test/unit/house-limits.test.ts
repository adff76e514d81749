import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, sourceFiles } from '../support/source-files.js';

function lines(path: string): string[] {
  return readFileSync(join(root, path), 'utf8').split('\n');
}

// The limits that keep the house one a newcomer can find their way in (docs/architecture.md).
describe('the shape of src/', () => {
  it('has no file over 450 lines', () => {
    const long = sourceFiles('src')
      .map((file) => ({ file, length: lines(file).length }))
      .filter(({ length }) => length > 450);
    expect(long).toEqual([]);
  });

  it('has no folder with more than 15 source files side by side', () => {
    const perFolder = new Map<string, number>();
    for (const file of sourceFiles('src')) {
      const folder = file.slice(0, file.lastIndexOf('/'));
      perFolder.set(folder, (perFolder.get(folder) ?? 0) + 1);
    }
    expect([...perFolder].filter(([, count]) => count > 15)).toEqual([]);
  });

  it('casts through unknown at most twice, each with a comment on the line above saying why', () => {
    const casts = sourceFiles('src').flatMap((file) =>
      lines(file).flatMap((line, index, all) =>
        line.includes('as unknown as') ? [{ file, line: index + 1, why: /\/\/|\*/.test(all[index - 1] ?? '') }] : [],
      ),
    );
    expect(casts.length).toBeLessThanOrEqual(2);
    expect(casts.filter((cast) => !cast.why)).toEqual([]);
  });
});
