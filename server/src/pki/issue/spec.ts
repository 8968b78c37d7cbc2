// What the topology asks to be issued (spec §4.2 with its defaults): one IssueSpec per CA the
// file declares (roots first, then intermediates in signed-by order) and per component
// certificate that is `self-signed` or `signed-by`. Pure: reads the Analysis only.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { Kind, Property, Span } from '../../../../grammar/src/index.ts';
import type { Analysis } from '../../analysis/engine.ts';
import type { Diagnostic } from '../../analysis/diagnostic.ts';
import type { Entity } from '../../analysis/model.ts';
import { DEFAULT_VALIDITY, SERVER_SELF_SIGNED_LABEL } from '../../analysis/product.ts';
import { validityOf as declaredValidity, type Validity } from '../../analysis/lifetimes.ts';
import { sanProblem, type SubjectAltName } from '../../codec/x509/build.ts';
import { DnSyntaxError, parseDn } from '../../codec/x509/dn.ts';
import type { KeySpec } from '../../codec/x509/keys.ts';

// Lifetimes are counted the way the analysis counts them for validity-exceeds-issuer.
export type { Validity } from '../../analysis/lifetimes.ts';
export { endOf as notAfterOf } from '../../analysis/lifetimes.ts';

export interface IssueSpec {
  name: string;
  role: 'ca' | 'component';
  kind: Kind;
  key: KeySpec;
  validity: Validity;
  subject: string;
  sans: SubjectAltName[];
  /** The issuing CA; null for a self-signed certificate (roots and `certificate self-signed`). */
  issuer: string | null;
  /**
   * Intermediate CAs: basicConstraints pathLenConstraint, the number of CA levels the topology
   * declares below it (0: it signs only leaves). Roots stay unconstrained, so adding an
   * intermediate later never means replacing the trust anchor every key database holds.
   */
  pathLen?: number;
  /** Components: the label in key databases and the name of the `.arm` export. */
  label?: string;
  armFile?: string;
}

/** A reason not to issue, anchored in the topology text. */
export interface SpecProblem extends Span {
  message: string;
}

export interface TopologySpecs {
  /** CAs in signed-by order (every issuer before what it signs), then components in file order. */
  specs: IssueSpec[];
  problems: SpecProblem[];
  /** Declarations with a certificate that sptls does not issue, and why. */
  notIssued: Array<{ name: string; reason: string }>;
}

const CA_DEFAULTS = { key: { kind: 'rsa', bits: 4096 } as KeySpec, validity: DEFAULT_VALIDITY.ca };
const LEAF_DEFAULTS = { key: { kind: 'rsa', bits: 2048 } as KeySpec, validity: DEFAULT_VALIDITY.certificate };
const RSA_SIZES = new Set([2048, 3072, 4096]);

/** Diagnostics after which issuing could produce the wrong certificates. */
export function pkiBlockingDiagnostics(analysis: Analysis): Diagnostic[] {
  const { model } = analysis;
  const valueSpans: Span[] = [];
  const issuerRefs = new Set<number>();
  const holders = new Set<string>();
  for (const e of model.entities) {
    const props = e.kind === 'ca' ? e.props : e.certificate?.props;
    if (!props) continue;
    holders.add(e.name);
    for (const name of ['key', 'valid']) { const p = props.get(name); if (p) valueSpans.push(p); }
  }
  for (const r of model.references) if (r.role === 'signed-by' || r.role === 'certificate-signed-by') issuerRefs.add(r.value.start);
  const inside = (d: Diagnostic) => valueSpans.some((s) => d.start >= s.start && d.start < s.end);
  return analysis.diagnostics.filter((d) => {
    if (d.severity !== 'error') return false;
    switch (d.code) {
      case 'syntax': case 'ca-cycle': return true;
      case 'unknown-reference': case 'wrong-reference-kind': return issuerRefs.has(d.start);
      case 'invalid-value': case 'weak-key': return inside(d);
      case 'duplicate-name': return holders.has(analysis.text.slice(d.start, d.end));
      default: return false;
    }
  });
}

