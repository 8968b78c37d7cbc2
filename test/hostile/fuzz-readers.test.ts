// Seeded fuzzing of the key-material readers: mutations of the real GSKit .kdb fixtures, of
// PKCS#12 files the writers make, of PEM and DER certificates and of stash files. A reader
// returns its own result for any bytes; an exception of any kind fails the test with the seed
// and the mutation, so `SPTLS_FUZZ_SEED=N` replays it.
//
// Mutations alone would mostly break a MAC and stop at the first check, so the .kdb and
// PKCS#12 inputs are also re-sealed: records / authSafe mutated, then the MAC computed again
// with the known password, which sends the mutated structure into the record and bag parsers.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { children, child, explicit, integer, nul, octets, oid, parseDer, primitiveBytes, seq, TAG, toDer } from '../../server/src/codec/asn1/der.ts';
import { inspectFile, type FileRead } from '../../server/src/pki/inspect/inspect-file.ts';
import { HEADER_FIXED, kdbMac } from '../../server/src/pki/keydb/kdb/layout.ts';
import { readKdb } from '../../server/src/pki/keydb/kdb/read.ts';
import { readStash, writeStashV1 } from '../../server/src/pki/keydb/kdb/stash.ts';
import { writeKdb } from '../../server/src/pki/keydb/kdb/write.ts';
import { writeGskitPkcs12 } from '../../server/src/pki/keydb/pkcs12/gskit.ts';
import { writeJavaTruststore } from '../../server/src/pki/keydb/pkcs12/java-truststore.ts';
import { DIGEST_OID, P12_OID, pkcs12Mac } from '../../server/src/pki/keydb/pkcs12/pfx.ts';
import { readPkcs12 } from '../../server/src/pki/keydb/pkcs12/read.ts';
import { pemEncode } from '../../server/src/codec/x509/pem.ts';
import { readCertificateFile } from '../../server/src/codec/x509/read.ts';
import { buildChain, fixtureKey, FIXTURE_KDB_DIR } from '../pki/support.ts';
import { fuzzSeed, rng } from '../support/random.ts';

const SEED = fuzzSeed(20261208);
const ROUNDS = 400;
const RUN_BOUND_MS = 120_000;


/** Lengths and counts a hostile file would use to make a reader allocate or loop. */
const HOSTILE_U32 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];

function mutate(input: Buffer, r: () => number): { bytes: Buffer; how: string } {
  const b = Buffer.from(input);
  const at = () => Math.floor(r() * Math.max(1, b.length));
  switch (Math.floor(r() * 6)) {
    case 0: { const i = at(); b[i] = Math.floor(r() * 256); return { bytes: b, how: `byte ${i} set` }; }
    case 1: { const i = at(); b[i]! ^= 1 << Math.floor(r() * 8); return { bytes: b, how: `bit flipped in byte ${i}` }; }
    case 2: { const i = at(); return { bytes: b.subarray(0, i), how: `truncated to ${i}` }; }
    case 3: {
      const i = Math.min(at(), Math.max(0, b.length - 4));
      const v = HOSTILE_U32[Math.floor(r() * HOSTILE_U32.length)]!;
      if (b.length >= 4) b.writeUInt32BE(v, i);
      return { bytes: b, how: `u32 ${v} at ${i}` };
    }
    case 4: { const i = at(); const n = 1 + Math.floor(r() * 16); return { bytes: Buffer.concat([b.subarray(0, i), Buffer.alloc(n, Math.floor(r() * 256)), b.subarray(i)]), how: `${n} bytes inserted at ${i}` }; }
    default: { const i = at(); const j = at(); return { bytes: Buffer.concat([b.subarray(0, Math.min(i, j)), b.subarray(Math.max(i, j))]), how: `bytes ${Math.min(i, j)}..${Math.max(i, j)} cut` }; }
  }
}

