// `npm test` runs the extension end to end in a real VS Code (code-server + chromium,
// test/e2e/run-code-server.mjs) and passes only on the runner's exit 0. The first run
// installs the set-up (a few minutes); a failing set-up fails here with its log, never a skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
/** First set-up (≤ 5 min) plus a run (≤ 1 min), with room for a slow CI machine. */
const LIMIT_MS = 15 * 60_000;

test('the extension passes its integration suite and UI checks in code-server', { timeout: LIMIT_MS + 60_000 }, async (t) => {
  const runner = spawn(process.execPath, [join(ROOT, 'test', 'e2e', 'run-code-server.mjs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    // The runner's progress and timing lines, passed on as they come: the first run installs
    // code-server and chromium for minutes and must say so (stderr reaches the terminal at once).
    for (const line of text.split('\n')) {
      if (!/^\[e2e |^e2e: |^e2e setup: /.test(line)) continue;
      t.diagnostic(line);
      process.stderr.write(`${line}\n`);
    }
  };
  runner.stdout.on('data', onData);
  runner.stderr.on('data', onData);
  // The runner stops everything it started when it gets SIGTERM; KILL only if it does not exit.
  const stop = setTimeout(() => {
    output += `\n(e2e.test: no result after ${LIMIT_MS / 60_000} min: stopping the runner)\n`;
    runner.kill('SIGTERM');
    setTimeout(() => runner.kill('SIGKILL'), 30_000).unref();
  }, LIMIT_MS);
  const code = await new Promise<number | null>((resolve) => runner.on('close', (c) => resolve(c)));
  clearTimeout(stop);
  const tail = output.split('\n').slice(-80).join('\n');
  assert.equal(code, 0, `test/e2e/run-code-server.mjs exited with ${code}; its output ends with:\n${tail}`);
  assert.match(output, /trusted: suite exit 0, [1-9]\d* passing, 0 failing/, tail);
  assert.match(output, /untrusted: suite exit 0, [1-9]\d* passing, 0 failing/, tail);
  assert.match(output, /ui: [1-9]\d* passed, 0 failed/, tail);
});
