// `sptls expiry`: every certificate the topology knows — issued by sptls (the PKI's
// manifest), read from a `file`, or found in a collected key database — with its end
// date, who presents it and who trusts it, soonest first, and the command that renews it.
// Pure: the caller reads the PKI and the key databases and passes what they say.
import { dnKey } from '../analysis/dn.ts';
import type { Analysis } from '../analysis/engine.ts';
import type { Entity } from '../analysis/model.ts';
import { KINDS } from '../analysis/product.ts';
import type { KeyDbSource } from '../pki/audit/audit.ts';
import { issueSpecs } from '../pki/issue/spec.ts';
import { keyDbComponents } from '../pki/provision/expected.ts';

export type ExpirySource = 'issued' | 'file' | 'keydb';

export interface KnownCertificate {
  /** The `ca` or component the certificate belongs to. */
  name: string;
  kind: 'ca' | 'certificate';
  subject: string;
  notAfter: Date;
  source: ExpirySource;
  /** Where it was read: the PKI file, the `file` path, or the key database and label. */
  where: string;
}

export interface ExpiryEntry extends KnownCertificate {
  /** Whole days left, rounded toward zero (spec §5.1 "Time"); negative once expired. */
  daysLeft: number;
  /** Components that present it: the certificate's owner, or every component whose chain holds the CA. */
  presentedBy: string[];
  /** Components that hold it as trusted. */
  trustedBy: string[];
  /** What to run to replace it (`sptls rotate …`), argv form. */
  rotate: string[];
}

export interface ExpiryOptions {
  now: Date;
  /** Only certificates that end within this many days (expired ones included). */
  withinDays?: number;
  /** The topology file as the administrator named it, for the rotate command. */
  topologyArg: string;
}

const DAY_MS = 86_400_000;

/** The certificates of the topology's own `file`s; the PKI and key databases come from the caller. */
export function fileCertificates(analysis: Analysis): KnownCertificate[] {
  const out: KnownCertificate[] = [];
  for (const e of analysis.model.entities) {
    if (!e.isFirst) continue;
    const file = e.kind === 'ca' ? e.props.get('file')?.values[0] : e.certificate?.file;
    const info = file ? analysis.chains.fileCertificate(e) : null;
    if (!file || !info) continue;
    out.push({ name: e.name, kind: e.kind === 'ca' ? 'ca' : 'certificate', subject: info.subject, notAfter: info.notAfter, source: 'file', where: file.text });
  }
  return out;
}

export function expiryReport(analysis: Analysis, known: readonly KnownCertificate[], options: ExpiryOptions): ExpiryEntry[] {
  const { model } = analysis;
  const presenters = new Map<string, string[]>();
  const trusters = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, k: string, v: string) => { const l = m.get(k) ?? []; if (!l.includes(v)) l.push(v); m.set(k, l); };
  for (const e of model.entities) {
    if (!e.isFirst || e.kind === 'ca') continue;
    for (const t of e.trusts) add(trusters, t.text, e.name);
    const chain = analysis.chains.of(e);
    if (!chain) continue;
    add(presenters, e.name, e.name);
    for (const ca of chain.cas) add(presenters, ca.name, e.name);
  }
  const seen = new Set<string>();
  const out: ExpiryEntry[] = [];
  for (const k of known) {
    const key = `${k.name}|${k.source}|${k.where}|${k.notAfter.toISOString()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const daysLeft = Math.trunc((k.notAfter.getTime() - options.now.getTime()) / DAY_MS);
    if (options.withinDays !== undefined && daysLeft > options.withinDays) continue;
    const entity = model.byName.get(k.name);
    out.push({
      ...k, daysLeft,
      presentedBy: presenters.get(k.name) ?? [],
      trustedBy: trusters.get(k.name) ?? [],
      rotate: rotateCommand(entity, k, options.topologyArg),
    });
  }
  // On the same day a CA comes before what it signs (issue caps children at their issuer's end): rotating it renews them too.
  return out.sort((a, b) => a.notAfter.getTime() - b.notAfter.getTime() || Number(b.kind === 'ca') - Number(a.kind === 'ca') || a.name.localeCompare(b.name));
}

function rotateCommand(entity: Entity | undefined, k: KnownCertificate, file: string): string[] {
  return ['sptls', 'rotate', file, k.kind === 'ca' || entity?.kind === 'ca' ? '--ca' : '--certificate', k.name];
}

/** The certificates `sptls issue` wrote, from its manifest: what the PKI says each one ends. */
export function issuedCertificates(manifest: { entries: Record<string, { role: 'ca' | 'component'; spec: { subject: string }; notAfter: string; files: { certificate: string } }> }, pkiDir: string): KnownCertificate[] {
  return Object.entries(manifest.entries).map(([name, e]) => ({
    name, kind: e.role === 'ca' ? 'ca' as const : 'certificate' as const, subject: e.spec.subject,
    notAfter: new Date(e.notAfter), source: 'issued' as const, where: `${pkiDir}/${e.files.certificate}`,
  })).filter((k) => !Number.isNaN(k.notAfter.getTime()));
}

/**
 * The certificates in collected key databases: a component's personal certificate is its
 * own; a trusted one is the `ca` (or component) whose subject it matches, else its label.
 */
export async function keyDbCertificates(analysis: Analysis, source: KeyDbSource): Promise<KnownCertificate[]> {
  const byDn = new Map<string, string>();
  for (const s of issueSpecs(analysis).specs) if (!byDn.has(dnKey(s.subject))) byDn.set(dnKey(s.subject), s.name);
  for (const k of fileCertificates(analysis)) if (!byDn.has(dnKey(k.subject))) byDn.set(dnKey(k.subject), k.name);
  // One certificate found in several key databases is one entry that names them all.
  const found = new Map<string, KnownCertificate & { holders: string[] }>();
  for (const e of keyDbComponents(analysis)) {
    const db = await source.open({ name: e.name, kind: e.kind, dbFile: e.props.get('keydb')?.values[0]?.text ?? KINDS[e.kind].keydb ?? 'cert.kdb' });
    if (db.kind !== 'ok') continue;
    for (const entry of db.entries) {
      const c = entry.certificate;
      if (!c || (entry.kind !== 'personal' && entry.kind !== 'trusted' && entry.kind !== 'certificate')) continue;
      const owner = entry.kind === 'personal' ? e.name : byDn.get(dnKey(c.subjectText)) ?? entry.label ?? c.subjectText;
      const ownerEntity = analysis.model.byName.get(owner);
      const key = `${owner}|${c.fingerprintSha256}`;
      const known = found.get(key) ?? { name: owner, kind: ownerEntity?.kind === 'ca' ? 'ca' : 'certificate', subject: c.subjectText, notAfter: c.notAfter, source: 'keydb', where: '', holders: [] };
      if (!known.holders.includes(e.name)) known.holders.push(e.name);
      found.set(key, known);
    }
  }
  return [...found.values()].map(({ holders, ...k }) => ({ ...k, where: `the collected key database${holders.length > 1 ? 's' : ''} of ${holders.join(', ')}` }));
}
