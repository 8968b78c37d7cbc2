// Runs the bundled CLI as a child under GNU time (for its peak RSS) with a wall-clock limit
// and an address-space cap, so a regression that reads /dev/zero fails the test quickly
// instead of taking the machine's memory. The time limit is a limit, not a wait: the result
// comes when the process exits.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCommand } from '../support/system.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'bin', 'sptls.cjs');

export interface BoundedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident set size of the child, in MiB (GNU time's %M). */
  peakMiB: number;
  timedOut: boolean;
}

/** Virtual memory cap for the child: far above what Node needs, far below what /dev/zero would take. */
const ADDRESS_SPACE_KIB = 8 * 1024 * 1024;

export function runCli(args: string[], options: { cwd: string; limitMs: number; env?: Record<string, string> }): Promise<BoundedRun> {
  ensureCommand('/usr/bin/time', 'time');
  const scratch = mkdtempSync(join(tmpdir(), 'sptls-hostile-run-'));
  const rssFile = join(scratch, 'rss');
  const started = performance.now();
  const child = spawn('sh', ['-c', `ulimit -v ${ADDRESS_SPACE_KIB}; exec /usr/bin/time -f %M -o "$0" "$@"`, rssFile, process.execPath, CLI, ...args], {
    cwd: options.cwd, env: { ...process.env, ...options.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
  }, options.limitMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      let peakMiB = NaN;
      try { peakMiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024; } catch { /* killed before time wrote it */ }
      rmSync(scratch, { recursive: true, force: true });
      resolve({ code, stdout, stderr, ms, peakMiB, timedOut });
    });
  });
}

/** C0 controls other than tab and newline, DEL and the C1 CSI: what must never reach a terminal raw. */
export const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f\x9b]/;
/** A JavaScript stack frame in output means a crash leaked through. */
export const STACK_FRAME = /^\s+at .+(?::\d+:\d+\)?|\(native\))$/m;
