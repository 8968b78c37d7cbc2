// Runs the extension end to end in a real VS Code: code-server 4.139.1 (VS Code's
// server and web workbench) driven by Debian chromium through playwright-core.
//   1. set-up (first time: installs into .cache/e2e/tools; later runs reuse it)
//   2. `npm run package` in a clean copy of the project, then the VSIX is installed
//      with `code-server --install-extension` (so the package itself must be complete)
//   3. the mocha suite (test/e2e/suite) in the extension host, through the payload
//      URL the smoke-test driver honours; its exit code and results file decide
//   4. the UI checks (test/e2e/ui.mjs) in a fresh browser profile
// Exit 0 only when the suite reported a positive number of passes and no failures and
// every UI check passed. Everything started is stopped on every path (process group).
// Usage: node test/e2e/run-code-server.mjs [--no-ui] [--grep TEXT]
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { format } from 'node:util';
import { freePort, installExtension, logTail, startCodeServer } from './code-server.mjs';
import { buildSuite, makeWorkspace, packageVsix, readResults, suiteEnv } from './harness.mjs';
import { cacheDir, chromium, ensureSetup, playwrightCore, root } from './setup.mjs';
import { runUiChecks } from './ui.mjs';

/** The whole run after set-up may take this long; then everything is stopped and the run fails. */
const RUN_TIMEOUT_MS = 6 * 60_000;
/** From opening the payload URL to the suite's exit code (SPTLS_E2E_SUITE_TIMEOUT_S overrides, for slow machines). */
const SUITE_TIMEOUT_MS = Number(process.env.SPTLS_E2E_SUITE_TIMEOUT_S ?? 240) * 1000;
/** Workbench chatter that says nothing about the suite. */
const QUIET = /^Ignoring fetching additional builtin extensions|^Updating additional builtin extensions cache|^Creating a socket|^Resolv(ing|ed) connection token/;
const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const stateDir = join(cacheDir, 'run');
const outputDir = join(root, 'test-output', 'e2e');
const started = Date.now();
const cleanups = [];
const secs = (since) => ((Date.now() - since) / 1000).toFixed(1);
const say = (line) => console.log(`[e2e ${secs(started)}s] ${line}`);

async function cleanup() {
  const all = cleanups.splice(0);
  await Promise.all(all.map(async (stop) => {
    try { await stop(); } catch (e) { console.error(`e2e cleanup: ${e instanceof Error ? e.message : e}`); }
  }));
}

async function fail(message) {
  console.error(`e2e: FAIL: ${message}`);
  await cleanup();
  process.exit(1);
}

async function launchBrowser(profile) {
  const { chromium: pw } = createRequire(import.meta.url)(playwrightCore);
  const context = await pw.launchPersistentContext(join(stateDir, profile), {
    executablePath: chromium,
    headless: true,
    args: BROWSER_ARGS,
    viewport: { width: 1400, height: 1300 },
    // crashpad writes under XDG_CONFIG_HOME even with a profile directory
    env: { ...process.env, XDG_CONFIG_HOME: join(stateDir, 'chromium-xdg') },
  });
  cleanups.push(() => context.close());
  return context;
}

