// Benchmark: wall time of `sptls scan` over 200 loopback endpoints at the default
// concurrency. The endpoints are node:tls listeners in this process (test/scan/fleet.ts),
// each presenting its own issued certificate; the scan runs as its own process, as a
// user runs it, so the whole time includes its start-up. Target: under 60 s (docs/scan.md).
// Run with Node 24: node_modules/.bin/node scripts/bench-scan.ts [endpoints=200] [runs=3]
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { startFleet } from '../test/scan/fleet.ts';

const ENDPOINTS = Number(process.argv[2] ?? 200);
const RUNS = Number(process.argv[3] ?? 3);
const TARGET_S = 60;
const cli = join(resolve(import.meta.dirname, '..'), 'server', 'src', 'cli', 'main.ts');

/** Runs the CLI without blocking this process, whose event loop serves the endpoints. */
function scan(file: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, 'scan', file, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => done({ code, out, err }));
  });
}

const fleet = await startFleet(ENDPOINTS);
try {
  const times: number[] = [];
  let counts: { endpoints: number; scanned: number; errors: number; warnings: number } | undefined;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const r = await scan(fleet.topology);
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (r.code !== 0) throw new Error(`sptls scan exited ${r.code}: ${r.out.slice(0, 2000)}${r.err}`);
    counts = (JSON.parse(r.out) as { counts: typeof counts }).counts;
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(`sptls scan of ${ENDPOINTS} loopback endpoints (node:tls, EC P-256, 6 handshakes each: one as the initiator, then one per TLS version after a free one), default concurrency, ${RUNS} runs, Node ${process.version}, whole process incl. startup`);
  console.log(`endpoints ${counts!.endpoints}, answered ${counts!.scanned}, ${counts!.errors} error(s), ${counts!.warnings} warning(s)`);
  console.log(`wall time median ${median.toFixed(2)} s (min ${times[0]!.toFixed(2)}, max ${times.at(-1)!.toFixed(2)}); target < ${TARGET_S} s: ${median < TARGET_S ? 'met' : 'MISSED'}`);
} finally {
  await fleet.close();
}
