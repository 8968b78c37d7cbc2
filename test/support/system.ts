// Test helpers that bring in the real programs tests run against (openssl, Java,
// slapd, Neovim…): a fresh CI machine has none of what a developer installed by hand.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

const installed = new Set<string>();
let aptUpdated = false;

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes sure `cmd` exists, installing Debian `pkg` when it does not. Installs are
 * serialised through flock so parallel test files do not fight over dpkg's lock.
 * Throws with apt's output when the install fails: a test must not pass without its peer.
 */
export function ensureCommand(cmd: string, pkg: string): void {
  if (hasCommand(cmd) || installed.has(pkg)) return;
  const r = aptInstall(pkg);
  if (r.status !== 0 || !hasCommand(cmd)) {
    throw new Error(`could not install ${pkg} for ${cmd}: ${r.output}`);
  }
  installed.add(pkg);
}

/** apt-get install of one Debian package (after one apt-get update), serialised through flock. */
function aptInstall(pkg: string): { status: number | null; output: string } {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = '/tmp/sptls-apt.lock';
  // The first run on a fresh machine installs editors, JDKs and peers: say so as it happens
  // (the test runner passes a test file's stderr through at once), not minutes of silence.
  const started = Date.now();
  process.stderr.write(`sptls tests: installing ${pkg} (apt-get, once per machine)...\n`);
  if (!aptUpdated) {
    spawnSync('flock', [lock, 'apt-get', 'update', '-qq'], { env, stdio: 'pipe', timeout: 300_000 });
    aptUpdated = true;
  }
  const r = spawnSync('flock', [lock, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', pkg], { env, encoding: 'utf8', timeout: 600_000 });
  process.stderr.write(`sptls tests: ${pkg} ${r.status === 0 ? 'installed' : 'failed'} after ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return { status: r.status, output: (r.stderr || r.stdout || '').slice(-2000) };
}

/**
 * A python3 that can import `module`, installing Debian `pkg` when none can; returns its path.
 * Debian's packages go to /usr/bin/python3, which another python3 on PATH (pyenv) may hide.
 */
export function ensurePythonModule(module: string, pkg: string): string {
  const find = () => ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0);
  const found = find();
  if (found) return found;
  const r = aptInstall(pkg);
  const after = find();
  if (r.status !== 0 || !after) throw new Error(`could not install ${pkg} for python3's ${module}: ${r.output}`);
  return after;
}

/**
 * A TCP port that was free on 127.0.0.1 a moment ago, for a peer that must be told its port
 * (openssl, Java, slapd). It is drawn at random below Linux's ephemeral range (32768+), so
 * the ports the system hands to `listen(0)` and to outgoing connections in other tests can
 * never be the same; two callers meet only by chance (1 in 12,000).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canBind(port)) return port;
  }
  throw new Error('no free TCP port found between 20000 and 32000 on 127.0.0.1');
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
