import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { buildCertificate, CertificateRequestError } from '../../server/src/codec/x509/build.ts';
import { formatDn, parseDn, DnSyntaxError } from '../../server/src/codec/x509/dn.ts';
import { generateKey, describeKey } from '../../server/src/codec/x509/keys.ts';
import { certificatePem, pemDecodeAll } from '../../server/src/codec/x509/pem.ts';
import { privateKeyPem, readPrivateKey } from '../../server/src/codec/x509/private-key-file.ts';
import { readCertificateFile, signatureAlgorithmOf } from '../../server/src/codec/x509/read.ts';
import { DerError, derElements, oid, oidFromTlv, toDer } from '../../server/src/codec/asn1/der.ts';
import { SIGNATURE_ALGORITHM_INFO } from '../../server/src/codec/x509/oids.ts';
import { ensureCommand } from '../support/system.ts';
import { buildChain, fixtureKey, run, scratchDir, type Chain } from './support.ts';

const dir = scratchDir();
before(() => ensureCommand('openssl', 'openssl'));

const chains: { name: string; chain: () => Chain; keyText: RegExp; leafSig: string }[] = [
  { name: 'RSA', chain: () => buildChain([fixtureKey('rsa2048-1'), fixtureKey('rsa2048-2'), fixtureKey('rsa2048-3')]), keyText: /Public-Key: \(2048 bit\)/, leafSig: 'sha256WithRSAEncryption' },
  { name: 'EC', chain: () => buildChain([fixtureKey('ec-p384-1'), fixtureKey('ec-p256-1'), fixtureKey('ec-p256-2')], [{ type: 'dns', value: 'server.example.test' }, { type: 'ip', value: '127.0.0.1' }, { type: 'ip', value: '::1' }]), keyText: /NIST CURVE: P-256/, leafSig: 'ecdsa-with-SHA256' },
];

for (const c of chains) {
  describe(`${c.name} chain root → intermediate → leaf`, () => {
    const chain = c.chain();
    const file = (name: string, der: Buffer) => { const p = join(dir, `${c.name}-${name}.pem`); writeFileSync(p, certificatePem(der)); return p; };
    const root = file('root', chain.root.der);
    const inter = file('intermediate', chain.intermediate.der);
    const leaf = file('leaf', chain.leaf.der);

    test('openssl verify accepts the chain', () => {
      const r = run('openssl', ['verify', '-CAfile', root, '-untrusted', inter, leaf]);
      assert.equal(r.status, 0, r.stderr + r.stdout);
      assert.match(r.stdout, /: OK/);
    });

    test('openssl verify rejects the leaf without its intermediate', () => {
      assert.notEqual(run('openssl', ['verify', '-CAfile', root, leaf]).status, 0);
    });

    test('openssl x509 -text shows SANs, key, validity and leaf extensions', () => {
      const text = run('openssl', ['x509', '-in', leaf, '-noout', '-text']).stdout;
      assert.match(text, /Subject: C = US, O = sptls, OU = TSM Network, CN = server.example.test/);
      assert.match(text, /DNS:server\.example\.test/);
      assert.match(text, c.keyText);
      assert.match(text, /Not After : /);
      assert.match(text, /Basic Constraints: critical\s+CA:FALSE/);
      assert.match(text, /Key Usage: critical\s+Digital Signature/);
      assert.match(text, /TLS Web Server Authentication, TLS Web Client Authentication/);
      assert.match(text, new RegExp(`Signature Algorithm: ${c.leafSig}`));
    });

    test('openssl x509 -text shows CA extensions on the intermediate', () => {
      const text = run('openssl', ['x509', '-in', inter, '-noout', '-text']).stdout;
      assert.match(text, /Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
      assert.match(text, /Key Usage: critical\s+Certificate Sign, CRL Sign/);
    });

    test('the reader reports what openssl reports', () => {
      const r = readCertificateFile(Buffer.from(certificatePem(chain.leaf.der) + certificatePem(chain.intermediate.der)));
      assert.ok(r.ok);
      const [l, i] = r.certificates;
      assert.equal(l!.subjectText, 'CN=server.example.test,OU=TSM Network,O=sptls,C=US');
      assert.deepEqual(l!.issuer.map((a) => [a.type, a.value]), [['C', 'US'], ['O', 'sptls'], ['CN', 'Test Intermediate CA']]);
      assert.equal(l!.signatureAlgorithm, run('openssl', ['x509', '-in', leaf, '-noout', '-text']).stdout.match(/Signature Algorithm: (\S+)/)![1]);
      assert.equal(signatureAlgorithmOf(chain.leaf.der).name, l!.signatureAlgorithm); // the shallow reader agrees
      const fp = run('openssl', ['x509', '-in', leaf, '-noout', '-fingerprint', '-sha256']).stdout.trim().split('=')[1];
      assert.equal(l!.fingerprintSha256, fp);
      const end = new Date(run('openssl', ['x509', '-in', leaf, '-noout', '-enddate']).stdout.trim().split('=')[1]!);
      assert.equal(l!.notAfter.getTime(), end.getTime());
      assert.equal(l!.isCA, false);
      assert.equal(i!.isCA, true);
      assert.equal(i!.pathLen, 0);
      assert.deepEqual(l!.key, describeKey(chain.leaf.key.publicKey));
      assert.deepEqual(l!.authorityKeyId, i!.subjectKeyId);
      assert.equal(Buffer.compare(l!.der, chain.leaf.der), 0);
    });
  });
}

test('the reader lists IPv4 and IPv6 SANs', () => {
  const chain = chains[1]!.chain();
  const r = readCertificateFile(chain.leaf.der);
  assert.ok(r.ok);
  assert.deepEqual(r.certificates[0]!.sans, { dns: ['server.example.test'], ip: ['127.0.0.1', '::1'] });
});

test('freshly generated RSA and EC keys sign certificates openssl accepts', async () => {
  for (const spec of [{ kind: 'rsa', bits: 2048 }, { kind: 'ec', curve: 'P-384' }] as const) {
    const k = await generateKey(spec);
    const der = buildCertificate({ subject: 'CN=fresh,C=US', publicKey: k.publicKey, issuer: { selfSigned: k.privateKey }, notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000), isCA: true });
    const p = join(dir, `fresh-${spec.kind}.pem`);
    writeFileSync(p, certificatePem(der));
    assert.equal(run('openssl', ['verify', '-CAfile', p, p]).status, 0);
    const facts = readCertificateFile(der);
    assert.ok(facts.ok);
    assert.equal(facts.certificates[0]!.signatureAlgorithm, spec.kind === 'rsa' ? 'sha256WithRSAEncryption' : 'ecdsa-with-SHA384');
  }
});