/** A .kdb with its records mutated and both MACs made right again for `password`. */
function resealKdb(original: Buffer, password: string, r: () => number): { bytes: Buffer; how: string } {
  const version = original[2] as 4 | 6;
  const macLength = version === 6 ? 48 : 20;
  const headerLength = HEADER_FIXED + 2 * macLength;
  if (original.length <= headerLength) return { bytes: original, how: 'too short to reseal' };
  const records = original.subarray(headerLength);
  const m = mutate(records, r);
  // Keep the size the header promises unless the mutation meant to change it.
  const body = m.bytes.length === records.length || r() < 0.3 ? m.bytes : Buffer.concat([m.bytes, Buffer.alloc(Math.max(0, records.length - m.bytes.length))]).subarray(0, records.length);
  const out = Buffer.concat([original.subarray(0, headerLength), body]);
  kdbMac(version, password, out.subarray(0, HEADER_FIXED + macLength), out.subarray(headerLength)).copy(out, HEADER_FIXED + macLength);
  return { bytes: out, how: `records resealed, ${m.how}` };
}

/** A PKCS#12 whose authSafe is mutated and MAC'd again (SHA-1, 1 iteration) for `password`. */
function resealPkcs12(original: Buffer, password: string, r: () => number): { bytes: Buffer; how: string } {
  const pfx = children(parseDer(original), 'PFX');
  const authSafe = primitiveBytes(child(child(pfx[1], 1, 'content'), 0, 'authSafe'), TAG.OCTET_STRING, 'authSafe');
  const m = mutate(authSafe, r);
  const salt = Buffer.alloc(8, 3);
  const digest = pkcs12Mac(password, salt, { hash: 'sha1', iterations: 1 }, m.bytes);
  const bytes = toDer(seq([
    integer(3),
    seq([oid(P12_OID.data), explicit(0, octets(m.bytes))]),
    seq([seq([seq([oid(DIGEST_OID.sha1), nul()]), octets(digest)]), octets(salt), integer(1)]),
  ]));
  return { bytes, how: `authSafe resealed, ${m.how}` };
}

interface Target {
  name: string;
  bytes: Buffer;
  password: string;
  read: (bytes: Buffer, password: string) => unknown;
  reseal?: (bytes: Buffer, password: string, r: () => number) => { bytes: Buffer; how: string };
}

function targets(): Target[] {
  const kdbs = [
    ...readdirSync(FIXTURE_KDB_DIR).filter((f) => f.endsWith('.kdb')).map((f) => ({ name: f, bytes: readFileSync(join(FIXTURE_KDB_DIR, f)), password: 'password' })),
    ...readdirSync(join(FIXTURE_KDB_DIR, 'second-writer')).filter((f) => f.endsWith('.kdb')).map((f) => {
      const dir = join(FIXTURE_KDB_DIR, 'second-writer');
      const stash = readStash(readFileSync(join(dir, f.replace(/\.kdb$/, '.sth'))));
      assert.ok(stash.ok);
      return { name: `second-writer/${f}`, bytes: readFileSync(join(dir, f)), password: stash.password };
    }),
  ];
  const chain = buildChain([fixtureKey('rsa2048-1'), fixtureKey('ec-p256-1'), fixtureKey('rsa2048-2')]);
  const written = writeKdb([
    { label: 'root', certificate: chain.root.der },
    { label: 'server', certificate: chain.leaf.der, privateKey: chain.leaf.key.privateKey },
  ], 'pw', { keyIterations: 5 });
  const readKdbAll = (b: Buffer, pw: string) => readKdb(b, pw);
  const readP12 = (b: Buffer, pw: string) => readPkcs12(b, pw);
  const readCerts = (b: Buffer) => readCertificateFile(b);
  return [
    ...kdbs.map((k) => ({ ...k, read: readKdbAll, reseal: resealKdb })),
    { name: 'sptls-written.kdb', bytes: written, password: 'pw', read: readKdbAll, reseal: resealKdb },
    { name: 'gskit.p12', bytes: writeGskitPkcs12({ label: 'server', privateKey: chain.leaf.key.privateKey, certificate: chain.leaf.der, chain: [{ certificate: chain.intermediate.der }] }, 'pw', { iterations: 1 }), password: 'pw', read: readP12, reseal: resealPkcs12 },
    { name: 'truststore.p12', bytes: writeJavaTruststore([{ alias: 'root', certificate: chain.root.der }], 'pw', { iterations: 1 }), password: 'pw', read: readP12, reseal: resealPkcs12 },
    { name: 'chain.pem', bytes: Buffer.from(pemEncode('CERTIFICATE', chain.leaf.der) + pemEncode('CERTIFICATE', chain.root.der)), password: '', read: readCerts },
    { name: 'leaf.der', bytes: chain.leaf.der, password: '', read: readCerts },
    { name: 'stash v1', bytes: writeStashV1('password'), password: '', read: (b) => readStash(b) },
    { name: 'stash v8', bytes: readFileSync(join(FIXTURE_KDB_DIR, 'KdbKeyStoreSpiTest_mixed.sth')), password: '', read: (b) => readStash(b) },
  ];
}

