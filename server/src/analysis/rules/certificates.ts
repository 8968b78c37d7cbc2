// Rules about the certificates themselves: file-not-found, weak-key (from files),
// weak-signature, certificate-expired, certificate-expiring, shared-certificate,
// hostname-mismatch.
import { keywordSpan, type Value } from '../../../../grammar/src/index.ts';
import type { CertificateFileProblem, CertificateInfo } from '../certificate-files.ts';
import type { Entity } from '../model.ts';
import type { RuleContext } from './context.ts';
import { covers } from '../../codec/x509/host-match.ts';
import { ipVersion } from '../../codec/x509/ip.ts';
import { POLICY } from '../policy.ts';


const DAY_MS = 86_400_000;

/** What to do about a `file` that cannot be used, by why (spec §5 file-not-found). */
const FILE_FIXES: Record<CertificateFileProblem, string> = {
  'not-found': "Give the path of a PEM/ARM or DER certificate, relative to this file's folder.",
  'not-regular': 'Name a certificate file, not a directory, pipe or device.',
  'too-large': 'A certificate file holds a certificate and its chain, well under 1 MiB: export only those (PEM/ARM or DER).',
  'unreadable': 'Make the file readable by the user running sptls, or copy it next to the topology.',
  'unparsable': 'Export the certificate as PEM/ARM or DER (a key database or private key file is not a certificate).',
  'not-trusted': 'Trust the workspace to let sptls read it, or copy the file into the workspace.',
};

export function checkCertificateFiles(ctx: RuleContext): void {
  for (const e of ctx.model.entities) {
    // Only the `file` that counts is read: a repeated or not-applicable one gets value
    // checks only, and a file is no value check (spec §5.1 "Repeated properties").
    const file = e.kind === 'ca' ? e.props.get('file')?.values[0] : e.certificate?.file;
    if (file) checkFile(ctx, e, file);
  }
}

function checkFile(ctx: RuleContext, e: Entity, file: Value): void {
  const { report, chains, now } = ctx;
  const r = chains.readFile(file.text);
  if (!r.ok) {
    report('file-not-found', file, `${e.name}: cannot use "${file.text}": ${r.reason}. ${FILE_FIXES[r.problem ?? 'not-found']}`);
    return;
  }
  const cert = r.certificates[0]!;
  if (cert.keyType === 'rsa' && cert.keyBits !== undefined && cert.keyBits < POLICY.minRsaBits) {
    report('weak-key', file, `"${file.text}" holds an RSA key of ${cert.keyBits} bits, too weak: issue ${e.name} a new certificate with at least ${POLICY.minRsaBits} bits.`);
  }
  if (cert.signatureHash === 'md5' || cert.signatureHash === 'sha1') {
    report('weak-signature', file, `"${file.text}" is signed with ${cert.signatureName} (${cert.signatureHash.toUpperCase()} is broken): reissue it signed with SHA-256 or better.`);
  }
  if (now < cert.notBefore) {
    report('certificate-expired', file, `"${file.text}" is not valid yet: its validity starts ${cert.notBefore.toISOString()}. Fix the issuing CA's clock or reissue it.`);
  } else if (now > cert.notAfter) {
    // Whole days, rounded toward zero: 24–47 hours ago is "1 day ago" (spec §5.1 "Time").
    const ago = Math.trunc((now.getTime() - cert.notAfter.getTime()) / DAY_MS);
    const when = ago === 0 ? 'less than a day ago' : `${ago} ${ago === 1 ? 'day' : 'days'} ago`;
    report('certificate-expired', file, `"${file.text}" expired ${when}, on ${cert.notAfter.toISOString()}: TLS sessions to ${e.name} fail. Renew it and distribute the new certificate.`);
  } else {
    const daysLeft = (cert.notAfter.getTime() - now.getTime()) / DAY_MS;
    if (daysLeft < ctx.expiryWarningDays) {
      const left = Math.trunc(daysLeft);
      const when = left === 0 ? 'in less than a day' : `in ${left} ${left === 1 ? 'day' : 'days'}`;
      report('certificate-expiring', file, `"${file.text}" expires ${when}, on ${cert.notAfter.toISOString()}: renew it and distribute the new certificate.`);
    }
  }
}

export function checkSharedCertificates({ model, chains, report }: RuleContext): void {
  const groups = new Map<string, Entity[]>();
  const add = (key: string, e: Entity) => {
    const g = groups.get(key);
    if (g) g.push(e);
    else groups.set(key, [e]);
  };
  for (const e of model.entities) {
    const cert = e.certificate;
    if (!e.isFirst || !cert) continue;
    if (cert.mode === 'file') {
      const info = chains.fileCertificate(e);
      if (info) add(`der:${info.fingerprint256}`, e);
    } else if (cert.mode === 'signed-by' && cert.issuer) {
      const label = cert.props.get('label')?.values[0];
      if (label) add(`label:${cert.issuer.text}\u0000${label.text}`, e);
    }
  }
  for (const [key, members] of groups) {
    if (members.length < 2) continue;
    const names = members.map((m) => m.name).join(', ');
    const first = members[0]!.certificate!;
    const what = key.startsWith('der:')
      ? `the same certificate ("${first.file!.text}"${members.some((m) => m.certificate!.file!.text !== first.file!.text) ? ' and identical copies' : ''})`
      : `the same certificate: label "${first.props.get('label')!.values[0]!.text}" issued by ${first.issuer!.text}`;
    const fix = (name: string) => key.startsWith('der:') ? `issue ${name} its own certificate and point its file there` : `give ${name}'s certificate a label of its own`;
    for (const m of members) {
      report('shared-certificate', keywordSpan(m.certificate!.property), `${names} present ${what}: each server or storage agent needs a unique certificate and private key. Fix: ${fix(m.name)}.`);
    }
  }
}

export function checkHostnames({ model, chains, report }: RuleContext): void {
  for (const e of model.entities) {
    const address = e.props.get('address')?.values[0];
    const cert = e.certificate;
    if (!address || !cert) continue;
    let names: { dns: string[]; ip: string[] };
    if (cert.mode === 'file') {
      const info: CertificateInfo | null = chains.fileCertificate(e);
      if (!info) continue;
      names = { dns: info.dnsNames, ip: info.ipAddresses };
    } else {
      if (cert.sans.length === 0) continue; // the default SAN is the address itself
      names = { dns: cert.sans.filter((s) => !ipVersion(s.text)).map((s) => s.text), ip: cert.sans.filter((s) => ipVersion(s.text)).map((s) => s.text) };
    }
    if (covers(names, address.text) === null) {
      const listed = [...names.dns, ...names.ip];
      // A file certificate takes no block: the fix is a new certificate, or the right address.
      const fix = cert.mode === 'file'
        ? `Reissue "${cert.file!.text}" with "${address.text}" among its SANs, or correct the address if ${e.name} is reached by one of the names it holds.`
        : `Add san "${address.text}" to its certificate block.`;
      report('hostname-mismatch', address, `${e.name} is reached at "${address.text}", which its certificate does not name (SANs: ${listed.length ? listed.join(', ') : 'none'}); initiators that check the host name refuse it. ${fix}`);
    }
  }
}
