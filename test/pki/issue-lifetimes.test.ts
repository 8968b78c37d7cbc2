// `sptls issue`: lifetimes nest (a child ends at its issuer's end, and the output says so),
// intermediate CAs get their path length constraint, and CA keys written in clear are named
// with the option that encrypts them. openssl is the oracle for what the certificates say.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ensureCommand } from '../support/system.ts';
import { cli, topologyIn } from './issue-support.ts';
import { run, scratchDir } from './support.ts';

ensureCommand('openssl', 'openssl');
const root = scratchDir();
let n = 0;
const fresh = () => join(root, `case-${n++}`);

const x509 = (path: string, ...what: string[]) => run('openssl', ['x509', '-in', path, '-noout', ...what]).stdout;
const endOf = (path: string) => new Date(x509(path, '-enddate').replace(/^notAfter=/, '').trim());

// RSA 2048 everywhere: the fake issuer's pool has three of them; the real one would take seconds per 4096-bit key.
const KEY = 'key rsa 2048';

describe('sptls issue: lifetimes nest', () => {
  test('an intermediate and a leaf that would outlive a 1-year root end with it, and notes say so', async () => {
    const dir = fresh();
    topologyIn(dir, [
      `ca R { ${KEY} valid 1 years }`,
      `ca I { signed-by R ${KEY} }`,
      `server S { address "s.example.com" certificate signed-by I { ${KEY} } }`,
      `client C { certificate signed-by R { ${KEY} valid 30 days } }`,
      '',
    ].join('\n'));
    // The dry run already says which lifetimes will be cut, and writes nothing.
    const dry = await cli(['issue', 'topology.sptls', '--dry-run'], dir);
    assert.equal(dry.code, 0, dry.err);
    assert.deepEqual(dry.err.split('\n').filter((l) => l.startsWith('note:')).map((l) => l.split(':')[1]!.trim()), ['I', 'S']);
    assert.match(dry.err, /^note: I: valid 10 years would outlive its issuer R; it ends with it, at /m);
    const r = await cli(['issue', 'topology.sptls'], dir);
    assert.equal(r.code, 0, r.err);
    const pki = join(dir, 'pki');
    const rootEnd = endOf(join(pki, 'ca', 'R.crt.pem'));
    assert.equal(endOf(join(pki, 'ca', 'I.crt.pem')).getTime(), rootEnd.getTime());
    assert.equal(endOf(join(pki, 'components', 'S', 'cert.pem')).getTime(), rootEnd.getTime());
    // A child that fits keeps its own lifetime.
    const c = join(pki, 'components', 'C', 'cert.pem');
    assert.ok(endOf(c) < rootEnd);
    assert.match(r.err, new RegExp(`^note: I: valid 10 years would outlive its issuer R; it ends with it, at ${rootEnd.toISOString().slice(0, 19)}`, 'm'));
    assert.match(r.err, /^note: S: valid 825 days would outlive its issuer I; it ends with it/m);
    assert.doesNotMatch(r.err, /^note: C:/m);
    // openssl accepts the chain at a time just before the common end, and rejects it after.
    const verifyAt = (t: Date) => run('openssl', ['verify', '-attime', String(Math.floor(t.getTime() / 1000)), '-CAfile', join(pki, 'ca', 'R.crt.pem'), '-untrusted', join(pki, 'ca', 'I.crt.pem'), join(pki, 'components', 'S', 'cert.pem')]);
    assert.equal(verifyAt(new Date(rootEnd.getTime() - 60_000)).status, 0);
    assert.notEqual(verifyAt(new Date(rootEnd.getTime() + 60_000)).status, 0);
    // A second run keeps everything and repeats no note.
    const again = await cli(['issue', 'topology.sptls'], dir);
    assert.equal(again.code, 0, again.err);
    assert.doesNotMatch(again.err, /^note:/m);
  });
});

