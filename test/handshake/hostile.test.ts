// Peers that are not (proper) TLS servers, written in Node: each must get its own
// outcome, well within its timeout.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer, Socket, type Server } from 'node:net';
import { nodeHandshakeProber } from '../../server/src/handshake/prober.ts';
import type { HandshakeReport } from '../../server/src/handshake/report.ts';
import { ensureCommand, freePort, hasCommand } from '../support/system.ts';

const TIMEOUT = 600;
const servers: Server[] = [];
const sockets = new Set<Socket>();
after(() => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('error', () => {}); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  return (server.address() as { port: number }).port;
}

const onFirstData = (fn: (s: Socket, d: Buffer) => void) => createServer((s) => s.once('data', (d) => fn(s, d)));

interface Hostile {
  name: string;
  server: () => Server;
  outcome: HandshakeReport['outcome'];
  code?: string;
  more?: (r: HandshakeReport) => void;
}

const hostiles: Hostile[] = [
  { name: 'accepts and never speaks', server: () => createServer(() => {}), outcome: 'timeout', code: 'TIMEOUT',
    more: (r) => { assert.equal(r.failure?.phase, 'handshake'); assert.match(r.failure!.message, /did not answer the ClientHello/); } },
  { name: 'sends binary garbage', server: () => onFirstData((s) => s.write(Buffer.from('deadbeef00ff13370102030405', 'hex'))), outcome: 'not-tls', code: 'NOT_TLS',
    more: (r) => assert.match(r.failure!.peerBytes!.hex, /^deadbeef/) },
  { name: 'speaks another protocol (SSH banner)', server: () => createServer((s) => s.write('SSH-2.0-OpenSSH_9.2p1\r\n')), outcome: 'not-tls', code: 'NOT_TLS',
    more: (r) => assert.match(r.failure!.message, /SSH-2\.0/) },
  { name: 'resets mid-handshake', server: () => onFirstData((s) => { s.write(Buffer.from('160303005002000046', 'hex'), () => s.resetAndDestroy()); }), outcome: 'reset', code: 'ECONNRESET' },
  { name: 'closes at once', server: () => createServer((s) => s.end()), outcome: 'closed', code: 'CLOSED' },
  { name: 'plain TCP echo', server: () => createServer((s) => s.pipe(s)), outcome: 'not-tls', code: 'NOT_TLS',
    more: (r) => assert.match(r.failure!.message, /echo/) },
  { name: 'HTTP server', server: () => createHttpServer((_q, res) => res.end('hello')) as unknown as Server, outcome: 'not-tls', code: 'NOT_TLS',
    more: (r) => assert.match(r.failure!.message, /HTTP/) },
  { name: 'clear-text handshake_failure alert', server: () => onFirstData((s) => s.end(Buffer.from('15030300020228', 'hex'))), outcome: 'handshake-alert', code: 'ALERT',
    more: (r) => assert.deepEqual(r.failure?.alert, { number: 40, name: 'handshake_failure' }) },
];

describe('hostile and broken peers', () => {
  for (const h of hostiles) {
    test(h.name, async () => {
      const port = await listen(h.server());
      const r = await nodeHandshakeProber.probe({ host: '127.0.0.1', port }, { timeoutMs: TIMEOUT });
      assert.equal(r.outcome, h.outcome, r.summary);
      assert.equal(r.exitCode, 2);
      assert.equal(r.failure?.code, h.code);
      assert.equal(r.checks.length, 0, 'no verdicts without a session');
      assert.ok(r.timings.totalMs < TIMEOUT + 400, `finished in ${r.timings.totalMs} ms`);
      h.more?.(r);
    });
  }

  test('connection refused', async () => {
    const port = await freePort();
    const r = await nodeHandshakeProber.probe({ host: '127.0.0.1', port }, { timeoutMs: TIMEOUT });
    assert.equal(r.outcome, 'refused');
    assert.equal(r.failure?.phase, 'connect');
    assert.equal(r.exitCode, 2);
  });

  test('TCP connect timeout (listen queue full)', async (t) => {
    // A listener that never accepts (Node's would): once its queue is full the kernel drops further SYNs.
    ensureCommand('python3', 'python3-minimal');
    const port = await freePort();
    const holder = spawn('python3', ['-c', `import socket,time
s=socket.socket(); s.bind(('127.0.0.1', ${port})); s.listen(0); print('up', flush=True); time.sleep(30)`]);
    try {
      await new Promise((res) => holder.stdout.once('data', res));
      const fillers = Array.from({ length: 4 }, () => new Socket().connect(port, '127.0.0.1').on('error', () => {}));
      await new Promise((res) => setTimeout(res, 100));
      const r = await nodeHandshakeProber.probe({ host: '127.0.0.1', port }, { timeoutMs: 300 });
      fillers.forEach((f) => f.destroy());
      if (r.failure?.phase !== 'connect') { t.skip(`the kernel did not drop the SYN here (${r.summary})`); return; }
      assert.equal(r.outcome, 'timeout');
      assert.ok(r.timings.totalMs < 800);
    } finally {
      holder.kill();
    }
  });

  test('DNS failure (resolved inside an empty network namespace)', { skip: !hasCommand('unshare') && 'unshare missing' }, (t) => {
    const script = `import { nodeHandshakeProber as p } from ${JSON.stringify(new URL('../../server/src/handshake/prober.ts', import.meta.url).pathname)};
      const r = await p.probe({ host: 'no-such-host.invalid', port: 443 }, { timeoutMs: 2000 });
      process.stdout.write(JSON.stringify(r));`;
    const res = spawnSync('unshare', ['-n', process.execPath, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
    if (res.status !== 0 && /Operation not permitted/.test(res.stderr)) { t.skip('no permission to create a network namespace here'); return; }
    assert.equal(res.status, 0, res.stderr);
    const r = JSON.parse(res.stdout) as HandshakeReport;
    assert.equal(r.outcome, 'dns-failure');
    assert.equal(r.failure?.phase, 'dns');
    assert.equal(r.exitCode, 2);
  });
});