describe('reading never throws on garbage', () => {
  const leaf = buildChain([fixtureKey('rsa2048-1'), fixtureKey('rsa2048-2'), fixtureKey('ec-p256-1')]).leaf.der;
  const cases: [string, Uint8Array, string][] = [
    ['empty', Buffer.alloc(0), 'empty'],
    ['text', Buffer.from('hello world'), 'malformed'],
    ['PEM without certificate', Buffer.from('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'), 'no-certificate'],
    ['truncated DER', leaf.subarray(0, leaf.length - 10), 'malformed'],
    ['random bytes', Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 73 + 11) & 0xff)), 'malformed'],
    ['SEQUENCE of garbage', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]), 'malformed'],
    ['PEM with bad base64 body', Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB!!!\n-----END CERTIFICATE-----\n'), 'no-certificate'],
  ];
  for (const [name, bytes, kind] of cases) {
    test(name, () => {
      const r = readCertificateFile(bytes);
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.error.kind, kind);
    });
  }
  test('every single-byte corruption of a certificate is handled', () => {
    for (let i = 0; i < leaf.length; i += 7) {
      const copy = Buffer.from(leaf);
      copy[i] = copy[i]! ^ 0xa5;
      assert.doesNotThrow(() => readCertificateFile(copy));
      assert.doesNotThrow(() => signatureAlgorithmOf(copy));
    }
  });
});

