// `sptls issue` with pre-generated keys: chains verified by openssl, extensions as asked,
// idempotency, no overwrite, --force backups, --renew, refusals, CA passphrase, crash safety.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { nodeFileSink, type FileSink } from '../../server/src/pki/fs/file-sink.ts';
import { runIssue } from '../../server/src/pki/issue/run.ts';
import { readCertificateFile } from '../../server/src/codec/x509/read.ts';
import { ensureCommand } from '../support/system.ts';
import { cli, EXAMPLE, fakeIssuer, snapshot, topologyIn } from './issue-support.ts';
import { run, scratchDir } from './support.ts';

ensureCommand('openssl', 'openssl');
const root = scratchDir();
let n = 0;
const fresh = () => join(root, `case-${n++}`);

const COMPONENTS = ['SPHUB', 'SPA1', 'LIBMGR', 'STA1', 'STA2', 'SPB1', 'CORPDIR'];

async function issueExample(dir: string, extra: Partial<Parameters<typeof runIssue>[0]> = {}) {
  const topologyPath = topologyIn(dir, EXAMPLE, 'production.sptls');
  const outcome = await runIssue({ topologyPath, text: readFileSync(topologyPath, 'utf8'), issuer: fakeIssuer(), ...extra });
  return { topologyPath, outcome, pki: join(dir, 'pki') };
}

const x509Text = (path: string) => run('openssl', ['x509', '-in', path, '-noout', '-text']).stdout;

