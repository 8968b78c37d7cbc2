// What a component's key database should hold according to the topology: the certificates
// its `trusts` names (a CA's certificate, or a component's own) and, for a server or storage
// agent, its own certificate as the default personal one. Certificates come from the issued
// PKI or from `file` declarations; when neither is at hand only the subject is known.
// Shared by `sptls keydb` (what to write) and the audit (what to look for).
import type { Analysis } from '../../analysis/engine.ts';
import type { Entity } from '../../analysis/model.ts';
import { holdsCertificate } from '../../analysis/model.ts';
import { issueSpecs } from '../issue/spec.ts';
import { decodeCertificate, type CertificateFacts } from '../../codec/x509/read.ts';
import type { IssuedCertificates } from './issued.ts';

export interface ExpectedCertificate {
  /** The topology name whose certificate this is. */
  name: string;
  /** The subject the topology gives it (declared or defaulted). */
  subject: string;
  /** Known when the PKI is issued or the certificate is a readable `file`. */
  certificate?: CertificateFacts;
  /** Where it came from, for messages. */
  source: 'issued' | 'file' | 'spec';
}

/** Kinds whose key database holds the component's own certificate and key. */
export const PERSONAL_KINDS: ReadonlySet<string> = new Set(['server', 'storage-agent']);
/** Kinds with a key database sptls builds and audits. */
export const KEYDB_KINDS: ReadonlySet<string> = new Set(['server', 'storage-agent', 'client', 'operations-center', 'reporting-agent']);

export class ExpectedContents {
  private readonly analysis: Analysis;
  private readonly issued: IssuedCertificates | undefined;
  private readonly subjects: Map<string, string>;

  constructor(analysis: Analysis, issued: IssuedCertificates | undefined) {
    this.analysis = analysis;
    this.issued = issued;
    this.subjects = new Map(issueSpecs(analysis).specs.map((s) => [s.name, s.subject]));
  }

  /** The certificate `name` presents (a CA: its own), as far as it is known. */
  certificateOf(target: Entity): ExpectedCertificate {
    const issued = this.issued?.get(target.name);
    if (issued) return { name: target.name, subject: issued.certificate.subjectText, certificate: issued.certificate, source: 'issued' };
    const info = this.analysis.chains.fileCertificate(target);
    if (info) {
      const facts = decodeCertificate(info.der);
      return { name: target.name, subject: facts.subjectText, certificate: facts, source: 'file' };
    }
    return { name: target.name, subject: this.subjects.get(target.name) ?? `CN=${target.name}`, source: 'spec' };
  }

  /** One entry per distinct name in the component's `trusts` that holds a certificate. */
  trusts(e: Entity): ExpectedCertificate[] {
    const out: ExpectedCertificate[] = [];
    const seen = new Set<string>();
    for (const v of e.trusts) {
      const target = this.analysis.model.byName.get(v.text);
      if (!target || seen.has(target.name) || !holdsCertificate(target)) continue;
      seen.add(target.name);
      out.push(this.certificateOf(target));
    }
    return out;
  }

  /** The default personal certificate a server or storage agent presents; null for other kinds. */
  personal(e: Entity): ExpectedCertificate | null {
    if (!PERSONAL_KINDS.has(e.kind) || !e.certificate) return null;
    return this.certificateOf(e);
  }
}

/** Components that get a key database, first declarations only, in file order. */
export function keyDbComponents(analysis: Analysis): Entity[] {
  return analysis.model.entities.filter((e) => e.isFirst && KEYDB_KINDS.has(e.kind));
}
