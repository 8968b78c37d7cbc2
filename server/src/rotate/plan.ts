// `sptls rotate` as a plan: a rotation is a list of phases, each a full topology state
// (the previous one with a few edits) and the changes that lead there. Pure: reads an
// Analysis, writes text; the proof (prove.ts) and the rehearsal (rehearse.ts) judge it.
//
// The order rule, as phases:
//   trust-new  every component that trusts the old anchor gets the new one beside it
//              (and the new CAs are declared); only trust is added.
//   reissue /  every certificate that needs the new anchor changes over; trust stays.
//   switch
//   drop-old   the old anchor leaves every trust list, the old CAs leave the file.
// Each phase changes one kind of thing only, so any mix of hosts done and not yet done
// inside a phase is covered by the states before and after it (prove.ts checks both).
import type { Analysis } from '../analysis/engine.ts';
import type { Entity } from '../analysis/model.ts';
import { dnKey } from '../analysis/dn.ts';
import { issueSpecs, pkiBlockingDiagnostics } from '../pki/issue/spec.ts';
import { addTrust, applyEdits, declareAfter, quote, removeDeclaration, removeTrust, setCertificateFile, setIssuer, type TextEdit } from './edits.ts';

export type RotationTarget = { kind: 'ca'; name: string } | { kind: 'certificate'; name: string };

export type Change =
  | { type: 'declare-ca'; name: string; replaces: string; declaration: string }
  | { type: 'add-trust'; component: string; name: string; after: string }
  | { type: 'reissue'; component: string; issuer: string; replaces: string }
  | { type: 'renew'; component: string }
  | { type: 'switch'; component: string; file: string; label: string; replaces: string }
  | { type: 'remove-trust'; component: string; name: string }
  | { type: 'remove-ca'; name: string };

export type PhaseSlug = 'trust-new' | 'reissue' | 'switch' | 'renew' | 'drop-old';

/** What each phase may change: one kind of thing, so a half-done phase is safe. */
export const PHASE_CHANGES: Record<PhaseSlug, ReadonlySet<Change['type']>> = {
  'trust-new': new Set(['declare-ca', 'add-trust']),
  reissue: new Set(['reissue']),
  switch: new Set(['switch']),
  renew: new Set(['renew']),
  'drop-old': new Set(['remove-trust', 'remove-ca']),
};

export interface PhaseChanges {
  slug: PhaseSlug;
  changes: Change[];
}

export interface Phase extends PhaseChanges {
  /** 1-based. */
  number: number;
  /** `phase-1-trust-new`: the file name without `.sptls`. */
  id: string;
  title: string;
  /** The whole topology once this phase is done. */
  text: string;
  /** The changes the topology does not show yet (a change already made edits nothing): what is left of this phase. */
  pending: Change[];
}

/** An old certificate or CA and what takes its place. */
export interface Successor {
  old: string;
  new: string;
  /** Self-signed renewals: the certificate file the successor is read from. */
  file?: string;
}

export interface RotationPlan {
  target: RotationTarget;
  successors: Successor[];
  /** The topology before the first phase. */
  initial: string;
  phases: Phase[];
}

export type PlanResult = { ok: true; plan: RotationPlan } | { ok: false; message: string };

const TITLES: Record<PhaseSlug, string> = {
  'trust-new': 'the new anchor reaches every component that trusts the old one',
  reissue: 'every certificate under the old CA is issued again under the new one',
  switch: 'the component presents its new certificate',
  renew: 'the certificate is issued again under the same CA',
  'drop-old': 'the old anchor leaves every key database and the topology',
};

