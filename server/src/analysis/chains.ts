// Certificate chains and roots (spec §4.2), memoised per model so every rule and
// every connection asks in constant time.
//
// Each certificate — a component's, or a CA's — has one link to the CA above it
// (`issuerOf`): by `signed-by`, or, for a certificate read from a file, by matching its
// issuer DN to the `ca`s, where signatures decide between CAs of one name (v1.1). A
// chain is those links followed up to a root.
import type { CertificateFiles, CertificateFileResult, CertificateInfo } from './certificate-files.ts';
import { dnKey } from './dn.ts';
import type { Entity, Model } from './model.ts';
import { signatureVerifies } from '../codec/x509/signature.ts';

export interface Chain {
  /** CAs above the component's certificate, nearest first. */
  cas: Entity[];
  /**
   * What an initiator must trust: a root CA, or the component itself for a
   * self-signed certificate. Null when the root is unknown (a file certificate, or a CA
   * read from a file, whose issuer matches no `ca`): then only trusting the component
   * itself works.
   */
  root: Entity | null;
  /** The chain cannot be built because of another diagnostic; trust is not judged. */
  broken: boolean;
}

/** How a certificate is tied to the CA above it. */
export type IssuerLink =
  /** A root: self-signed, or a `ca` with neither `signed-by` nor an issued `file`. */
  | { kind: 'none' }
  /**
   * Issued by `ca`, named by `signed-by` or found by issuer DN. `signature` says whether
   * the certificate's signature verifies with that CA's key: 'unchecked' unless both are
   * read from files.
   */
  | { kind: 'ca'; ca: Entity; by: 'signed-by' | 'dn'; signature: 'verified' | 'failed' | 'unchecked' }
  /** A file certificate that is not self-signed and whose issuer DN (`dn`) matches no `ca`. */
  | { kind: 'unknown'; dn: string }
  /** Cannot be told because of another diagnostic (an unresolved reference, an unreadable file). */
  | { kind: 'broken' };

const BROKEN: Chain = { cas: [], root: null, broken: true };
const NO_ISSUER: IssuerLink = { kind: 'none' };
const BROKEN_LINK: IssuerLink = { kind: 'broken' };

export class Chains {
  private readonly caChains = new Map<Entity, Chain>();
  private readonly componentChains = new Map<Entity, Chain>();
  private readonly issuers = new Map<Entity, IssuerLink>();
  private readonly files = new Map<string, CertificateFileResult>();
  private casByDn: Map<string, Entity[]> | null = null;
  /** DN keys of CAs whose file cannot be read; '' stands for "any DN" (such a CA without a subject). */
  private unreadableCaDns: Set<string> | null = null;

  private readonly model: Model;
  private readonly certificateFiles: CertificateFiles;

  constructor(model: Model, certificateFiles: CertificateFiles) {
    this.model = model;
    this.certificateFiles = certificateFiles;
  }

  /** A file's certificates, read once per analysis. */
  readFile(path: string): CertificateFileResult {
    let r = this.files.get(path);
    if (!r) {
      r = this.certificateFiles.read(path);
      this.files.set(path, r);
    }
    return r;
  }

  /** The first certificate of a component's or CA's `file`, if it can be read. */
  fileCertificate(e: Entity): CertificateInfo | null {
    const file = fileOf(e);
    if (!file) return null;
    const r = this.readFile(file);
    return r.ok ? r.certificates[0] ?? null : null;
  }

  /** The chain of the certificate a component presents; null without a certificate. */
  of(e: Entity): Chain | null {
    if (!e.certificate) return null;
    let chain = this.componentChains.get(e);
    if (chain) return chain;
    const link = this.issuerOf(e);
    chain = link.kind === 'none' ? { cas: [], root: e, broken: false }
      : link.kind === 'ca' ? this.above(link.ca)
        : link.kind === 'unknown' ? { cas: [], root: null, broken: false }
          : BROKEN;
    this.componentChains.set(e, chain);
    return chain;
  }

  /** The chain from CA `ca` up to its root (the CA itself first). */
  chainOfCa(ca: Entity): Chain {
    return this.above(ca);
  }

  /** The link from a component's certificate, or a CA's, to the CA above it. */
  issuerOf(e: Entity): IssuerLink {
    let link = this.issuers.get(e);
    if (!link) {
      link = this.computeIssuer(e);
      this.issuers.set(e, link);
    }
    return link;
  }

