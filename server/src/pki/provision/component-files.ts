// The files of one component's key-database folder (pki/keydb/<Name>/), in memory: what
// `sptls keydb` then writes. GSKit components (server, storage agent, client) get their
// trusted certificates as .arm, a PKCS#12 with key and chain (server, storage agent), the
// create-keydb scripts and option-file lines; Java components a PKCS#12 truststore.
import { basename, extname } from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Analysis } from '../../analysis/engine.ts';
import type { Entity } from '../../analysis/model.ts';
import { JAVA_KINDS, KINDS } from '../../analysis/product.ts';
import { trustVerdict } from '../../analysis/trust.ts';
import { fileSafe } from '../issue/spec.ts';
import { writeKdb } from '../keydb/kdb/write.ts';
import { writeStashV1 } from '../keydb/kdb/stash.ts';
import { writeGskitPkcs12 } from '../keydb/pkcs12/gskit.ts';
import { libertyXorEncode, writeJavaTruststore } from '../keydb/pkcs12/java-truststore.ts';
import { certificatePem } from '../../codec/x509/pem.ts';
import type { CertificateFacts } from '../../codec/x509/read.ts';
import type { ExpectedContents } from './expected.ts';
import type { IssuedCertificates } from './issued.ts';
import { hasControl, printable, propertiesComment, propertiesValue } from './escape.ts';
import { clientOptions, serverOptions, tlsServersOf } from './options-files.ts';
import { cmdScript, shellScript, type GskitScript } from './scripts.ts';

export interface OutputFile {
  name: string;
  data: Buffer | string;
  /** Keys, key stores, stashes, passwords: 0600 and never replaced without --force. */
  secret: boolean;
  executable?: boolean;
}

export interface ComponentFiles {
  files: OutputFile[];
  notes: string[];
  /** Why nothing can be built for this component (files is then empty). */
  problem?: string;
}

export interface BuildContext {
  analysis: Analysis;
  expected: ExpectedContents;
  issued: IssuedCertificates;
  topologyName: string;
  /** A fresh password per key store, or the one from --password-env. */
  password: () => string;
  passwordEnv?: string;
  nativeKdb: boolean;
  readKey: (path: string) => KeyObject;
}

interface Trusted {
  name: string;
  label: string;
  certificate: CertificateFacts;
}

/** A trusted certificate with the .arm file it is written to. */
interface TrustedArm extends Trusted {
  armFile: string;
}

const fail = (problem: string): ComponentFiles => ({ files: [], notes: [], problem });

/** Files every GSKit folder holds under fixed names; a declared keydb may not take one. */
const FIXED_FILES = ['create-keydb.sh', 'create-keydb.cmd', 'dsm.sys.txt', 'dsm.opt.txt', 'dsmserv.opt.txt', 'dsmsta.opt.txt', 'bootstrap.properties.txt'];

/**
 * Output names of one folder, compared case-insensitively (Windows and macOS file systems):
 * a name already taken gets `-2`, `-3`… before its extension, so no file overwrites another.
 */
class FolderNames {
  private readonly taken = new Set<string>();
  readonly renamed: string[] = [];

  isTaken(name: string): boolean { return this.taken.has(name.toLowerCase()); }
  reserve(...names: string[]): void { for (const n of names) this.taken.add(n.toLowerCase()); }

  /** The first free form of `wanted` for which every `companions` suffix is free too. */
  allocate(wanted: string, why: string, companions: string[] = []): string {
    const ext = extname(wanted);
    const stem = wanted.slice(0, wanted.length - ext.length);
    let name = wanted;
    for (let n = 2; [name, ...companions.map((c) => name + c)].some((x) => this.isTaken(x)); n++) name = `${stem}-${n}${ext}`;
    if (name !== wanted) this.renamed.push(`${name} instead of ${wanted} (${why}; that name is taken in this folder)`);
    this.reserve(name, ...companions.map((c) => name + c));
    return name;
  }
}

