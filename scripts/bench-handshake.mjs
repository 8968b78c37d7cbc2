// Benchmark: per-handshake time of the sptls prober against `openssl s_server`,
// next to `openssl s_time -new` against the same server. Target: prober ≤ 1.3× s_time.
// Run with Node 24 (it imports the TypeScript sources): node_modules/.bin/node scripts/bench-handshake.mjs [runs]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeHandshakeProber } from '../server/src/handshake/prober.ts';

const RUNS = Number(process.argv[2] ?? 50);
const WARMUP = 5;
const S_TIME_SECONDS = 5;

const dir = mkdtempSync(join(tmpdir(), 'sptls-bench-hs-'));
const sh = (args) => {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
sh(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=Bench CA', '-days', '30']);
sh(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=localhost']);
writeFileSync(join(dir, 'srv.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
sh(['x509', '-req', '-in', 'srv.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.crt', '-days', '30',
  '-extfile', 'srv.ext']);

function freePort() {
  return new Promise((res) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
}
async function waitFor(port) {
  for (let i = 0; i < 400; i++) {
    if (await new Promise((res) => { const s = connect(port, '127.0.0.1', () => { s.destroy(); res(true); }).on('error', () => res(false)); })) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('s_server did not start');
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };

const port = await freePort();
const server = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', 'srv.crt', '-key', 'srv.key', '-www', '-quiet'], { cwd: dir, stdio: 'ignore' });
try {
  await waitFor(port);
  const trustPem = [readFileSync(join(dir, 'ca.crt'), 'utf8')];
  console.log(`sptls prober vs openssl s_time -new, openssl s_server on 127.0.0.1 (RSA-2048 leaf), ${RUNS} prober runs after ${WARMUP} warm-ups, Node ${process.version}, OpenSSL CLI ${sh(['version']).trim()}`);
  console.log('version  prober median (p10-p90) ms  [handshake part]   s_time ms/handshake   ratio');
  for (const [version, flag] of [['1.2', '-tls1_2'], ['1.3', '-tls1_3']]) {
    const wall = [], hs = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const t0 = performance.now();
      const r = await nodeHandshakeProber.probe({ host: '127.0.0.1', port }, { trustPem, servername: 'localhost', tls: version });
      const ms = performance.now() - t0;
      if (r.outcome !== 'trusted') throw new Error(`unexpected outcome ${r.outcome}: ${r.summary}`);
      if (i >= WARMUP) { wall.push(ms); hs.push(r.timings.handshakeMs); }
    }
    // s_time prints whole real seconds only, so its wall time is measured here (process start is < 0.1 % of it).
    const t0 = performance.now();
    const out = sh(['s_time', '-connect', `127.0.0.1:${port}`, '-new', flag, '-time', String(S_TIME_SECONDS)]);
    const sTimeWall = performance.now() - t0;
    const m = /(\d+) connections in (\d+) real seconds/.exec(out);
    if (!m) throw new Error(`cannot read s_time output:\n${out}`);
    const sTime = sTimeWall / Number(m[1]);
    const p = median(wall);
    console.log(`TLS ${version}  ${p.toFixed(2)} (${pct(wall, 0.1).toFixed(2)}-${pct(wall, 0.9).toFixed(2)})          [${median(hs).toFixed(2)}]            ${sTime.toFixed(2)} (${m[1]} in ${(sTimeWall / 1000).toFixed(1)} s)      ${(p / sTime).toFixed(2)}x`);
  }
  console.log('prober time = whole probe() call: TCP connect, handshake, wire read, certificate facts and all checks.');
} finally {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
