import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { inspectCommand } from '../../server/src/cli/commands/inspect.ts';
import type { CliIO } from '../../server/src/cli/io.ts';
import { writeStashV1 } from '../../server/src/pki/keydb/kdb/stash.ts';
import { writeKdb } from '../../server/src/pki/keydb/kdb/write.ts';
import { writeGskitPkcs12 } from '../../server/src/pki/keydb/pkcs12/gskit.ts';
import { certificatePem } from '../../server/src/codec/x509/pem.ts';
import { buildChain, fixtureKey, FIXTURE_KDB_DIR, scratchDir } from './support.ts';

const dir = scratchDir();

async function inspect(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: dir, env };
  const code = await inspectCommand.run(args, io);
  return { code, out, err };
}

const chain = buildChain([fixtureKey('rsa2048-1'), fixtureKey('ec-p256-1'), fixtureKey('ec-p256-2')]);

describe('sptls inspect', () => {
  test('a native .kdb with its stash beside it', async () => {
    const r = await inspect([join(FIXTURE_KDB_DIR, 'KdbKeyStoreSpiTest_mixed.kdb')]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /cms-kdb, 4 entries/);
    assert.match(r.out, /\[1\] rsa-keypair  personal\n\s+subject:\s+CN=Example RSA,O=Example,C=XX/);
    assert.match(r.out, /\[2\] ec-keypair  personal[\s\S]*?key:\s+EC P-256/);
    assert.match(r.out, /\[4\] trusted-intermediate-ca  trusted/);
    assert.match(r.out, /SHA-256:\s+([0-9A-F]{2}:){31}[0-9A-F]{2}/);
  });

  test('JSON output carries every field', async () => {
    const r = await inspect([join(FIXTURE_KDB_DIR, 'KdbKeyStoreSpiTest_chained.kdb'), '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.entries.map((e: { label: string; kind: string }) => [e.label, e.kind]), [['root-ca', 'trusted'], ['intermediate-ca', 'trusted'], ['server-cert', 'personal']]);
    const server = j.entries[2].certificate;
    assert.equal(server.issuer, 'CN=Example Intermediate CA,O=Example,C=XX');
    assert.deepEqual(server.key, { type: 'rsa', bits: 2048 });
    assert.match(server.notAfter, /^\d{4}-\d\d-\d\dT/);
  });

  test('a .kdb whose stash is elsewhere needs --stash; a wrong stash exits 2 naming the file', async () => {
    const kdb = join(dir, 'cert.kdb');
    writeFileSync(kdb, writeKdb([{ label: 'srv', certificate: chain.leaf.der, privateKey: chain.leaf.key.privateKey }], 'right-password'));
    const missing = await inspect(['cert.kdb']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cert\.kdb: no password: stash file .*cert\.sth not found \(pass --stash FILE or --password-env VAR\)/);
    writeFileSync(join(dir, 'other.sth'), writeStashV1('right-password'));
    assert.equal((await inspect(['cert.kdb', '--stash', 'other.sth'])).code, 0);
    writeFileSync(join(dir, 'cert.sth'), writeStashV1('wrong-password'));
    const wrong = await inspect(['cert.kdb']);
    assert.equal(wrong.code, 2);
    assert.equal(wrong.err.trim().split('\n').length, 1);
    assert.match(wrong.err, /cert\.kdb: the password does not open this key database \(password from stash .*cert\.sth/);
    const env = await inspect(['cert.kdb', '--password-env', 'KDBPW'], { KDBPW: 'right-password' });
    assert.equal(env.code, 0, env.err);
    assert.match(env.out, /\[1\] srv  personal/);
  });

  test('PKCS#12 with --password-env, or with FILE.pw beside it', async () => {
    const p12 = join(dir, 'server.p12');
    writeFileSync(p12, writeGskitPkcs12({ label: 'server-cert', privateKey: chain.leaf.key.privateKey, certificate: chain.leaf.der, chain: [{ certificate: chain.intermediate.der, label: 'inter' }] }, 's3cret'));
    const none = await inspect(['server.p12']);
    assert.equal(none.code, 2);
    assert.match(none.err, /server\.p12: PKCS#12 needs a password: pass --password-env VAR or put it in .*server\.p12\.pw/);
    const viaEnv = await inspect(['server.p12', '--password-env', 'PW'], { PW: 's3cret' });
    assert.equal(viaEnv.code, 0, viaEnv.err);
    assert.match(viaEnv.out, /\[1\] server-cert  personal[\s\S]*\[2\] inter  certificate/);
    writeFileSync(`${p12}.pw`, 's3cret\n');
    assert.equal((await inspect(['server.p12'])).code, 0);
    const wrong = await inspect(['server.p12', '--password-env', 'PW'], { PW: 'nope' });
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /server\.p12: .*password/);
  });

  test('PEM/ARM with several certificates needs no password', async () => {
    writeFileSync(join(dir, 'cert256.arm'), certificatePem(chain.leaf.der) + certificatePem(chain.root.der));
    const r = await inspect(['cert256.arm']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /certificates, 2 entries/);
    assert.match(r.out, /SAN:\s+DNS:server\.example\.test/);
    assert.match(r.out, /CN=Test Root CA,O=sptls,C=US \(self-signed\)/);
  });

  test('unreadable and garbage files exit 2 with one line naming the file', async () => {
    writeFileSync(join(dir, 'junk.bin'), Buffer.from([1, 2, 3, 4, 5]));
    copyFileSync(join(FIXTURE_KDB_DIR, 'KdbKeyStoreSpiTest_mixed.sth'), join(dir, 'junk.sth'));
    for (const file of ['junk.bin', 'does-not-exist.kdb']) {
      const r = await inspect([file]);
      assert.equal(r.code, 2);
      assert.equal(r.err.trim().split('\n').length, 1);
      assert.match(r.err, new RegExp(`sptls inspect: .*${file.replace('.', '\\.')}: `));
    }
  });

  test('usage errors', async () => {
    await assert.rejects(inspect([]), /exactly one FILE/);
    await assert.rejects(inspect(['a', '--format', 'xml']), /text or json/);
    await assert.rejects(inspect(['a', '--stash', 's', '--password-env', 'P']), /not both/);
    const unset = await inspect(['a', '--password-env', 'NOPE']);
    assert.equal(unset.code, 2);
    assert.match(unset.err, /NOPE is not set/);
  });

  test('as a spawned process through the sptls dispatcher', () => {
    const main = join(import.meta.dirname, '..', '..', 'server', 'src', 'cli', 'main.ts');
    const ok = spawnSync(process.execPath, [main, 'inspect', join(FIXTURE_KDB_DIR, 'KdbKeyStoreSpiTest_chained.kdb')], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /\[3\] server-cert  personal/);
    const bad = spawnSync(process.execPath, [main, 'inspect', join(dir, 'missing.p12')], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /missing\.p12: cannot read the file/);
  });

  test('help describes formats, password sources and exit codes', () => {
    for (const needle of ['--password-env', '--stash', '.sth', 'FILE.pw', 'PKCS#12', 'Exit status']) assert.ok(inspectCommand.help.includes(needle), needle);
  });
});
