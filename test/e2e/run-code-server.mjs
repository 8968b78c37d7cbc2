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
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { format } from 'node:util';
import { freePort, installExtension, logTail, startCodeServer } from './code-server.mjs';
import { cacheDir, chromium, ensureSetup, playwrightCore, root } from './setup.mjs';
import { runUiChecks } from './ui.mjs';

/** The whole run after set-up may take this long; then everything is stopped and the run fails. */
const RUN_TIMEOUT_MS = 6 * 60_000;
/** From opening the payload URL to the suite's exit code. */
const SUITE_TIMEOUT_MS = 4 * 60_000;
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
  while (cleanups.length) {
    try { await cleanups.pop()(); } catch (e) { console.error(`e2e cleanup: ${e instanceof Error ? e.message : e}`); }
  }
}

async function fail(message) {
  console.error(`e2e: FAIL: ${message}`);
  await cleanup();
  process.exit(1);
}

function run(what, cmd, args, options) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 300_000, ...options });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal ?? r.error?.message}):\n${`${r.stdout ?? ''}${r.stderr ?? ''}`.slice(-4000)}`);
  return r.stdout;
}

/** `npm run package` in a copy of the project, so the repository's dist/ is not rewritten under concurrent tests. */
function packageVsix() {
  const stage = join(stateDir, 'package');
  for (const item of ['package.json', 'README.md', 'LICENSE', '.vscodeignore', 'language-configuration.json', 'syntaxes', 'images', 'scripts', 'grammar', 'server', 'client', 'bin']) {
    if (existsSync(join(root, item))) cpSync(join(root, item), join(stage, item), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'));
  run('npm run package', 'npm', ['run', '--silent', 'package'], { cwd: stage });
  const { name, version, publisher } = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8'));
  return { vsix: join(stage, `${name}-${version}.vsix`), id: `${publisher}.${name}`, version };
}

/** The folder the workbench opens: the examples and the formatter fixtures, in a throw-away copy. */
function makeWorkspace(dir) {
  const workspace = join(dir, 'workspace');
  cpSync(join(root, 'examples'), workspace, { recursive: true, filter: (src) => !src.startsWith(join(root, 'examples', 'pki')) });
  cpSync(join(root, 'test', 'lsp', 'fixtures', 'format'), workspace, { recursive: true });
  return workspace;
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
async function runSuite(server, workspace, extensionFolder, suiteFile, resultsFile, name) {
  const context = await launchBrowser(join(name, 'profile-suite'));
  const page = context.pages()[0] ?? await context.newPage();
  let resolveExit;
  const exited = new Promise((resolve) => { resolveExit = resolve; });
  // Both must be exposed before the page loads: the workbench looks them up once.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    // mocha's reporter logs console.log-style (format string first)
    const text = Array.isArray(args) ? format(...args) : String(args);
    if (!QUIET.test(text)) console.log(`  ${type === 'error' ? '[host error] ' : ''}${text}`);
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
  if (!existsSync(resultsFile)) throw new Error(`the suite exited with ${code} but wrote no results file (${resultsFile}): it did not run`);
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  return { code, results };
}

async function main() {
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

  const { vsix, id, version } = packageVsix();
  say(`packaged ${vsix}`);
  run('the e2e suite build', process.execPath, [join(root, 'scripts', 'build-e2e.mjs')], { cwd: root });
  const suiteFile = join(cacheDir, 'suite', 'index.cjs');
  const extensionsDir = join(stateDir, 'extensions');
  installExtension(stateDir, vsix, extensionsDir);
  const extensionFolder = join(extensionsDir, `${id}-${version}`);
  if (!existsSync(join(extensionFolder, 'package.json'))) throw new Error(`the VSIX did not install to ${extensionFolder} (found: ${readdirSync(extensionsDir).join(', ')})`);
  say(`installed ${id}@${version} from the VSIX into ${extensionsDir}`);
  let ok = true;
  for (const phase of phases()) {
    const dir = join(stateDir, phase.name);
    const workspace = makeWorkspace(dir);
    const resultsFile = join(dir, 'suite-results.json');
    const server = await startCodeServer({
      stateDir: dir,
      extensionsDir,
      port: await freePort(),
      untrusted: phase.untrusted,
      env: { SPTLS_E2E_RESULTS: resultsFile, SPTLS_E2E_ROOT: root, SPTLS_E2E_EXTENSIONS_DIR: extensionsDir, SPTLS_E2E_GREP: phase.grep, SPTLS_E2E_INVERT: phase.invert ? '1' : '0' },
    });
    cleanups.push(() => server.stop());
    say(`${phase.name}: code-server listening on ${server.url}`);

    const suiteStarted = Date.now();
    const { code, results } = await runSuite(server, workspace, extensionFolder, suiteFile, resultsFile, phase.name);
    say(`${phase.name}: suite exit ${code}, ${results.passes} passing, ${results.failures} failing, ${results.pending} pending (${secs(suiteStarted)} s)`);
    for (const f of results.failed) console.error(`  failed: ${f}`);
    if (results.passes === 0) console.error(`e2e: the ${phase.name} suite reported no passing test`);
    let phaseOk = code === 0 && results.failures === 0 && results.passes > 0;

    if (phase.ui) {
      const uiStarted = Date.now();
      const context = await launchBrowser(join(phase.name, 'profile-ui'));
      const checks = await runUiChecks({ context, server, workspace, outputDir, repoRoot: root, log: say });
      const failed = checks.filter((c) => !c.ok);
      for (const c of checks) console.log(`  ui ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `: ${c.error}`}`);
      say(`ui: ${checks.length - failed.length} passed, ${failed.length} failed (${secs(uiStarted)} s); screenshots in ${outputDir}`);
      phaseOk &&= failed.length === 0 && checks.length > 0;
    }
    if (!phaseOk) console.error(`e2e: ${phase.name}: code-server log ${server.logFile} ends with:\n${logTail(server.logFile, 30)}`);
    ok &&= phaseOk;
    await cleanup();
  }
  clearTimeout(watchdog);
  say(`run after set-up: ${secs(runStarted)} s; total ${secs(started)} s`);
  console.log(ok ? 'e2e: PASS' : 'e2e: FAIL');
  process.exit(ok ? 0 : 1);
}

/**
 * One code-server per workspace-trust state: the trusted one runs the suite (less the
 * @untrusted part) and the UI checks; the untrusted one runs the @untrusted part.
 * `--grep TEXT` runs only the matching tests, in the trusted workbench.
 */
function phases() {
  const i = process.argv.indexOf('--grep');
  const ui = !process.argv.includes('--no-ui');
  if (i > 0) return [{ name: 'trusted', untrusted: false, grep: process.argv[i + 1] ?? '', invert: false, ui }];
  return [
    { name: 'trusted', untrusted: false, grep: '@untrusted', invert: true, ui },
    { name: 'untrusted', untrusted: true, grep: '@untrusted', invert: false, ui: false },
  ];
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { void fail(`stopped by ${signal}`); });
main().catch((e) => fail(e instanceof Error ? e.stack ?? e.message : String(e)));
