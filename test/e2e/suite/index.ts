// Entry point VS Code's extension host calls with the test payload (extensionTestsPath):
// runs the mocha suites and writes the counts to the results file the runner reads,
// so the runner never takes a page that went quiet for a passing run.
/// <reference types="mocha" />
import Mocha from 'mocha';
import { writeFileSync } from 'node:fs';
import { e2eEnv } from './env.ts';

export interface SuiteResults {
  passes: number;
  failures: number;
  pending: number;
  failed: string[];
  durationMs: number;
}

export async function run(): Promise<void> {
  const { resultsFile } = e2eEnv();
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  // The runner's two code-servers (workspace trusted / not) each run their part of the suite.
  const grep = process.env.SPTLS_E2E_GREP;
  if (grep) mocha.grep(grep);
  if (grep && process.env.SPTLS_E2E_INVERT === '1') mocha.invert();
  // The bundled test modules define their suites when imported, after the tdd
  // interface has put suite/test/suiteSetup on the global object.
  mocha.suite.emit('pre-require', globalThis, 'sptls-e2e', mocha);
  await import('./language.test.ts');
  await import('./commands.test.ts');
  const failed: string[] = [];
  const started = Date.now();
  const runner = mocha.run();
  runner.on('fail', (t, err: Error) => failed.push(`${t.fullTitle()}: ${err.message.split('\n')[0]}`));
  await new Promise<void>((resolve) => runner.on('end', () => resolve()));
  const stats = runner.stats ?? { passes: 0, failures: failed.length, pending: 0 };
  const results: SuiteResults = { passes: stats.passes, failures: stats.failures, pending: stats.pending, failed, durationMs: Date.now() - started };
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  if (results.failures > 0) throw new Error(`${results.failures} e2e test(s) failed`);
}