describe('sptls issue: path length constraints', () => {
  test('an intermediate that signs only leaves gets pathlen:0, one above it pathlen:1, the root none', async () => {
    const dir = fresh();
    topologyIn(dir, [
      `ca R { ${KEY} }`,
      `ca Policy { signed-by R ${KEY} }`,
      `ca Issuing { signed-by Policy ${KEY} }`,
      `server S { address "s.example.com" certificate signed-by Issuing { ${KEY} } }`,
      '',
    ].join('\n'));
    const r = await cli(['issue', 'topology.sptls'], dir);
    assert.equal(r.code, 0, r.err);
    const pki = join(dir, 'pki');
    const constraints = (name: string) => /X509v3 Basic Constraints: critical\s+(.*)/.exec(x509(join(pki, 'ca', `${name}.crt.pem`), '-text'))?.[1]?.trim();
    assert.equal(constraints('Issuing'), 'CA:TRUE, pathlen:0');
    assert.equal(constraints('Policy'), 'CA:TRUE, pathlen:1');
    assert.equal(constraints('R'), 'CA:TRUE');
    const chain = run('openssl', ['verify', '-CAfile', join(pki, 'ca', 'R.crt.pem'), '-untrusted', join(pki, 'components', 'S', 'chain.pem'), join(pki, 'components', 'S', 'cert.pem')]);
    assert.equal(chain.status, 0, chain.stderr);
  });

  test('declaring a CA below an issued pathlen:0 intermediate marks it as changed (path length 0 → 1)', async () => {
    const dir = fresh();
    const path = topologyIn(dir, `ca R { ${KEY} }\nca I { signed-by R ${KEY} }\n`);
    assert.equal((await cli(['issue', 'topology.sptls'], dir)).code, 0);
    assert.match(x509(join(dir, 'pki', 'ca', 'I.crt.pem'), '-text'), /CA:TRUE, pathlen:0/);
    topologyIn(dir, `${readFileSync(path, 'utf8')}ca Sub { signed-by I ${KEY} }\n`);
    const r = await cli(['issue', 'topology.sptls'], dir);
    assert.match(r.out, /^keep +I .*the spec changed since it was issued \(path length 0 → 1\): run with --renew/m);
    const renewed = await cli(['issue', 'topology.sptls', '--renew'], dir);
    assert.equal(renewed.code, 0, renewed.err);
    assert.match(x509(join(dir, 'pki', 'ca', 'I.crt.pem'), '-text'), /CA:TRUE, pathlen:1/);
    assert.match(x509(join(dir, 'pki', 'ca', 'Sub.crt.pem'), '-text'), /CA:TRUE, pathlen:0/);
  });
});

describe('sptls issue: CA keys in clear are named', () => {
  test('without --ca-passphrase-env: one warning line naming the keys and the option; with it: none, and openssl needs the passphrase', async () => {
    const dir = fresh();
    topologyIn(dir, `ca R { ${KEY} }\nca I { signed-by R ${KEY} }\nserver S { address "s.example.com" certificate signed-by I { ${KEY} } }\n`);
    const clear = await cli(['issue', 'topology.sptls'], dir);
    assert.equal(clear.code, 0, clear.err);
    const warnings = clear.err.split('\n').filter((l) => l.startsWith('warning:'));
    assert.deepEqual(warnings, ['warning: CA private key(s) written without a passphrase (ca/R.key.pem, ca/I.key.pem): --ca-passphrase-env VAR encrypts them']);
    assert.equal(run('openssl', ['pkey', '-in', join(dir, 'pki', 'ca', 'R.key.pem'), '-passin', 'pass:', '-noout']).status, 0, 'written in clear');
    // Nothing new written: no warning.
    assert.doesNotMatch((await cli(['issue', 'topology.sptls'], dir)).err, /warning:/);

    const enc = fresh();
    topologyIn(enc, `ca R { ${KEY} }\nserver S { address "s.example.com" certificate signed-by R { ${KEY} } }\n`);
    const r = await cli(['issue', 'topology.sptls', '--ca-passphrase-env', 'CAPW'], enc, { CAPW: 's3cret pass' });
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.err, /warning:/);
    const key = join(enc, 'pki', 'ca', 'R.key.pem');
    assert.equal(run('openssl', ['pkey', '-in', key, '-passin', 'pass:s3cret pass', '-noout']).status, 0);
    assert.notEqual(run('openssl', ['pkey', '-in', key, '-passin', 'pass:', '-noout']).status, 0);
  });
});
