// What collected key databases say of each change left, by fingerprint (unit test with an
// in-memory key database source; the disk reader is exercised in scripts.test.ts).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KeyDbSource } from '../../server/src/pki/audit/audit.ts';
import type { InspectEntry } from '../../server/src/pki/inspect/inspect-file.ts';
import { keyDbEvidence, phaseByHosts, rotate } from '../../server/src/rotate/index.ts';
import { files, NOW, production } from './support.ts';

const cert = (fingerprintSha256: string) => ({ fingerprintSha256 }) as InspectEntry['certificate'];

it('add-trust, reissue and remove-trust judged per host; a missing key database holds the phase back', async () => {
  const r = await rotate({ text: production, files: files() }, { target: { kind: 'ca', name: 'CorpRoot' }, now: NOW });
  assert.ok(r.ok);
  const issued = new Map([
    ['CorpRoot', { fingerprint: 'AA:01', issuerFingerprint: null }],
    ['CorpRoot-2', { fingerprint: 'BB:02', issuerFingerprint: null }],
    ['CorpIssuing-2', { fingerprint: 'CC:03', issuerFingerprint: 'BB:02' }],
    ['SPA1', { fingerprint: 'DD:04', issuerFingerprint: 'CC:03' }],
  ]);
  const dbs: Record<string, InspectEntry[]> = {
    SPA1: [{ kind: 'personal', label: 'SPA1', certificate: cert('dd04') }, { kind: 'trusted', certificate: cert('aa01') }, { kind: 'trusted', certificate: cert('bb02') }],
    FILESRV01: [{ kind: 'trusted', certificate: cert('BB02') }],
    LIBMGR: [{ kind: 'trusted', certificate: cert('AA:01') }],
  };
  const opened: string[] = [];
  const source: KeyDbSource = {
    open: async ({ name }) => {
      opened.push(name);
      return dbs[name] ? { kind: 'ok', file: `${name}/cert.kdb`, entries: dbs[name]! } : { kind: 'missing' };
    },
  };
  const analysis = r.rotation.reanalyze(production);
  const ev = await keyDbEvidence(analysis, r.rotation.plan.phases, source, issued);
  const state = (phase: number, type: string, component: string) => ev[phase]!.evidence.find((e) => e.change.type === type && 'component' in e.change && e.change.component === component)?.state;
  assert.equal(state(0, 'add-trust', 'SPA1'), 'done');
  assert.equal(state(0, 'add-trust', 'FILESRV01'), 'done');
  assert.equal(state(0, 'add-trust', 'LIBMGR'), 'not-done');
  assert.equal(state(0, 'add-trust', 'OC'), 'not-collected');
  assert.equal(state(1, 'reissue', 'SPA1'), 'done');
  assert.equal(state(1, 'reissue', 'LIBMGR'), 'not-done');
  assert.equal(state(2, 'remove-trust', 'FILESRV01'), 'done');
  assert.equal(state(2, 'remove-trust', 'SPA1'), 'not-done');
  assert.deepEqual(ev[0]!.evidence.filter((e) => e.change.type === 'declare-ca').map((e) => e.state), ['done', 'done']);
  assert.deepEqual(ev[2]!.evidence.filter((e) => e.change.type === 'remove-ca').map((e) => e.state), ['unknown', 'unknown']);
  assert.equal(phaseByHosts(ev), 'phase-1-trust-new');
  // Each key database is read once, however many changes ask about it.
  assert.equal(opened.length, new Set(opened).size);
});
