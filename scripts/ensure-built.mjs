// Runs before `npm start` (after ensure-installed): builds dist/ when it is missing or older than any source file,
// migration, tsconfig or the lock file, so a fresh clone (or a `git pull`) starts what its sources say. In production,
// where dist/ was built at deploy time, it only compares dates.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const stamp = 'dist/.built';

function newest(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const builtAt = existsSync(stamp) && existsSync('dist/main.js') ? statSync(stamp).mtimeMs : -1;
const sources = Math.max(
  ...['src', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map(newest),
);
if (builtAt < sources) {
  console.error('infoview: building (npm run build)...');
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