/** The phases of a rotation, from the topology as it is now (resumable: done work is not planned again). */
export function planRotation(analysis: Analysis, target: RotationTarget, reanalyze: Reanalyze): PlanResult {
  const blocking = pkiBlockingDiagnostics(analysis);
  if (blocking.length > 0) {
    const d = blocking[0]!;
    return { ok: false, message: `the topology has errors that affect its certificates (line ${analysis.lines.lineOf(d.start) + 1}: ${d.code}); fix them first` };
  }
  const entity = analysis.model.byName.get(target.name);
  if (!entity) return { ok: false, message: `${target.name} is not declared in the topology` };
  const r = target.kind === 'ca' ? caRotation(analysis, entity) : certificateRenewal(analysis, entity);
  if (!r.ok) return r;
  return { ok: true, plan: { target, successors: r.successors, initial: analysis.text, phases: materialize(analysis, r.phases, r.successors, reanalyze) } };
}

type Steps = { ok: true; successors: Successor[]; phases: PhaseChanges[] } | { ok: false; message: string };

/** Reads a phase text the way the first one was read (same certificate files, same instant). */
export type Reanalyze = (text: string) => Analysis;

/** Phase texts from change lists, applied in the order given (tests give a wrong order on purpose). */
export function materialize(analysis: Analysis, phases: readonly PhaseChanges[], successors: readonly Successor[], reanalyze: Reanalyze): Phase[] {
  const out: Phase[] = [];
  let current = analysis;
  for (const [i, p] of phases.entries()) {
    const removable = removableCas(current, p.changes, successors);
    const edits = p.changes.map((c) => ({ c, edit: editFor(current, c, removable) }));
    const text = applyEdits(current.text, edits.flatMap((e) => (e.edit ? [e.edit] : [])));
    current = reanalyze(text);
    const pending = edits.filter((e) => e.edit !== null || e.c.type === 'renew').map((e) => e.c);
    out.push({ ...p, number: i + 1, id: `phase-${i + 1}-${p.slug}`, title: TITLES[p.slug], text, pending });
  }
  return out;
}

function editFor(analysis: Analysis, change: Change, removable: ReadonlySet<Entity>): TextEdit | null {
  const get = (name: string) => analysis.model.byName.get(name);
  switch (change.type) {
    case 'declare-ca': {
      if (get(change.name)) return null;
      const after = get(change.replaces);
      return after ? declareAfter(analysis, after, change.declaration) : null;
    }
    case 'add-trust': { const e = get(change.component); return e ? addTrust(e, change.after, change.name) : null; }
    case 'reissue': { const e = get(change.component); return e ? setIssuer(e, change.issuer) : null; }
    case 'switch': { const e = get(change.component); return e ? setCertificateFile(e, change.file) : null; }
    case 'remove-trust': { const e = get(change.component); return e ? removeTrust(e, change.name) : null; }
    case 'remove-ca': {
      const e = get(change.name);
      return e && removable.has(e) ? removeDeclaration(analysis, e) : null;
    }
    case 'renew': return null;
  }
}

/**
 * The CAs a phase may drop: each has its successor declared, and nothing that stays
 * signs with it (a CA signed by another that leaves too does not hold that one back).
 */
function removableCas(analysis: Analysis, changes: readonly Change[], successors: readonly Successor[]): Set<Entity> {
  const out = new Set<Entity>();
  for (const c of changes) {
    if (c.type !== 'remove-ca') continue;
    const e = analysis.model.byName.get(c.name);
    if (e && successors.some((s) => s.old === c.name && analysis.model.byName.has(s.new))) out.add(e);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const r of analysis.model.references) {
      if ((r.role !== 'signed-by' && r.role !== 'certificate-signed-by') || !r.target || !out.has(r.target)) continue;
      if (r.owner && !out.has(r.owner)) { out.delete(r.target); changed = true; }
    }
  }
  return out;
}

// --- CA rotation -------------------------------------------------------------------