function mustNotThrow(target: Target, input: { bytes: Buffer; how: string }, round: number, read: (b: Buffer) => unknown): unknown {
  try {
    return read(input.bytes);
  } catch (e) {
    assert.fail(`${target.name}, round ${round} (SPTLS_FUZZ_SEED=${SEED}), ${input.how}: threw ${(e as Error).stack ?? String(e)}`);
  }
}

test(`the .kdb, PKCS#12, PEM/DER and stash readers return a result for ${ROUNDS} mutations of each input, never throw`, () => {
  const started = performance.now();
  const r = rng(SEED);
  for (const target of targets()) {
    // The unmutated input reads: otherwise the fuzzing would start from a broken file. The
    // second writer's files are fuzzed whether or not the reader takes them yet.
    const clean = target.read(target.bytes, target.password) as { ok: boolean };
    if (!target.name.startsWith('second-writer/')) assert.equal(clean.ok, true, `${target.name} must read before it is mutated`);
    for (let round = 0; round < ROUNDS; round++) {
      const input = target.reseal && r() < 0.5 ? target.reseal(target.bytes, target.password, r) : mutate(target.bytes, r);
      const result = mustNotThrow(target, input, round, (b) => target.read(b, target.password)) as { ok: boolean };
      assert.equal(typeof result.ok, 'boolean', `${target.name}, round ${round}: not a result`);
    }
  }
  const elapsed = performance.now() - started;
  assert.ok(elapsed < RUN_BOUND_MS, `took ${elapsed.toFixed(0)} ms`);
});

test('inspect, which picks the reader by content, turns every mutated file into a report or a one-line failure', async () => {
  const r = rng(SEED + 1);
  for (const target of targets()) {
    for (let round = 0; round < ROUNDS / 4; round++) {
      const input = target.reseal && r() < 0.5 ? target.reseal(target.bytes, target.password, r) : mutate(target.bytes, r);
      const files = new Map<string, Buffer>([['/in/file', input.bytes]]);
      const reader = { read: async (path: string): Promise<FileRead> => {
        const bytes = files.get(path);
        return bytes ? { ok: true, bytes } : { ok: false, refusal: 'missing', reason: 'no such file' };
      } };
      let result;
      try {
        result = await inspectFile('/in/file', { password: { value: target.password, from: 'the test' } }, reader);
      } catch (e) {
        assert.fail(`inspect ${target.name}, round ${round} (SPTLS_FUZZ_SEED=${SEED + 1}), ${input.how}: threw ${(e as Error).stack}`);
      }
      if (!result.ok) assert.doesNotMatch(result.failure.message, /\n/, `${target.name}, round ${round}: one line`);
    }
  }
});
