// Benchmark: wall time of `sptls simulate examples/production.sptls` with its PKI already
// issued (by `sptls issue`, with the keys the topology asks for; issuing is not timed).
// Target: ≤ 3 s. Run with Node 24: node_modules/.bin/node scripts/bench-simulate.mjs [runs=3]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const RUNS = Number(process.argv[2] ?? 3);
const TARGET_S = 3;
const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'server', 'src', 'cli', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'sptls-bench-sim-'));
try {
  const topology = join(dir, 'production.sptls');
  copyFileSync(join(root, 'examples', 'production.sptls'), topology);
  const sptls = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  const issued = sptls('issue', topology);
  if (issued.status !== 0) throw new Error(`sptls issue failed: ${issued.stdout}${issued.stderr}`);
  const times = [];
  let counts;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const r = sptls('simulate', topology, '--format', 'json');
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (r.status !== 0) throw new Error(`sptls simulate exited ${r.status}: ${r.stdout}${r.stderr}`);
    const json = JSON.parse(r.stdout);
    counts = json.counts;
    if (!json.pki.includes('issued')) throw new Error(`simulate did not use the issued PKI: ${json.pki}`);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`sptls simulate examples/production.sptls (PKI issued beforehand), ${RUNS} runs, Node ${process.version}, whole process incl. startup`);
  console.log(`connections ${counts.connections}, rehearsed ${counts.rehearsed} (${counts.agree} agree, ${counts.disagree} disagree), not rehearsed ${counts.notRehearsed}`);
  console.log(`wall time median ${median.toFixed(2)} s (min ${times[0].toFixed(2)}, max ${times.at(-1).toFixed(2)}); target ≤ ${TARGET_S} s: ${median <= TARGET_S ? 'met' : 'MISSED'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
