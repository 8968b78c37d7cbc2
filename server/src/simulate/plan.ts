// What `sptls simulate` rehearses: one row per connection of the topology, with the
// verdict the rules predicted (read from the diagnostics anchored on the connection,
// so the rehearsal checks the rules themselves, not a second copy of their logic) and
// either what to rehearse or why it cannot be. Pure: reads the Analysis only.
import type { Analysis } from '../analysis/engine.ts';
import type { Entity, Link } from '../analysis/model.ts';
import { holdsCertificate } from '../analysis/model.ts';
import type { TlsVersion } from '../analysis/product.ts';
import { rangesOverlap, tlsRange, type TlsRange } from '../analysis/versions.ts';
import { JAVA_KINDS } from '../analysis/product.ts';

/** `not-judged`: the responder's chain cannot be built, so the trust rule stays silent (another diagnostic says why). */
export type Verdict = 'trusted' | 'untrusted' | 'no-common-version' | 'missing-certificate' | 'not-judged';

export interface VersionRange {
  min: TlsVersion;
  max: TlsVersion;
}

/** A certificate the initiator trusts: from the issued PKI by name, or the DER of a `file`. */
export interface TrustEntry {
  name: string;
  der?: Buffer;
}

export interface Rehearsal {
  initiator: string;
  responder: string;
  initiatorRange: VersionRange;
  responderRange: VersionRange;
  trust: TrustEntry[];
  /** The version a handshake settles on: the highest both ends accept; null when none. */
  expectedVersion: TlsVersion | null;
  /** The initiator is a Java (JSSE) client: `--java` rehearses it from Java too. */
  java: boolean;
}

export interface PlanRow {
  /** "A -> B" as written. */
  connection: string;
  /** 1-based line of the connection. */
  line: number;
  /** What the rules say about this TLS session; null when they judge no TLS session here. */
  predicted: Verdict | null;
  /** Why the rules' verdict came out so (the diagnostic's message), when not trusted. */
  predictedReason?: string;
  rehearsal: Rehearsal | null;
  /** Why the connection is not rehearsed. */
  skip?: string;
  note?: string;
}

// Without a tls-min/tls-max property (LDAP, Db2) a component is taken at Node's defaults.
const DEFAULT_RANGE: VersionRange = { min: '1.2', max: '1.3' };

export function planRehearsal(analysis: Analysis): PlanRow[] {
  const verdicts = new Map<string, string>();
  for (const d of analysis.diagnostics) {
    if (d.code === 'untrusted-responder' || d.code === 'no-common-tls-version' || d.code === 'missing-certificate') {
      verdicts.set(`${d.code}@${d.start}`, d.message);
    }
  }
  return analysis.model.links.map((link) => rowFor(analysis, link, verdicts));
}

function rowFor(analysis: Analysis, link: Link, verdicts: Map<string, string>): PlanRow {
  const c = link.connection;
  const row: PlanRow = {
    connection: `${c.from.text} -> ${c.to?.text ?? '?'}`,
    line: analysis.lines.lineOf(c.from.start) + 1,
    predicted: null,
    rehearsal: null,
  };
  const skip = (reason: string): PlanRow => ({ ...row, skip: reason });
  switch (link.status) {
    case 'unresolved': return skip('an end of the connection names no declaration');
    case 'self': return skip('a component connected to itself');
    case 'unsupported': return skip(`${link.from!.kind} -> ${link.to!.kind} is not a pair the product supports`);
    case 'tls-to-db2': return skip('TLS to a Db2 instance is not supported by the product');
    case 'db2-plain': case 'ldap-plain': return skip('a plain connection: no TLS session to rehearse');
    case 'checked': if (!link.tls) return skip('a plain connection: no TLS session to rehearse');
  }
  const from = link.from!;
  const to = link.to!;
  const versionMsg = verdicts.get(`no-common-tls-version@${c.from.start}`);
  const missingMsg = verdicts.get(`missing-certificate@${to.decl.name!.start}`);
  const untrustedMsg = verdicts.get(`untrusted-responder@${c.from.start}`);
  // The version is settled before any certificate is sent, so it decides first.
  if (versionMsg) Object.assign(row, { predicted: 'no-common-version', predictedReason: versionMsg });
  else if (!to.certificate) Object.assign(row, { predicted: 'missing-certificate', ...(missingMsg ? { predictedReason: missingMsg } : {}) });
  else if (untrustedMsg) Object.assign(row, { predicted: 'untrusted', predictedReason: untrustedMsg });
  else row.predicted = analysis.chains.of(to)?.broken ? 'not-judged' : 'trusted';
  const trust = trustEntries(analysis, from);
  if (JAVA_KINDS.has(from.kind)) row.note = `${from.name} is a Java (JSSE) client: rehearsed with Node's TLS`;
  else if (trust.length === 0) row.note = `${from.name} trusts no certificate of the topology: the handshake is judged against an empty trust set`;

  const why = responderProblem(analysis, to);
  if (why) return skip(why);
  const a = tlsRange(from);
  const b = tlsRange(to);
  if (a?.empty || b?.empty) return skip(`${(a?.empty ? from : to).name} has tls-min above tls-max: it accepts no version`);
  return {
    ...row,
    rehearsal: {
      initiator: from.name,
      responder: to.name,
      initiatorRange: rangeOf(a),
      responderRange: rangeOf(b),
      trust,
      expectedVersion: expectedVersion(rangeOf(a), rangeOf(b)),
      java: JAVA_KINDS.has(from.kind),
    },
  };
}

function rangeOf(r: TlsRange | null): VersionRange {
  return r ? { min: r.min, max: r.max } : DEFAULT_RANGE;
}

function expectedVersion(a: VersionRange, b: VersionRange): TlsVersion | null {
  if (!rangesOverlap({ ...a, empty: false }, { ...b, empty: false })) return null;
  return a.max < b.max ? a.max : b.max;
}

/** Why the responder cannot be stood up on loopback, or null. */
function responderProblem(analysis: Analysis, to: Entity): string | null {
  const cert = to.certificate;
  if (!cert) return `${to.name} has no certificate to present`;
  if (cert.mode === 'file') return `${to.name}'s certificate is the file "${cert.file?.text ?? ''}": its private key is not here`;
  const chain = analysis.chains.of(to)!;
  if (chain.broken) return `the chain of ${to.name}'s certificate cannot be built (see the other diagnostics)`;
  const held = chain.cas.find((ca) => ca.props.has('file'));
  if (held) return `${to.name}'s certificate chains to CA ${held.name}, known only by its file: its private key is not here`;
  return null;
}

/** The initiator's trust set: every `trusts` entry that names something holding a certificate. */
export function trustEntries(analysis: Analysis, from: Entity): TrustEntry[] {
  const out: TrustEntry[] = [];
  for (const v of from.trusts) {
    const e = analysis.model.byName.get(v.text);
    if (!e || !holdsCertificate(e) || out.some((t) => t.name === e.name)) continue;
    const fromFile = e.kind === 'ca' ? e.props.has('file') : e.certificate?.mode === 'file';
    const info = fromFile ? analysis.chains.fileCertificate(e) : null;
    if (fromFile && !info) continue; // file-not-found already says why
    out.push(info ? { name: e.name, der: info.der } : { name: e.name });
  }
  return out;
}
