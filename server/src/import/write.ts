// Writes the import model as a .sptls topology plus one PEM file per distinct certificate. Names
// and strings from the hosts are made safe here: identifiers are reduced to the spec's name
// syntax (§2), strings are escaped, comments carry no control characters.
import { X509Certificate } from 'node:crypto';
import { KEYWORDS } from '../../../grammar/src/index.ts';
import { certificatePem } from '../codec/x509/pem.ts';
import { sourceText, type Fact, type ImportModel, type ImportedComponent, type Source } from './model.ts';
import { safeText, sptlsString } from './text.ts';

export interface WrittenTopology {
  text: string;
  /** Certificate files, relative to the topology's folder. */
  files: { path: string; content: string }[];
}

export interface WriteOptions {
  /** Folder for the certificate files, relative to the topology (default "certs"). */
  certDir?: string;
  /** What to say the topology was made from. */
  inputs: string[];
}

// Names are case-sensitive and keywords lower-case (spec §2): `LDAP` is a name, `ldap` is not.
const RESERVED = new Set<string>(KEYWORDS);
const MAX_SOURCES = 3;

/** A name of the spec's syntax, from any text. */
export function identifier(text: string, fallback: string): string {
  let s = text.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/[.-]{2,}/g, '_').replace(/^[^A-Za-z_]+/, '').replace(/[.-]+$/, '');
  s = s.replace(/([.-])(?=[.-])/g, '_');
  if (!/[A-Za-z0-9]/.test(s)) s = fallback;
  return RESERVED.has(s) ? `${s}_` : s;
}

const from = (sources: Source[]): string => {
  const sorted = [...sources].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  const uniq = [...new Set(sorted.map(sourceText))];
  const shown = uniq.slice(0, MAX_SOURCES).map(safeText).join(', ');
  return uniq.length > MAX_SOURCES ? `${shown} and ${uniq.length - MAX_SOURCES} more` : shown;
};
const trail = (f: Fact<unknown>) => `  # from ${from(f.from)}${f.note ? ` (${safeText(f.note)})` : ''}`;