describe('sptls issue on examples/production.sptls', () => {
  test('every chain verifies with openssl; CA and leaf extensions, modes and manifest are right', async () => {
    const { outcome, pki } = await issueExample(fresh());
    assert.equal(outcome.kind, 'done');
    assert.ok(outcome.kind === 'done' && outcome.result.ok, JSON.stringify(outcome.kind === 'done' && outcome.result.errors));
    for (const name of COMPONENTS) {
      const dir = join(pki, 'components', name);
      const v = run('openssl', ['verify', '-CAfile', join(pki, 'ca', 'CorpRoot.crt.pem'), '-untrusted', join(pki, 'ca', 'CorpIssuing.crt.pem'), join(dir, 'cert.pem')]);
      assert.equal(v.status, 0, `${name}: ${v.stdout}${v.stderr}`);
      const viaChain = run('openssl', ['verify', '-CAfile', join(pki, 'ca', 'CorpRoot.crt.pem'), '-untrusted', join(dir, 'chain.pem'), join(dir, 'cert.pem')]);
      assert.equal(viaChain.status, 0, `${name} chain.pem: ${viaChain.stderr}`);
      assert.equal(statSync(join(dir, 'key.pem')).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'cert.pem')).mode & 0o777, 0o644);
      assert.deepEqual(readFileSync(join(dir, `${name}.arm`)), readFileSync(join(dir, 'cert.pem')));
    }
    const rootText = x509Text(join(pki, 'ca', 'CorpRoot.crt.pem'));
    assert.match(rootText, /CA:TRUE/);
    assert.match(rootText, /Certificate Sign, CRL Sign/);
    assert.match(rootText, /Public-Key: \(4096 bit\)/);
    assert.match(x509Text(join(pki, 'ca', 'CorpIssuing.crt.pem')), /Public-Key: \(3072 bit\)/);
    const hub = x509Text(join(pki, 'components', 'SPHUB', 'cert.pem'));
    assert.match(hub, /CA:FALSE/);
    assert.match(hub, /DNS:sphub\.dca\.example\.com, IP Address:10\.10\.1\.10/);
    assert.match(hub, /Subject: C = US, O = TSM, OU = TSM Network, CN = SPHUB/);
    assert.match(hub, /TLS Web Server Authentication, TLS Web Client Authentication/);
    const facts = readCertificateFile(readFileSync(join(pki, 'components', 'SPA1', 'cert.pem')));
    assert.ok(facts.ok);
    const days = (facts.certificates[0]!.notAfter.getTime() - facts.certificates[0]!.notBefore.getTime()) / 86_400_000;
    assert.equal(days, 825);
    const manifest = JSON.parse(readFileSync(join(pki, 'manifest.json'), 'utf8'));
    assert.deepEqual(Object.keys(manifest.entries).sort(), ['CorpIssuing', 'CorpRoot', ...COMPONENTS].sort());
    assert.equal(manifest.entries.SPA1.fingerprintSha256, facts.certificates[0]!.fingerprintSha256);
    assert.equal(manifest.entries.SPA1.issuerFingerprint, manifest.entries.CorpIssuing.fingerprintSha256);
    assert.equal(statSync(join(pki, 'ca', 'CorpRoot.key.pem')).mode & 0o777, 0o600);
  });

  test('a second run changes nothing (bytes and mtimes) and says why', async () => {
    const dir = fresh();
    const { topologyPath, pki } = await issueExample(dir);
    const before = snapshot(pki);
    const again = await runIssue({ topologyPath, text: readFileSync(topologyPath, 'utf8'), issuer: fakeIssuer() });
    assert.equal(again.kind, 'done');
    assert.ok(again.kind === 'done');
    assert.deepEqual(again.actions.map((a) => a.action), Array(9).fill('keep'));
    assert.match(again.actions[0]!.reason, /up to date \(valid until \d{4}-\d\d-\d\d\)/);
    assert.deepEqual(again.result.written, []);
    assert.deepEqual(snapshot(pki), before);
  });

  test('--dry-run prints the plan and writes nothing', async () => {
    const dir = fresh();
    topologyIn(dir, EXAMPLE, 'production.sptls');
    const r = await cli(['issue', 'production.sptls', '--dry-run'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^would create +CorpRoot {5}root CA, RSA 4096, 20 years: new$/m);
    assert.match(r.out, /^would create +SPHUB .*SAN sphub\.dca\.example\.com 10\.10\.1\.10: new$/m);
    assert.match(r.err, /dry run: nothing written \(9 to be created/);
    assert.equal(existsSync(join(dir, 'pki')), false);
  });

  test('--force replaces keys and keeps dated 0600 backups; without it keys are never replaced', async () => {
    const dir = fresh();
    const { topologyPath, pki } = await issueExample(dir);
    const keyPath = join(pki, 'components', 'STA1', 'key.pem');
    const oldKey = readFileSync(keyPath, 'utf8');
    const r = await cli(['issue', topologyPath, '--only', 'STA1', '--force'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^renew +STA1 .*--force: new key and certificate/m);
    assert.match(r.out, /^skip +SPHUB .*not selected by --only/m);
    const backups = readdirSync(join(pki, 'components', 'STA1')).filter((f) => f.startsWith('key.pem.bak-'));
    assert.equal(backups.length, 1);
    assert.equal(readFileSync(join(pki, 'components', 'STA1', backups[0]!), 'utf8'), oldKey);
    assert.notEqual(readFileSync(keyPath, 'utf8'), oldKey);
    assert.equal(statSync(keyPath).mode & 0o777, 0o600);
    assert.match(r.err, /backup kept: .*key\.pem\.bak-\d{8}-\d{6}/);
  });

  test('--renew: a changed spec is kept (and flagged) until --renew re-issues it with the same key', async () => {
    const dir = fresh();
    const { topologyPath, pki } = await issueExample(dir);
    writeFileSync(topologyPath, readFileSync(topologyPath, 'utf8').replace('certificate signed-by CorpIssuing\n  trusts CorpRoot\n}\n\nstorage-agent STA2', 'certificate signed-by CorpIssuing { san "sta1.dca.example.com", "10.0.0.7" }\n  trusts CorpRoot\n}\n\nstorage-agent STA2'));
    const keyBefore = readFileSync(join(pki, 'components', 'STA1', 'key.pem'), 'utf8');
    const certBefore = readFileSync(join(pki, 'components', 'STA1', 'cert.pem'), 'utf8');
    const kept = await cli(['issue', topologyPath], dir);
    assert.match(kept.out, /^keep +STA1 .*the spec changed since it was issued \(san sta1\.dca\.example\.com → sta1\.dca\.example\.com, 10\.0\.0\.7\): run with --renew/m);
    assert.equal(readFileSync(join(pki, 'components', 'STA1', 'cert.pem'), 'utf8'), certBefore);
    const renewed = await cli(['issue', topologyPath, '--renew'], dir);
    assert.equal(renewed.code, 0, renewed.err);
    assert.match(renewed.out, /^renew +STA1 .*re-issuing with the existing key/m);
    assert.match(renewed.out, /^keep +STA2 /m);
    assert.equal(readFileSync(join(pki, 'components', 'STA1', 'key.pem'), 'utf8'), keyBefore);
    assert.match(x509Text(join(pki, 'components', 'STA1', 'cert.pem')), /IP Address:10\.0\.0\.7/);
  });

  test('--renew re-issues certificates that expire within 30 days', async () => {
    const dir = fresh();
    const { topologyPath } = await issueExample(dir);
    const later = new Date(Date.now() + 810 * 86_400_000);
    const text = readFileSync(topologyPath, 'utf8');
    const plan = await runIssue({ topologyPath, text, issuer: fakeIssuer(), now: later, dryRun: true });
    assert.ok(plan.kind === 'planned');
    const sphub = plan.actions.find((a) => a.spec.name === 'SPHUB')!;
    assert.equal(sphub.action, 'keep');
    assert.match(sphub.reason, /expires in 1[45] day\(s\): run with --renew/);
    const renewed = await runIssue({ topologyPath, text, issuer: fakeIssuer(), now: later, renew: true, dryRun: true });
    assert.ok(renewed.kind === 'planned');
    assert.deepEqual(renewed.actions.filter((a) => a.action === 'renew').map((a) => a.spec.name), COMPONENTS);
    assert.equal(renewed.actions.find((a) => a.spec.name === 'CorpRoot')!.action, 'keep');
  });
});

describe('certificates as the spec asks', () => {
  const TOPOLOGY = `
ca Root { key ec p384 valid 5 years subject "CN=Test Root,O=sptls,C=DE" }
ca Mid { signed-by Root key ec p256 }
server SP1 { address "10.0.0.5" certificate signed-by Mid { key ec p384 valid 90 days label "sp1 personal" subject "CN=sp1.test,O=sptls" } }
server SP2 { address "sp2.test" certificate self-signed }
storage-agent STA { address "sta.test" certificate signed-by Root { san "sta.test", "::1" key rsa 3072 } }
ca Ext { file "ext.pem" }
`;

  test('EC P-384 leaf with an IP SAN, custom label and subject; self-signed server; intermediates in order', async () => {
    const dir = fresh();
    const topologyPath = topologyIn(dir, TOPOLOGY);
    // The 'file' CA needs a readable certificate; use the issued root of another run later, here any PEM.
    writeFileSync(join(dir, 'ext.pem'), readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'certs', 'weak-1024.pem')));
    const outcome = await runIssue({ topologyPath, text: TOPOLOGY, issuer: fakeIssuer() });
    assert.ok(outcome.kind === 'done' && outcome.result.ok, JSON.stringify(outcome));
    assert.deepEqual(outcome.actions.map((a) => a.spec.name), ['Root', 'Mid', 'SP1', 'SP2', 'STA']);
    assert.deepEqual(outcome.notIssued.map((x) => x.name), ['Ext']);
    const pki = join(dir, 'pki');
    const sp1 = x509Text(join(pki, 'components', 'SP1', 'cert.pem'));
    assert.match(sp1, /NIST CURVE: P-384/);
    assert.match(sp1, /IP Address:10\.0\.0\.5/);
    assert.match(sp1, /Subject: O = sptls, CN = sp1\.test/);
    assert.match(sp1, /Signature Algorithm: ecdsa-with-SHA256/); // signed by the P-256 intermediate
    assert.ok(existsSync(join(pki, 'components', 'SP1', 'sp1 personal.arm')));
    const v = run('openssl', ['verify', '-CAfile', join(pki, 'ca', 'Root.crt.pem'), '-untrusted', join(pki, 'ca', 'Mid.crt.pem'), join(pki, 'components', 'SP1', 'cert.pem')]);
    assert.equal(v.status, 0, v.stderr);
    const facts = readCertificateFile(readFileSync(join(pki, 'components', 'SP1', 'cert.pem')));
    assert.ok(facts.ok);
    assert.equal((facts.certificates[0]!.notAfter.getTime() - facts.certificates[0]!.notBefore.getTime()) / 86_400_000, 90);
    const sp2 = x509Text(join(pki, 'components', 'SP2', 'cert.pem'));
    assert.match(sp2, /Issuer: C = US, O = TSM, OU = TSM Network, CN = SP2/);
    assert.match(sp2, /DNS:sp2\.test/);
    assert.ok(existsSync(join(pki, 'components', 'SP2', 'cert256.arm')));
    assert.equal(existsSync(join(pki, 'components', 'SP2', 'chain.pem')), false);
    const sta = x509Text(join(pki, 'components', 'STA', 'cert.pem'));
    assert.match(sta, /Public-Key: \(3072 bit\)/);
    assert.match(sta, /DNS:sta\.test, IP Address:0:0:0:0:0:0:0:1/);
    const root = x509Text(join(pki, 'ca', 'Root.crt.pem'));
    assert.match(root, /Subject: C = DE, O = sptls, CN = Test Root/);
    assert.match(root, /Signature Algorithm: ecdsa-with-SHA384/);
  });

  test('refuses topologies with errors that affect the PKI, naming file:line:col', async () => {
    const cases: Array<[string, RegExp]> = [
      ['ca A { signed-by B }\nca B { signed-by A }\n', /topology\.sptls:1:18: ca-cycle/],
      ['server S { certificate signed-by Nope }\n', /topology\.sptls:1:34: unknown-reference/],
      ['ca R { valid 0 years }\n', /topology\.sptls:1:14: invalid-value/],
      ['ca R { key rsa 2056 }\n', /topology\.sptls:1:16: sptls issues RSA keys of 2048, 3072 or 4096 bits/],
      ['ca X { file "x.pem" }\nserver S { certificate signed-by X }\n', /topology\.sptls:2:34: .*known only by its file: its private key is not here/],
      ['ca R { subject "CN=a,C=USA" }\n', /topology\.sptls:1:16: subject .*two-letter country code/],
    ];
    for (const [text, expected] of cases) {
      const dir = fresh();
      topologyIn(dir, text);
      writeFileSync(join(dir, 'x.pem'), readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'certs', 'weak-1024.pem')));
      const r = await cli(['issue', 'topology.sptls'], dir);
      assert.equal(r.code, 1, text);
      assert.match(r.err, expected, text);
      assert.equal(existsSync(join(dir, 'pki')), false, text);
    }
  });

  test('--ca-passphrase-env encrypts CA keys, and signing with them later needs it', async () => {
    const dir = fresh();
    const text = 'ca R { key ec p256 }\nserver A { address "a.test" certificate signed-by R }\n';
    const topologyPath = topologyIn(dir, text);
    const first = await cli(['issue', 'topology.sptls', '--ca-passphrase-env', 'CAPW'], dir, { CAPW: 'correct horse' });
    assert.equal(first.code, 0, first.err);
    const keyPath = join(dir, 'pki', 'ca', 'R.key.pem');
    assert.match(readFileSync(keyPath, 'utf8'), /BEGIN ENCRYPTED PRIVATE KEY/);
    assert.equal(run('openssl', ['pkey', '-in', keyPath, '-passin', 'pass:correct horse', '-noout']).status, 0);
    assert.notEqual(run('openssl', ['pkey', '-in', keyPath, '-passin', 'pass:wrong', '-noout']).status, 0);
    writeFileSync(topologyPath, `${text}server B { address "b.test" certificate signed-by R }\n`);
    const without = await cli(['issue', 'topology.sptls'], dir);
    assert.equal(without.code, 1);
    assert.match(without.err, /B: cannot use the existing key .*R\.key\.pem: the key is encrypted.*--ca-passphrase-env/);
    const withIt = await cli(['issue', 'topology.sptls', '--ca-passphrase-env', 'CAPW'], dir, { CAPW: 'correct horse' });
    assert.equal(withIt.code, 0, withIt.err);
    assert.match(withIt.out, /^create +B /m);
    const v = run('openssl', ['verify', '-CAfile', join(dir, 'pki', 'ca', 'R.crt.pem'), join(dir, 'pki', 'components', 'B', 'cert.pem')]);
    assert.equal(v.status, 0, v.stderr);
  });

  test('a key file the manifest does not record: re-used when it fits, refused when it does not', async () => {
    const dir = fresh();
    const text = 'server A { address "a.test" certificate self-signed }\n';
    topologyIn(dir, text);
    assert.equal((await cli(['issue', 'topology.sptls'], dir)).code, 0);
    const keyPath = join(dir, 'pki', 'components', 'A', 'key.pem');
    const key = readFileSync(keyPath, 'utf8');
    writeFileSync(join(dir, 'pki', 'manifest.json'), JSON.stringify({ format: 'sptls-pki/1', topology: '../topology.sptls', entries: {} }));
    const adopted = await cli(['issue', 'topology.sptls'], dir);
    assert.equal(adopted.code, 0, adopted.err);
    assert.match(adopted.out, /a key file exists that the manifest does not record .*issuing its certificate with that key/);
    assert.equal(readFileSync(keyPath, 'utf8'), key);
    writeFileSync(join(dir, 'topology.sptls'), 'server A { address "a.test" certificate self-signed { key ec p384 } }\n');
    writeFileSync(join(dir, 'pki', 'manifest.json'), JSON.stringify({ format: 'sptls-pki/1', topology: '../topology.sptls', entries: {} }));
    const refused = await cli(['issue', 'topology.sptls'], dir);
    assert.equal(refused.code, 1);
    assert.match(refused.out, /skip +A .*a key file exists \(RSA 2048\).*asks for EC P-384: not overwriting it/);
    assert.equal(readFileSync(keyPath, 'utf8'), key);
  });
});

