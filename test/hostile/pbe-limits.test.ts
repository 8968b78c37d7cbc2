// The key-derivation limits of docs/limits.md, on files real writers make: OpenSSL's
// `pkcs12 -export -iter N` at the limit reads, one above it is refused before any
// derivation runs; a .kdb of many keys cannot multiply the per-derivation limit.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_PBE_ITERATIONS, MAX_PBE_WORK_PER_FILE } from '../../server/src/pki/keydb/pbe.ts';
import { readKdb } from '../../server/src/pki/keydb/kdb/read.ts';
import { writeKdb } from '../../server/src/pki/keydb/kdb/write.ts';
import { readPkcs12 } from '../../server/src/pki/keydb/pkcs12/read.ts';
import { pemEncode } from '../../server/src/codec/x509/pem.ts';
import { ensureCommand } from '../support/system.ts';
import { buildChain, fixtureKey, run, scratchDir } from '../pki/support.ts';

const chain = buildChain([fixtureKey('rsa2048-1'), fixtureKey('rsa2048-2'), fixtureKey('rsa2048-3')]);

function opensslPkcs12(dir: string, iterations: number): Buffer {
  ensureCommand('openssl', 'openssl');
  const cert = join(dir, 'leaf.pem');
  const key = join(dir, 'leaf.key');
  const out = join(dir, `leaf-${iterations}.p12`);
  writeFileSync(cert, pemEncode('CERTIFICATE', chain.leaf.der));
  writeFileSync(key, chain.leaf.key.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const r = run('openssl', ['pkcs12', '-export', '-in', cert, '-inkey', key, '-out', out, '-passout', 'pass:pw', '-iter', String(iterations)]);
  assert.equal(r.status, 0, r.stderr);
  const info = run('openssl', ['pkcs12', '-in', out, '-info', '-noout', '-passin', 'pass:pw']);
  assert.match(info.stderr + info.stdout, new RegExp(`Iteration ${iterations}`), 'OpenSSL wrote the count asked for');
  return readFileSync(out);
}

test(`a PKCS#12 from OpenSSL with ${MAX_PBE_ITERATIONS} iterations reads; with one more it is refused by name`, () => {
  const dir = scratchDir();
  const atLimit = readPkcs12(opensslPkcs12(dir, MAX_PBE_ITERATIONS), 'pw');
  assert.ok(atLimit.ok, atLimit.ok ? '' : atLimit.error.message);
  assert.equal(atLimit.file.entries[0]?.kind, 'personal');
  const over = readPkcs12(opensslPkcs12(dir, MAX_PBE_ITERATIONS + 1), 'pw');
  assert.ok(!over.ok);
  assert.equal(over.error.kind, 'unsupported');
  assert.match(over.error.message, new RegExp(`the MAC asks for ${MAX_PBE_ITERATIONS + 1} iterations, over sptls's limit of ${MAX_PBE_ITERATIONS}`));
  // A wrong password is refused the same way: the count is checked before the password is tried.
  const wrong = readPkcs12(opensslPkcs12(dir, MAX_PBE_ITERATIONS + 1), 'not-pw');
  assert.ok(!wrong.ok && wrong.error.kind === 'unsupported');
});

test('a .kdb whose keys together ask for more than the per-file budget is refused at the key that crosses it', () => {
  const perKey = MAX_PBE_ITERATIONS;
  const keys = Math.floor(MAX_PBE_WORK_PER_FILE / perKey) + 1;
  const entries = Array.from({ length: keys }, (_, i) => ({ label: `key${i}`, certificate: chain.leaf.der, privateKey: chain.leaf.key.privateKey }));
  const kdb = writeKdb(entries, 'pw', { keyIterations: perKey });
  const r = readKdb(kdb, 'pw');
  assert.ok(!r.ok);
  assert.equal(r.error.kind, 'unsupported');
  assert.match(r.error.message, new RegExp(`^record ${keys}: PBKDF2: the file's key derivations together ask for over ${MAX_PBE_WORK_PER_FILE} hash iterations`));
  // One key fewer fits the budget and reads.
  const fits = readKdb(writeKdb(entries.slice(1), 'pw', { keyIterations: perKey }), 'pw');
  assert.ok(fits.ok, fits.ok ? '' : fits.error.message);
});
