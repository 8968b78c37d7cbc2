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
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = '/tmp/sptls-apt.lock';
  // The first run on a fresh machine installs editors, JDKs and peers: say so as it happens
  // (the test runner passes a test file's stderr through at once), not minutes of silence.
  const started = Date.now();
  process.stderr.write(`sptls tests: installing ${pkg} for ${cmd} (apt-get, once per machine)...\n`);
  if (!aptUpdated) {
    spawnSync('flock', [lock, 'apt-get', 'update', '-qq'], { env, stdio: 'pipe', timeout: 300_000 });
    aptUpdated = true;
  }
  const r = spawnSync('flock', [lock, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', pkg], { env, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0 || !hasCommand(cmd)) {
    throw new Error(`could not install ${pkg} for ${cmd}: ${(r.stderr || r.stdout || '').slice(-2000)}`);
  }
  installed.add(pkg);
  process.stderr.write(`sptls tests: ${pkg} installed in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
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
