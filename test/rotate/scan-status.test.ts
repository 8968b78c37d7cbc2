// `sptls rotate --status --scan REPORT`: the real `sptls scan --format json` against loopback
// peers (node:tls listeners presenting the issued certificates) before, during and after the
// switch to certificates under the new CA; the status must follow what the hosts present.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../server/src/cli/cli.ts';
import type { CertificateFiles, CertificateInfo } from '../../server/src/analysis/certificate-files.ts';
import { combineEvidence, parseScanReport, rotate, scanEvidence, type PhaseEvidence } from '../../server/src/rotate/index.ts';
import { issued, tlsPeer, type TlsPeer } from '../scan/peers.ts';
import { files, NOW, selfSigned } from './support.ts';

let dir: string;
let a: TlsPeer;
let b: TlsPeer;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sptls-rotate-scan-'));
  a = await tlsPeer();
  b = await tlsPeer();
});
after(async () => {
  await a.close();
  await b.close();
  rmSync(dir, { recursive: true, force: true });
});

async function sptls(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(argv, { out: (s) => { out += s; }, err: (s) => { out += s; }, cwd: dir, env: {} });
  return { code, out };
}

interface Status {
  current: { id: string } | null;
  hosts?: Array<{ id: string; evidence: Array<{ change: { type: string; component?: string }; state: string }> }>;
  phaseByHosts: string | null;
}

/** Scans the topology as it is now, saves the report, and asks the status from it. */
async function statusByScan(): Promise<Status> {
  const scan = await sptls('scan', 't.sptls', '--format', 'json', '--timeout', '4000');
  assert.ok(scan.code === 0 || scan.code === 1, scan.out);
  writeFileSync(join(dir, 'scan.json'), scan.out);
  const r = await sptls('rotate', 't.sptls', '--ca', 'Root', '--status', '--scan', 'scan.json', '--format', 'json');
  assert.equal(r.code, 0, r.out);
  return JSON.parse(r.out) as Status;
}

const reissues = (s: Status) => s.hosts!.flatMap((p) => p.evidence).filter((e) => e.change.type === 'reissue').map((e) => `${e.change.component}:${e.state}`);

