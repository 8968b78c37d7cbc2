// The prober against real `openssl s_server` peers, one scenario per server setup.
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeHandshakeProber } from '../../server/src/handshake/prober.ts';
import type { HandshakeReport, ProbeOptions } from '../../server/src/handshake/report.ts';
import { freePort } from '../support/system.ts';
import { makePki, startPeer, type Pki } from './peers.ts';

let pki: Pki;

/** The oracle: `openssl verify` in the PKI folder, without -partial_chain (as GSKit judges). */
function opensslVerify(args: string[]): { ok: boolean; output: string } {
  const r = spawnSync('openssl', ['verify', ...args], { cwd: pki.dir, encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}
before(() => { pki = makePki(); });
after(() => pki?.cleanup());

interface Scenario {
  name: string;
  /** s_server arguments after -accept; file names are resolved in the PKI dir. */
  server: string[];
  probe?: (p: Pki) => ProbeOptions;
  outcome: HandshakeReport['outcome'];
  exit: 0 | 1 | 2;
  /** Codes of the failing checks, all of them. */
  failing?: string[];
  more?: (r: HandshakeReport) => void;
}

const trustCa = (p: Pki): ProbeOptions => ({ trustPem: [p.pem('ca.crt')], servername: 'localhost' });
const srv = ['-cert', 'srv.crt', '-key', 'srv.key'];

const scenarios: Scenario[] = [
  {
    name: 'TLS 1.2 only server', server: [...srv, '-tls1_2'], outcome: 'trusted', exit: 0,
    more: (r) => {
      assert.equal(r.session?.protocol, 'TLSv1.2');
      assert.match(r.session!.cipher, /^TLS_ECDHE_RSA_WITH_/);
      assert.equal(r.clientAuth?.requested, false);
      assert.equal(r.chainSource, 'wire');
      assert.equal(r.chain[0]?.subject, 'CN=localhost');
    },
  },
  {
    name: 'TLS 1.2 only server, client pinned to 1.3', server: [...srv, '-tls1_2'], probe: (p) => ({ ...trustCa(p), tls: '1.3' }),
    outcome: 'handshake-alert', exit: 2,
    more: (r) => { assert.deepEqual(r.failure?.alert, { number: 70, name: 'protocol_version' }); assert.equal(r.checks.length, 0); },
  },
  {
    name: 'TLS 1.3 only server', server: [...srv, '-tls1_3'], outcome: 'trusted', exit: 0,
    more: (r) => {
      assert.equal(r.session?.protocol, 'TLSv1.3');
      assert.match(r.session!.cipher, /^TLS_(AES|CHACHA20)_/);
      assert.ok(r.session?.group, 'key-exchange group reported');
      assert.equal(r.chainSource, 'wire', 'chain read from the decrypted handshake');
      assert.equal(r.clientAuth?.requested, false);
    },
  },
  {
    name: 'TLS 1.3 only server, client pinned to 1.2', server: [...srv, '-tls1_3'], probe: (p) => ({ ...trustCa(p), tls: '1.2' }),
    outcome: 'handshake-alert', exit: 2, more: (r) => assert.equal(r.failure?.alert?.number, 70),
  },
  {
    name: '--tls all probes each version', server: srv, probe: (p) => ({ ...trustCa(p), tls: 'all' }), outcome: 'trusted', exit: 0,
    more: (r) => {
      const byVersion = Object.fromEntries((r.versions ?? []).map((v) => [v.version, v.result]));
      assert.equal(byVersion['1.2'], 'accepted');
      assert.equal(byVersion['1.3'], 'accepted');
      // OpenSSL 3 at its default security level will not do 1.0 on either side.
      assert.notEqual(byVersion['1.0'], 'accepted');
      assert.equal(r.versions?.length, 4);
    },
  },
  {
    name: 'client certificate required, TLS 1.2', server: [...srv, '-tls1_2', '-Verify', '1', '-CAfile', 'ca.crt', '-verify_return_error'],
    outcome: 'findings', exit: 1, failing: ['client-cert-required'],
    more: (r) => {
      assert.equal(r.session, undefined, 'TLS 1.2 refuses inside the handshake');
      assert.equal(r.failure?.alert?.number, 40);
      assert.equal(r.clientAuth?.requested, true);
      assert.equal(r.chain[0]?.subject, 'CN=localhost', 'the chain is read from the clear-text handshake');
    },
  },
  {
    name: 'client certificate required, TLS 1.3', server: [...srv, '-tls1_3', '-Verify', '1', '-CAfile', 'ca.crt', '-verify_return_error'],
    outcome: 'findings', exit: 1, failing: ['client-cert-required'],
    more: (r) => {
      assert.equal(r.session?.protocol, 'TLSv1.3', 'the handshake completes before the refusal');
      assert.deepEqual(r.clientAuth?.alert, { number: 116, name: 'certificate_required' });
    },
  },
  {
    name: 'client certificate required and given', server: [...srv, '-Verify', '1', '-CAfile', 'ca.crt', '-verify_return_error'],
    probe: (p) => ({ ...trustCa(p), clientCert: { certPem: p.pem('cli.crt'), keyPem: p.pem('cli.key') } }),
    outcome: 'trusted', exit: 0,
    more: (r) => { assert.equal(r.clientAuth?.requested, true); assert.equal(r.clientAuth?.certificateSent, true); assert.notEqual(r.clientAuth?.required, true); },
  },
  {
    name: 'client certificate given but signed by an unknown CA', server: [...srv, '-tls1_3', '-Verify', '1', '-CAfile', 'int.crt', '-verify_return_error'],
    probe: (p) => ({ ...trustCa(p), clientCert: { certPem: p.pem('cli.crt'), keyPem: p.pem('cli.key') } }),
    outcome: 'findings', exit: 1, failing: ['client-cert-rejected'],
    more: (r) => assert.equal(r.clientAuth?.alert?.name, 'unknown_ca'),
  },
  {
    name: 'client certificate optional', server: [...srv, '-verify', '1', '-CAfile', 'ca.crt'], outcome: 'trusted', exit: 0,
    more: (r) => { assert.equal(r.clientAuth?.requested, true); assert.notEqual(r.clientAuth?.required, true); },
  },
  { name: 'expired certificate', server: ['-cert', 'expired.crt', '-key', 'srv.key'], outcome: 'findings', exit: 1, failing: ['expired'] },
  { name: 'not yet valid certificate', server: ['-cert', 'notyet.crt', '-key', 'srv.key'], outcome: 'findings', exit: 1, failing: ['not-yet-valid'] },
  {
    name: 'expired and for another name: two findings, not one', server: ['-cert', 'expired.crt', '-key', 'srv.key'],
    probe: (p) => ({ ...trustCa(p), servername: 'other.example' }), outcome: 'findings', exit: 1, failing: ['name-mismatch', 'expired'],
  },
  {
    name: 'self-signed certificate', server: ['-cert', 'self.crt', '-key', 'srv.key'], outcome: 'findings', exit: 1, failing: ['self-signed'],
    more: (r) => assert.match(r.checks.find((c) => c.id === 'chain')!.reason, /self-signed/),
  },
  {
    name: 'self-signed certificate pinned in the trust set', server: ['-cert', 'self.crt', '-key', 'srv.key'],
    probe: (p) => ({ trustPem: [p.pem('self.crt')], servername: 'localhost' }), outcome: 'trusted', exit: 0,
  },
  {
    name: 'wrong name', server: ['-cert', 'wrong.crt', '-key', 'srv.key'], outcome: 'findings', exit: 1, failing: ['name-mismatch'],
    more: (r) => assert.match(r.checks.find((c) => c.id === 'hostname')!.reason, /wrong\.example/),
  },
  {
    name: 'wrong name checked against the IP', server: ['-cert', 'wrong.crt', '-key', 'srv.key'],
    probe: (p) => ({ trustPem: [p.pem('ca.crt')] }), outcome: 'findings', exit: 1, failing: ['name-mismatch'],
    more: (r) => { assert.equal(r.target.expectedHostname, '127.0.0.1'); assert.equal(r.target.servername, undefined); },
  },
  {
    name: 'incomplete chain (intermediate not sent)', server: ['-cert', 'leafint.crt', '-key', 'srv.key'],
    outcome: 'findings', exit: 1, failing: ['incomplete-chain'],
    more: (r) => assert.match(r.checks.find((c) => c.id === 'chain')!.reason, /Test Intermediate CA/),
  },
  {
    name: 'complete chain through an intermediate', server: ['-cert', 'leafint.crt', '-key', 'srv.key', '-cert_chain', 'int.crt'],
    outcome: 'trusted', exit: 0,
    more: (r) => assert.deepEqual(r.chain.map((c) => c.subject), ['CN=localhost', 'CN=Test Intermediate CA']),
  },
  {
    name: 'root sent but not trusted', server: ['-cert', 'leafint.crt', '-key', 'srv.key', '-cert_chain', 'int-root.crt'],
    probe: (p) => ({ trustPem: [p.pem('self.crt')], servername: 'localhost' }), outcome: 'findings', exit: 1, failing: ['unknown-issuer'],
    more: (r) => assert.equal(r.chain.length, 3),
  },
  {
    name: 'trust set holding only the intermediate: not trusted (GSKit and openssl verify need the root)',
    server: ['-cert', 'leafint.crt', '-key', 'srv.key', '-cert_chain', 'int.crt'],
    probe: (p) => ({ trustPem: [p.pem('int.crt')], servername: 'localhost' }), outcome: 'findings', exit: 1, failing: ['root-not-trusted'],
    more: (r) => {
      assert.match(r.checks.find((c) => c.id === 'chain')!.reason, /trusted intermediate 'CN=Test Intermediate CA', but its issuer 'CN=Test Root CA'/);
      assert.equal(opensslVerify(['-CAfile', 'int.crt', 'leafint.crt']).ok, false, 'openssl verify agrees');
    },
  },
  {
    name: 'trust set holding the intermediate and its root: trusted',
    server: ['-cert', 'leafint.crt', '-key', 'srv.key', '-cert_chain', 'int.crt'],
    probe: (p) => ({ trustPem: [p.pem('int.crt'), p.pem('ca.crt')], servername: 'localhost' }), outcome: 'trusted', exit: 0,
    more: () => assert.equal(opensslVerify(['-CAfile', 'root-int.crt', 'leafint.crt']).ok, true, 'openssl verify agrees'),
  },
  {
    name: 'server sends intermediate and root, trust set holds only the intermediate: not trusted',
    server: ['-cert', 'leafint.crt', '-key', 'srv.key', '-cert_chain', 'int-root.crt'],
    probe: (p) => ({ trustPem: [p.pem('int.crt')], servername: 'localhost' }), outcome: 'findings', exit: 1, failing: ['root-not-trusted'],
    more: (r) => assert.match(r.checks.find((c) => c.id === 'chain')!.reason, /its root 'CN=Test Root CA' is not in the trust set/),
  },
  {
    name: 'self-signed leaf without CA:TRUE (sptls issue\'s certificate self-signed) is reported as self-signed',
    server: ['-cert', 'selfleaf.crt', '-key', 'srv.key'], outcome: 'findings', exit: 1, failing: ['self-signed'],
    more: (r) => {
      assert.match(r.checks.find((c) => c.id === 'chain')!.reason, /^self-signed certificate 'CN=localhost' is not trusted/);
      assert.match(opensslVerify(['selfleaf.crt']).output, /self-signed certificate/, 'openssl verify says the same');
    },
  },
  {
    name: 'self-signed leaf without CA:TRUE pinned in the trust set: trusted',
    server: ['-cert', 'selfleaf.crt', '-key', 'srv.key'],
    probe: (p) => ({ trustPem: [p.pem('selfleaf.crt')], servername: 'localhost' }), outcome: 'trusted', exit: 0,
    more: () => assert.equal(opensslVerify(['-CAfile', 'selfleaf.crt', 'selfleaf.crt']).ok, true, 'openssl verify agrees'),
  },
  {
    name: 'weak key and SHA-1 signature', server: ['-cert', 'weak.crt', '-key', 'weak.key', '-cipher', 'DEFAULT:@SECLEVEL=0'],
    outcome: 'findings', exit: 1, failing: ['weak-key', 'weak-signature'],
    more: (r) => { assert.equal(r.chain[0]?.keyBits, 1024); assert.equal(r.chain[0]?.signatureAlgorithm.hash, 'sha1'); },
  },
];

describe('handshake against openssl s_server', () => {
  for (const s of scenarios) {
    test(s.name, async () => {
      const port = await freePort();
      const peer = await startPeer('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-www', '-quiet', ...s.server], port, { cwd: pki.dir });
      try {
        const r = await nodeHandshakeProber.probe({ host: '127.0.0.1', port }, { timeoutMs: 3000, ...(s.probe ?? trustCa)(pki) });
        const failing = r.checks.filter((c) => c.status === 'fail').flatMap((c) => c.codes ?? []);
        assert.deepEqual({ outcome: r.outcome, exit: r.exitCode, failing: failing.sort() },
          { outcome: s.outcome, exit: s.exit, failing: [...(s.failing ?? [])].sort() }, r.summary);
        assert.ok(r.timings.totalMs < 3000 * 4, 'nothing waited past its timeouts');
        assert.equal(JSON.parse(JSON.stringify(r)).outcome, r.outcome, 'report is plain JSON');
        s.more?.(r);
      } finally {
        await peer.stop();
      }
    });
  }
});
