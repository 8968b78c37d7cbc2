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

/** `unknown`: key databases cannot show this kind of change; `not-collected`: they could, but the host's is not in DIR. */
export type EvidenceState = 'done' | 'not-done' | 'not-collected' | 'unknown';

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
  const notCollected = (c: Change, component: string): Evidence => ({ change: c, state: 'not-collected', why: `no key database of ${component} was collected` });
  /** Whether the component's key database holds the certificate issued as `name`; null when it was not collected. */
  const holds = async (component: string, name: string): Promise<boolean | null> => {
    const want = fp(name);
    const db = await open(component);
    if (db.kind !== 'ok') return null;
    return want !== undefined && db.entries.some((x) => x.certificate && norm(x.certificate.fingerprintSha256) === norm(want));
  };
  const judge = async (c: Change): Promise<Evidence> => {
    switch (c.type) {
      case 'add-trust': {
        const h = await holds(c.component, c.name);
        if (h === null) return notCollected(c, c.component);
        // A CA that is not issued yet is held by no host either.
        return h ? { change: c, state: 'done', why: `${c.component}'s key database holds ${c.name}` }
          : { change: c, state: 'not-done', why: `${c.component}'s key database does not hold ${c.name} yet${fp(c.name) ? '' : ` (${c.name} is not in the issued PKI)`}` };
      }
      case 'remove-trust': {
        if (!fp(c.name)) return { change: c, state: 'unknown', why: `${c.name} is not in the issued PKI: its fingerprint is not known` };
        const h = await holds(c.component, c.name);
        if (h === null) return notCollected(c, c.component);
        return h ? { change: c, state: 'not-done', why: `${c.component}'s key database still holds ${c.name}` } : { change: c, state: 'done', why: `${c.name} is gone from ${c.component}'s key database` };
      }
      case 'reissue': {
        const db = await open(c.component);
        if (db.kind !== 'ok') return notCollected(c, c.component);
        const mine = issued.get(c.component);
        const issuer = fp(c.issuer);
        if (!mine || !issuer || mine.issuerFingerprint === null || norm(mine.issuerFingerprint) !== norm(issuer)) {
          return { change: c, state: 'not-done', why: `${c.component}'s certificate under ${c.issuer} is not in the issued PKI yet` };
        }
        const personal = db.entries.find((x) => x.kind === 'personal' && x.certificate && norm(x.certificate.fingerprintSha256) === norm(mine.fingerprint));
        return personal ? { change: c, state: 'done', why: `${c.component}'s key database holds its certificate under ${c.issuer}` } : { change: c, state: 'not-done', why: `${c.component}'s key database does not hold its certificate under ${c.issuer} yet` };
      }
      case 'declare-ca': return declaredEvidence(c, issued);
      default: return { change: c, state: 'unknown', why: 'key databases do not show this change' };
    }
  };
  const out: PhaseEvidence[] = [];
  for (const p of phases) out.push({ id: p.id, evidence: await Promise.all(p.pending.map(judge)) });
  return out;
}

/** A new CA is done once `sptls issue` wrote it: the PKI shows it, whatever the hosts hold. */
export function declaredEvidence(c: Change & { type: 'declare-ca' }, issued: ReadonlyMap<string, IssuedFingerprint>): Evidence {
  return issued.has(c.name) ? { change: c, state: 'done', why: `${c.name} is issued` } : { change: c, state: 'not-done', why: `${c.name} is not issued yet` };
}

/** The first phase the hosts have not finished: a change of it is not done, or its host's key database is missing. */
export function phaseByHosts(evidence: readonly PhaseEvidence[]): string | null {
  return evidence.find((p) => p.evidence.some((e) => e.state === 'not-done' || e.state === 'not-collected'))?.id ?? null;
}