/** Opens the payload URL and resolves with the exit code the workbench reports when the suite ends. */
async function runSuite({ name, server, resultsFile }, workspace, extensionFolder, suiteFile) {
  const context = await launchBrowser(join(name, 'profile-suite'));
  const page = context.pages()[0] ?? await context.newPage();
  let resolveExit;
  const exited = new Promise((resolve) => { resolveExit = resolve; });
  // Both must be exposed before the page loads: the workbench looks them up once.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    // mocha's reporter logs console.log-style (format string first)
    const text = Array.isArray(args) ? format(...args) : String(args);
    if (!QUIET.test(text)) console.log(`  ${name}| ${type === 'error' ? '[host error] ' : ''}${text}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = JSON.stringify([['extensionDevelopmentPath', remote(extensionFolder)], ['extensionTestsPath', remote(suiteFile)]]);
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS); });
  const code = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (code === 'timeout') {
    await page.screenshot({ path: join(outputDir, `${name}-suite-timeout.png`) }).catch(() => {});
    throw new Error(`the extension tests reported no exit code within ${SUITE_TIMEOUT_MS / 1000} s; ${server.logFile} ends with:\n${logTail(server.logFile)}`);
  }
  return { code, results: readResults(resultsFile, code) };
}

/** One run at a time owns .cache/e2e/run; a second one fails at once instead of wiping it. */
function lockRunDir() {
  const lock = join(cacheDir, 'run.lock');
  mkdirSync(cacheDir, { recursive: true });
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(readFileSync(lock, 'utf8'));
    let alive = false;
    try { process.kill(holder, 0); alive = holder !== process.pid; } catch { /* gone */ }
    if (alive) throw new Error(`another e2e run (pid ${holder}) is using ${stateDir}; wait for it or end it`);
    writeFileSync(lock, String(process.pid));
  }
  process.on('exit', () => rmSync(lock, { force: true }));
}

async function main() {
  lockRunDir();
  const setupStarted = Date.now();
  try {
    const setup = ensureSetup();
    say(`set-up ${setup.reused ? 'reused' : 'installed'} in ${setup.seconds.toFixed(1)} s`);
  } catch (e) {
    return fail(`the set-up failed after ${secs(setupStarted)} s:\n${e instanceof Error ? e.message : e}`);
  }
  const runStarted = Date.now();
  const watchdog = setTimeout(() => { void fail(`the run took longer than ${RUN_TIMEOUT_MS / 1000} s`); }, RUN_TIMEOUT_MS);
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(outputDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  mkdirSync(outputDir, { recursive: true });

  const { vsix, id, version } = packageVsix(stateDir);
  say(`packaged ${vsix}`);
  const suiteFile = buildSuite();
  const extensionsDir = join(stateDir, 'extensions');
  installExtension(stateDir, vsix, extensionsDir);
  const extensionFolder = join(extensionsDir, `${id}-${version}`);
  if (!existsSync(join(extensionFolder, 'package.json'))) throw new Error(`the VSIX did not install to ${extensionFolder} (found: ${readdirSync(extensionsDir).join(', ')})`);
  say(`installed ${id}@${version} from the VSIX into ${extensionsDir}`);
  // Two code-servers side by side (trusted, untrusted), each with its own workspace and
  // browser. The UI checks use the trusted one, in a window of their own, once the shorter
  // untrusted suite has finished, so the two cores are never asked for three workbenches.
  // `--grep TEXT` runs only the matching tests, in the trusted workbench.
  const grep = grepArg();
  const [trusted, untrusted] = await Promise.all([
    startPhase('trusted', false, grep ?? '@untrusted', grep === undefined),
    grep === undefined ? startPhase('untrusted', true, '@untrusted', false) : null,
  ]);
  const outcomes = await Promise.all([
    runPhaseSuite(trusted, extensionFolder, suiteFile),
    (async () => {
      const untrustedOk = !untrusted || await runPhaseSuite(untrusted, extensionFolder, suiteFile);
      return untrustedOk && (process.argv.includes('--no-ui') || await runUi(trusted));
    })(),
  ]);
  const ok = outcomes.every(Boolean);
  await cleanup();
  clearTimeout(watchdog);
  say(`run after set-up: ${secs(runStarted)} s; total ${secs(started)} s`);
  console.log(ok ? 'e2e: PASS' : 'e2e: FAIL');
  process.exit(ok ? 0 : 1);

  /** A code-server whose suite run is filtered by mocha's grep (inverted: all but the matches). */
  async function startPhase(name, untrustedWorkspace, grepText, invert) {
    const dir = join(stateDir, name);
    const resultsFile = join(dir, 'suite-results.json');
    const server = await startCodeServer({
      stateDir: dir,
      extensionsDir,
      port: await freePort(),
      untrusted: untrustedWorkspace,
      env: suiteEnv({ resultsFile, extensionsDir, grep: grepText, invert }),
    });
    cleanups.push(() => server.stop());
    say(`${name}: code-server listening on ${server.url}`);
    return { name, dir, server, resultsFile };
  }
}

/** The suite in one phase's extension host; true when it reported passes and no failure. */
async function runPhaseSuite(phase, extensionFolder, suiteFile) {
  const suiteStarted = Date.now();
  const workspace = makeWorkspace(join(phase.dir, 'suite-workspace'));
  const { code, results } = await runSuite(phase, workspace, extensionFolder, suiteFile);
  say(`${phase.name}: suite exit ${code}, ${results.passes} passing, ${results.failures} failing, ${results.pending} pending (${secs(suiteStarted)} s)`);
  for (const f of results.failed) console.error(`  ${phase.name}| failed: ${f}`);
  if (results.passes === 0) console.error(`e2e: the ${phase.name} suite reported no passing test`);
  const { ok } = results;
  if (!ok) console.error(`e2e: ${phase.name}: code-server log ${phase.server.logFile} ends with:\n${logTail(phase.server.logFile, 30)}`);
  return ok;
}

async function runUi(phase) {
  const uiStarted = Date.now();
  const context = await launchBrowser(join(phase.name, 'profile-ui'));
  const workspace = makeWorkspace(join(phase.dir, 'ui-workspace'));
  const checks = await runUiChecks({ context, server: phase.server, workspace, outputDir, repoRoot: root, log: say });
  const failed = checks.filter((c) => !c.ok);
  for (const c of checks) console.log(`  ui ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `: ${c.error}`}`);
  say(`ui: ${checks.length - failed.length} passed, ${failed.length} failed (${secs(uiStarted)} s); screenshots in ${outputDir}`);
  const ok = failed.length === 0 && checks.length > 0;
  if (!ok) console.error(`e2e: ui: code-server log ${phase.server.logFile} ends with:\n${logTail(phase.server.logFile, 30)}`);
  return ok;
}

function grepArg() {
  const i = process.argv.indexOf('--grep');
  return i > 0 ? process.argv[i + 1] ?? '' : undefined;
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { void fail(`stopped by ${signal}`); });
main().catch((e) => fail(e instanceof Error ? e.stack ?? e.message : String(e)));
