// Spec v1.1 points that a case file cannot show: the words of the day count, files that
// must not be read (FIFOs, over 1 MiB), and signature checks against openssl's own verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../server/src/analysis/engine.ts';
import { DiskCertificateFiles } from '../../server/src/workspace/disk-certificates.ts';
import { readCertificateFile } from '../../server/src/codec/x509/read.ts';
import { signatureVerifies } from '../../server/src/codec/x509/signature.ts';
import { ensureCommand } from '../support/system.ts';

const cases = join(import.meta.dirname, 'cases');
const v11 = join(cases, 'certs', 'v11');
const HOUR = 3_600_000;

function messagesOf(text: string, now: Date, dir = cases) {
  return analyze(text, { certificateFiles: new DiskCertificateFiles(dir), now }).diagnostics.map((d) => `${d.code}: ${d.message}`);
}

test('days left and days ago are whole days rounded toward zero (spec §5.1 "Time")', () => {
  // expiring.pem ends 2026-06-20T00:00:00Z.
  const topology = 'ca Root { file "certs/root.pem" }\nserver E { address "expiring.example.com" certificate file "certs/expiring.pem" }';
  const end = Date.parse('2026-06-20T00:00:00Z');
  const expired = (hours: number) => messagesOf(topology, new Date(end + hours * HOUR)).find((m) => m.startsWith('certificate-expired'));
  assert.match(expired(24)!, /expired 1 day ago/);
  assert.match(expired(47)!, /expired 1 day ago/);
  assert.match(expired(48)!, /expired 2 days ago/);
  assert.match(expired(5)!, /expired less than a day ago/);
  const expiring = (hours: number) => messagesOf(topology, new Date(end - hours * HOUR)).find((m) => m.startsWith('certificate-expiring'));
  assert.match(expiring(47)!, /expires in 1 day,/);
  assert.match(expiring(29 * 24 + 23)!, /expires in 29 days/);
});

test('file-not-found covers files that are not regular or larger than 1 MiB, without reading them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sptls-v11-files-'));
  try {
    const pem = readFileSync(join(v11, 'lake-root.pem'), 'utf8');
    // A valid certificate padded past the limit: only the size can refuse it.
    writeFileSync(join(dir, 'big.pem'), pem + '#'.repeat(1024 * 1024));
    writeFileSync(join(dir, 'fits.pem'), pem);
    assert.equal(spawnSync('mkfifo', [join(dir, 'pipe.pem')]).status, 0, 'mkfifo');
    const text = 'ca Big { file "big.pem" }\nca Pipe { file "pipe.pem" }\nca Fits { file "fits.pem" }';
    // Reading the FIFO would block this test forever; stat first answers at once.
    const found = messagesOf(text, new Date('2026-06-15'), dir).filter((m) => m.startsWith('file-not-found'));
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found[0]!, /more than .*1 MiB.*export only those/);
    assert.match(found[1]!, /not a regular file.*not a directory, pipe or device/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('signature checks agree with openssl verify on every same-name pair of the v11 certificates', () => {
  ensureCommand('openssl', 'openssl');
  const files = ['lake-root.pem', 'lake-root-rekeyed.pem', 'lake-issuing.pem', 'lake-issuing-rekeyed.pem', 'l1.pem', 'l2.pem', 'l-long.pem'];
  const read = (f: string) => {
    const r = readCertificateFile(readFileSync(join(v11, f)));
    assert.ok(r.ok);
    return r.certificates[0]!;
  };
  let pairs = 0;
  for (const child of files) {
    for (const issuer of files) {
      const c = read(child);
      const i = read(issuer);
      if (c.issuerText !== i.subjectText) continue; // openssl would not even try
      const openssl = spawnSync('openssl', ['verify', '-partial_chain', '-no_check_time', '-CAfile', join(v11, issuer), join(v11, child)], { encoding: 'utf8' });
      assert.equal(signatureVerifies(c.der, i.raw.spki), openssl.status === 0, `${child} under ${issuer}: openssl says ${openssl.stdout}${openssl.stderr}`);
      pairs++;
    }
  }
  assert.ok(pairs >= 8, `${pairs} pairs compared`);
});

test('a corporate PKI known only by its CA files: trusting the real root is clean, trusting the intermediate is not', () => {
  const text = [
    'ca LakeRoot { file "certs/v11/lake-root.pem" }',
    'ca LakeIssuing { file "certs/v11/lake-issuing.pem" }',
    'server L1 { address "l1.lake.example" version 8.1.22 certificate file "certs/v11/l1.pem" }',
    'client ROOTED { version 8.1.22 trusts LakeRoot }',
    'client MIDDLE { version 8.1.22 trusts LakeIssuing }',
    'ROOTED -> L1',
    'MIDDLE -> L1',
  ].join('\n');
  const found = messagesOf(text, new Date('2026-06-15'));
  // No "Add 'trusts LakeIssuing'" for ROOTED, no unused-trust telling it to drop the real root.
  assert.deepEqual(found.filter((m) => /ROOTED/.test(m)), []);
  const middle = found.filter((m) => m.startsWith('untrusted-responder'));
  assert.equal(middle.length, 1);
  assert.match(middle[0]!, /MIDDLE cannot verify L1: L1's certificate chains LakeIssuing → LakeRoot; trusting the intermediate LakeIssuing is not enough/);
  assert.match(middle[0]!, /Add 'trusts LakeRoot' to MIDDLE/);
});
