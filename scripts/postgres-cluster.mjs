// A throwaway PostgreSQL server for the tests and benchmarks: a new cluster in a temporary folder, on a free loopback
// port, removed when stopped (or when this process exits). Uses the machine's PostgreSQL server binaries (Debian's
// postgresql package), installing the package when they are missing and this runs as root. Plain Node, no dependencies.
//
//   node scripts/postgres-cluster.mjs     starts one and prints its DATABASE_URL until Ctrl-C (to try the app on it)
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The folder holding initdb and postgres: $PG_BIN, Debian's newest /usr/lib/postgresql/N/bin, or the PATH. */
function serverBinaries() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((name) => existsSync(join(debian, name, 'bin', 'postgres')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(debian, versions[0], 'bin');
  }
  try {
    const initdb = execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim();
    if (initdb) return initdb.replace(/\/initdb$/, '');
  } catch {}
  return null;
}

function installServer() {
  if (process.getuid?.() !== 0) throw new Error('PostgreSQL server binaries not found; install the postgresql package');
  console.error('postgres-cluster: installing the postgresql package (apt-get)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-q', 'postgresql'], { stdio: 'inherit', env });
}

/** initdb and postgres refuse to run as root: as root, they run as the `postgres` user the package made. */
function runAs() {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a cluster. `settings` are extra `postgres -c` settings (the tests turn fsync off; benchmarks keep the
 * defaults). The C locale makes text sort by bytes, as SQLite's does. Resolves to { url, adminUrl, port, pid (the
 * postmaster's), stop() }.
 */
export async function startPostgresCluster({ settings = {}, database = 'infoview' } = {}) {
  let bin = serverBinaries();
  if (bin === null) {
    installServer();
    bin = serverBinaries();
    if (bin === null) throw new Error('PostgreSQL server binaries not found after installing the package');
  }
  const owner = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'infoview-pg-'));
  if (owner.uid !== undefined) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const user = 'infoview';
  execFileSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', user, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-instructions'],
    { ...owner, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const port = await freePort();
  const args = ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1'];
  for (const [name, value] of Object.entries({ max_connections: 400, ...settings }))
    args.push('-c', `${name}=${value}`);
  const server = spawn(join(bin, 'postgres'), args, { ...owner, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const removeOnExit = () => {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', removeOnExit);
  await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      log += chunk;
      if (log.includes('ready to accept connections')) {
        server.stderr.off('data', onData);
        server.stderr.resume();
        resolve();
      }
    };
    server.stderr.setEncoding('utf8');
    server.stderr.on('data', onData);
    server.once('exit', (code) => reject(new Error(`postgres exited (${code}) before it was ready:\n${log}`)));
  });
  const adminUrl = `postgres://${user}@127.0.0.1:${port}/postgres`;
  execFileSync(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, database], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stopped = null;
  return {
    url: `postgres://${user}@127.0.0.1:${port}/${database}`,
    adminUrl,
    port,
    pid: server.pid,
    bin,
    /** Fast shutdown (open connections are closed), then the folder is removed. */
    stop() {
      stopped ??= new Promise((resolve) => {
        process.off('exit', removeOnExit);
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (server.exitCode !== null || server.signalCode !== null) return done();
        server.once('exit', done);
        server.kill('SIGINT');
      });
      return stopped;
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const cluster = await startPostgresCluster();
  console.log(`DATABASE_URL=${cluster.url}`);
  console.error('postgres-cluster: running; Ctrl-C stops it and removes its data');
  const stop = () => cluster.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
