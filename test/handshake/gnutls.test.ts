// The prober against gnutls-serv. gnutls-serv has no bind-address option and
// listens on every address, so it runs inside a network namespace made for this
// test, reached over a veth pair with private 10.200.N.0/30 addresses.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { nodeHandshakeProber } from '../../server/src/handshake/prober.ts';
import type { HandshakeReport, ProbeOptions } from '../../server/src/handshake/report.ts';
import { ensureCommand } from '../support/system.ts';
import { makePki, startPeer, type Peer, type Pki } from './peers.ts';

const id = process.pid % 250;
const NS = `sptls-hs-${process.pid}`;
const HOST_IF = `sphs${process.pid % 100000}h`;
const NS_IF = `sphs${process.pid % 100000}n`;
const HOST_ADDR = `10.200.${id}.1`;
const NS_ADDR = `10.200.${id}.2`;

function ip(...args: string[]): { ok: boolean; err: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  return { ok: r.status === 0, err: r.stderr };
}

/** Creates the namespace and veth pair; returns why not when this machine does not allow it. */
function makeNamespace(): string | undefined {
  const add = ip('netns', 'add', NS);
  if (!add.ok) return `cannot create a network namespace here (${add.err.trim()})`;
  const steps: string[][] = [
    ['link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF],
    ['link', 'set', NS_IF, 'netns', NS],
    ['addr', 'add', `${HOST_ADDR}/30`, 'dev', HOST_IF],
    ['link', 'set', HOST_IF, 'up'],
    ['netns', 'exec', NS, 'ip', 'addr', 'add', `${NS_ADDR}/30`, 'dev', NS_IF],
    ['netns', 'exec', NS, 'ip', 'link', 'set', NS_IF, 'up'],
    ['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up'],
  ];
  for (const s of steps) {
    const r = ip(...s);
    if (!r.ok) return `cannot set up the veth pair (ip ${s.join(' ')}: ${r.err.trim()})`;
  }
  return undefined;
}

interface GnutlsCase {
  name: string;
  args: string[];
  probe?: ProbeOptions;
  outcome: HandshakeReport['outcome'];
  failing: string[];
  more?: (r: HandshakeReport) => void;
}

const srv = ['--x509certfile', 'srv.crt', '--x509keyfile', 'srv.key'];
const cases: GnutlsCase[] = [
  { name: 'TLS 1.2 only', args: [...srv, '--disable-client-cert', '--priority', 'NORMAL:-VERS-ALL:+VERS-TLS1.2'], outcome: 'trusted', failing: [],
    more: (r) => assert.equal(r.session?.protocol, 'TLSv1.2') },
  { name: 'TLS 1.2 only, client pinned to 1.3 (GnuTLS answers alert 40, not 70)', args: [...srv, '--disable-client-cert', '--priority', 'NORMAL:-VERS-ALL:+VERS-TLS1.2'],
    probe: { tls: '1.3' }, outcome: 'handshake-alert', failing: [], more: (r) => assert.equal(r.failure?.alert?.name, 'handshake_failure') },
  { name: 'TLS 1.3, client certificate required', args: [...srv, '--require-client-cert', '--verify-client-cert', '--x509cafile', 'ca.crt'],
    outcome: 'findings', failing: ['client-cert-required'], more: (r) => assert.equal(r.clientAuth?.alert?.number, 116) },
  { name: 'self-signed certificate', args: ['--x509certfile', 'self.crt', '--x509keyfile', 'srv.key', '--disable-client-cert'], outcome: 'findings', failing: ['self-signed'] },
];

let pki: Pki;
let skipReason: string | undefined;
const peers = new Map<string, { peer: Peer; port: number }>();

before(async () => {
  ensureCommand('gnutls-serv', 'gnutls-bin');
  skipReason = makeNamespace();
  if (skipReason) return;
  pki = makePki();
  await Promise.all(cases.map(async (c, i) => {
    const port = 4430 + i;
    const peer = await startPeer('gnutls-serv', ['--echo', '--port', String(port), ...c.args], port,
      { cwd: pki.dir, host: NS_ADDR, wrap: ['ip', 'netns', 'exec', NS] });
    peers.set(c.name, { peer, port });
  }));
});

after(async () => {
  await Promise.all([...peers.values()].map((p) => p.peer.stop()));
  ip('netns', 'del', NS);
  ip('link', 'del', HOST_IF);
  pki?.cleanup();
});

describe('handshake against gnutls-serv (in its own network namespace)', () => {
  for (const c of cases) {
    test(c.name, async (t) => {
      if (skipReason) { t.skip(skipReason); return; }
      const { port } = peers.get(c.name)!;
      const r = await nodeHandshakeProber.probe({ host: NS_ADDR, port }, { trustPem: [pki.pem('ca.crt')], servername: 'localhost', timeoutMs: 3000, ...c.probe });
      const failing = r.checks.filter((x) => x.status === 'fail').flatMap((x) => x.codes ?? []);
      assert.deepEqual({ outcome: r.outcome, failing }, { outcome: c.outcome, failing: c.failing }, r.summary);
      c.more?.(r);
    });
  }
});
