// `sptls rotate --rehearse`: every state of the rotation (before it, and after each
// phase) is rehearsed on loopback with real TLS, through `simulate`'s own rehearsal. One
// PKI is issued for the whole rotation, so the old and the new CAs, and each component's
// old and new certificate, are the same keys in every phase; each phase then presents and
// trusts what that state says. A trust entry naming a component means the certificate
// that component presented when the rotation began: that is what its key databases hold.
import type { Analysis } from '../analysis/engine.ts';
import type { Entity } from '../analysis/model.ts';
import { planRehearsal } from '../simulate/plan.ts';
import { temporaryPki, type Lookup, type RehearsalPki } from '../simulate/pki.ts';
import { rehearse, type RehearseOptions, type ResultRow } from '../simulate/run.ts';
import { applyEdits, type TextEdit } from './edits.ts';
import type { Reanalyze, RotationPlan } from './plan.ts';

export interface StateRehearsal {
  /** `phase-0-before` or the phase id. */
  id: string;
  rows: ResultRow[];
  /** Connections trusted when the rotation began that this state's handshakes do not trust. */
  broken: Array<{ connection: string; client: 'node' | 'java'; observed: string; reason: string }>;
}

export interface RehearsalOptions extends Omit<RehearseOptions, 'now'> {
  now: Date;
  progress?: (message: string) => void;
  signal?: AbortSignal;
}

export const BEFORE_ID = 'phase-0-before';

export async function rehearseRotation(plan: RotationPlan, reanalyze: Reanalyze, options: RehearsalOptions): Promise<StateRehearsal[]> {
  const states = [{ id: BEFORE_ID, analysis: reanalyze(plan.initial) }, ...plan.phases.map((p) => ({ id: p.id, analysis: reanalyze(p.text) }))];
  const successorOf = new Map(plan.successors.filter((s) => s.file !== undefined).map((s) => [s.new, s.old]));
  const union = unionTopology(states.map((s) => s.analysis), successorOf);
  const pki = await temporaryPki(reanalyze(union.text), { now: options.now, topologyName: 'rotation rehearsal' });
  try {
    const out: StateRehearsal[] = [];
    let baseline: Map<string, boolean> | null = null;
    for (const state of states) {
      options.signal?.throwIfAborted();
      options.progress?.(`rehearsing ${state.id}`);
      const view = rehearsalView(state.analysis, successorOf, states[0]!.analysis);
      const rows = await rehearse(planRehearsal(reanalyze(view)), statePki(pki, state.analysis, states[0]!.analysis, union, successorOf), options);
      const keyed = keyRows(rows);
      baseline ??= new Map([...keyed].map(([k, r]) => [k, r.observed?.verdict === 'trusted']));
      const broken: StateRehearsal['broken'] = [];
      for (const [k, r] of keyed) {
        if (baseline.get(k) && r.observed?.verdict !== 'trusted') {
          broken.push({ connection: r.connection, client: r.client, observed: r.observed?.verdict ?? 'not rehearsed', reason: r.observed?.reason ?? r.skip ?? '' });
        }
      }
      out.push({ id: state.id, rows, broken });
    }
    return out;
  } finally {
    await pki.dispose();
  }
}

/** Rows keyed by their connection's position and the client that made the handshake (stable across phases: connections are never edited). */
function keyRows(rows: ResultRow[]): Map<string, ResultRow> {
  const out = new Map<string, ResultRow>();
  let n = -1;
  for (const r of rows) {
    if (r.client === 'node') n++;
    out.set(`${n}:${r.client}`, r);
  }
  return out;
}

interface Union {
  text: string;
  /** Component name → certificate text (as in its state) → name of the component in the union that holds it. */
  variants: Map<string, Map<string, string>>;
}

const certText = (a: Analysis, e: Entity) => {
  const p = e.certificate!.property;
  return a.text.slice(p.start, p.end);
};

/**
 * One topology holding every CA of every state and every certificate any component
 * presents in any state (as `<Name>.v<n>`), for one PKI. A component's renewed
 * self-signed certificate, a file in the phases, is issued here like its first one.
 */
function unionTopology(states: Analysis[], successorOf: Map<string, string>): Union {
  const cas = new Map<string, string>();
  const variants = new Map<string, Map<string, string>>();
  const decls: string[] = [];
  const first = states[0]!;
  for (const a of states) {
    for (const e of a.model.entities) {
      if (!e.isFirst) continue;
      if (e.kind === 'ca') {
        if (!successorOf.has(e.name) && !cas.has(e.name)) cas.set(e.name, a.text.slice(e.decl.start, e.decl.end));
        continue;
      }
      if (!e.certificate) continue;
      const own = variants.get(e.name) ?? new Map<string, string>();
      variants.set(e.name, own);
      const text = certText(a, e);
      if (own.has(text)) continue;
      const name = `${e.name}.v${own.size + 1}`;
      own.set(text, name);
      // A renewed self-signed certificate is issued the way the first one was declared.
      const original = first.model.byName.get(e.name);
      const declared = e.certificate.mode === 'file' && original?.certificate ? certText(first, original) : text;
      decls.push(`${e.kind} ${name} { ${declared} }`);
    }
  }
  return { text: [...cas.values(), ...decls].join('\n') + '\n', variants };
}

/** The state as simulate can stand it up: a renewed certificate's file becomes what it stands for. */
function rehearsalView(a: Analysis, successorOf: Map<string, string>, first: Analysis): string {
  const edits: TextEdit[] = [];
  for (const e of a.model.entities) {
    if (!e.isFirst) continue;
    if (e.kind === 'ca' && successorOf.has(e.name)) edits.push({ start: e.decl.start, end: e.decl.end, text: `ca ${e.name}` });
    else if (e.certificate?.mode === 'file' && [...successorOf.values()].includes(e.name)) {
      const original = first.model.byName.get(e.name)!;
      edits.push({ start: e.certificate.property.start, end: e.certificate.property.end, text: certText(first, original) });
    }
  }
  return applyEdits(a.text, edits);
}

/** What a state presents and trusts, looked up in the one PKI of the rotation. */
function statePki(pki: RehearsalPki, state: Analysis, first: Analysis, union: Union, successorOf: Map<string, string>): RehearsalPki {
  const variantIn = (a: Analysis, name: string): string | undefined => {
    const e = a.model.byName.get(name);
    return e?.certificate ? union.variants.get(name)?.get(certText(a, e)) : undefined;
  };
  const missing = (name: string): Lookup<never> => ({ ok: false, reason: `${name} has no certificate in the rehearsal` });
  return {
    description: `${pki.description}, one for the whole rotation`,
    certificate(name) {
      const renewed = successorOf.get(name);
      if (renewed !== undefined) {
        // The renewed certificate: the variant its component presents once it is a file.
        const v = [...union.variants.get(renewed)?.entries() ?? []].find(([text]) => /^certificate\s+file\b/.test(text))?.[1];
        return v ? pki.certificate(v) : missing(name);
      }
      if (first.model.byName.get(name)?.kind === 'ca' || state.model.byName.get(name)?.kind === 'ca') return pki.certificate(name);
      const v = variantIn(first, name) ?? variantIn(state, name);
      return v ? pki.certificate(v) : missing(name);
    },
    identity(name) {
      const v = variantIn(state, name);
      return v ? pki.identity(v) : missing(name);
    },
    dispose: async () => {},
  };
}
