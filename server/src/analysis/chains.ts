// Certificate chains and roots (spec §4.2), memoised per model so every rule and
// every connection asks in constant time.
import type { CertificateFiles, CertificateFileResult, CertificateInfo } from './certificate-files.ts';
import { dnKey } from './dn.ts';
import type { Entity, Model } from './model.ts';

export interface Chain {
  /** CAs above the component's certificate, nearest first. */
  cas: Entity[];
  /**
   * What an initiator must trust: a root CA, or the component itself for a
   * self-signed certificate. Null when the root is unknown (a file certificate
   * whose issuer matches no `ca`): then only trusting the component itself works.
   */
  root: Entity | null;
  /** The chain cannot be built because of another diagnostic; trust is not judged. */
  broken: boolean;
}

const BROKEN: Chain = { cas: [], root: null, broken: true };

export class Chains {
  private readonly caChains = new Map<Entity, Chain>();
  private readonly componentChains = new Map<Entity, Chain>();
  private readonly files = new Map<string, CertificateFileResult>();
  private caByDn: Map<string, Entity> | null = null;

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
    const file = e.kind === 'ca' ? e.props.get('file')?.values[0] : e.certificate?.file;
    if (!file) return null;
    const r = this.readFile(file.text);
    return r.ok ? r.certificates[0] ?? null : null;
  }

  /** The chain of the certificate a component presents; null without a certificate. */
  of(e: Entity): Chain | null {
    const cert = e.certificate;
    if (!cert) return null;
    let chain = this.componentChains.get(e);
    if (chain) return chain;
    if (cert.mode === 'self-signed') chain = { cas: [], root: e, broken: false };
    else if (cert.mode === 'signed-by') chain = this.above(cert.issuer ? this.model.byName.get(cert.issuer.text) : undefined);
    else {
      const info = this.fileCertificate(e);
      if (!info) chain = BROKEN;
      else {
        const issuer = this.caMatching(info.issuer);
        if (issuer) chain = this.above(issuer);
        else chain = dnKey(info.subject) === dnKey(info.issuer) ? { cas: [], root: e, broken: false } : { cas: [], root: null, broken: false };
      }
    }
    this.componentChains.set(e, chain);
    return chain;
  }

  /** The chain from CA `ca` up to its root. */
  private above(ca: Entity | undefined): Chain {
    if (!ca || ca.kind !== 'ca') return BROKEN;
    // Each CA has at most one signed-by link, so a cycle shows as a revisit on the path.
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
      const up = current.props.get('signed-by')?.values[0];
      if (!up) { top = { cas: [], root: current, broken: false }; break; }
      const next = this.model.byName.get(up.text);
      if (!next || next.kind !== 'ca') { top = BROKEN; break; }
      current = next;
    }
    for (let i = path.length - 1; i >= 0; i--) {
      top = top.broken ? BROKEN : { cas: [path[i]!, ...top.cas], root: top.root, broken: false };
      this.caChains.set(path[i]!, top);
    }
    return this.caChains.get(ca) ?? BROKEN;
  }

  /** The first declared CA whose DN matches (spec §5.1 "Issuers"). */
  caMatching(dn: string): Entity | undefined {
    if (!this.caByDn) {
      this.caByDn = new Map();
      for (const e of this.model.entities) {
        if (e.kind !== 'ca' || !e.isFirst) continue;
        const key = this.caDnKey(e);
        if (key !== null && !this.caByDn.has(key)) this.caByDn.set(key, e);
      }
    }
    return this.caByDn.get(dnKey(dn));
  }

  /** A CA's DN: its `subject`, else its file's subject, else CN=<name>; null when its file cannot be read. */
  private caDnKey(ca: Entity): string | null {
    const subject = ca.props.get('subject')?.values[0];
    if (subject) return dnKey(subject.text);
    if (ca.props.has('file')) {
      const info = this.fileCertificate(ca);
      return info ? dnKey(info.subject) : null;
    }
    return dnKey(`CN=${ca.name}`);
  }
}
