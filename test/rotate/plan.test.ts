// `sptls rotate` plans: the phases of examples/production.sptls for a CA, a re-keyed root
// and a self-signed server certificate, each proven by the rules; the order rule tested
// both ways (a swapped order must be caught); resumable status from the topology alone.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/analysis/engine.ts';
import { materialize, planRotation, proofHolds, provePhases, rotate, rotationStatus, type RotationPlan } from '../../server/src/rotate/index.ts';
import { planRotationFolder } from '../../server/src/rotate/write.ts';
import { analyzer, files, NOW, production, root, selfSigned } from './support.ts';

async function planned(text: string, target: RotationPlan['target']) {
  const r = await rotate({ text, files: files() }, { target, now: NOW });
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.rotation;
}

const codes = (text: string) => analyze(text, { certificateFiles: files(), now: NOW }).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

describe('rotate: CA rotations of examples/production.sptls', () => {
  it('CorpIssuing: a new issuing CA under the same root, servers reissued, the old one dropped; every phase checks clean', async () => {
    const r = await planned(production, { kind: 'ca', name: 'CorpIssuing' });
    assert.deepEqual(r.plan.phases.map((p) => p.id), ['phase-1-trust-new', 'phase-2-reissue', 'phase-3-drop-old']);
    assert.deepEqual(r.plan.successors, [{ old: 'CorpIssuing', new: 'CorpIssuing-2' }]);
    const [p1, p2, p3] = r.plan.phases;
    assert.match(p1!.text, /ca CorpIssuing-2 \{\n  signed-by CorpRoot\n  subject "CN=Example Corp Issuing CA 1,O=Example Corp,C=US"\n  key rsa 3072\n  valid 10 years\n\}/);
    // Nobody trusts the intermediate (the product wants the root): no trust changes at all.
    assert.equal(p1!.changes.filter((c) => c.type === 'add-trust').length, 0);
    assert.deepEqual(p2!.changes.map((c) => c.type === 'reissue' && c.component), ['SPHUB', 'SPA1', 'LIBMGR', 'STA1', 'STA2', 'SPB1', 'CORPDIR']);
    assert.equal((p2!.text.match(/signed-by CorpIssuing-2/g) ?? []).length, 7);
    assert.doesNotMatch(p3!.text, /\bca CorpIssuing \{/);
    assert.ok(r.proven, JSON.stringify(r.proofs));
    for (const p of r.plan.phases) assert.deepEqual(codes(p.text), [], p.id);
  });

  it('CorpRoot (new key, same name): both roots trusted first, then the whole tree reissued, then the old root dropped', async () => {
    const r = await planned(production, { kind: 'ca', name: 'CorpRoot' });
    assert.deepEqual(r.plan.successors.map((s) => `${s.old}->${s.new}`), ['CorpRoot->CorpRoot-2', 'CorpIssuing->CorpIssuing-2']);
    const [p1, p2, p3] = r.plan.phases;
    assert.match(p1!.text, /ca CorpRoot-2 \{\n  subject "CN=Example Corp Root CA,O=Example Corp,C=US"/);
    assert.match(p1!.text, /ca CorpIssuing-2 \{\n  signed-by CorpRoot-2\n/);
    assert.match(p1!.text, /client FILESRV01 \{ version 8.1.22 trusts CorpRoot, CorpRoot-2 \}/);
    assert.equal(p1!.changes.filter((c) => c.type === 'add-trust').length, 14);
    assert.equal((p2!.text.match(/certificate signed-by CorpIssuing-2/g) ?? []).length, 7);
    assert.match(p3!.text, /client FILESRV01 \{ version 8.1.22 trusts CorpRoot-2 \}/);
    assert.doesNotMatch(p3!.text, /trusts[^\n]*CorpRoot\b(?!-)/);
    assert.ok(r.proven, JSON.stringify(r.proofs));
    for (const p of r.plan.phases) assert.deepEqual(codes(p.text), [], p.id);
  });

  it('a self-signed server certificate: .arm distributed first, then the switch, then the old one dropped', async () => {
    const r = await planned(selfSigned, { kind: 'certificate', name: 'SPB1' });
    assert.deepEqual(r.plan.phases.map((p) => p.id), ['phase-1-trust-new', 'phase-2-switch', 'phase-3-drop-old']);
    assert.deepEqual(r.plan.successors, [{ old: 'SPB1', new: 'SPB1-2', file: 'SPB1-2.arm' }]);
    assert.deepEqual(r.standIns, ['SPB1-2.arm']);
    const [p1, p2, p3] = r.plan.phases;
    assert.match(p1!.text, /ca SPB1-2 \{ file "SPB1-2.arm" \}/);
    assert.match(p1!.text, /trusts CorpRoot, SPB1, SPB1-2/);
    assert.match(p2!.text, /server SPB1 \{[^}]*certificate file "SPB1-2.arm"/);
    assert.match(p3!.text, /trusts CorpRoot, SPB1-2\n/);
    assert.ok(r.proven, JSON.stringify(r.proofs));
  });

  it('a certificate signed by a CA is renewed in one phase that changes no trust', async () => {
    const r = await planned(production, { kind: 'certificate', name: 'SPA1' });
    assert.deepEqual(r.plan.phases.map((p) => p.id), ['phase-1-renew']);
    assert.equal(r.plan.phases[0]!.text, production);
    const ws = r.steps[0]!.hosts.find((h) => h.host === null)!;
    assert.deepEqual(ws.commands[0]!.args, ['issue', 'phase-1-renew.sptls', '--out', 'pki', '--only', 'SPA1', '--renew', '--force']);
  });

  it('below server level 8.1.19 the self-signed renewal uses gsk8capicmd_64 on cert.kdb instead of the server commands', async () => {
    const r = await planned(selfSigned.replace(/(server SPB1 \{[\s\S]*?version )8\.1\.22/, '$18.1.10'), { kind: 'certificate', name: 'SPB1' });
    const on = (phase: number) => r.steps[phase]!.hosts.find((h) => h.host === 'SPB1')!.commands.map((c) => [c.tool, ...c.args].join(' '));
    assert.deepEqual(on(0), [
      'gsk8capicmd_64 -cert -create -db cert.kdb -stashed -label SPB1-2 -dn CN=SPB1,OU=TSM Network,O=TSM,C=US -size 2048 -sigalg SHA256_WITH_RSA -expire 825',
      'gsk8capicmd_64 -cert -extract -db cert.kdb -stashed -label SPB1-2 -target SPB1-2.arm -format ascii',
    ]);
    assert.deepEqual(on(1), ['gsk8capicmd_64 -cert -setdefault -db cert.kdb -stashed -label SPB1-2']);
  });

  it("a client gets a server's renewed self-signed certificate with dsmcert (IBM's procedure), and loses the old one by label", async () => {
    const text = `${selfSigned.replace('client FILESRV01 { version 8.1.22 trusts CorpRoot }', 'client FILESRV01 { version 8.1.22 trusts CorpRoot, SPB1 }')}\nFILESRV01 -> SPB1\n`;
    const r = await planned(text, { kind: 'certificate', name: 'SPB1' });
    assert.ok(r.proven);
    const on = (phase: number) => r.steps[phase]!.hosts.find((h) => h.host === 'FILESRV01')!;
    assert.deepEqual(on(0).commands, [{ tool: 'dsmcert', args: ['-add', '-server', 'SPB1', '-file', 'SPB1-2.arm'] }]);
    assert.deepEqual(on(0).stage, [{ file: 'SPB1-2.arm', source: 'SPB1-2.arm' }]);
    assert.deepEqual(on(2).commands, [{ tool: 'gsk8capicmd_64', args: ['-cert', '-delete', '-db', 'dsmcert.kdb', '-stashed', '-label', 'SPB1'] }]);
    assert.match(on(2).notes[0]!, /added with dsmcert, its label may differ/);
  });

  it('refuses what it cannot rotate, with the reason', () => {
    const a = analyzer()(production);
    const msg = (t: RotationPlan['target']) => { const r = planRotation(a, t, analyzer()); return r.ok ? 'ok' : r.message; };
    assert.match(msg({ kind: 'ca', name: 'SPA1' }), /SPA1 is a server, not a ca: use --certificate SPA1/);
    assert.match(msg({ kind: 'ca', name: 'Nope' }), /Nope is not declared/);
    assert.match(msg({ kind: 'certificate', name: 'CorpRoot' }), /use --ca CorpRoot/);
    assert.match(msg({ kind: 'certificate', name: 'FILESRV01' }), /FILESRV01 has no certificate/);
  });
});

describe('rotate: the order rule, both ways', () => {
  const reorder = (text: string, target: RotationPlan['target'], order: number[]) => {
    const a = analyzer()(text);
    const r = planRotation(a, target, analyzer());
    assert.ok(r.ok);
    const phases = order.map((i) => r.plan.phases[i]!);
    return provePhases(a, materialize(a, phases, r.plan.successors, analyzer()), analyzer());
  };

  it('the planned order keeps every connection trusted', () => {
    assert.ok(proofHolds(reorder(production, { kind: 'ca', name: 'CorpRoot' }, [0, 1, 2])));
  });

  it('dropping the old root before the reissue is caught by check: untrusted-responder on the connections that worked', () => {
    const proofs = reorder(production, { kind: 'ca', name: 'CorpRoot' }, [0, 2, 1]);
    assert.ok(!proofHolds(proofs));
    // The old CAs stay declared while they sign something, so the rules see the trust that is gone.
    const broken = proofs[1]!.broken;
    assert.equal(broken.length, 24);
    const b = broken.find((x) => x.connection === 'FILESRV01 -> SPA1');
    assert.match(b?.why ?? '', /FILESRV01 cannot verify SPA1.*CorpRoot/, JSON.stringify(broken[0]));
  });

  it('reissuing before the new anchor is trusted is caught by check', () => {
    const proofs = reorder(production, { kind: 'ca', name: 'CorpRoot' }, [1, 0, 2]);
    assert.ok(!proofHolds(proofs));
    assert.ok(proofs[0]!.broken.length > 0);
  });

  it('a phase that mixes kinds of change is refused (a half-done phase would be unsafe)', () => {
    const a = analyzer()(production);
    const r = planRotation(a, { kind: 'ca', name: 'CorpRoot' }, analyzer());
    assert.ok(r.ok);
    const [p1, p2, p3] = r.plan.phases;
    const merged = materialize(a, [{ slug: 'trust-new', changes: [...p1!.changes, ...p2!.changes] }, p3!], r.plan.successors, analyzer());
    const proofs = provePhases(a, merged, analyzer());
    assert.deepEqual([...new Set(proofs[0]!.misplaced)], ['reissue in trust-new']);
  });
});

describe('rotate --status: the phase from the topology alone', () => {
  it('follows a CA rotation phase by phase, and half-way through a phase says what is left', async () => {
    const r = await planned(production, { kind: 'ca', name: 'CorpRoot' });
    const status = (text: string) => {
      const s = rotationStatus({ text, files: files() }, { kind: 'ca', name: 'CorpRoot' }, NOW);
      assert.ok(s.ok, s.ok ? '' : s.message);
      return s.status;
    };
    assert.equal(status(production).current?.id, 'phase-1-trust-new');
    assert.deepEqual(status(r.plan.phases[0]!.text).done, ['phase-1-trust-new']);
    assert.equal(status(r.plan.phases[0]!.text).current?.id, 'phase-2-reissue');
    assert.equal(status(r.plan.phases[1]!.text).current?.id, 'phase-3-drop-old');
    // Half of phase 1: the clients not yet done are what is left.
    const half = r.plan.phases[0]!.text.replace('client ORADB02 { version 8.1.21 trusts CorpRoot, CorpRoot-2 }', 'client ORADB02 { version 8.1.21 trusts CorpRoot }');
    const s = status(half);
    assert.equal(s.current?.id, 'phase-1-trust-new');
    assert.deepEqual(s.current?.pending, [{ type: 'add-trust', component: 'ORADB02', name: 'CorpRoot-2', after: 'CorpRoot' }]);
    // A second run on a half-done topology plans only what is left, with the same names,
    // and its phase-1 scripts touch only the host left to do.
    const again = await planned(half, { kind: 'ca', name: 'CorpRoot' });
    assert.equal(again.plan.phases[2]!.text, r.plan.phases[2]!.text);
    assert.deepEqual(again.steps[0]!.hosts.map((h) => h.host), ['ORADB02']);
    assert.deepEqual(again.steps[0]!.hosts[0]!.commands.map((c) => c.args.join(' ')), ['-cert -add -db dsmcert.kdb -stashed -label CorpRoot-2 -file CorpRoot-2.arm -format ascii']);
    const staging = again.files.find((f) => f.path === 'phase-1-trust-new/sptls.sh')!.content;
    assert.match(staging, /\ncp 'pki\/ca\/CorpRoot-2\.crt\.pem' 'phase-1-trust-new\/ORADB02\/CorpRoot-2\.arm'\n$/);
    assert.doesNotMatch(staging, /"\$SPTLS" 'issue'/);
  });

  it('follows a self-signed renewal to its end', async () => {
    const r = await planned(selfSigned, { kind: 'certificate', name: 'SPB1' });
    const at = (text: string) => {
      const s = rotationStatus({ text, files: files() }, { kind: 'certificate', name: 'SPB1' }, NOW);
      assert.ok(s.ok, s.ok ? '' : s.message);
      return s.status.current?.id ?? 'complete';
    };
    assert.deepEqual([selfSigned, ...r.plan.phases.map((p) => p.text)].map(at), ['phase-1-trust-new', 'phase-2-switch', 'phase-3-drop-old', 'complete']);
  });

  it('a finished rotation: the old CA is gone', async () => {
    const r = await planned(production, { kind: 'ca', name: 'CorpRoot' });
    const s = rotationStatus({ text: r.plan.phases[2]!.text, files: files() }, { kind: 'ca', name: 'CorpRoot' }, NOW);
    assert.ok(!s.ok);
    assert.match(s.message, /CorpRoot is not declared/);
  });
});

describe('rotate: the rotation folder', () => {
  it("moves the topology's file paths so that the phase files still find the certificates", async () => {
    const out = mkdtempSync(join(tmpdir(), 'sptls-rotate-out-'));
    try {
      const text = `${production}\nserver EXT { address "ext.example.com" certificate file "certs/weak-1024.pem" }\nclient FILESRV09 { trusts EXT }\nFILESRV09 -> EXT\n`;
      const r = await planRotationFolder(join(root, 'examples', 'production.sptls'), text, { target: { kind: 'ca', name: 'CorpIssuing' }, now: NOW, outDir: join(out, 'r') });
      assert.ok(r.ok && !r.refused);
      const phase = r.rotation.plan.phases[0]!.text;
      const rel = /certificate file "([^"]+)"/.exec(phase)![1]!;
      assert.equal(join(out, 'r', rel), join(root, 'examples', 'certs', 'weak-1024.pem'));
      const a = analyze(phase, { certificateFiles: files(join(out, 'r')), now: NOW });
      assert.ok(!a.diagnostics.some((d) => d.code === 'file-not-found'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
