// `sptls import` of a generated environment of N clients (default 2,000): the collection is made
// once (sptls issue + keydb --native-kdb, laid out per host, scripts/import-env.ts), then the CLI
// import runs 3 times and the median wall time is printed with the size of the input, and the
// engine once in this process with its CPU time (on a shared machine the stabler figure).
// Usage: node_modules/.bin/node scripts/bench-import.ts [N=2000]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importEnvironment } from '../server/src/import/engine.ts';
import { readCollections } from '../server/src/import/read-collection.ts';
import { generateEnvironment, issueAndKeydb, layOut } from './import-env.ts';

const n = Number(process.argv[2] ?? 2000);
const bin = join(import.meta.dirname, '..', 'bin', 'sptls.cjs');
const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sptls-bench-import-'));
try {
  const topology = join(dir, 'gen.sptls');
  writeFileSync(topology, generateEnvironment(n));
  const made = Date.now();
  layOut(topology, issueAndKeydb(topology), join(dir, 'collection'));
  let files = 0, bytes = 0;
  const count = (d: string) => { for (const e of readdirSync(d, { withFileTypes: true })) { const p = join(d, e.name); if (e.isDirectory()) count(p); else { files++; bytes += statSync(p).size; } } };
  count(join(dir, 'collection'));
  console.log(`collection: ${n} clients, ${files} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB (made in ${((Date.now() - made) / 1000).toFixed(1)} s, not timed)`);
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, 'import', 'collection', '--out', `out${i}/env.sptls`], { cwd: dir, encoding: 'utf8' });
    runs.push(performance.now() - t);
    if (r.status !== 0) throw new Error(r.stderr);
    if (i === 0) console.log(`  ${r.stdout.trim()}`);
  }
  const cpu = process.cpuUsage();
  const t = performance.now();
  const read = await readCollections(['collection'], dir);
  const result = importEnvironment(read.files, { inputs: ['collection'] });
  const engineMs = performance.now() - t;
  const used = process.cpuUsage(cpu);
  console.log(`engine in process: read ${read.files.length} files + import ${(engineMs / 1000).toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU, ${result.text.length} characters written`);
  runs.sort((a, b) => a - b);
  const median = runs[1]!;
  console.log(`sptls import: median ${(median / 1000).toFixed(2)} s of 3 runs (${runs.map((r) => (r / 1000).toFixed(2)).join(', ')} s), ${(median / n).toFixed(2)} ms per client, process start included`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