export function componentFiles(e: Entity, ctx: BuildContext): ComponentFiles {
  const declared = e.props.get('keydb')?.values[0]?.text;
  const dbFile = declared ? basename(declared.replace(/\\/g, '/')) : KINDS[e.kind].keydb!;
  const ext = extname(dbFile).toLowerCase();
  const java = JAVA_KINDS.has(e.kind);
  if (java ? ext !== '.p12' && ext !== '.pfx' : ext === '.jks') {
    return fail(`its keydb "${printable(declared ?? dbFile)}" is not a format sptls writes for ${java ? 'a Java component (use a .p12 file)' : 'GSKit (use .kdb or .p12)'}`);
  }
  // The name reaches scripts, option files and the file system: only letters, digits, space . _ -.
  if (fileSafe(dbFile) !== dbFile) return fail(`its keydb "${printable(declared!)}": sptls writes key databases whose names hold only letters, digits, spaces, '.', '_' and '-' (and do not start with '.'); rename it`);
  const names = new FolderNames();
  const companions = [dbFile, `${dbFile}.pw`, `${basename(dbFile, extname(dbFile))}.sth`];
  const clash = companions.find((c) => FIXED_FILES.includes(c.toLowerCase()));
  if (clash) return fail(`its keydb "${printable(declared!)}" would share the name ${clash} with a file sptls writes beside it; rename it`);
  names.reserve(...FIXED_FILES, ...companions);

  const trusted: Trusted[] = [];
  for (const t of ctx.expected.trusts(e)) {
    if (!t.certificate) return fail(`${t.name}'s certificate is not issued yet: run 'sptls issue' first`);
    trusted.push({ name: t.name, label: t.name, certificate: t.certificate });
  }
  return java ? javaFiles(e, ctx, dbFile, trusted, names) : gskitFiles(e, ctx, dbFile, trusted, names);
}

/** Names the .arm file of each trusted certificate after what it holds. */
function withArmFiles(trusted: Trusted[], names: FolderNames): TrustedArm[] {
  return trusted.map((t) => ({ ...t, armFile: names.allocate(`${fileSafe(t.name)}.arm`, `${t.name}'s certificate`) }));
}

const armFiles = (trusted: TrustedArm[]): OutputFile[] => trusted.map((t) => ({ name: t.armFile, data: certificatePem(t.certificate.der), secret: false }));

/** A label GSKit or Java cannot hold, or one that two entries of the same store would share. */
function labelProblem(entries: Array<{ label: string; what: string }>): string | undefined {
  const bad = entries.find((x) => hasControl(x.label));
  if (bad) return `the label "${printable(bad.label)}" of ${bad.what} holds a control character: give it a label of printable characters`;
  const seen = new Map<string, string>();
  for (const x of entries) {
    const key = x.label.toLowerCase();
    const other = seen.get(key);
    if (other) return `${other} and ${x.what} would both have the label "${printable(x.label)}" in one key database (labels are compared case-insensitively): give the certificate another 'label'`;
    seen.set(key, x.what);
  }
  return undefined;
}

function javaFiles(e: Entity, ctx: BuildContext, dbFile: string, trusted: Trusted[], names: FolderNames): ComponentFiles {
  if (trusted.length === 0) return fail('it trusts nothing, and Java refuses an empty truststore: add trusts to it');
  const problem = labelProblem(trusted.map((t) => ({ label: t.label, what: `the trusted certificate of ${t.name}` })));
  if (problem) return fail(problem);
  const arms = armFiles(withArmFiles(trusted, names));
  const password = ctx.password();
  const store = writeJavaTruststore(trusted.map((t) => ({ alias: t.label, certificate: t.certificate.der })), password);
  const files: OutputFile[] = [...arms, { name: dbFile, data: store, secret: true }];
  if (!ctx.passwordEnv) files.push({ name: `${dbFile}.pw`, data: `${password}\n`, secret: true });
  const where = e.kind === 'operations-center' ? ' in installation_dir/ui/Liberty/usr/servers/guiServer' : '';
  files.push({ name: 'bootstrap.properties.txt', data: `# ${e.kind} ${e.name}: the truststore password${where} (sptls keydb, from ${propertiesComment(ctx.topologyName)})\ntsm.truststore.pswd=${propertiesValue(libertyXorEncode(password))}\n`, secret: true });
  return { files, notes: [...names.renamed, `${dbFile}: ${trusted.length} trusted certificate(s) (${trusted.map((t) => t.label).join(', ')})`] };
}

