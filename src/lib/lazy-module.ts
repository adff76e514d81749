import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/**
 * A memory mechanism (docs/performance.md, "Lazy modules").
 * A package loaded on its first use rather than at start: for large ones that few requests need (natural-language
 * dates, calendar files), which would otherwise sit in every process's memory from the start, the reminder engine's
 * included.
 */
export function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= requireHere(name) as T;
    return loaded;
  };
}
