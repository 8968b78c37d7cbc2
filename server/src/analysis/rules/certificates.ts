// Rules about the certificates themselves: file-not-found, weak-key (from files),
// weak-signature, certificate-expired, certificate-expiring, shared-certificate,
// hostname-mismatch.
import { keywordSpan, type Value } from '../../../../grammar/src/index.ts';
import type { CertificateInfo } from '../certificate-files.ts';
import { propertiesOf, type Entity } from '../model.ts';
import type { RuleContext } from './context.ts';
import { covers } from '../../codec/x509/host-match.ts';
import { ipVersion } from '../../codec/x509/ip.ts';
import { POLICY } from '../policy.ts';


const DAY_MS = 86_400_000;

export function checkCertificateFiles(ctx: RuleContext): void {
  for (const e of ctx.model.entities) {
    // Every `file` is read and judged, counted or not: a broken file is worth knowing about.
    for (const p of propertiesOf(e.decl.block)) {
      const file = p.name === 'file' ? p.values[0] : p.name === 'certificate' && p.values[0]?.text === 'file' ? p.values[1] : undefined;
      if (file) checkFile(ctx, e, file);
    }
  }
}

function checkFile(ctx: RuleContext, e: Entity, file: Value): void {
  const { report, chains, now } = ctx;
  const r = chains.readFile(file.text);
  if (!r.ok) {
    report('file-not-found', file, `${e.name}: cannot use "${file.text}": ${r.reason}. Give the path of a PEM/ARM or DER certificate, relative to this file's folder.`);
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
    report('certificate-expired', file, `"${file.text}" expired on ${cert.notAfter.toISOString()}: TLS sessions to ${e.name} fail. Renew it.`);
  } else {
    const daysLeft = (cert.notAfter.getTime() - now.getTime()) / DAY_MS;
    if (daysLeft < ctx.expiryWarningDays) {
      report('certificate-expiring', file, `"${file.text}" expires in ${Math.floor(daysLeft)} day(s), on ${cert.notAfter.toISOString()}: renew it and distribute the new certificate.`);
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
    const what = key.startsWith('der:') ? 'the same certificate file content' : `the same label of one CA`;
    for (const m of members) {
      report('shared-certificate', keywordSpan(m.certificate!.property), `${names} present ${what}: each server or storage agent needs a unique certificate and private key. Give ${m.name} its own.`);
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
      report('hostname-mismatch', address, `${e.name} is reached at "${address.text}", which its certificate does not name (SANs: ${listed.length ? listed.join(', ') : 'none'}); initiators that check the host name refuse it. Add san "${address.text}".`);
    }
  }
}