export function issueSpecs(analysis: Analysis): TopologySpecs {
  const { model } = analysis;
  const problems: SpecProblem[] = [];
  const notIssued: TopologySpecs['notIssued'] = [];
  const problem = (span: Span, message: string) => problems.push({ start: span.start, end: span.end, message });
  const firsts = model.entities.filter((e) => e.isFirst);

  const cas: Array<{ spec: IssueSpec; depth: number; index: number }> = [];
  for (const e of firsts) {
    if (e.kind !== 'ca') continue;
    if (e.props.has('file')) { notIssued.push({ name: e.name, reason: 'its certificate is the given file; its key is held elsewhere' }); continue; }
    const issuerRef = e.props.get('signed-by')?.values[0];
    const issuer = issuerRef ? model.byName.get(issuerRef.text) : undefined;
    if (issuerRef && issuer?.kind === 'ca' && issuer.props.has('file')) {
      problem(issuerRef, `CA ${e.name} is signed-by ${issuer.name}, which is known only by its file: its private key is not here, so sptls cannot sign for it. Have ${issuer.name}'s holder issue ${e.name}, then declare ${e.name} with 'file'.`);
      continue;
    }
    const spec: IssueSpec = {
      name: e.name, role: 'ca', kind: 'ca',
      key: keySpecOf(e.props.get('key'), CA_DEFAULTS.key, problem),
      validity: validityOf(e.props.get('valid'), CA_DEFAULTS.validity),
      subject: subjectOf(e.props.get('subject'), `CN=${e.name}`, problem),
      sans: [],
      issuer: issuerRef?.text ?? null,
      ...(issuerRef ? { pathLen: levelsBelow(e, analysis) } : {}),
    };
    cas.push({ spec, depth: caDepth(e, analysis), index: e.index });
  }
  cas.sort((a, b) => a.depth - b.depth || a.index - b.index);

  const components: IssueSpec[] = [];
  for (const e of firsts) {
    const cert = e.certificate;
    if (!cert || e.kind === 'ca') continue;
    if (cert.mode === 'file') { notIssued.push({ name: e.name, reason: `its certificate is the file "${cert.file?.text ?? ''}"` }); continue; }
    let issuer: string | null = null;
    if (cert.mode === 'signed-by') {
      const ref = cert.issuer;
      const ca = ref ? model.byName.get(ref.text) : undefined;
      if (!ref || !ca) continue; // unknown-reference: a blocking diagnostic already
      if (ca.props.has('file')) {
        problem(ref, `${e.name}'s certificate is signed-by ${ca.name}, which is known only by its file: its private key is not here, so sptls cannot issue it. Request the certificate from ${ca.name}'s holder and use 'certificate file "…"'.`);
        continue;
      }
      issuer = ca.name;
    }
    const selfSignedServer = e.kind === 'server' && cert.mode === 'self-signed';
    const label = cert.props.get('label')?.values[0]?.text ?? (selfSignedServer ? SERVER_SELF_SIGNED_LABEL : e.name);
    components.push({
      name: e.name, role: 'component', kind: e.kind,
      key: keySpecOf(cert.props.get('key'), LEAF_DEFAULTS.key, problem),
      validity: validityOf(cert.props.get('valid'), LEAF_DEFAULTS.validity),
      subject: subjectOf(cert.props.get('subject'), e.kind === 'server' ? `CN=${e.name},OU=TSM Network,O=TSM,C=US` : `CN=${e.name}`, problem),
      sans: sansOf(e, problem),
      issuer,
      label,
      armFile: selfSignedServer && label === SERVER_SELF_SIGNED_LABEL ? 'cert256.arm' : `${fileSafe(label)}.arm`,
    });
  }
  return { specs: [...cas.map((c) => c.spec), ...components], problems, notIssued };
}

