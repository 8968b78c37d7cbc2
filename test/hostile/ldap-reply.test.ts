// The answer to StartTLS is bounded (LDAP_REPLY_LIMIT, 64 KiB). A peer that announces a
// 2 GB answer and then streams as fast as loopback allows is cut off at its header: the
// phase fails with its own verdict long before the timeout, and the peer sees the
// connection closed after a few socket buffers, not after the tester has swallowed
// hundreds of megabytes. An answer at the limit, dripped in small pieces, is still read.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { nodeHandshakeProber } from '../../server/src/handshake/prober.ts';
import { LDAP_REPLY_LIMIT } from '../../server/src/handshake/starttls-ldap.ts';

const TIMEOUT_MS = 20_000;
const servers: Server[] = [];
const sockets = new Set<Socket>();

after(() => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
});

async function listen(onRequest: (s: Socket) => void): Promise<number> {
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    s.once('data', () => onRequest(s));
  });
  servers.push(server);
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  return (server.address() as { port: number }).port;
}

/** A SEQUENCE header with a 4-byte definite length. */
const header = (length: number) => Buffer.from([0x30, 0x84, length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff]);

/** An ExtendedResponse (unavailable, 52) whose diagnosticMessage makes the whole message exactly `total` bytes. */
function refusalOfSize(total: number): Buffer {
  // 30 84 L4 | 02 01 01 | 78 84 L4 | 0a 01 34 | 04 00 | 04 84 L4 <diag>
  const diag = total - (6 + 3 + 6 + 3 + 2 + 6);
  const len4 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
  const op = Buffer.concat([Buffer.from([0x0a, 0x01, 52, 0x04, 0x00, 0x04, 0x84]), len4(diag), Buffer.alloc(diag, 'x')]);
  const body = Buffer.concat([Buffer.from([0x02, 0x01, 0x01, 0x78, 0x84]), len4(op.length), op]);
  const message = Buffer.concat([header(body.length), body]);
  assert.equal(message.length, total);
  return message;
}

/** A peer that announces a 2 GB answer and streams it as fast as the socket drains, until the tester hangs up. */
async function floodingPeer(): Promise<{ port: number; written: () => number; closed: Promise<void> }> {
  let written = 0;
  let closed!: () => void;
  const peerSawClose = new Promise<void>((res) => { closed = res; });
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  const port = await listen((s) => {
    s.on('close', () => closed());
    s.write(header(0x7fff_fff0));
    const pump = () => {
      while (!s.destroyed && s.write(chunk)) written += chunk.length;
      if (!s.destroyed) { written += chunk.length; s.once('drain', pump); }
    };
    pump();
  });
  return { port, written: () => written, closed: peerSawClose };
}

describe('the StartTLS reply is bounded', () => {
  it('a peer announcing a 2 GB answer is cut off at its header, long before the timeout', async () => {
    const { port, written: bytes, closed: peerSawClose } = await floodingPeer();
    const started = Date.now();
    const r = await nodeHandshakeProber.probe({ host: '127.0.0.1', port }, { starttls: 'ldap', timeoutMs: TIMEOUT_MS });
    assert.equal(r.outcome, 'not-tls', r.summary);
    assert.equal(r.exitCode, 2);
    assert.equal(r.failure?.phase, 'starttls');
    assert.equal(r.failure?.code, 'REPLY_TOO_LARGE');
    assert.match(r.failure!.message, /announces a 2147483638-byte answer to StartTLS, more than the 64 KiB/);
    assert.ok(Date.now() - started < TIMEOUT_MS / 2, 'ended by the limit, not by the timeout');
    await peerSawClose;
    // What the peer got rid of before the close: socket buffers, not the announced 2 GB.
    assert.ok(bytes() < 64 * 1024 * 1024, `the peer wrote ${bytes()} bytes before it saw the connection closed`);
  });

  it('the sptls process facing that peer stays small (peak RSS measured) and exits 2 with one verdict', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'sptls-ldap-rss-'));
    try {
      // Reports the process's peak resident set size on stderr as it exits.
      const probe = join(dir, 'peak-rss.cjs');
      writeFileSync(probe, "process.on('exit', () => process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\\n`));\n");
      const { port, closed } = await floodingPeer();
      const r = await new Promise<{ code: number | null; out: string; err: string }>((res) => {
        execFile(process.execPath, ['-r', probe, resolve(import.meta.dirname, '..', '..', 'bin', 'sptls.cjs'), 'handshake', `127.0.0.1:${port}`, '--starttls', 'ldap', '--timeout', String(TIMEOUT_MS)],
          { encoding: 'utf8', timeout: TIMEOUT_MS * 2 }, (error, out, err) => res({ code: error ? (error.code as number) : 0, out, err }));
      });
      await closed;
      assert.equal(r.code, 2, r.out + r.err);
      assert.match(r.out, /^NO TLS SESSION \(peer speaks no TLS\)/);
      assert.match(r.out, /announces a 2147483638-byte answer to StartTLS, more than the 64 KiB/);
      const peakKb = Number(/peak-rss-kb (\d+)/.exec(r.err)?.[1]);
      t.diagnostic(`peak RSS of sptls handshake: ${Math.round(peakKb / 1024)} MiB`);
      // A Node process running the CLI takes some 60-100 MB; the unbounded reader reached 386 MB.
      assert.ok(peakKb > 0 && peakKb < 200 * 1024, `peak RSS ${peakKb} KiB`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an answer one byte over the limit is refused by its header; one at the limit, dripped, is read', async () => {
    const over = await listen((s) => s.write(header(LDAP_REPLY_LIMIT + 1 - 6)));
    const refused = await nodeHandshakeProber.probe({ host: '127.0.0.1', port: over }, { starttls: 'ldap', timeoutMs: TIMEOUT_MS });
    assert.equal(refused.failure?.code, 'REPLY_TOO_LARGE', refused.summary);

    const message = refusalOfSize(LDAP_REPLY_LIMIT);
    const at = await listen((s) => {
      let off = 0;
      const drip = () => {
        if (off >= message.length || s.destroyed) return;
        s.write(message.subarray(off, off += 1000), drip);
      };
      drip();
    });
    const read = await nodeHandshakeProber.probe({ host: '127.0.0.1', port: at }, { starttls: 'ldap', timeoutMs: TIMEOUT_MS });
    assert.equal(read.outcome, 'starttls-refused', read.summary);
    assert.match(read.failure!.message, /refused StartTLS: unavailable \(52\): x{100}/);
  });
});
