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
// V8 optimises a function only after it has run many times (the prober's median kept falling
// until ~1,000 probes), while s_time is compiled C timed over a thousand connections and more
// per run. So the prober first runs uncounted training probes, whose first 50 are printed as
// the cold figure, and each round re-warms after the pause s_time leaves.
const TRAINING = 1000;
const COLD = 50;
const WARMUP = 5;
// Prober runs and s_time runs alternate in rounds, so that both meet the same machine:
// on a shared 2-core VM the speed drifts by tens of percent over seconds, and one long
// block of each compared one moment with another. Slow spells last tens of milliseconds,
// so the prober's runs are spread over ten rounds: one spell then moves few of them.
const ROUNDS = 10;
const S_TIME_SECONDS = 1;

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
  // s_time's wall time is measured here and includes starting the openssl binary: that is taken off.
  const startup = median(Array.from({ length: 5 }, () => { const t0 = performance.now(); sh(['version']); return performance.now() - t0; }));
  console.log(`sptls prober vs openssl s_time -new, openssl s_server on 127.0.0.1 (RSA-2048 leaf), ${RUNS} prober runs and ${ROUNDS} s_time runs of ${S_TIME_SECONDS} s, interleaved in ${ROUNDS} rounds that each start with ${WARMUP} uncounted probes, after ${TRAINING} uncounted training probes; Node ${process.version}, OpenSSL CLI ${sh(['version']).trim()}`);
  console.log(`version  prober median (p10-p90) ms  [handshake part]   s_time ms/handshake   ratio   cold: first ${COLD} probes, ratio`);
  for (const [version, flag] of [['1.2', '-tls1_2'], ['1.3', '-tls1_3']]) {
    const probe = async () => {
      const t0 = performance.now();
      const r = await nodeHandshakeProber.probe({ host: '127.0.0.1', port }, { trustPem, servername: 'localhost', tls: version });
      const ms = performance.now() - t0;
      if (r.outcome !== 'trusted') throw new Error(`unexpected outcome ${r.outcome}: ${r.summary}`);
      return { ms, hs: r.timings.handshakeMs };
    };
    const training = [];
    for (let i = 0; i < TRAINING; i++) training.push((await probe()).ms);
    const cold = median(training.slice(0, COLD));
    const wall = [], hs = [];
    let connections = 0, sTimeMs = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts warm, as s_time's thousand connections do.
      for (let i = 0; i < WARMUP; i++) await probe();
      const runs = Math.ceil((RUNS * (round + 1)) / ROUNDS) - Math.ceil((RUNS * round) / ROUNDS);
      for (let i = 0; i < runs; i++) { const { ms, hs: h } = await probe(); wall.push(ms); hs.push(h); }
      const t0 = performance.now();
      const out = sh(['s_time', '-connect', `127.0.0.1:${port}`, '-new', flag, '-time', String(S_TIME_SECONDS)]);
      sTimeMs += performance.now() - t0 - startup;
      const m = /(\d+) connections in (\d+) real seconds/.exec(out);
      if (!m) throw new Error(`cannot read s_time output:\n${out}`);
      connections += Number(m[1]);
    }
    const sTime = sTimeMs / connections;
    const p = median(wall);
    console.log(`TLS ${version}  ${p.toFixed(2)} (${pct(wall, 0.1).toFixed(2)}-${pct(wall, 0.9).toFixed(2)})          [${median(hs).toFixed(2)}]            ${sTime.toFixed(2)} (${connections} in ${(sTimeMs / 1000).toFixed(1)} s)      ${(p / sTime).toFixed(2)}x   ${cold.toFixed(2)} ms, ${(cold / sTime).toFixed(2)}x`);
  }
  console.log('prober time = whole probe() call: TCP connect, handshake, wire read, certificate facts and all checks.');
  console.log(`cold = median of the first ${COLD} training probes of that version (TLS 1.2 runs first, in a fresh process).`);
} finally {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
