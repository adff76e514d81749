import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root folder. */
export const root = new URL('../../', import.meta.url).pathname;

/** Every `.ts` file under `dir` (relative to the root), recursively. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** A file's text, by its path relative to the root. */
export function sourceText(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}
