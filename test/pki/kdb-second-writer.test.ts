// CMS key databases written by KeyStore Explorer (shared/fixtures/kdb/second-writer/), read
// against the listing KeyStore Explorer's own reader gives for each (*.expected.txt): labels,
// entry types, record flags, subjects, SHA-256 fingerprints, key types and key/certificate match.
import assert from 'node:assert/strict';
import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { inspectFile } from '../../server/src/pki/inspect/inspect-file.ts';
import { boundedFileReader } from '../../server/src/workspace/bounded-read.ts';
import { readKdb, type KdbEntry } from '../../server/src/pki/keydb/kdb/read.ts';
import { readStash, writeStashV1 } from '../../server/src/pki/keydb/kdb/stash.ts';
import { cli } from './issue-support.ts';
import { FIXTURE_KDB_DIR, scratchDir } from './support.ts';

const DIR = join(FIXTURE_KDB_DIR, 'second-writer');

interface Listed {
  label: string;
  type: 'KEY_ENTRY' | 'TRUSTED_CERT_ENTRY';
  flags: { byte: number; unused: number };
  subject: string;
  sha256: string;
  keyAlg?: string;
  keyMatches?: boolean;
}

/** The entries of one KeyStore Explorer listing, in record order. */
function parseListing(text: string): { version: number; slot: number; count: number; entries: Listed[] } {
  const header = /header version=V(\d) slot=(\d+) count=(\d+)/.exec(text);
  assert.ok(header, 'listing has a header line');
  const entries: Listed[] = [];
  for (const block of text.split(/^entry /m).slice(1)) {
    const head = /^"([^"]*)" type=(\w+)/.exec(block)!;
    const flags = /flags=([0-9a-f]{2})\/unused(\d)/.exec(block)!;
    const key = /key decrypted alg=(\w+) format=PKCS#8 matchesCertPublicKey=(true|false)/.exec(block);
    entries.push({
      label: head[1]!, type: head[2] as Listed['type'],
      flags: { byte: parseInt(flags[1]!, 16), unused: Number(flags[2]) },
      subject: /cert subject=(.*)$/m.exec(block)![1]!,
      sha256: /cert sha256=([0-9A-F:]+)/.exec(block)![1]!,
      ...(key ? { keyAlg: key[1]!, keyMatches: key[2] === 'true' } : {}),
    });
  }
  return { version: Number(header[1]), slot: Number(header[2]), count: Number(header[3]), entries };
}

// KeyStore Explorer's (JCA) algorithm names against Node's key types.
const JCA_KEY_TYPES: Record<string, string> = { RSA: 'rsa', EC: 'ec', EdDSA: 'ed25519' };
const spki = (k: KeyObject) => (k.type === 'private' ? createPublicKey(k) : k).export({ type: 'spki', format: 'der' });

const files = readdirSync(DIR).filter((f) => f.endsWith('.kdb')).map((f) => f.replace(/\.kdb$/, '')).sort();

