// Audit of key databases collected from the hosts against the topology: does each component's
// database hold every certificate its `trusts` names, and is a server's or storage agent's
// personal certificate the one the topology expects? Certificates compare by SHA-256
// fingerprint when the issued PKI or a `file` gives them, else by subject (spec §4.2 DN match).
// The engine stays pure: key databases come through KeyDbSource; the result is Diagnostics
// anchored at the component's declaration name.
import type { Kind } from '../../../../grammar/src/index.ts';
import type { Analysis } from '../../analysis/engine.ts';
import { RULES, type Diagnostic, type RuleId } from '../../analysis/diagnostic.ts';
import { dnKey } from '../../analysis/dn.ts';
import type { Entity } from '../../analysis/model.ts';
import { JAVA_KINDS, KINDS } from '../../analysis/product.ts';
import type { InspectEntry } from '../inspect/inspect-file.ts';
import { ExpectedContents, keyDbComponents, type ExpectedCertificate } from '../provision/expected.ts';
import type { IssuedCertificates } from '../provision/issued.ts';

export interface KeyDbRequest {
  name: string;
  kind: Kind;
  /** The file name the topology gives its key database (declared keydb or the kind's default). */
  dbFile: string;
}

export type KeyDbLookup =
  | { kind: 'missing' }
  | { kind: 'unreadable'; file: string; message: string }
  | { kind: 'ok'; file: string; entries: InspectEntry[] };

export interface KeyDbSource {
  open(request: KeyDbRequest): Promise<KeyDbLookup>;
}

export interface AuditResult {
  diagnostics: Diagnostic[];
  audited: string[];
  /** Components with no key database in the source. */
  missing: string[];
}

export async function auditKeyDbs(analysis: Analysis, source: KeyDbSource, issued?: IssuedCertificates): Promise<AuditResult> {
  const expected = new ExpectedContents(analysis, issued);
  const result: AuditResult = { diagnostics: [], audited: [], missing: [] };
  for (const e of keyDbComponents(analysis)) {
    const trusts = expected.trusts(e);
    const personal = expected.personal(e);
    if (trusts.length === 0 && !personal) continue;
    const declared = e.props.get('keydb')?.values[0]?.text;
    const dbFile = declared ? declared.replace(/\\/g, '/').split('/').pop()! : KINDS[e.kind].keydb!;
    const found = await source.open({ name: e.name, kind: e.kind, dbFile });
    const report = (code: RuleId, message: string) => {
      const at = e.decl.name!;
      result.diagnostics.push({ code, severity: RULES[code], message, start: at.start, end: at.end });
    };
    if (found.kind === 'missing') { result.missing.push(e.name); continue; }
    if (found.kind === 'unreadable') {
      report('keydb-unreadable', `${e.name}'s key database ${found.file} cannot be read, so its trust was not audited: ${found.message}.`);
      continue;
    }
    result.audited.push(e.name);
    for (const t of trusts) checkTrust(e, t, found.file, found.entries, report);
    if (personal) checkPersonal(e, personal, found.file, found.entries, report);
  }
  return result;
}

const short = (fp: string) => `${fp.slice(0, 23)}…`;

function describeExpected(t: ExpectedCertificate): string {
  return t.certificate ? `"${t.subject}", SHA-256 ${short(t.certificate.fingerprintSha256)}` : `"${t.subject}"`;
}

function matches(entry: InspectEntry, t: ExpectedCertificate): boolean {
  const c = entry.certificate;
  if (!c) return false;
  return t.certificate ? c.fingerprintSha256 === t.certificate.fingerprintSha256 : dnKey(c.subjectText) === dnKey(t.subject);
}

function checkTrust(e: Entity, t: ExpectedCertificate, file: string, entries: InspectEntry[], report: (code: RuleId, message: string) => void): void {
  const java = JAVA_KINDS.has(e.kind);
  // GSKit trusts the CA certificates of a PKCS#12 key database; Java only bags marked trusted.
  const trustedKinds = java ? ['trusted'] : ['trusted', 'certificate'];
  if (entries.some((x) => trustedKinds.includes(x.kind) && matches(x, t))) return;
  const unmarked = java && entries.some((x) => x.kind === 'certificate' && matches(x, t));
  const fix = java
    ? `rebuild it with 'sptls keydb' or add it with keytool -importcert -trustcacerts -alias ${t.name.toLowerCase()} -file ${t.name}.arm`
    : `add it: gsk8capicmd_64 -cert -add -db ${file.split('/').pop()} -stashed -label ${t.name} -file ${t.name}.arm -format ascii (or rebuild with 'sptls keydb')`;
  const what = unmarked
    ? `holds ${t.name}'s certificate (${describeExpected(t)}) without Java's trusted-key-usage attribute, so Java does not trust it`
    : `lacks ${t.name}'s certificate (${describeExpected(t)})`;
  report('keydb-missing-trust', `${e.name}'s key database ${file} ${what}, which 'trusts ${t.name}' requires: TLS sessions ${e.name} opens to components under it fail. ${fix[0]!.toUpperCase()}${fix.slice(1)}.`);
}

function checkPersonal(e: Entity, p: ExpectedCertificate, file: string, entries: InspectEntry[], report: (code: RuleId, message: string) => void): void {
  const personal = entries.filter((x) => x.kind === 'personal');
  if (personal.some((x) => matches(x, p))) return;
  const found = personal.map((x) => `"${x.label ?? '?'}" (${x.certificate?.subjectText ?? '?'}${x.certificate ? `, SHA-256 ${short(x.certificate.fingerprintSha256)}` : ''})`);
  const has = found.length ? `its personal certificate is ${found.join(', ')}` : 'it holds no personal certificate';
  report('keydb-certificate-mismatch', `${e.name}'s key database ${file} does not hold the certificate the topology gives ${e.name} (${describeExpected(p)}): ${has}. Import the issued certificate (the PKCS#12 from 'sptls keydb') and make it the default: gsk8capicmd_64 -cert -setdefault -db ${file.split('/').pop()} -stashed -label <label>.`);
}