function gskitFiles(e: Entity, ctx: BuildContext, dbFile: string, declaredTrust: Trusted[], names: FolderNames): ComponentFiles {
  const notes: string[] = [];
  const personal = ctx.expected.personal(e);
  const issued = personal?.source === 'issued' ? ctx.issued.get(e.name) : undefined;
  if (personal && !issued) {
    if (personal.source === 'spec') return fail(`its certificate is not issued yet: run 'sptls issue' first`);
    notes.push(`its certificate is a file whose key is not here: import that key and certificate into ${dbFile} yourself (gsk8capicmd_64 -cert -import) and make it the default`);
  }
  if (declaredTrust.length === 0 && !issued) return fail('it trusts nothing and has no issued certificate: nothing to put in a key database');
  const trustedPrints = new Set(declaredTrust.map((t) => t.certificate.fingerprintSha256));
  const label = issued ? issued.entry.spec.label ?? e.name : undefined;
  // Chain certificates the script also adds as trusted stay out of the PKCS#12, so GSKit never sees one twice.
  const chain = (issued?.chain ?? []).map((c, i) => ({ label: chainLabel(issued!.entry.spec.issuer, i, ctx), der: c.der, fingerprint: c.fingerprintSha256 }))
    .filter((c) => !trustedPrints.has(c.fingerprint));
  const problem = labelProblem([
    ...declaredTrust.map((t) => ({ label: t.label, what: `the trusted certificate of ${t.name}` })),
    ...chain.map((c) => ({ label: c.label, what: `chain certificate ${c.label} of ${e.name}'s certificate` })),
    ...(label !== undefined ? [{ label, what: `${e.name}'s own certificate` }] : []),
  ]);
  if (problem) return fail(problem);

  // The component's own certificate keeps its export name first: other hosts install it from there.
  const ownArm = issued ? names.allocate(issued.entry.spec.armFile ?? `${fileSafe(label!)}.arm`, `${e.name}'s own certificate`) : undefined;
  const trusted = withArmFiles(declaredTrust, names);
  const files: OutputFile[] = armFiles(trusted);
  const dbPassword = ctx.password();
  const pwFile = (f: string) => (ctx.passwordEnv ? null : `${f}.pw`);
  if (!ctx.passwordEnv) files.push({ name: `${dbFile}.pw`, data: `${dbPassword}\n`, secret: true });
  let pkcs12: GskitScript['pkcs12'];
  let kdbPersonal: { label: string; der: Buffer; privateKey: KeyObject; chain: Array<{ label: string; der: Buffer }> } | undefined;
  if (issued && label !== undefined) {
    const privateKey = ctx.readKey(issued.keyPath);
    const p12Password = ctx.password();
    const p12File = names.allocate(`${fileSafe(e.name)}.p12`, `${e.name}'s key and certificate`, ctx.passwordEnv ? [] : ['.pw']);
    files.push({ name: p12File, data: writeGskitPkcs12({ label, privateKey, certificate: issued.certificate.der, chain: chain.map((c) => ({ certificate: c.der, label: c.label })) }, p12Password), secret: true });
    if (!ctx.passwordEnv) files.push({ name: `${p12File}.pw`, data: `${p12Password}\n`, secret: true });
    files.push({ name: ownArm!, data: certificatePem(issued.certificate.der), secret: false });
    pkcs12 = { file: p12File, passwordFile: pwFile(p12File), label };
    kdbPersonal = { label, der: issued.certificate.der, privateKey, chain: chain.map((c) => ({ label: c.label, der: c.der })) };
    notes.push(`${p12File}: personal certificate "${printable(label)}" with ${chain.length} chain certificate(s)`);
  }
  const script: GskitScript = {
    title: `${e.kind} ${e.name}`, topologyName: ctx.topologyName, dbFile, dbPasswordFile: pwFile(dbFile),
    ...(ctx.passwordEnv ? { passwordEnv: ctx.passwordEnv } : {}),
    trusted: trusted.map((t) => ({ label: t.label, armFile: t.armFile })),
    ...(pkcs12 ? { pkcs12 } : {}),
    ...(e.kind === 'client' ? { dsmcert: dsmcertLines(e, ctx, trusted) } : {}),
  };
  files.push({ name: 'create-keydb.sh', data: shellScript(script), secret: false, executable: true });
  files.push({ name: 'create-keydb.cmd', data: cmdScript(script), secret: false });
  if (e.kind === 'client') {
    const opts = clientOptions(e, ctx.analysis, ctx.topologyName);
    files.push({ name: 'dsm.sys.txt', data: opts.dsmSys, secret: false }, { name: 'dsm.opt.txt', data: opts.dsmOpt, secret: false });
    notes.push(...opts.notes);
  } else {
    files.push({ name: e.kind === 'server' ? 'dsmserv.opt.txt' : 'dsmsta.opt.txt', data: serverOptions(e, ctx.analysis, ctx.topologyName), secret: false });
  }
  // Chain certificates imported with the personal certificate become trusted records too.
  const listed = [trusted.map((t) => t.label).join(', '), chain.length ? `${chain.map((c) => c.label).join(', ')} from ${e.name}'s chain` : ''].filter(Boolean).join('; ');
  notes.push(`${dbFile}: ${trusted.length + chain.length} trusted certificate(s)${listed ? ` (${listed})` : ''}; create it on the host with create-keydb.sh or create-keydb.cmd`);
  if (ctx.nativeKdb) {
    if (extname(dbFile).toLowerCase() !== '.kdb') notes.push(`--native-kdb: ${dbFile} is not a .kdb; no native file written`);
    else {
      const entries = [
        ...trusted.map((t) => ({ label: t.label, certificate: t.certificate.der })),
        ...(kdbPersonal ? [...kdbPersonal.chain.map((c) => ({ label: c.label, certificate: c.der })), { label: kdbPersonal.label, certificate: kdbPersonal.der, privateKey: kdbPersonal.privateKey }] : []),
      ];
      const stash = `${basename(dbFile, extname(dbFile))}.sth`;
      files.push({ name: dbFile, data: writeKdb(entries, dbPassword), secret: true }, { name: stash, data: writeStashV1(dbPassword), secret: true });
      notes.push(`--native-kdb: ${dbFile} + ${stash} written by sptls' EXPERIMENTAL CMS writer (not yet opened by a real GSKit; prefer the script)`);
    }
  }
  return { files, notes: [...names.renamed, ...notes] };
}

/** Labels of chain certificates: the issuing CAs' names, nearest first. */
function chainLabel(issuer: string | null, index: number, ctx: BuildContext): string {
  let name = issuer;
  for (let i = 0; i < index && name; i++) name = ctx.issued.get(name)?.entry.spec.issuer ?? null;
  return name ?? `chain-${index + 1}`;
}

/** `dsmcert -add -server S -file T.arm` for each server the client reaches and the trust that covers it. */
function dsmcertLines(e: Entity, ctx: BuildContext, trusted: TrustedArm[]): Array<{ server: string; armFile: string }> {
  const byName = new Map(trusted.map((t) => [t.name, t]));
  const out: Array<{ server: string; armFile: string }> = [];
  for (const s of tlsServersOf(e, ctx.analysis)) {
    const verdict = trustVerdict(e, s, ctx.analysis.chains);
    const t = verdict.kind === 'trusted' ? byName.get(verdict.via.name) : undefined;
    if (t) out.push({ server: s.name, armFile: t.armFile });
  }
  if (out.length === 0) for (const t of trusted) out.push({ server: t.name, armFile: t.armFile });
  return out;
}