/** Dies at the `at`-th call of `step` and refuses every call after it. */
function crashingSink(step: keyof FileSink, at: number): FileSink {
  let calls = 0;
  let dead = false;
  const wrap = <K extends keyof FileSink>(name: K): FileSink[K] => (async (...args: unknown[]) => {
    if (name === step && ++calls === at) dead = true;
    if (dead) throw new Error(`simulated crash in ${name}`);
    return (nodeFileSink[name] as (...a: unknown[]) => Promise<unknown>)(...args);
  }) as FileSink[K];
  return { exists: wrap('exists'), writeNew: wrap('writeNew'), rename: wrap('rename'), link: wrap('link'), remove: wrap('remove'), syncDir: wrap('syncDir') };
}

describe('crash safety', () => {
  for (const [step, at] of [['writeNew', 7], ['link', 12], ['rename', 1]] as Array<[keyof FileSink, number]>) {
    test(`a crash at ${step} #${at} leaves only complete files, and the next run completes the PKI`, async () => {
      const dir = fresh();
      const { topologyPath, pki } = await issueExample(dir, step === 'rename' ? {} : { sink: crashingSink(step, at) });
      // Renames happen when replacing: for that step, crash while renewing everything 810 days on.
      const when = step === 'rename' ? new Date(Date.now() + 810 * 86_400_000) : new Date();
      if (step === 'rename') {
        const text = readFileSync(topologyPath, 'utf8');
        const r = await runIssue({ topologyPath, text, issuer: fakeIssuer(), now: when, renew: true, sink: crashingSink('rename', 3) });
        assert.ok(r.kind === 'done' && !r.result.ok);
      }
      for (const [rel] of snapshot(pki)) {
        // A process that dies leaves its hidden temp file; what matters is every real name.
        if (/(^|\/)\.[^/]+\.tmp-\d+-[0-9a-f]+$/.test(rel)) continue;
        const bytes = readFileSync(join(pki, rel), 'utf8');
        if (rel.endsWith('.json')) JSON.parse(bytes);
        else assert.match(bytes, /^-----BEGIN [A-Z ]+-----\n[\s\S]*-----END [A-Z ]+-----\n$/, `${rel} is incomplete`);
      }
      const again = await runIssue({ topologyPath, text: readFileSync(topologyPath, 'utf8'), issuer: fakeIssuer(), renew: true, now: when });
      assert.ok(again.kind === 'done' && again.result.ok, JSON.stringify(again.kind === 'done' && again.result.errors));
      for (const name of COMPONENTS) {
        const v = run('openssl', ['verify', '-attime', String(Math.floor(when.getTime() / 1000)), '-CAfile', join(pki, 'ca', 'CorpRoot.crt.pem'), '-untrusted', join(pki, 'components', name, 'chain.pem'), join(pki, 'components', name, 'cert.pem')]);
        assert.equal(v.status, 0, `${name}: ${v.stderr}`);
      }
    });
  }
});
