// The text and JSON forms of a rotation, its status and its rehearsal, for the CLI (which
// escapes everything it prints for the terminal, cli/terminal.ts).
import type { Rotation, RotationStatus } from './index.ts';
import type { PhaseEvidence } from './evidence.ts';
import type { StateRehearsal } from './rehearse.ts';

const targetText = (t: Rotation['plan']['target']) => (t.kind === 'ca' ? `CA ${t.name}` : `the certificate of ${t.name}`);

export function renderRotationText(r: Rotation, outDir: string): string {
  const lines = [`Rotation of ${targetText(r.plan.target)}: ${r.plan.phases.length} phase(s), written to ${outDir}`];
  for (const s of r.plan.successors) lines.push(`  ${s.old} -> ${s.new}${s.file ? ` (certificate file ${s.file}, exported by ${s.old})` : ''}`);
  for (const [i, { phase, hosts }] of r.steps.entries()) {
    const proof = r.proofs[i]!;
    const ok = proof.broken.length === 0 && proof.newErrors.length === 0 && proof.misplaced.length === 0;
    lines.push('', `${phase.id}.sptls — ${phase.title}`);
    lines.push(`  ${phase.changes.length} change(s); hosts: ${hosts.map((h) => h.host ?? 'workstation').join(', ') || 'none'}`);
    lines.push(`  check: ${ok ? 'every connection trusted before is still trusted' : 'NOT SAFE'}`);
    for (const b of proof.broken) lines.push(`    broken: ${b.connection} (line ${b.line}): ${b.why}`);
    for (const e of proof.newErrors) lines.push(`    new error: ${e}`);
    for (const m of proof.misplaced) lines.push(`    misplaced: ${m}`);
    lines.push(`  steps: ${phase.id}/STEPS.txt`);
  }
  if (r.standIns.length > 0) {
    lines.push('', `Checked with a stand-in for ${r.standIns.join(', ')} (same subject): the host exports the real file in phase 1; 'sptls check' reads it then.`);
  }
  lines.push('', r.proven ? 'Every phase checks clean.' : 'The plan does NOT keep every connection trusted: see above.');
  return `${lines.join('\n')}\n`;
}

export function rotationJson(r: Rotation, outDir: string): unknown {
  return {
    schema: 'sptls.rotate/1',
    target: r.plan.target,
    out: outDir,
    successors: r.plan.successors,
    proven: r.proven,
    standIns: r.standIns,
    phases: r.steps.map(({ phase, hosts }, i) => ({
      id: phase.id, slug: phase.slug, title: phase.title, file: `${phase.id}.sptls`, changes: phase.changes,
      proof: r.proofs[i], hosts: hosts.map((h) => ({ host: h.host, title: h.title, stage: h.stage, commands: h.commands, bringBack: h.bringBack, restart: h.restart, notes: h.notes })),
    })),
  };
}

export function renderStatusText(s: RotationStatus): string {
  const lines = [`Rotation of ${targetText(s.target)}:`];
  if (s.unknowable) {
    lines.push('  a renewal under the same CA changes no declaration: the topology cannot show whether it is done.', '  Look at the certificate on the host (sptls handshake, or sptls check --keydbs with its collected key database).');
    return `${lines.join('\n')}\n`;
  }
  for (const d of s.done) lines.push(`  done: ${d}`);
  if (!s.current) lines.push('  complete: nothing is left to do.');
  else {
    lines.push(`  now:  ${s.current.id} — ${s.current.title}; left to do:`);
    for (const c of s.current.pending) lines.push(`    ${describeChange(c)}`);
  }
  for (const a of s.after) lines.push(`  then: ${a}`);
  return `${lines.join('\n')}\n`;
}

/** What the collected key databases show, per remaining phase. */
/** `sources`: what the evidence comes from, e.g. 'key databases and scan'. */
export function renderEvidenceText(evidence: readonly PhaseEvidence[], byHosts: string | null, sources = 'key databases'): string {
  const lines = [sources === 'key databases' ? 'Collected key databases:' : `Collected ${sources}:`];
  for (const p of evidence) {
    const count = (s: string) => p.evidence.filter((e) => e.state === s).length;
    lines.push(`  ${p.id}: ${count('done')} done, ${count('not-done')} not done, ${count('not-collected')} not collected, ${count('unknown')} not shown by ${sources}`);
    for (const e of p.evidence) if (e.state !== 'unknown') lines.push(`    ${e.state === 'done' ? 'done    ' : 'not done'} ${e.why}`);
  }
  lines.push(byHosts ? `By the hosts, the environment is in ${byHosts}.` : 'By the hosts, every change they can show is done.');
  return `${lines.join('\n')}\n`;
}

function describeChange(c: Rotation['plan']['phases'][number]['changes'][number]): string {
  switch (c.type) {
    case 'declare-ca': return `declare and issue ${c.name} (replaces ${c.replaces})`;
    case 'add-trust': return `${c.component} trusts ${c.name} beside ${c.after}`;
    case 'reissue': return `${c.component}'s certificate is issued by ${c.issuer} instead of ${c.replaces}`;
    case 'renew': return `${c.component}'s certificate is issued again`;
    case 'switch': return `${c.component} presents ${c.label} (${c.file})`;
    case 'remove-trust': return `${c.component} no longer trusts ${c.name}`;
    case 'remove-ca': return `${c.name} leaves the topology`;
  }
}

export function renderRehearsalText(states: readonly StateRehearsal[]): string {
  const lines = ['Rehearsal on 127.0.0.1 (one PKI for the whole rotation: old and new CAs and certificates):'];
  for (const s of states) {
    const done = s.rows.filter((r) => r.observed).length;
    const trusted = s.rows.filter((r) => r.observed?.verdict === 'trusted').length;
    lines.push(`  ${s.id}: ${done} handshake(s), ${trusted} trusted${s.broken.length ? `, ${s.broken.length} BROKEN` : ''}`);
    for (const b of s.broken) lines.push(`    broken: ${b.connection} [${b.client}] ${b.observed}: ${b.reason}`);
  }
  const broken = states.some((s) => s.broken.length > 0);
  lines.push(broken ? 'The rotation breaks connections that worked before: do not run it in this order.' : 'No connection that worked before breaks in any phase.');
  return `${lines.join('\n')}\n`;
}
