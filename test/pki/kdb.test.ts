import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readKdb } from '../../server/src/pki/keydb/kdb/read.ts';
import { readStash, writeStashV1 } from '../../server/src/pki/keydb/kdb/stash.ts';
import { KdbWriteError, writeKdb } from '../../server/src/pki/keydb/kdb/write.ts';
import { randomPassword } from '../../server/src/pki/keydb/passwords.ts';
import { buildChain, fixtureKey, FIXTURE_KDB_DIR } from './support.ts';

const fixture = (name: string) => readFileSync(join(FIXTURE_KDB_DIR, name));

// What gskcapicmd put into the three public sample databases (their README and the format note).
const FIXTURES: { file: string; entries: [label: string, kind: 'personal' | 'trusted', subject: string, key: string][] }[] = [
  { file: 'CryptoFileUtilTest_keystore', entries: [] },
  {
    file: 'KdbKeyStoreSpiTest_mixed', entries: [
      ['rsa-keypair', 'personal', 'CN=Example RSA,O=Example,C=XX', 'rsa'],
      ['ec-keypair', 'personal', 'CN=Example EC,O=Example,C=XX', 'ec'],
      ['trusted-root-ca', 'trusted', 'CN=Example Root CA,O=Example,C=XX', 'rsa'],
      ['trusted-intermediate-ca', 'trusted', 'CN=Example Intermediate CA,O=Example,C=XX', 'rsa'],
    ],
  },
  {
    file: 'KdbKeyStoreSpiTest_chained', entries: [
      ['root-ca', 'trusted', 'CN=Example Root CA,O=Example,C=XX', 'rsa'],
      ['intermediate-ca', 'trusted', 'CN=Example Intermediate CA,O=Example,C=XX', 'rsa'],
      ['server-cert', 'personal', 'CN=test.example.com,O=Example,C=XX', 'rsa'],
    ],
  },
];

describe('native GSKit fixtures', () => {
  for (const f of FIXTURES) {
    test(`${f.file}: stash gives the password, every entry is read`, () => {
      const stash = readStash(fixture(`${f.file}.sth`));
      assert.deepEqual(stash, { ok: true, version: 'v8', password: 'password' });
      const r = readKdb(fixture(`${f.file}.kdb`), stash.ok ? stash.password : '');
      assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
      assert.equal(r.kdb.version, 6);
      assert.equal(r.kdb.entries.length, f.entries.length);
      assert.deepEqual(r.kdb.entries.map((e) => [e.label, e.kind, e.certificate?.subjectText, e.certificate?.key.type]), f.entries);
      for (const e of r.kdb.entries) {
        assert.equal(e.privateKey !== undefined, e.kind === 'personal', `${e.label}: key present iff personal`);
        if (e.privateKey) assert.equal(e.privateKey.asymmetricKeyType, e.certificate!.key.type);
        assert.deepEqual(e.trailer.known, { tbs: true, subject: true, spki: true, certificate: false });
        assert.deepEqual([...e.flags.bytes], [0x80]);
      }
    });
  }

  test('the chained server certificate is issued by the intermediate, itself by the root', () => {
    const r = readKdb(fixture('KdbKeyStoreSpiTest_chained.kdb'), 'password');
    assert.ok(r.ok);
    const [root, inter, server] = r.kdb.entries.map((e) => e.certificate!);
    assert.equal(server!.issuerText, inter!.subjectText);
    assert.equal(inter!.issuerText, root!.subjectText);
    assert.ok(root!.selfIssued && root!.isCA && !server!.isCA);
  });

  test('a wrong password is reported as such', () => {
    const r = readKdb(fixture('KdbKeyStoreSpiTest_mixed.kdb'), 'Password');
    assert.equal(!r.ok && r.error.kind, 'wrong-password');
  });

  test('a flipped byte anywhere in the records fails the integrity MAC', () => {
    const bytes = fixture('KdbKeyStoreSpiTest_mixed.kdb');
    for (const offset of [0x90, 0x200, 5000 + 0x90 + 300, bytes.length - 1]) {
      const copy = Buffer.from(bytes);
      copy[offset] = copy[offset]! ^ 1;
      const r = readKdb(copy, 'password');
      assert.equal(!r.ok && r.error.kind, 'corrupt', `offset ${offset}`);
    }
  });

  test('truncated and foreign files are typed errors', () => {
    const bytes = fixture('KdbKeyStoreSpiTest_chained.kdb');
    for (const [input, kind] of [[bytes.subarray(0, 100), 'corrupt'], [bytes.subarray(0, bytes.length - 1), 'corrupt'], [Buffer.from('hello'), 'not-kdb'], [Buffer.alloc(0), 'not-kdb']] as const) {
      const r = readKdb(input, 'password');
      assert.equal(!r.ok && r.error.kind, kind);
    }
  });
});

