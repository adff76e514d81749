// Runs before `npm test`: the install pages are checked in a real headless browser (playwright-core driving Debian's
// chromium package; browser downloads do not work here). Installs the package when it is missing and this runs as
// root; otherwise says how. Plain Node, no dependencies.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(path)) {
  if (process.getuid?.() === 0) {
    console.error('infoview: installing the chromium package for the browser tests (apt-get)...');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env });
  } else {
    console.error(
      `infoview: no Chromium at ${path}: install the chromium package (or set CHROMIUM_PATH) for the browser tests`,
    );
    process.exit(1);
  }
}