describe('rotate --status --scan', () => {
  it('follows the hosts through the reissue phase: old certificates, one switched, both switched', async () => {
    writeFileSync(join(dir, 't.sptls'), `ca Root { subject "CN=Rotation Root" key ec p256 }
client C { trusts Root }
server A { address "127.0.0.1" port ${a.port} certificate signed-by Root { key ec p256 } trusts Root }
server B { address "127.0.0.1" port ${b.port} certificate signed-by Root { key ec p256 } trusts Root }
C -> A
C -> B
`);
    assert.equal((await sptls('issue', 't.sptls')).code, 0);
    const oldA = issued(join(dir, 'pki'), 'A');
    const oldB = issued(join(dir, 'pki'), 'B');
    a.present(oldA);
    b.present(oldB);
    const planned = await sptls('rotate', 't.sptls', '--ca', 'Root');
    assert.equal(planned.code, 0, planned.out);

    // Nothing done: Root-2 is not issued, so the hosts are in phase 1.
    const s0 = await statusByScan();
    assert.equal(s0.current?.id, 'phase-1-trust-new');
    assert.equal(s0.phaseByHosts, 'phase-1-trust-new');
    assert.deepEqual(reissues(s0), ['A:not-done', 'B:not-done']);

    // Phase 1 done (the topology is the phase-1 file, Root-2 issued); phase 2's workstation
    // step issues A and B under Root-2, but the hosts still present the old ones.
    writeFileSync(join(dir, 't.sptls'), readFileSync(join(dir, 'rotate-Root', 'phase-1-trust-new.sptls'), 'utf8'));
    assert.equal((await sptls('issue', 't.sptls', '--only', 'Root-2')).code, 0);
    const reissued = await sptls('issue', 'rotate-Root/phase-2-reissue.sptls', '--out', 'pki', '--only', 'A', '--only', 'B');
    assert.equal(reissued.code, 0, reissued.out);
    const newA = issued(join(dir, 'pki'), 'A');
    assert.notEqual(newA.cert, oldA.cert);
    const s1 = await statusByScan();
    assert.equal(s1.current?.id, 'phase-2-reissue');
    assert.deepEqual(reissues(s1), ['A:not-done', 'B:not-done']);
    assert.equal(s1.phaseByHosts, 'phase-2-reissue');

    // A presents its new certificate, B not yet.
    a.present(newA);
    const s2 = await statusByScan();
    assert.deepEqual(reissues(s2), ['A:done', 'B:not-done']);
    assert.equal(s2.phaseByHosts, 'phase-2-reissue');

    // Both switched: the hosts are past the reissue although the topology still says phase 2.
    b.present(issued(join(dir, 'pki'), 'B'));
    const s3 = await statusByScan();
    assert.equal(s3.current?.id, 'phase-2-reissue');
    assert.deepEqual(reissues(s3), ['A:done', 'B:done']);
    assert.equal(s3.phaseByHosts, null);
    const text = await sptls('rotate', 't.sptls', '--ca', 'Root', '--status', '--scan', 'scan.json');
    assert.match(text.out, /Collected scan:/);
    assert.match(text.out, /done {5}A presents its certificate under Root-2/);
    assert.match(text.out, /By the hosts, every change they can show is done\./);
  });

  it('refuses a report that is not a scan report, or whose values are not what sptls scan writes', async () => {
    const bad: Array<[string, RegExp]> = [
      ['{not json', /not JSON/],
      [JSON.stringify({ schema: 'sptls.check/1', endpoints: [] }), /schema is not 'sptls.scan\/1'/],
      [JSON.stringify({ schema: 'sptls.scan/1' }), /no endpoints list/],
      [JSON.stringify({ schema: 'sptls.scan/1', endpoints: [{ responder: 'A', leaf: { fingerprintSha256: 'zz' } }] }), /endpoint 1 .* no valid SHA-256/],
      [JSON.stringify({ schema: 'sptls.scan/1', endpoints: [{ responder: 'x'.repeat(300) }] }), /endpoint 1 .* no valid responder/],
    ];
    for (const [content, message] of bad) {
      writeFileSync(join(dir, 'bad.json'), content);
      const r = await sptls('rotate', 't.sptls', '--ca', 'Root', '--status', '--scan', 'bad.json');
      assert.equal(r.code, 2, r.out);
      assert.match(r.out, message);
    }
    const missing = await sptls('rotate', 't.sptls', '--ca', 'Root', '--status', '--scan', 'nowhere.json');
    assert.equal(missing.code, 2);
  });

  it('with key databases too: a change is done only when neither source says it is not', () => {
    const change = { type: 'reissue', component: 'A', issuer: 'R2', replaces: 'R' } as const;
    const phase = (...states: string[]): PhaseEvidence[] => [{ id: 'p', evidence: states.map((state) => ({ change, state, why: state })) as PhaseEvidence['evidence'] }];
    const merged = combineEvidence(phase('done', 'done', 'not-collected', 'unknown', 'not-collected'), phase('not-done', 'unknown', 'done', 'not-collected', 'unknown'));
    assert.deepEqual(merged[0]!.evidence.map((e) => e.state), ['not-done', 'done', 'done', 'not-collected', 'not-collected']);
  });
});

describe('scan evidence of a self-signed switch', () => {
  it('done only when every endpoint of the host presents the renewed certificate file', async () => {
    const r = await rotate({ text: selfSigned, files: files() }, { target: { kind: 'certificate', name: 'SPB1' }, now: NOW });
    assert.ok(r.ok);
    const switchPhase = r.rotation.plan.phases.find((p) => p.slug === 'switch')!;
    const change = switchPhase.pending.find((c) => c.type === 'switch')!;
    assert.ok(change.type === 'switch');
    const renewed = 'AB:'.repeat(31) + 'CD';
    const other = 'ef'.repeat(32);
    const certFiles: CertificateFiles = { read: (path) => (path === change.file ? { ok: true, certificates: [{ fingerprint256: renewed } as CertificateInfo] } : files().read(path)) };
    const judge = (sightings: Array<string | null>) => {
      const report = parseScanReport(JSON.stringify({ schema: 'sptls.scan/1', endpoints: sightings.map((fp) => ({ responder: 'SPB1', ...(fp ? { leaf: { fingerprintSha256: fp } } : {}) })) }));
      assert.ok(report.ok);
      return scanEvidence([switchPhase], report.sightings, new Map(), certFiles)[0]!.evidence.find((e) => e.change === change)!;
    };
    assert.equal(judge([renewed]).state, 'done');
    assert.equal(judge([renewed.replace(/:/g, '').toLowerCase(), renewed]).state, 'done');
    const half = judge([renewed, other]);
    assert.equal(half.state, 'not-done');
    assert.match(half.why, /on 1 of its 2 endpoints/);
    assert.equal(judge([null]).state, 'not-collected');
  });
});
