// Runs before `npm test`: the calendar feed is checked by a real calendar program subscribing to it (Debian's
// vdirsyncer, whose read-only `http` storage subscribes to an .ics address). Installs the package when it is missing
// and this runs as root; otherwise says how. Plain Node, no dependencies.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.VDIRSYNCER_PATH || '/usr/bin/vdirsyncer';
if (!existsSync(path)) {
  if (process.getuid?.() === 0) {
    console.error('infoview: installing the vdirsyncer package for the calendar feed test (apt-get)...');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-q', 'vdirsyncer'], { stdio: 'inherit', env });
  } else {
    console.error(
      `infoview: no vdirsyncer at ${path}: install the vdirsyncer package (or set VDIRSYNCER_PATH) for the calendar feed test`,
    );
    process.exit(1);
  }
}