/** A stable digest of everything that goes into the certificate: a changed spec means a new certificate. */
export function specHash(spec: IssueSpec): string {
  // pathLen joins only when set, so the hashes of roots and leaves issued before it existed still match.
  const canonical = JSON.stringify([spec.role, spec.kind, spec.key, spec.validity, spec.subject, spec.sans, spec.issuer, spec.label ?? null, ...(spec.pathLen !== undefined ? [spec.pathLen] : [])]);
  return createHash('sha256').update(canonical).digest('hex');
}

export function describeKeySpec(k: KeySpec): string {
  return k.kind === 'rsa' ? `RSA ${k.bits}` : `EC ${k.curve}`;
}

/** Label text as a file name: path separators and shell-hostile characters become '_'. */
export function fileSafe(label: string): string {
  return label.replace(/[^A-Za-z0-9 ._-]/g, '_').replace(/^\.+/, '_');
}

function caDepth(ca: Entity, analysis: Analysis): number {
  let depth = 0;
  const seen = new Set<Entity>();
  for (let e: Entity | undefined = ca; e && !seen.has(e); depth++) {
    seen.add(e);
    const up: string | undefined = e.props.get('signed-by')?.values[0]?.text;
    e = up ? analysis.model.byName.get(up) : undefined;
  }
  return depth;
}

/** How many levels of CAs (issued or given by file) the topology declares below `ca`. */
function levelsBelow(ca: Entity, analysis: Analysis, seen: Set<Entity> = new Set()): number {
  seen.add(ca);
  let levels = 0;
  for (const e of analysis.model.entities) {
    if (e.kind !== 'ca' || !e.isFirst || seen.has(e) || e.props.get('signed-by')?.values[0]?.text !== ca.name) continue;
    levels = Math.max(levels, 1 + levelsBelow(e, analysis, seen));
  }
  return levels;
}

type Problem = (span: Span, message: string) => void;

function keySpecOf(p: Property | undefined, fallback: KeySpec, problem: Problem): KeySpec {
  const [type, size] = p?.values ?? [];
  if (!p || !type || !size) return fallback;
  if (type.text === 'ec') return { kind: 'ec', curve: size.text === 'p384' ? 'P-384' : 'P-256' };
  const bits = Number(size.text);
  if (!RSA_SIZES.has(bits)) {
    problem(size, `sptls issues RSA keys of 2048, 3072 or 4096 bits, not ${size.text}: change the key size.`);
    return fallback;
  }
  return { kind: 'rsa', bits: bits as 2048 | 3072 | 4096 };
}

function validityOf(p: Property | undefined, fallback: Validity): Validity {
  return declaredValidity(p) ?? fallback;
}

function subjectOf(p: Property | undefined, fallback: string, problem: Problem): string {
  const v = p?.values[0];
  if (!v) return fallback;
  try {
    parseDn(v.text);
  } catch (e) {
    if (!(e instanceof DnSyntaxError)) throw e;
    problem(v, `subject ${e.message}: write it like "CN=name,OU=unit,O=organisation,C=US".`);
  }
  return v.text;
}

function sansOf(e: Entity, problem: Problem): SubjectAltName[] {
  const declared = e.certificate!.sans;
  const address = e.props.get('address')?.values[0];
  const values = declared.length > 0 ? declared : address ? [address] : [];
  const out: SubjectAltName[] = [];
  for (const v of values) {
    const san: SubjectAltName = isIP(v.text) ? { type: 'ip', value: v.text } : { type: 'dns', value: v.text };
    const why = sanProblem(san);
    if (why) problem(v, `${e.name}: ${why}, so it cannot be a subject alternative name. Give a host name or an IP address.`);
    else if (!out.some((s) => s.type === san.type && s.value.toLowerCase() === san.value.toLowerCase())) out.push(san);
  }
  return out;
}