describe('KeyStore Explorer .kdb files read as its own listing says', () => {
  test('the fixture folder holds the three files', () => assert.deepEqual(files, ['ec', 'ed', 'rsa']));

  for (const name of files) {
    test(`${name}.kdb with its V8 stash`, () => {
      const listing = parseListing(readFileSync(join(DIR, `${name}.expected.txt`), 'utf8'));
      const stash = readStash(readFileSync(join(DIR, `${name}.sth`)));
      assert.ok(stash.ok);
      assert.equal(stash.version, 'v8');
      const r = readKdb(readFileSync(join(DIR, `${name}.kdb`)), stash.password);
      assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
      assert.deepEqual([r.kdb.version, r.kdb.slotSize, r.kdb.entries.length], [listing.version, listing.slot, listing.count]);
      assert.deepEqual(r.kdb.entries.map((e) => e.label), listing.entries.map((e) => e.label), 'labels are cut at their NUL');
      for (const [i, want] of listing.entries.entries()) {
        const got: KdbEntry = r.kdb.entries[i]!;
        assert.equal(got.kind, want.type === 'KEY_ENTRY' ? 'personal' : 'trusted', want.label);
        assert.deepEqual([got.flags.bytes[0], got.flags.unusedBits], [want.flags.byte, want.flags.unused], `${want.label}: flags`);
        assert.equal(got.certificate?.subjectText, want.subject);
        assert.equal(got.certificate?.fingerprintSha256, want.sha256);
        assert.equal(got.trailer.shape, 'kse');
        assert.deepEqual(got.trailer.known, { tbs: false, subject: false, spki: true, certificate: true }, `${want.label}: the two trailer hashes`);
        assert.equal(got.privateKey !== undefined, want.keyAlg !== undefined, `${want.label}: key present iff listed`);
        if (want.keyAlg) {
          assert.equal(got.privateKey!.asymmetricKeyType, JCA_KEY_TYPES[want.keyAlg]);
          const matches = spki(got.privateKey!).equals(spki(new X509Certificate(got.certificate!.der).publicKey));
          assert.equal(matches, want.keyMatches);
        }
      }
    });
  }

  test('a V1 stash of the same password opens them too', () => {
    const stash = readStash(writeStashV1(expectPassword('ec')));
    assert.ok(stash.ok && stash.version === 'v1');
    assert.ok(readKdb(readFileSync(join(DIR, 'ec.kdb')), stash.password).ok);
  });

  test('sptls inspect lists them (stash found beside the file) and exits 0', async () => {
    const dir = scratchDir();
    for (const name of files) {
      const r = await cli(['inspect', join(DIR, `${name}.kdb`)], dir);
      assert.equal(r.code, 0, r.err);
      for (const e of parseListing(readFileSync(join(DIR, `${name}.expected.txt`), 'utf8')).entries) {
        assert.ok(r.out.includes(`] ${e.label}  ${e.type === 'KEY_ENTRY' ? 'personal' : 'trusted'}\n`), `${name}: ${e.label} in\n${r.out}`);
      }
      assert.ok(!r.out.includes('\0'));
    }
    const inspected = await inspectFile(join(DIR, 'rsa.kdb'), { stashPath: join(DIR, 'rsa.sth') }, boundedFileReader);
    assert.ok(inspected.ok && inspected.report.passwordSource?.endsWith('(v8)'));
  });

  test('sptls check --keydbs audits a KeyStore Explorer cert.kdb like a GSKit one', async () => {
    const dir = scratchDir();
    const collected = join(dir, 'collected', 'SPHUB');
    mkdirSync(collected, { recursive: true });
    copyFileSync(join(DIR, 'rsa.kdb'), join(collected, 'cert.kdb'));
    copyFileSync(join(DIR, 'rsa.sth'), join(collected, 'cert.sth'));
    const topology = [
      'ca CorpRoot { subject "CN=Example Corp Root CA,O=Example Corp,C=US" }',
      'ca CorpIssuing { signed-by CorpRoot subject "CN=Example Corp Issuing CA 1,O=Example Corp,C=US" }',
      'server SPHUB { address "sphub.dca.example.com" certificate signed-by CorpIssuing trusts CorpRoot }',
      'ca Other { subject "CN=Other Root" }',
      'server SPX { address "spx.example.com" certificate signed-by Other trusts Other }',
      '',
    ].join('\n');
    writeFileSync(join(dir, 't.sptls'), topology);
    const clean = await cli(['check', 't.sptls', '--keydbs', 'collected', '--format', 'json'], dir);
    const codes = (JSON.parse(clean.out).files[0].diagnostics as Array<{ code: string }>).map((d) => d.code).filter((c) => c.startsWith('keydb-'));
    assert.deepEqual(codes, [], clean.out);
    // The same file on a host whose topology says otherwise is found wrong, so the audit did read it.
    mkdirSync(join(dir, 'collected', 'SPX'));
    copyFileSync(join(DIR, 'rsa.kdb'), join(dir, 'collected', 'SPX', 'cert.kdb'));
    copyFileSync(join(DIR, 'rsa.sth'), join(dir, 'collected', 'SPX', 'cert.sth'));
    const wrong = await cli(['check', 't.sptls', '--keydbs', 'collected', '--format', 'json'], dir);
    const found = (JSON.parse(wrong.out).files[0].diagnostics as Array<{ code: string }>).map((d) => d.code).filter((c) => c.startsWith('keydb-')).sort();
    assert.deepEqual(found, ['keydb-certificate-mismatch', 'keydb-missing-trust']);
  });
});

function expectPassword(name: string): string {
  const s = readStash(readFileSync(join(DIR, `${name}.sth`)));
  assert.ok(s.ok);
  return s.password;
}
