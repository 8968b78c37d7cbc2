// The same mocha suite in desktop VS Code through @vscode/test-electron, for a machine
// that can download VS Code (this project's machines and CI cannot: test-electron fetches
// it from VS Code's update server, which is unreachable there, so CI runs
// test/e2e/run-code-server.mjs instead; see docs/e2e.md).
// Like the code-server runner it installs the packaged VSIX and runs the suite twice:
// in a trusted workspace (all but @untrusted) and in Restricted Mode (@untrusted only).
// Usage: node test/e2e/run-electron.mjs [--version 1.100.0]   (default: stable)
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSuite, makeWorkspace, packageVsix, readResults, run, suiteEnv } from './harness.mjs';
import { cacheDir } from './setup.mjs';

const stateDir = join(cacheDir, 'electron');
const versionArg = process.argv.indexOf('--version');
const version = versionArg > 0 ? process.argv[versionArg + 1] : 'stable';

async function main() {
  const started = Date.now();
  let vscodeExecutablePath;
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({ version, cachePath: join(cacheDir, 'vscode-test'), timeout: 60_000 });
  } catch (e) {
    console.error(`e2e (desktop): could not download VS Code ${version}: ${e instanceof Error ? e.message : e}\n` +
      'This machine cannot reach VS Code\'s update server; use `node test/e2e/run-code-server.mjs` (docs/e2e.md).');
    process.exit(1);
  }
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  const { vsix, id, version: extVersion } = packageVsix(stateDir);
  const suiteFile = buildSuite();
  const extensionsDir = join(stateDir, 'extensions');
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
  run('code --install-extension', cli, [...cliArgs.filter((a) => !a.startsWith('--extensions-dir')), '--extensions-dir', extensionsDir, '--install-extension', vsix]);
  const extensionFolder = join(extensionsDir, `${id}-${extVersion}`);
  if (!existsSync(extensionFolder)) throw new Error(`the VSIX did not install to ${extensionFolder}`);

  let ok = true;
  for (const phase of [{ name: 'trusted', untrusted: false }, { name: 'untrusted', untrusted: true }]) {
    const dir = join(stateDir, phase.name);
    const userDataDir = join(dir, 'user-data');
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(phase.untrusted
      ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false }
      : {}));
    const resultsFile = join(dir, 'suite-results.json');
    let code = 0;
    try {
      await runTests({
        vscodeExecutablePath,
        extensionDevelopmentPath: extensionFolder,
        extensionTestsPath: suiteFile,
        extensionTestsEnv: suiteEnv({ resultsFile, extensionsDir, grep: '@untrusted', invert: !phase.untrusted }),
        launchArgs: [makeWorkspace(dir), '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--disable-gpu',
          ...(phase.untrusted ? [] : ['--disable-workspace-trust'])],
      });
    } catch (e) {
      code = typeof e?.code === 'number' ? e.code : 1;
    }
    const results = readResults(resultsFile, code);
    console.log(`e2e (desktop) ${phase.name}: exit ${code}, ${results.passes} passing, ${results.failures} failing`);
    ok &&= results.ok;
  }
  console.log(`e2e (desktop): ${ok ? 'PASS' : 'FAIL'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(`e2e (desktop): FAIL: ${e instanceof Error ? e.stack ?? e.message : e}`);
  process.exit(1);
});
