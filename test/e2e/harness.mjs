// What both runners (code-server, desktop VS Code) do before a VS Code starts: package
// the VSIX in a clean copy of the project, bundle the mocha suite, lay out a workspace.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, root } from './setup.mjs';

export const suiteFile = join(cacheDir, 'suite', 'index.cjs');

export function run(what, cmd, args, options) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 300_000, ...options });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal ?? r.error?.message}):\n${`${r.stdout ?? ''}${r.stderr ?? ''}`.slice(-4000)}`);
  return r.stdout;
}

/** `npm run package` in a copy of the project under `stateDir`, so the repository's dist/ is not rewritten under concurrent tests. */
export function packageVsix(stateDir) {
  const stage = join(stateDir, 'package');
  for (const item of ['package.json', 'README.md', 'LICENSE', '.vscodeignore', 'language-configuration.json', 'syntaxes', 'images', 'scripts', 'grammar', 'protocol', 'server', 'client', 'bin']) {
    if (existsSync(join(root, item))) cpSync(join(root, item), join(stage, item), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'));
  run('npm run package', 'npm', ['run', '--silent', 'package'], { cwd: stage });
  const { name, version, publisher } = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8'));
  return { vsix: join(stage, `${name}-${version}.vsix`), id: `${publisher}.${name}`, version };
}

/** test/e2e/suite bundled to CommonJS for the extension host (scripts/build-e2e.mjs). */
export function buildSuite() {
  run('the e2e suite build', process.execPath, [join(root, 'scripts', 'build-e2e.mjs')], { cwd: root });
  return suiteFile;
}

/** The folder a workbench opens: the examples and the formatter fixtures, in a throw-away copy. */
export function makeWorkspace(dir) {
  const workspace = join(dir, 'workspace');
  cpSync(join(root, 'examples'), workspace, { recursive: true, filter: (src) => !src.startsWith(join(root, 'examples', 'pki')) });
  cpSync(join(root, 'test', 'lsp', 'fixtures', 'format'), workspace, { recursive: true });
  return workspace;
}

/** What the suite reads from its environment (test/e2e/suite/env.ts), plus its mocha filter. */
export function suiteEnv({ resultsFile, extensionsDir, grep, invert }) {
  return { SPTLS_E2E_RESULTS: resultsFile, SPTLS_E2E_ROOT: root, SPTLS_E2E_EXTENSIONS_DIR: extensionsDir, SPTLS_E2E_GREP: grep, SPTLS_E2E_INVERT: invert ? '1' : '0' };
}

/** The suite's results file, checked: a run that wrote none, or passed nothing, did not pass. */
export function readResults(resultsFile, exitCode) {
  if (!existsSync(resultsFile)) throw new Error(`the suite exited with ${exitCode} but wrote no results file (${resultsFile}): it did not run`);
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  return { ...results, ok: exitCode === 0 && results.failures === 0 && results.passes > 0 };
}