describe('stash files', () => {
  for (const pw of ['password', 'Pässwörd-with-ümlauts', 'x'.repeat(128)]) {
    test(`v1 round trip of a ${Buffer.byteLength(pw)}-byte password`, () => {
      const bytes = writeStashV1(pw);
      assert.equal(bytes.length, 129);
      assert.deepEqual(readStash(bytes), { ok: true, version: 'v1', password: pw });
    });
  }
  test('v1 layout: password, NUL, non-zero padding, all XOR 0xF5', () => {
    const plain = Buffer.from(writeStashV1('abc').map((b) => b ^ 0xf5));
    assert.equal(plain.subarray(0, 4).toString('latin1'), 'abc\0');
    assert.ok(plain.subarray(4).every((b) => b !== 0));
  });
  test('bad lengths and a broken v8 integrity check are refused', () => {
    assert.equal(readStash(Buffer.alloc(50)).ok, false);
    const v8 = Buffer.from(fixture('KdbKeyStoreSpiTest_mixed.sth'));
    v8[40] = v8[40]! ^ 1;
    const r = readStash(v8);
    assert.equal(!r.ok && r.error.kind, 'integrity');
    assert.throws(() => writeStashV1('y'.repeat(129)), RangeError);
  });
});

describe('experimental writer → reader', () => {
  const rsa = buildChain([fixtureKey('rsa2048-1'), fixtureKey('rsa2048-2'), fixtureKey('rsa2048-3')]);
  const ec = buildChain([fixtureKey('ec-p384-1'), fixtureKey('ec-p256-1'), fixtureKey('ec-p256-2')]);
  const password = randomPassword();
  const entries = [
    { label: 'Test Root CA', certificate: rsa.root.der },
    { label: 'Test Intermediate CA', certificate: rsa.intermediate.der },
    { label: 'TSM Server SelfSigned SHA Key', certificate: rsa.leaf.der, privateKey: rsa.leaf.key.privateKey },
    { label: 'ec-server', certificate: ec.leaf.der, privateKey: ec.leaf.key.privateKey },
  ];
  const bytes = writeKdb(entries, password);

  test('has the native layout: v6 header, 5000-byte slots', () => {
    assert.deepEqual([...bytes.subarray(0, 4)], [0x37, 0x48, 0x06, 0x02]);
    assert.equal(bytes.subarray(8, 16).toString('latin1'), 'X509KEY\0');
    assert.equal(bytes.length, 0x90 + 5000 * entries.length);
  });

  test('reads back every entry, key and certificate', () => {
    const r = readKdb(bytes, password);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    assert.deepEqual(r.kdb.entries.map((e) => [e.recordNumber, e.label, e.kind]), entries.map((e, i) => [i + 1, e.label, e.privateKey ? 'personal' : 'trusted']));
    for (const [i, e] of r.kdb.entries.entries()) {
      assert.ok(e.certificate!.der.equals(entries[i]!.certificate));
      if (entries[i]!.privateKey) {
        assert.equal(e.privateKey!.export({ type: 'pkcs8', format: 'pem' }), entries[i]!.privateKey!.export({ type: 'pkcs8', format: 'pem' }));
      }
      assert.deepEqual(e.trailer.known, { tbs: true, subject: true, spki: true, certificate: false });
    }
  });

  test('the v1 stash written beside it opens it', () => {
    const stash = readStash(writeStashV1(password));
    assert.ok(stash.ok && readKdb(bytes, stash.password).ok);
    assert.equal(readKdb(bytes, password + 'x').ok, false);
  });

  test('duplicate labels (GSKit compares case-insensitively) are refused', () => {
    assert.throws(() => writeKdb([{ label: 'ca', certificate: rsa.root.der }, { label: 'CA', certificate: ec.root.der }], password), KdbWriteError);
  });

  test('an empty database reads back empty', () => {
    const r = readKdb(writeKdb([], password), password);
    assert.ok(r.ok && r.kdb.entries.length === 0);
  });
});
