// What collected key databases show of a rotation (`sptls rotate --status --keydbs DIR`):
// for each change still pending in the topology, whether the host's key database already
// holds it. Certificates compare by SHA-256 fingerprint against the PKI `sptls issue`
// wrote, so a re-keyed CA under its old name is told from the old one.
import type { KeyDbLookup, KeyDbSource } from '../pki/audit/audit.ts';
import { KINDS } from '../analysis/product.ts';
import type { Analysis } from '../analysis/engine.ts';
import type { Change, Phase } from './plan.ts';

export interface IssuedFingerprint {
  fingerprint: string;
  issuerFingerprint: string | null;
}

export type EvidenceState = 'done' | 'not-done' | 'unknown';

export interface Evidence {
  change: Change;
  state: EvidenceState;
  why: string;
}

export interface PhaseEvidence {
  id: string;
  evidence: Evidence[];
}

const norm = (fp: string) => fp.replace(/:/g, '').toLowerCase();

export async function keyDbEvidence(analysis: Analysis, phases: readonly Phase[], source: KeyDbSource, issued: ReadonlyMap<string, IssuedFingerprint>): Promise<PhaseEvidence[]> {
  const opened = new Map<string, Promise<KeyDbLookup>>();
  const open = (name: string) => {
    let p = opened.get(name);
    if (!p) {
      const e = analysis.model.byName.get(name);
      p = e ? source.open({ name, kind: e.kind, dbFile: e.props.get('keydb')?.values[0]?.text ?? KINDS[e.kind].keydb ?? 'cert.kdb' }) : Promise.resolve({ kind: 'missing' as const });
      opened.set(name, p);
    }
    return p;
  };
  const fp = (name: string) => issued.get(name)?.fingerprint;
  const holds = async (component: string, name: string): Promise<Evidence['state'] | string> => {
    const want = fp(name);
    if (!want) return `${name} is not in the issued PKI`;
    const db = await open(component);
    if (db.kind !== 'ok') return `no key database of ${component} was collected`;
    return db.entries.some((x) => x.certificate && norm(x.certificate.fingerprintSha256) === norm(want)) ? 'done' : 'not-done';
  };
  const judge = async (c: Change): Promise<Evidence> => {
    const result = (state: EvidenceState | string, done: string, notDone: string): Evidence =>
      state === 'done' || state === 'not-done' ? { change: c, state, why: state === 'done' ? done : notDone } : { change: c, state: 'unknown', why: state };
    switch (c.type) {
      case 'add-trust': return result(await holds(c.component, c.name), `${c.component}'s key database holds ${c.name}`, `${c.component}'s key database does not hold ${c.name} yet`);
      case 'remove-trust': {
        const s = await holds(c.component, c.name);
        return result(s === 'done' ? 'not-done' : s === 'not-done' ? 'done' : s, `${c.name} is gone from ${c.component}'s key database`, `${c.component}'s key database still holds ${c.name}`);
      }
      case 'reissue': {
        const mine = issued.get(c.component);
        const issuer = fp(c.issuer);
        if (!mine || !issuer || mine.issuerFingerprint === null || norm(mine.issuerFingerprint) !== norm(issuer)) {
          return { change: c, state: 'unknown', why: `${c.component}'s certificate under ${c.issuer} is not in the issued PKI yet` };
        }
        const db = await open(c.component);
        if (db.kind !== 'ok') return { change: c, state: 'unknown', why: `no key database of ${c.component} was collected` };
        const personal = db.entries.find((x) => x.kind === 'personal' && x.certificate && norm(x.certificate.fingerprintSha256) === norm(mine.fingerprint));
        return personal ? { change: c, state: 'done', why: `${c.component}'s key database holds its certificate under ${c.issuer}` } : { change: c, state: 'not-done', why: `${c.component}'s key database does not hold its certificate under ${c.issuer} yet` };
      }
      case 'declare-ca': return issued.has(c.name) ? { change: c, state: 'done', why: `${c.name} is issued` } : { change: c, state: 'not-done', why: `${c.name} is not issued yet` };
      default: return { change: c, state: 'unknown', why: 'key databases do not show this change' };
    }
  };
  const out: PhaseEvidence[] = [];
  for (const p of phases) out.push({ id: p.id, evidence: await Promise.all(p.pending.map(judge)) });
  return out;
}

/** The first phase the hosts have not finished: some change of it is not done on its host. */
export function phaseByHosts(evidence: readonly PhaseEvidence[]): string | null {
  return evidence.find((p) => p.evidence.some((e) => e.state === 'not-done'))?.id ?? null;
}