describe('the shallow DER reader behind signatureAlgorithmOf', () => {
  const leaf = buildChain([fixtureKey('rsa2048-1'), fixtureKey('rsa2048-2'), fixtureKey('ec-p256-1')]).leaf.der;
  test('splits a certificate into tbsCertificate, signatureAlgorithm and signature', () => {
    const [tbs, alg, sig] = derElements(leaf);
    assert.equal(derElements(leaf).length, 3);
    assert.equal(tbs![0], 0x30);
    assert.equal(alg![0], 0x30);
    assert.equal(sig![0], 0x03);
    assert.equal(tbs!.length + alg!.length + sig!.length + 4, leaf.length); // + the outer long-form header
    // The EC leaf is signed by the RSA intermediate.
    assert.deepEqual(signatureAlgorithmOf(leaf), { oid: '1.2.840.113549.1.1.11', name: 'sha256WithRSAEncryption', hash: 'sha256' });
  });
  test('reads OBJECT IDENTIFIERs as the full parser writes them', () => {
    for (const dotted of [...Object.keys(SIGNATURE_ALGORITHM_INFO), '0.9.2342.19200300.100.1.25', '2.5.29.17', '2.999.3', '1.3.6.1.4.1.311.60.2.1.3']) {
      assert.equal(oidFromTlv(toDer(oid(dotted))), dotted);
    }
    assert.throws(() => oidFromTlv(Buffer.from([0x06, 0x02, 0x2a, 0x86])), DerError); // last arc cut short
    assert.throws(() => oidFromTlv(Buffer.from([0x02, 0x01, 0x2a])), DerError); // an INTEGER
  });
  const bad: [string, number[]][] = [
    ['empty', []],
    ['a primitive value', [0x02, 0x01, 0x05]],
    ['a length past the end', [0x30, 0x05, 0x02, 0x01]],
    ['an element past its container', [0x30, 0x03, 0x02, 0x05, 0x01]],
    ['bytes after the value', [0x30, 0x00, 0x00]],
    ['an indefinite length', [0x30, 0x80, 0x00, 0x00]],
  ];
  for (const [name, bytes] of bad) {
    test(`refuses ${name} with a DerError`, () => assert.throws(() => derElements(Buffer.from(bytes)), DerError));
  }
});

describe('distinguished names', () => {
  for (const text of ['CN=TSM Self-Signed Certificate,OU=TSM Network,O=TSM,C=US', 'CN=a\\,b,O=Ünïcode GmbH,C=DE', 'CN=x']) {
    test(`"${text}" round-trips and is reversed in DER order`, () => {
      const dn = parseDn(text);
      assert.equal(formatDn(dn), text);
      assert.equal(dn[dn.length - 1]!.type, 'CN');
    });
  }
  for (const bad of ['', 'CN', 'XX=1', 'CN=', 'C=USA']) {
    test(`"${bad}" is rejected`, () => assert.throws(() => parseDn(bad), DnSyntaxError));
  }
});

test('requests that cannot be issued are refused with a reason', () => {
  const k = fixtureKey('ec-p256-1');
  const base = { subject: 'CN=x', publicKey: k.publicKey, issuer: { selfSigned: k.privateKey }, notBefore: new Date(), notAfter: new Date(Date.now() + 1000), isCA: false };
  assert.throws(() => buildCertificate({ ...base, notAfter: base.notBefore }), CertificateRequestError);
  assert.throws(() => buildCertificate({ ...base, sans: [{ type: 'ip', value: '300.1.1.1' }] }), CertificateRequestError);
  assert.throws(() => buildCertificate({ ...base, pathLen: 1 }), CertificateRequestError);
  const leaf = buildCertificate(base);
  assert.throws(() => buildCertificate({ ...base, issuer: { certificate: leaf, privateKey: k.privateKey } }), /not a CA/);
});

test('private key files: plain and AES-256 encrypted PKCS#8 PEM', () => {
  const k = fixtureKey('rsa2048-1').privateKey;
  const plain = privateKeyPem(k);
  assert.match(plain, /BEGIN PRIVATE KEY/);
  const enc = privateKeyPem(k, 'correct horse');
  assert.match(enc, /BEGIN ENCRYPTED PRIVATE KEY/);
  const p = join(dir, 'enc.key');
  writeFileSync(p, enc);
  assert.equal(run('openssl', ['pkey', '-in', p, '-passin', 'pass:correct horse', '-noout']).status, 0);
  assert.match(run('openssl', ['asn1parse', '-in', p]).stdout, /aes-256-cbc/);
  const back = readPrivateKey(Buffer.from(enc), 'correct horse');
  assert.ok(back.ok && back.key.export({ type: 'pkcs8', format: 'pem' }) === plain);
  const wrong = readPrivateKey(Buffer.from(enc), 'nope');
  assert.equal(!wrong.ok && wrong.error.kind, 'wrong-passphrase');
  const missing = readPrivateKey(Buffer.from(enc));
  assert.equal(!missing.ok && missing.error.kind, 'needs-passphrase');
  assert.equal(pemDecodeAll(enc)[0]!.label, 'ENCRYPTED PRIVATE KEY');
});
