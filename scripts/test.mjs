// Runs every test file under test/ with Node's test runner (Node 24 strips the
// TypeScript types itself), then the shared conformance cases.
// SPTLS_TEST_ONLY=substring narrows the files for a quick local run.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    // The e2e suite runs inside a VS Code extension host (mocha), started by test/e2e/e2e.test.ts.
    if (p === join('test', 'e2e', 'suite')) return [];
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}

const only = process.env.SPTLS_TEST_ONLY;
const files = walk('test').filter((f) => !only || f.includes(only)).sort();
if (files.length === 0) { console.error('no test files found'); process.exit(1); }
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...files], { stdio: 'inherit' });
let status = run.status ?? 1;

const checker = join('..', 'shared', 'conformance', 'check.mjs');
if (!only) {
  if (!existsSync(checker)) { console.error(`conformance checker ${checker} not found`); process.exit(1); }
  const conf = spawnSync(process.execPath, [checker], { stdio: 'inherit' });
  if (conf.status !== 0) status = status || 1;
}
process.exit(status);
