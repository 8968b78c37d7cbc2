// Runs every test file under test/ with Node's test runner (Node 24 strips the
// TypeScript types itself), then the shared conformance cases, and closes with one
// line that counts both: `total: N passed, M failed`.
// SPTLS_TEST_ONLY=substring narrows the files for a quick local run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

// The spec reporter for people, TAP into a file for the counts.
const scratch = mkdtempSync(join(tmpdir(), 'sptls-test-'));
const tap = join(scratch, 'results.tap');
const run = spawnSync(process.execPath, [
  '--test', '--test-concurrency=2',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tap}`,
  ...files,
], { stdio: 'inherit' });
let status = run.status ?? 1;
const tapText = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
const count = (key) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(tapText)?.[1] ?? 0);
let passed = count('pass');
let failed = count('fail') + count('cancelled');
rmSync(scratch, { recursive: true, force: true });
if (passed + failed === 0) { console.error('the test runner reported no test'); status = status || 1; failed++; }

const checker = join('..', 'shared', 'conformance', 'check.mjs');
if (!only) {
  if (!existsSync(checker)) { console.error(`conformance checker ${checker} not found`); process.exit(1); }
  const conf = spawnSync(process.execPath, [checker], { encoding: 'utf8' });
  process.stdout.write(conf.stdout);
  process.stderr.write(conf.stderr);
  const m = /^(\d+) passed, (\d+) failed$/m.exec(conf.stdout);
  if (m) { passed += Number(m[1]); failed += Number(m[2]); } else failed++;
  if (conf.status !== 0) status = status || 1;
}
console.log(`total: ${passed} passed, ${failed} failed`);
process.exit(status || (failed > 0 ? 1 : 0));
