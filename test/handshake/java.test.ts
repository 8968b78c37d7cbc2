// The prober against a JSSE server (test/fixtures/handshake/TlsServer.java),
// compiled here; JSSE answers some situations with other alerts than OpenSSL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { nodeHandshakeProber } from '../../server/src/handshake/prober.ts';
import type { HandshakeReport } from '../../server/src/handshake/report.ts';
import { ensureCommand, freePort } from '../support/system.ts';
import { makePki, run, startPeer, type Peer, type Pki } from './peers.ts';

const SOURCE = fileURLToPath(new URL('../fixtures/handshake/TlsServer.java', import.meta.url));

interface JavaCase {
  name: string;
  protocols: string;
  clientAuth: 'none' | 'need';
  keystore: 'srv.p12' | 'expired.p12';
  outcome: HandshakeReport['outcome'];
  failing: string[];
  more?: (r: HandshakeReport) => void;
}

const cases: JavaCase[] = [
  { name: 'TLS 1.2 only', protocols: 'TLSv1.2', clientAuth: 'none', keystore: 'srv.p12', outcome: 'trusted', failing: [],
    more: (r) => assert.equal(r.session?.protocol, 'TLSv1.2') },
  { name: 'TLS 1.3 only', protocols: 'TLSv1.3', clientAuth: 'none', keystore: 'srv.p12', outcome: 'trusted', failing: [],
    more: (r) => { assert.equal(r.session?.protocol, 'TLSv1.3'); assert.equal(r.chainSource, 'wire'); } },
  { name: 'client certificate required, TLS 1.3 (JSSE: alert 42)', protocols: 'TLSv1.3', clientAuth: 'need', keystore: 'srv.p12',
    outcome: 'findings', failing: ['client-cert-required'],
    more: (r) => {  assert.equal(r.clientAuth?.requested, true); assert.equal(r.clientAuth?.alert?.name, 'bad_certificate'); } },
  { name: 'client certificate required, TLS 1.2', protocols: 'TLSv1.2', clientAuth: 'need', keystore: 'srv.p12',
    outcome: 'findings', failing: ['client-cert-required'], more: (r) => assert.equal(r.clientAuth?.requested, true) },
  { name: 'expired certificate', protocols: 'TLSv1.3,TLSv1.2', clientAuth: 'none', keystore: 'expired.p12', outcome: 'findings', failing: ['expired'] },
];

let pki: Pki;
const peers = new Map<string, { peer: Peer; port: number }>();

before(async () => {
  ensureCommand('javac', 'default-jdk-headless');
  pki = makePki();
  run('javac', ['-d', pki.dir, SOURCE], pki.dir);
  for (const name of ['srv', 'expired']) {
    run('openssl', ['pkcs12', '-export', '-in', `${name}.crt`, '-inkey', 'srv.key', '-name', 'server', '-out', `${name}.p12`, '-passout', 'pass:changeit'], pki.dir);
  }
  run('keytool', ['-importcert', '-noprompt', '-alias', 'ca', '-file', 'ca.crt', '-keystore', 'trust.p12', '-storetype', 'PKCS12', '-storepass', 'changeit'], pki.dir);
  // JVMs start slowly: bring all servers up at once.
  await Promise.all(cases.map(async (c) => {
    const port = await freePort();
    const peer = await startPeer('java', ['-cp', pki.dir, 'TlsServer', String(port), c.protocols, c.clientAuth, c.keystore, 'changeit', 'trust.p12'], port, { cwd: pki.dir, waitMs: 30_000 });
    peers.set(c.name, { peer, port });
  }));
});

after(async () => {
  await Promise.all([...peers.values()].map((p) => p.peer.stop()));
  pki?.cleanup();
});

describe('handshake against a JSSE server', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const { port } = peers.get(c.name)!;
      const r = await nodeHandshakeProber.probe({ host: '127.0.0.1', port }, { trustPem: [pki.pem('ca.crt')], servername: 'localhost', timeoutMs: 5000, postHandshakeMs: 1000 });
      const failing = r.checks.filter((x) => x.status === 'fail').flatMap((x) => x.codes ?? []);
      assert.deepEqual({ outcome: r.outcome, failing }, { outcome: c.outcome, failing: c.failing }, r.summary);
      c.more?.(r);
    });
  }
});
