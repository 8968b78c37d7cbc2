// Pieces of the handshake tester that need no network: certificate facts, checks,
// alert names, trust files, wire classification, CLI parsing and rendering (with a fake prober).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { alertFromErrorCode } from '../../server/src/handshake/alerts.ts';
import { certFacts, parseSubjectAltName } from '../../server/src/handshake/cert-facts.ts';
import { checkValidity, runChecks } from '../../server/src/handshake/checks.ts';
import { createFakeProber, fakeReport } from '../../server/src/handshake/fake.ts';
import { renderText } from '../../server/src/handshake/render.ts';
import { readTrustFile, TrustInputError } from '../../server/src/handshake/trust.ts';
import { readServerFlight } from '../../server/src/handshake/wire.ts';
import { makeHandshakeCommand, parseTarget } from '../../server/src/cli/commands/handshake.ts';
import { UsageError, type CliIO } from '../../server/src/cli/io.ts';
import { makePki, run, type Pki } from './peers.ts';

let pki: Pki;
before(() => { pki = makePki(); });
after(() => pki?.cleanup());
const x509 = (name: string) => new X509Certificate(pki.pem(name));

describe('certificate facts', () => {
  test('read from the certificate, signature algorithm from the DER', () => {
    const f = certFacts(x509('weak.crt'), new Date('2030-01-01T00:00:00Z'));
    assert.equal(f.subject, 'CN=localhost');
    assert.equal(f.issuer, 'CN=Test Root CA');
    assert.deepEqual([f.keyType, f.keyBits], ['rsa', 1024]);
    assert.deepEqual(f.signatureAlgorithm, { oid: '1.2.840.113549.1.1.5', name: 'sha1WithRSAEncryption', hash: 'sha1' });
    assert.deepEqual(f.sans, ['DNS:localhost', 'IP:127.0.0.1']);
    assert.equal(f.notAfter, '2099-12-31T00:00:00.000Z');
    assert.match(f.fingerprintSha256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  test('EC keys and ECDSA signatures', () => {
    run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp384r1', '-nodes', '-keyout', 'ec.key', '-out', 'ec.crt', '-subj', '/CN=ec', '-days', '1', '-sha384'], pki.dir);
    const f = certFacts(x509('ec.crt'));
    assert.deepEqual([f.keyType, f.curve, f.keyBits, f.signatureAlgorithm.name], ['ec', 'secp384r1', 384, 'ecdsa-with-SHA384']);
    assert.equal(f.selfIssued, true);
  });

  for (const [san, expected] of [
    ['DNS:a.example, IP Address:10.0.0.1', ['DNS:a.example', 'IP:10.0.0.1']],
    ['DNS:"x, y", email:ops@example.com', ['DNS:x, y', 'email:ops@example.com']],
    [undefined, []],
  ] as const) {
    test(`SAN list ${JSON.stringify(san)}`, () => assert.deepEqual(parseSubjectAltName(san), expected));
  }
});

describe('checks are independent', () => {
  test('expired and misnamed yield two findings; trust is judged on its own', () => {
    const presented = [x509('expired.crt')];
    const checks = runChecks({
      presented, facts: presented.map((c) => certFacts(c)), anchors: [x509('ca.crt')], trustDescription: 'test trust',
      expectedHostname: 'other.example', now: new Date(),
    });
    const status = Object.fromEntries(checks.map((c) => [c.id, c.status]));
    assert.deepEqual(status, { chain: 'pass', hostname: 'fail', validity: 'fail', key: 'pass', signature: 'pass', 'client-cert': 'skip' });
  });

  for (const [now, status, code] of [
    ['2019-12-31T00:00:00Z', 'fail', 'not-yet-valid'],
    ['2020-01-20T00:00:00Z', 'warn', 'expires-soon'],
    ['2020-01-02T00:00:00Z', 'pass', undefined],
    ['2020-03-01T00:00:00Z', 'fail', 'expired'],
  ] as const) {
    test(`validity at ${now}: ${status}`, () => {
      const r = checkValidity([certFacts(x509('expired.crt'), new Date(now))], new Date(now));
      assert.equal(r.status, status, r.reason);
      assert.equal(r.codes?.[0], code);
    });
  }
});

describe('protocol details', () => {
  for (const [code, number] of [
    ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 70], ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 40],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 116], ['ERR_SSL_SSL/TLS_ALERT_BAD_CERTIFICATE', 42],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 48], ['ECONNRESET', undefined],
  ] as const) {
    test(`alert of ${code}`, () => assert.equal(alertFromErrorCode(code)?.number, number));
  }

  for (const [hex, kind] of [
    ['485454502f312e3120343030', 'http'], [Buffer.from('<!DOCTYPE HTML>\n<html>').toString('hex'), 'http'], ['160301002001000100', 'echo'], ['5353482d322e30', 'other'], ['160303005002', undefined],
  ] as const) {
    test(`first bytes ${hex} → ${kind ?? 'TLS'}`, () => assert.equal(readServerFlight(Buffer.from(hex, 'hex')).nonTls?.kind, kind));
  }

  test('trust files: PEM, DER, and a clear error for anything else', () => {
    run('openssl', ['x509', '-in', 'ca.crt', '-outform', 'DER', '-out', 'ca.der'], pki.dir);
    writeFileSync(pki.path('junk.arm'), 'not a certificate');
    assert.equal(new X509Certificate(readTrustFile(pki.path('ca.der'))).subject, 'CN=Test Root CA');
    assert.match(readTrustFile(pki.path('ca.crt')), /BEGIN CERTIFICATE/);
    assert.throws(() => readTrustFile(pki.path('junk.arm')), (e) => e instanceof TrustInputError && e.message.includes('junk.arm'));
    assert.throws(() => readTrustFile(pki.path('missing.pem')), /missing.pem: cannot read trust file: no such file/);
  });
});

