// writeKdb({ shape: 'keystore-explorer' }) and writeStashV8 against the files KeyStore Explorer
// wrote (shared/fixtures/kdb/second-writer): the same entries give the same header fields, the same
// trusted records byte for byte, and personal records that differ only in the randomly salted
// encrypted key; our reader reads them back as KeyStore Explorer's shape.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { child, children, parseDer, toDer } from '../../server/src/codec/asn1/der.ts';
import { readKdb, type KdbFile } from '../../server/src/pki/keydb/kdb/read.ts';
import { readStash, writeStashV8 } from '../../server/src/pki/keydb/kdb/stash.ts';
import { writeKdb } from '../../server/src/pki/keydb/kdb/write.ts';
import { FIXTURE_KDB_DIR } from './support.ts';

const DIR = join(FIXTURE_KDB_DIR, 'second-writer');
const HEADER = 0x30 + 48 + 48; // fixed header, HMAC-SHA384 verifier, HMAC-SHA384 MAC (container v6)
const SALT = 0x18;

function fixture(name: string): { bytes: Buffer; password: string; kdb: KdbFile } {
  const stash = readStash(readFileSync(join(DIR, `${name}.sth`)));
  assert.ok(stash.ok);
  const bytes = readFileSync(join(DIR, `${name}.kdb`));
  const r = readKdb(bytes, stash.password);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  return { bytes, password: stash.password, kdb: r.kdb };
}

/** One record slot cut into its fields. */
function fields(slot: Buffer) {
  const derLength = slot.readUInt32BE(8);
  const der = slot.subarray(12, 12 + derLength);
  const tail = slot.subarray(12 + derLength);
  let used = tail.length;
  while (used > 0 && tail[used - 1] === 0) used--;
  const items = children(parseDer(der), 'record');
  const body = child(items[1], 0, 'record body');
  return {
    head: slot.subarray(0, 8).toString('hex'),
    integer: toDer(items[0]!).toString('hex'),
    bodyTag: items[1]!.type,
    certificate: toDer(items[1]!.type === 2 ? child(body, 0, 'certificate') : body).toString('hex'),
    labelAndFlags: [toDer(items[2]!), toDer(items[3]!)].map((b) => b.toString('hex')),
    // label field, trailer flags and trailer values; the rest of the slot is zero padding
    tail: tail.subarray(0, used).toString('hex'),
  };
}

describe('the KeyStore Explorer shape of writeKdb', () => {
  for (const name of ['ec', 'rsa', 'ed']) {
    test(`${name}.kdb: the same entries written again give KeyStore Explorer's records`, () => {
      const theirs = fixture(name);
      const entries = theirs.kdb.entries.map((e) => ({ label: e.label, certificate: e.certificate!.der, ...(e.privateKey ? { privateKey: e.privateKey } : {}) }));
      const ours = writeKdb(entries, theirs.password, { shape: 'keystore-explorer', keyIterations: 1024 });
      // magic, container version, kind, slot size, record count; salt and MACs are random/keyed by it
      assert.equal(ours.subarray(0, SALT).toString('hex'), theirs.bytes.subarray(0, SALT).toString('hex'));
      assert.equal(ours.length, theirs.bytes.length);
      const slotSize = theirs.kdb.slotSize;
      theirs.kdb.entries.forEach((e, i) => {
        const a = ours.subarray(HEADER + i * slotSize, HEADER + (i + 1) * slotSize);
        const b = theirs.bytes.subarray(HEADER + i * slotSize, HEADER + (i + 1) * slotSize);
        if (e.kind === 'trusted') assert.ok(a.equals(b), `trusted record "${e.label}" is byte-identical`);
        assert.deepEqual(fields(a), fields(b), `record "${e.label}"`);
      });

      const back = readKdb(ours, theirs.password);
      assert.ok(back.ok);
      assert.deepEqual(back.kdb.entries.map((e) => [e.label, e.kind, e.trailer.shape, e.trailer.known.spki, e.trailer.known.certificate, createHash('sha256').update(e.certificate!.der).digest('hex')]),
        theirs.kdb.entries.map((e) => [e.label, e.kind, 'kse', true, true, createHash('sha256').update(e.certificate!.der).digest('hex')]));
      back.kdb.entries.forEach((e, i) => {
        const key = theirs.kdb.entries[i]!.privateKey;
        assert.equal(e.privateKey?.export({ type: 'pkcs8', format: 'der' }).toString('hex'), key?.export({ type: 'pkcs8', format: 'der' }).toString('hex'));
      });
    });
  }

  test('the default shape stays gskcapicmd\'s: bare label, five-value trailer, record numbers', () => {
    const { kdb, password } = fixture('ec');
    const entries = kdb.entries.map((e) => ({ label: e.label, certificate: e.certificate!.der, ...(e.privateKey ? { privateKey: e.privateKey } : {}) }));
    const back = readKdb(writeKdb(entries, password), password);
    assert.ok(back.ok);
    assert.deepEqual(back.kdb.entries.map((e) => [e.trailer.shape, e.recordNumber, e.flags.bytes.toString('hex')]), [['native', 1, '80'], ['native', 2, '80']]);
  });
});

describe('writeStashV8', () => {
  test('193 bytes, the v8 integrity check holds, and it reads back as a v8 stash', () => {
    for (const pw of ['Kse-Pw_1.x', 'password', 'ü'.repeat(64)]) {
      const bytes = writeStashV8(pw);
      assert.equal(bytes.length, readFileSync(join(DIR, 'rsa.sth')).length);
      assert.ok(bytes.subarray(32, 64).equals(createHash('sha256').update(Buffer.from([1])).update(bytes.subarray(0, 32)).digest()));
      assert.deepEqual(readStash(bytes), { ok: true, version: 'v8', password: pw });
    }
    assert.notDeepEqual(writeStashV8('x'), writeStashV8('x'), 'random A each time');
    assert.throws(() => writeStashV8('y'.repeat(129)), RangeError);
  });
});