  private computeIssuer(e: Entity): IssuerLink {
    const named = e.kind === 'ca' ? e.props.get('signed-by')?.values[0] : e.certificate?.issuer;
    if (named) {
      const ca = this.model.byName.get(named.text);
      if (!ca || ca.kind !== 'ca') return BROKEN_LINK;
      return { kind: 'ca', ca, by: 'signed-by', signature: this.signature(e, ca) };
    }
    if (e.kind === 'ca' ? !e.props.has('file') : e.certificate?.mode !== 'file') return NO_ISSUER;
    const info = this.fileCertificate(e);
    if (!info) return BROKEN_LINK;
    const candidates = this.casMatching(info.issuer);
    if (candidates.length > 0) {
      // A re-keyed CA keeps its name: the first whose key verifies the signature is the
      // issuer; the first declared when none can be asked (spec §4.2, v1.1).
      let firstVerdict: 'verified' | 'failed' | 'unchecked' | undefined;
      for (const ca of candidates) {
        const v = this.signature(e, ca);
        if (v === 'verified') return ca === e ? NO_ISSUER : { kind: 'ca', ca, by: 'dn', signature: v };
        firstVerdict ??= v;
      }
      const first = candidates[0]!;
      return first === e ? NO_ISSUER : { kind: 'ca', ca: first, by: 'dn', signature: firstVerdict! };
    }
    if (dnKey(info.subject) === dnKey(info.issuer)) return NO_ISSUER;
    // The issuer may be a CA whose file cannot be read: its file-not-found says why.
    if (this.mayBeUnreadableCa(info.issuer)) return BROKEN_LINK;
    return { kind: 'unknown', dn: info.issuer };
  }

  /** Does `e`'s certificate verify with `ca`'s key? Asked only where both are files. */
  private signature(e: Entity, ca: Entity): 'verified' | 'failed' | 'unchecked' {
    const child = e.kind === 'ca' || e.certificate?.mode === 'file' ? this.fileCertificate(e) : null;
    const issuer = child && ca.props.has('file') ? this.fileCertificate(ca) : null;
    if (!child || !issuer) return 'unchecked';
    return signatureVerifies(child.der, issuer.spki) ? 'verified' : 'failed';
  }

  /** The chain from CA `ca` up to its root. */
  private above(ca: Entity | undefined): Chain {
    if (!ca || ca.kind !== 'ca') return BROKEN;
    // Each CA has at most one issuer link, so a cycle shows as a revisit on the path.
    const path: Entity[] = [];
    const onPath = new Set<Entity>();
    let current = ca;
    let top: Chain;
    for (;;) {
      const known = this.caChains.get(current);
      if (known) { top = known; break; }
      if (onPath.has(current)) { top = BROKEN; break; }
      path.push(current);
      onPath.add(current);
      const link = this.issuerOf(current);
      if (link.kind === 'none') { top = { cas: [], root: current, broken: false }; break; }
      if (link.kind === 'unknown') { top = { cas: [], root: null, broken: false }; break; }
      if (link.kind === 'broken') { top = BROKEN; break; }
      current = link.ca;
    }
    for (let i = path.length - 1; i >= 0; i--) {
      top = top.broken ? BROKEN : { cas: [path[i]!, ...top.cas], root: top.root, broken: false };
      this.caChains.set(path[i]!, top);
    }
    return this.caChains.get(ca) ?? BROKEN;
  }

  /** The first declarations of `ca`s whose DN matches, in declaration order (spec §5.1 "Issuers"). */
  private casMatching(dn: string): readonly Entity[] {
    if (!this.casByDn) {
      this.casByDn = new Map();
      for (const e of this.model.entities) {
        if (e.kind !== 'ca' || !e.isFirst) continue;
        const key = this.caDnKey(e);
        if (key === null) continue;
        const list = this.casByDn.get(key);
        if (list) list.push(e);
        else this.casByDn.set(key, [e]);
      }
    }
    return this.casByDn.get(dnKey(dn)) ?? [];
  }

  /** A CA's DN: its `subject`, else its file's subject, else CN=<name>; null when its file cannot be read. */
  caDnKey(ca: Entity): string | null {
    const subject = ca.props.get('subject')?.values[0];
    if (ca.props.has('file') && !this.fileCertificate(ca)) return null;
    if (subject) return dnKey(subject.text);
    if (ca.props.has('file')) return dnKey(this.fileCertificate(ca)!.subject);
    return dnKey(`CN=${ca.name}`);
  }

  private mayBeUnreadableCa(dn: string): boolean {
    if (!this.unreadableCaDns) {
      this.unreadableCaDns = new Set();
      for (const e of this.model.entities) {
        if (e.kind !== 'ca' || !e.isFirst || !e.props.has('file') || this.fileCertificate(e)) continue;
        const subject = e.props.get('subject')?.values[0];
        this.unreadableCaDns.add(subject ? dnKey(subject.text) : '');
      }
    }
    return this.unreadableCaDns.has('') || this.unreadableCaDns.has(dnKey(dn));
  }
}

/** The `file` a CA is read from, or the one a component's certificate is. */
function fileOf(e: Entity): string | undefined {
  return e.kind === 'ca' ? e.props.get('file')?.values[0]?.text : e.certificate?.file?.text;
}