function caRotation(analysis: Analysis, x: Entity): Steps {
  if (x.kind !== 'ca') return { ok: false, message: `${x.name} is a ${x.kind}, not a ca: use --certificate ${x.name}` };
  const { model } = analysis;
  const specs = new Map(issueSpecs(analysis).specs.map((s) => [s.name, s]));
  // The CA and every CA under it: a new key above means new certificates below.
  const subtree: Entity[] = [x];
  for (const e of model.entities) {
    if (e.kind !== 'ca' || !e.isFirst || e === x) continue;
    if (ancestors(analysis, e).includes(x)) subtree.push(e);
  }
  subtree.sort((a, b) => ancestors(analysis, a).length - ancestors(analysis, b).length || a.index - b.index);
  for (const ca of subtree) {
    if (ca.props.has('file')) return { ok: false, message: `CA ${ca.name} is known only by its file: its key is held elsewhere, so sptls cannot issue its successor. Have its holder issue one and declare it with 'file'` };
  }
  const successors: Successor[] = [];
  const taken = new Set(model.byName.keys());
  const newName = (old: string) => successors.find((s) => s.old === old)?.new;
  const declare: Change[] = [];
  for (const ca of subtree) {
    const parent = ca.props.get('signed-by')?.values[0]?.text;
    const newParent = parent === undefined ? undefined : newName(parent) ?? parent;
    const subject = specs.get(ca.name)?.subject ?? `CN=${ca.name}`;
    const existing = lookAlike(analysis, ca, subject, newParent);
    const name = existing?.name ?? nextName(ca.name, taken);
    taken.add(name);
    successors.push({ old: ca.name, new: name });
    if (!existing) declare.push({ type: 'declare-ca', name, replaces: ca.name, declaration: caDeclaration(analysis, ca, name, subject, newParent) });
  }
  const olds = new Set(subtree.map((c) => c.name));
  const trustNew: Change[] = [...declare];
  const reissue: Change[] = [];
  const dropOld: Change[] = [];
  for (const e of model.entities) {
    if (!e.isFirst) continue;
    for (const v of e.trusts) {
      if (!olds.has(v.text)) continue;
      trustNew.push({ type: 'add-trust', component: e.name, name: newName(v.text)!, after: v.text });
      dropOld.push({ type: 'remove-trust', component: e.name, name: v.text });
    }
    const issuer = e.kind !== 'ca' && e.certificate?.mode === 'signed-by' ? e.certificate.issuer?.text : undefined;
    if (issuer !== undefined && olds.has(issuer)) reissue.push({ type: 'reissue', component: e.name, issuer: newName(issuer)!, replaces: issuer });
  }
  for (const ca of [...subtree].reverse()) dropOld.push({ type: 'remove-ca', name: ca.name });
  return {
    ok: true,
    successors,
    phases: [{ slug: 'trust-new', changes: trustNew }, { slug: 'reissue', changes: reissue }, { slug: 'drop-old', changes: dropOld }],
  };
}

/** The CAs above a CA, nearest first (stops at a cycle, which blocks planning anyway). */
function ancestors(analysis: Analysis, ca: Entity): Entity[] {
  const out: Entity[] = [];
  let cur: Entity | undefined = ca;
  while (cur) {
    const parent: string | undefined = cur.props.get('signed-by')?.values[0]?.text;
    cur = parent === undefined ? undefined : analysis.model.byName.get(parent);
    if (!cur || out.includes(cur) || cur === ca) break;
    out.push(cur);
  }
  return out;
}

/** A successor declared by an earlier run: a later `ca` with the same DN under the (new) parent. */
function lookAlike(analysis: Analysis, ca: Entity, subject: string, parent: string | undefined): Entity | undefined {
  const specs = new Map(issueSpecs(analysis).specs.map((s) => [s.name, s]));
  return analysis.model.entities.find((e) => e.kind === 'ca' && e.isFirst && e.index > ca.index && !e.props.has('file')
    && dnKey(specs.get(e.name)?.subject ?? `CN=${e.name}`) === dnKey(subject)
    && e.props.get('signed-by')?.values[0]?.text === parent);
}

