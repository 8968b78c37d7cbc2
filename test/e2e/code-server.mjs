// Starts and stops one code-server for the end-to-end runs: loopback only, no auth,
// no gallery, telemetry or update traffic, every state folder (XDG_*, TMPDIR, user
// data, extensions) under one throw-away directory. It runs in its own process group
// so stopping it also ends the file watcher and extension hosts it forked.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { codeServerBin, node24 } from './setup.mjs';

/** The last lines of a log file, for failure messages. */
export function logTail(file, lines = 60) {
  if (!existsSync(file)) return `(${file} does not exist)`;
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The environment of code-server and its CLI: nothing reaches the home directory or the network. */
export function codeServerEnv(stateDir, extra = {}) {
  const env = { ...process.env, ...extra };
  for (const [name, dir] of [['XDG_CONFIG_HOME', 'xdg-config'], ['XDG_DATA_HOME', 'xdg-data'], ['XDG_CACHE_HOME', 'xdg-cache'], ['TMPDIR', 'tmp']]) {
    env[name] = join(stateDir, dir);
    mkdirSync(env[name], { recursive: true });
  }
  // An empty gallery: neither the server nor the workbench asks Open VSX for anything.
  env.EXTENSIONS_GALLERY = '{}';
  return env;
}

/** `code-server --install-extension FILE.vsix`; throws with its output when it fails. */
export function installExtension(stateDir, vsix, extensionsDir) {
  const r = spawnSync(node24, [codeServerBin, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], {
    env: codeServerEnv(stateDir), encoding: 'utf8', timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return `${r.stdout}${r.stderr}`.trim();
}

const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'editor.hover.delay': 200,
  'git.enabled': false,
};

/**
 * Starts code-server on 127.0.0.1:port and waits for /healthz. On a start failure or
 * after `timeoutMs` it stops what it started and throws with the log's tail.
 */
export async function startCodeServer({ stateDir, extensionsDir, port, untrusted = false, env: extraEnv = {}, timeoutMs = 30_000 }) {
  const userDataDir = join(stateDir, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  // Untrusted: workspace trust on and never asked for, so the folder opens in Restricted Mode.
  const trust = untrusted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false } : {};
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...trust }, null, 2));
  const config = join(stateDir, 'config.yaml');
  writeFileSync(config, [
    `bind-addr: 127.0.0.1:${port}`, 'auth: none', 'cert: false', 'disable-telemetry: true', 'disable-update-check: true',
    ...(untrusted ? [] : ['disable-workspace-trust: true']), 'disable-getting-started-override: true', '',
  ].join('\n'));
  const logFile = join(stateDir, 'code-server.log');
  const out = openSync(logFile, 'a');
  // The smoke-test driver makes the built workbench honour the `payload` that names the
  // extension tests to run; without it nothing runs and the page just waits.
  const child = spawn(node24, [codeServerBin, '--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--vscode-option', 'enable-smoke-test-driver'], { env: codeServerEnv(stateDir, extraEnv), stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const server = {
    port,
    url: `http://127.0.0.1:${port}`,
    logFile,
    /** Ends code-server's whole process group: TERM, then KILL for whatever is left. */
    async stop() {
      if (!child.pid) return;
      for (const signal of ['SIGTERM', 'SIGKILL']) {
        try { process.kill(-child.pid, signal); } catch { return; }
        for (let i = 0; i < 10 && groupAlive(child.pid); i++) await sleep(100);
        if (!groupAlive(child.pid)) return;
      }
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      const r = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return server;
    } catch { /* not listening yet */ }
    await sleep(200);
  }
  await server.stop();
  const why = exited ? `exited (code ${exited.code}, signal ${exited.signal})` : `did not answer /healthz within ${timeoutMs / 1000} s`;
  throw new Error(`code-server ${why}; ${logFile} ends with:\n${logTail(logFile)}`);
}

function groupAlive(pgid) {
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