export function writeTopology(model: ImportModel, options: WriteOptions): WrittenTopology {
  const certDir = options.certDir ?? 'certs';
  const used = new Set<string>();
  const unique = (base: string) => {
    let n = base, i = 2;
    while (used.has(n.toLowerCase())) n = `${base}_${i++}`;
    used.add(n.toLowerCase());
    return n;
  };
  const names = new Map<ImportedComponent, string>();
  for (const c of model.components) names.set(c, unique(identifier(c.name, c.kind.toUpperCase())));

  // Who presents which certificate; every other certificate is declared as a `ca`.
  const presenter = new Map<string, ImportedComponent>();
  for (const c of model.components) if (c.certificate && !presenter.has(c.certificate.value)) presenter.set(c.certificate.value, c);
  const caName = new Map<string, string>();
  for (const [fp, cert] of model.certificates) {
    if (presenter.has(fp)) continue;
    const cn = cert.subject.find((a) => a.type === 'CN')?.value ?? 'CA';
    caName.set(fp, unique(identifier(cn, 'CA')));
  }
  const files: WrittenTopology['files'] = [];
  const fileOf = new Map<string, string>();
  const exportCert = (fp: string, name: string) => {
    if (!fileOf.has(fp)) { fileOf.set(fp, `${certDir}/${name}.pem`); files.push({ path: `${certDir}/${name}.pem`, content: certificatePem(model.certificates.get(fp)!.der) }); }
    return fileOf.get(fp)!;
  };
  const trustName = (fp: string) => (presenter.has(fp) ? names.get(presenter.get(fp)!)! : caName.get(fp)!);

  const out: string[] = [
    `# Imported by 'sptls import' from ${options.inputs.map(safeText).join(', ')} (${model.filesRead} files).`,
    '# Every statement names its sources; what the files do not say is a comment. Check it with: sptls check',
  ];
  const section = (title: string, lines: string[]) => { if (lines.length > 0) out.push('', `# --- ${title} ${'-'.repeat(Math.max(3, 70 - title.length))}`, ...lines.map(safeLine)); };
  section('conflicts between collected files', model.conflicts.map((c) => `# conflict: ${c}`));
  section('key databases that could not be read', model.unread.map((u) => `# unread: ${u}`));
  section('facts the collection does not settle', model.unknowns.map((u) => `# unknown: ${u}`));

  const cas: string[] = [];
  for (const [fp, name] of caName) {
    const cert = model.certificates.get(fp)!;
    const issuer = cert.selfIssued ? undefined : issuerOf(fp, caName, model);
    const signedBy = issuer ? ` signed-by ${caName.get(issuer)}` : '';
    cas.push(`# ${safeText(cert.subjectText)}, SHA-256 ${fp}`, `ca ${name} { file ${sptlsString(exportCert(fp, name))}${signedBy} }  # from ${from(model.certificateSources.get(fp) ?? [])}`);
  }
  section('certificate authorities and trusted certificates found in the key databases', cas);

  const kinds: [ImportedComponent['kind'], string][] = [['server', 'servers'], ['storage-agent', 'storage agents'], ['ldap', 'LDAP directories'], ['db2', 'Db2 instances'], ['operations-center', 'Operations Center'], ['client', 'clients']];
  for (const [kind, title] of kinds) {
    const lines: string[] = [];
    for (const c of model.components.filter((x) => x.kind === kind)) lines.push(...declaration(c));
    section(title, lines);
  }

  function declaration(c: ImportedComponent): string[] {
    const name = names.get(c)!;
    const head = c.nameFrom.length > 0 ? `# ${c.kind} ${name}: name from ${from(c.nameFrom)}${c.nameNote ? ` (${safeText(c.nameNote)})` : ''}` : `# ${c.kind} ${name}: name ${safeText(c.nameNote ?? 'chosen by sptls')}`;
    const body: string[] = [];
    if (c.address) body.push(`address ${sptlsString(c.address.value)}${trail(c.address)}`);
    for (const [prop, f] of c.ports) body.push(`${prop} ${f.value}${trail(f)}`);
    if (c.version) body.push(`version ${c.version.value}${trail(c.version)}`);
    if (c.certificate) {
      const own = presenter.get(c.certificate.value) === c ? name : names.get(presenter.get(c.certificate.value)!)!;
      body.push(`certificate file ${sptlsString(exportCert(c.certificate.value, own))}${trail(c.certificate)}`);
    }
    if (c.keydb) body.push(`keydb ${sptlsString(c.keydb.value)}${trail(c.keydb)}`);
    for (const t of c.trusts) body.push(`trusts ${trustName(t.value)}${trail(t)}`);
    if (c.hub) body.push(`hub${trail(c.hub)}`);
    if (c.spokeOf) body.push(`spoke-of ${names.get(c.spokeOf.value)}${trail(c.spokeOf)}`);
    const notes = c.notes.map((n) => `# ${safeText(n)}`);
    return [head, `${c.kind} ${name} {`, ...[...notes, ...body].map((l) => `  ${l}`), '}'];
  }

  const conns: string[] = [];
  for (const k of model.connections) {
    for (const n of k.notes) conns.push(`# ${safeText(n)}`);
    const block = k.port !== undefined ? ` { port ${k.port} }` : '';
    conns.push(`${names.get(k.from)} -> ${names.get(k.to)}${k.tls ? '' : ' plain'}${block}  # from ${from(k.sources)}`);
  }
  section('connections: initiator -> responder', conns);

  section('files not used', model.unrecognised.map((u) => `# ${safeText(u.file)}: ${safeText(u.reason)}`));
  return { text: out.join('\n') + '\n', files };
}

/**
 * The declared CA that issued a CA certificate: its subject is the certificate's issuer and its key
 * verifies the signature (a re-keyed CA keeps its name). Written as `signed-by`, so the chain is
 * explicit whatever the reader assumes about a `ca` read from a file.
 */
function issuerOf(fp: string, cas: Map<string, string>, model: ImportModel): string | undefined {
  const cert = model.certificates.get(fp)!;
  const child = new X509Certificate(cert.der);
  for (const candidate of cas.keys()) {
    const c = model.certificates.get(candidate)!;
    if (candidate === fp || c.subjectText !== cert.issuerText) continue;
    try { if (child.verify(new X509Certificate(c.der).publicKey)) return candidate; } catch { /* a key Node cannot use: not this one */ }
  }
  return undefined;
}

/** Lines built from host text: never let one become two. */
const safeLine = (l: string) => l.replace(/[\r\n]/g, ' ');