/** `CorpRoot` → `CorpRoot-2`, `CorpRoot-2` → `CorpRoot-3`: the first name not declared. */
export function nextName(old: string, taken: ReadonlySet<string>): string {
  const m = /^(.*)-(\d+)$/.exec(old);
  const base = m ? m[1]! : old;
  for (let n = m ? Number(m[2]) + 1 : 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

function caDeclaration(analysis: Analysis, ca: Entity, name: string, subject: string, parent: string | undefined): string {
  const src = (p: string) => { const prop = ca.props.get(p); return prop ? analysis.text.slice(prop.start, prop.end) : undefined; };
  const lines = [
    `# ${name} replaces ${ca.name}: a new key under the same name (sptls rotate).`,
    `ca ${name} {`,
    ...(parent !== undefined ? [`  signed-by ${parent}`] : []),
    `  subject ${quote(subject)}`,
    ...[src('key'), src('valid')].filter((l): l is string => l !== undefined).map((l) => `  ${l}`),
    '}',
  ];
  return lines.join('\n');
}

// --- certificate renewal -------------------------------------------------------------

const SELF_SIGNED_RESPONDERS = new Set(['server', 'storage-agent']);

function certificateRenewal(analysis: Analysis, c: Entity): Steps {
  const cert = c.certificate;
  if (c.kind === 'ca') return { ok: false, message: `${c.name} is a ca: use --ca ${c.name}` };
  if (!cert) return { ok: false, message: `${c.name} has no certificate to renew` };
  if (cert.mode === 'signed-by') {
    // Same CA, same anchor: nobody's trust changes, only the certificate and its key database.
    return { ok: true, successors: [], phases: [{ slug: 'renew', changes: [{ type: 'renew', component: c.name }] }] };
  }
  if (cert.mode === 'file' && !successorOf(analysis, c)) return { ok: false, message: `${c.name}'s certificate is the file "${cert.file?.text ?? ''}": renew it where it was issued, or rotate its CA with --ca` };
  if (!SELF_SIGNED_RESPONDERS.has(c.kind)) return { ok: false, message: `sptls renews the self-signed certificates of servers and storage agents; ${c.name} is a ${c.kind}` };
  const existing = successorOf(analysis, c);
  const name = existing?.name ?? nextName(c.name, new Set(analysis.model.byName.keys()));
  const file = existing?.props.get('file')?.values[0]?.text ?? `${name}.arm`;
  const successors: Successor[] = [{ old: c.name, new: name, file }];
  const trustNew: Change[] = [];
  const dropOld: Change[] = [];
  if (!existing) {
    trustNew.push({
      type: 'declare-ca', name, replaces: c.name,
      declaration: `# ${c.name}'s renewed self-signed certificate (label ${name}), exported from ${c.name} to ${file} (sptls rotate).\nca ${name} { file ${quote(file)} }`,
    });
  }
  for (const e of analysis.model.entities) {
    if (!e.isFirst || !e.trusts.some((v) => v.text === c.name)) continue;
    trustNew.push({ type: 'add-trust', component: e.name, name, after: c.name });
    dropOld.push({ type: 'remove-trust', component: e.name, name: c.name });
  }
  return {
    ok: true,
    successors,
    phases: [
      { slug: 'trust-new', changes: trustNew },
      { slug: 'switch', changes: [{ type: 'switch', component: c.name, file, label: name, replaces: c.name }] },
      { slug: 'drop-old', changes: dropOld },
    ],
  };
}

/** The `ca NAME-n { file "…" }` an earlier run declared for a component's renewed self-signed certificate. */
function successorOf(analysis: Analysis, c: Entity): Entity | undefined {
  const re = new RegExp(`^${c.name.replace(/[.]/g, '\\.')}-\\d+$`);
  return analysis.model.entities.find((e) => e.kind === 'ca' && e.isFirst && re.test(e.name) && e.props.has('file') && !e.props.has('signed-by'));
}
