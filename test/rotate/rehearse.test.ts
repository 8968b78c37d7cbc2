// `sptls rotate --rehearse`: every state of the rotation on loopback with real TLS (Node's
// OpenSSL, and Java's JSSE for the Operations Center and the reporting agent). The planned
// orders hold; swapped orders break connections, and the rehearsal must say which, also
// where the rules alone cannot see it (a component trusted by name: its old certificate).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { nodeHandshakeProber } from '../../server/src/handshake/index.ts';
import { materialize, planRotation, proofHolds, provePhases, rehearseRotation, rotate, type RotationPlan } from '../../server/src/rotate/index.ts';
import { jsseClient } from '../../server/src/simulate/java/jsse-client.ts';
import { ensureCommand } from '../support/system.ts';
import { files, NOW, production, root, selfSigned } from './support.ts';

async function rotation(text: string, target: RotationPlan['target']) {
  const r = await rotate({ text, files: files() }, { target, now: NOW });
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.rotation;
}

function reordered(r: Awaited<ReturnType<typeof rotation>>, order: number[]): RotationPlan {
  const a = r.reanalyze(r.plan.initial);
  const p = planRotation(a, r.plan.target, r.reanalyze);
  assert.ok(p.ok);
  return { ...r.plan, phases: materialize(a, order.map((i) => p.plan.phases[i]!), r.plan.successors, r.reanalyze) };
}

const brokenIds = (states: Awaited<ReturnType<typeof rehearseRotation>>) => states.filter((s) => s.broken.length > 0).map((s) => s.id);

describe('rotate --rehearse on loopback', () => {
  before(() => ensureCommand('javac', 'default-jdk-headless'));

  // Java runs where two roots share a name (JSSE picks the anchor by key), the others from Node only (a JVM per handshake is slow).
  for (const [label, text, target, java] of [
    ['CorpIssuing', production, { kind: 'ca', name: 'CorpIssuing' }, false],
    ['CorpRoot (new key, same name)', production, { kind: 'ca', name: 'CorpRoot' }, true],
    ['the self-signed certificate of SPB1', selfSigned, { kind: 'certificate', name: 'SPB1' }, false],
  ] as const) {
    it(`${label}: no connection that worked before breaks in any phase (${java ? 'Node and Java' : 'Node'})`, async () => {
      const r = await rotation(text, target);
      const states = await rehearseRotation(r.plan, r.reanalyze, { prober: nodeHandshakeProber, now: NOW, ...(java ? { java: jsseClient(process.env) } : {}) });
      assert.deepEqual(states.map((s) => s.id), ['phase-0-before', ...r.plan.phases.map((p) => p.id)]);
      for (const s of states) {
        assert.deepEqual(s.broken, [], s.id);
        // Every TLS connection of the example is rehearsed, the Java ones from Java as well.
        assert.equal(s.rows.filter((x) => x.client === 'node' && x.observed?.verdict === 'trusted').length, 24, s.id);
        assert.equal(s.rows.filter((x) => x.client === 'java' && x.observed?.verdict === 'trusted').length, java ? 3 : 0, s.id);
      }
    });
  }

  it('the new root really signs in phase 2: dropping the old root first breaks every connection, in check and on the wire', async () => {
    const r = await rotation(production, { kind: 'ca', name: 'CorpRoot' });
    const wrong = reordered(r, [0, 2, 1]);
    assert.ok(!proofHolds(provePhases(r.reanalyze(r.plan.initial), wrong.phases, r.reanalyze)));
    const states = await rehearseRotation(wrong, r.reanalyze, { prober: nodeHandshakeProber, now: NOW });
    assert.deepEqual(brokenIds(states), ['phase-2-drop-old']);
    const b = states[2]!.broken.find((x) => x.connection === 'FILESRV01 -> SPA1');
    assert.equal(b?.observed, 'untrusted');
    assert.equal(states[2]!.broken.length, 24);
  });

  it('switching a self-signed certificate before its clients hold it: the rules cannot see it, the rehearsal does', async () => {
    const r = await rotation(selfSigned, { kind: 'certificate', name: 'SPB1' });
    const wrong = reordered(r, [1, 0, 2]);
    // "trusts SPB1" names the component, whose certificate the rules take to be the current one.
    assert.ok(proofHolds(provePhases(r.reanalyze(r.plan.initial), wrong.phases, r.reanalyze)));
    const states = await rehearseRotation(wrong, r.reanalyze, { prober: nodeHandshakeProber, now: NOW });
    assert.deepEqual(brokenIds(states), ['phase-1-switch']);
    assert.deepEqual(states[1]!.broken.map((b) => `${b.connection} ${b.observed}`).sort(), ['SPA1 -> SPB1 untrusted', 'SPHUB -> SPB1 untrusted']);
  });

  it('sptls rotate --rehearse exits 1 and names the connection when a pinned certificate would break (the rules cannot see it)', () => {
    // ADMIN trusts SPHUB itself (its certificate pinned), not the root: reissuing SPHUB under a new CA breaks it.
    const dir = mkdtempSync(join(tmpdir(), 'sptls-rotate-pin-'));
    try {
      writeFileSync(join(dir, 'p.sptls'), production.replace('client ADMIN { version 8.1.22 trusts CorpRoot }', 'client ADMIN { version 8.1.22 trusts SPHUB }'));
      const r = spawnSync(process.execPath, [join(root, 'bin', 'sptls.cjs'), 'rotate', 'p.sptls', '--ca', 'CorpIssuing', '--rehearse'], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /Every phase checks clean\./);
      assert.match(r.stdout, /phase-2-reissue: 24 handshake\(s\), 23 trusted, 1 BROKEN\n    broken: ADMIN -> SPHUB \[node\] untrusted/);
      assert.match(r.stdout, /do not run it in this order/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
