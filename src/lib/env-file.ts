import { existsSync } from 'node:fs';

/** Loads `.env` when present (Node's own parser); variables already set in the environment win. */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