describe('sptls handshake command (fake prober)', () => {
  const io = (): CliIO & { text: string } => {
    const o = { text: '', cwd: pki.dir, env: {}, out: (t: string) => { o.text += t; }, err: (t: string) => { o.text += t; } };
    return o;
  };

  for (const [arg, expected] of [['db.example:1500', { host: 'db.example', port: 1500 }], ['[::1]:636', { host: '::1', port: 636 }]] as const) {
    test(`target ${arg}`, () => assert.deepEqual(parseTarget(arg), expected));
  }
  for (const bad of ['db.example', 'h:0', ':1', '::1:636']) {
    test(`bad target ${bad}`, () => assert.throws(() => parseTarget(bad), UsageError));
  }

  test('options reach the prober; exit code and verdict-first text come from the report', async () => {
    const fake = createFakeProber((t) => fakeReport(t, { outcome: 'findings', exitCode: 1, summary: 'something failed',
      checks: [{ id: 'hostname', status: 'fail', reason: 'name mismatch: x', codes: ['name-mismatch'] }] }));
    const out = io();
    const code = await makeHandshakeCommand(fake).run(['h.example:1500', '--trust', 'ca.crt', '--servername', 'sp.example', '--tls', 'all', '--timeout', '900'], out);
    assert.equal(code, 1);
    const opts = fake.calls[0]!.options;
    assert.equal(opts.servername, 'sp.example');
    assert.equal(opts.tls, 'all');
    assert.equal(opts.timeoutMs, 900);
    assert.match(opts.trustPem![0]!, /BEGIN CERTIFICATE/);
    assert.match(out.text.split('\n')[0]!, /^FINDINGS\s+h\.example:1500/);
    assert.match(out.text, /FAIL\s+hostname\s+name mismatch/);
  });

  test('json output is the report', async () => {
    const out = io();
    await makeHandshakeCommand(createFakeProber()).run(['h:1', '--format', 'json'], out);
    assert.equal(JSON.parse(out.text).schema, 'sptls.handshake/1');
  });

  for (const args of [['h:1', '--tls', '1.4'], ['h:1', '--cert', 'x.pem'], ['h:1', '--starttls', 'smtp'], ['h:1', '--timeout', 'soon'], ['h:1', '--trust', 'junk.arm'], ['h:1', '--from', 'x']]) {
    test(`usage error: ${args.slice(1).join(' ')}`, async () => {
      await assert.rejects(makeHandshakeCommand(createFakeProber()).run(args, io()), UsageError);
    });
  }

  test('text rendering of a refused connection says so first', () => {
    const text = renderText(fakeReport({ host: 'h', port: 1 }, { outcome: 'refused', exitCode: 2, summary: 'h:1: connection refused', session: undefined,
      failure: { phase: 'connect', code: 'ECONNREFUSED', message: 'connection refused' } }));
    assert.match(text, /^NO CONNECTION \(refused\)\s+h:1\s+exit 2\n/);
    assert.match(text, /phase\s+connect/);
  });
});
