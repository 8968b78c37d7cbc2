import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { writeGskitPkcs12 } from '../../server/src/pki/keydb/pkcs12/gskit.ts';
import { libertyXorDecode, libertyXorEncode, TruststoreError, writeJavaTruststore } from '../../server/src/pki/keydb/pkcs12/java-truststore.ts';
import { readPkcs12 } from '../../server/src/pki/keydb/pkcs12/read.ts';
import { randomPassword } from '../../server/src/pki/keydb/passwords.ts';
import { certificatePem } from '../../server/src/codec/x509/pem.ts';
import { privateKeyPem } from '../../server/src/codec/x509/private-key-file.ts';
import { ensureCommand } from '../support/system.ts';
import { buildChain, fixtureKey, run, scratchDir } from './support.ts';

const dir = scratchDir();
before(() => {
  ensureCommand('openssl', 'openssl');
  ensureCommand('keytool', 'openjdk-17-jre-headless');
});

const rsa = buildChain([fixtureKey('rsa2048-1'), fixtureKey('rsa2048-2'), fixtureKey('rsa2048-3')]);
const ec = buildChain([fixtureKey('ec-p384-1'), fixtureKey('ec-p256-1'), fixtureKey('ec-p256-2')]);

const keytoolList = (file: string, password: string) =>
  run('keytool', ['-list', '-storetype', 'PKCS12', '-keystore', file, '-storepass', password]);

describe('GSKit import PKCS#12 (key + chain)', () => {
  for (const [name, chain] of [['RSA', rsa], ['EC', ec]] as const) {
    const password = randomPassword();
    const file = join(dir, `server-${name}.p12`);
    writeFileSync(file, writeGskitPkcs12({
      label: 'server-cert', privateKey: chain.leaf.key.privateKey, certificate: chain.leaf.der,
      chain: [{ certificate: chain.intermediate.der, label: 'Test Intermediate CA' }, { certificate: chain.root.der, label: 'Test Root CA' }],
    }, password));

    test(`${name}: openssl pkcs12 -info -noout opens it without -legacy`, () => {
      const r = run('openssl', ['pkcs12', '-info', '-noout', '-in', file, '-passin', `pass:${password}`]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /MAC: sha1/);
      assert.match(r.stderr, /Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/);
      assert.equal((r.stderr.match(/Certificate bag/g) ?? []).length, 3);
      assert.doesNotMatch(r.stderr, /RC2/);
    });

    test(`${name}: openssl extracts the same key and leaf certificate`, () => {
      const key = run('openssl', ['pkcs12', '-in', file, '-passin', `pass:${password}`, '-nocerts', '-nodes']).stdout;
      assert.ok(key.includes(privateKeyPem(chain.leaf.key.privateKey).trim()));
      const certs = run('openssl', ['pkcs12', '-in', file, '-passin', `pass:${password}`, '-clcerts', '-nokeys']).stdout;
      assert.ok(certs.includes(certificatePem(chain.leaf.der).trim()));
      assert.match(certs, /friendlyName: server-cert/);
    });

    test(`${name}: keytool lists one PrivateKeyEntry`, () => {
      const r = keytoolList(file, password);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /contains 1 entry/);
      assert.match(r.stdout, /server-cert, .*PrivateKeyEntry/);
    });

    test(`${name}: a wrong password is refused by openssl and by our reader`, () => {
      assert.notEqual(run('openssl', ['pkcs12', '-info', '-noout', '-in', file, '-passin', 'pass:wrong']).status, 0);
      const r = readPkcs12(readFileSync(file), 'wrong');
      assert.equal(!r.ok && r.error.kind, 'wrong-password');
      assert.ok(readPkcs12(readFileSync(file), password).ok);
    });
  }
});

describe('Java truststore', () => {
  const password = randomPassword();
  const file = join(dir, 'trust.p12');
  const certs = [{ alias: 'test root ca', certificate: rsa.root.der }, { alias: 'ec root', certificate: ec.root.der }, { alias: 'ec intermediate', certificate: ec.intermediate.der }];
  writeFileSync(file, writeJavaTruststore(certs, password));

  test('keytool lists every certificate as trustedCertEntry', () => {
    const r = keytoolList(file, password);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`contains ${certs.length} entries`));
    for (const c of certs) assert.match(r.stdout, new RegExp(`${c.alias}, .*trustedCertEntry`));
  });

  test('keytool rejects the wrong password', () => {
    assert.notEqual(keytoolList(file, 'wrong-password').status, 0);
  });

  test('openssl opens it and sees the Oracle trust attribute', () => {
    const r = run('openssl', ['pkcs12', '-in', file, '-passin', `pass:${password}`, '-nokeys']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((r.stdout.match(/2\.16\.840\.1\.113894\.746875\.1\.1/g) ?? []).length, certs.length);
  });

  test('duplicate aliases and empty stores are refused', () => {
    assert.throws(() => writeJavaTruststore([], password), TruststoreError);
    assert.throws(() => writeJavaTruststore([{ alias: 'A', certificate: rsa.root.der }, { alias: 'a', certificate: ec.root.der }], password), /used twice/);
  });
});

describe('PKCS#12 reader', () => {
  test('reads OpenSSL 3 default output (PBES2/AES-256, SHA-256 MAC)', () => {
    const cert = join(dir, 'ossl.pem');
    const key = join(dir, 'ossl.key');
    writeFileSync(cert, certificatePem(ec.leaf.der));
    writeFileSync(key, privateKeyPem(ec.leaf.key.privateKey));
    const out = join(dir, 'ossl.p12');
    assert.equal(run('openssl', ['pkcs12', '-export', '-in', cert, '-inkey', key, '-name', 'from-openssl', '-out', out, '-passout', 'pass:pw']).status, 0);
    const r = readPkcs12(readFileSync(out), 'pw');
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    assert.match(r.file.mac, /^sha256/);
    assert.deepEqual(r.file.entries.map((e) => [e.label, e.kind, e.certificate.fingerprintSha256]), [['from-openssl', 'personal', run('openssl', ['x509', '-in', cert, '-noout', '-fingerprint', '-sha256']).stdout.trim().split('=')[1]]]);
  });

  test('garbage is a typed error, never an exception', () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from('not a pfx'), Buffer.from([0x30, 0x03, 0x02, 0x01, 0x03])]) {
      const r = readPkcs12(bytes, 'x');
      assert.equal(r.ok, false);
    }
  });
});

describe('Liberty {xor} passwords', () => {
  test('matches the IBM documentation example', () => {
    assert.equal(libertyXorEncode('myPassword'), '{xor}MiYPPiwsKDAtOw==');
    assert.equal(libertyXorDecode('{xor}MiYPPiwsKDAtOw=='), 'myPassword');
  });
  test('round-trips random passwords; plain text is not {xor}', () => {
    const p = randomPassword(40);
    assert.equal(libertyXorDecode(libertyXorEncode(p)), p);
    assert.equal(libertyXorDecode('J8b%^B'), undefined);
  });
});

test('random passwords differ and use the safe alphabet', () => {
  const a = randomPassword();
  const b = randomPassword();
  assert.notEqual(a, b);
  assert.match(a, /^[A-Za-z2-9._-]{24}$/);
  assert.throws(() => randomPassword(4), RangeError);
});
