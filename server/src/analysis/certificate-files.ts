// The one door through which analysis reads certificate files (spec §4.2
// `certificate file` and `ca … file`). The engine gets an implementation; tests
// may give an in-memory one. Reading never throws: a bad file is a result.
import { X509Certificate } from 'node:crypto';
import { parseSubjectAltName, signatureAlgorithmOf } from '../handshake/cert-facts.ts';

export interface CertificateInfo {
  /** Node's multi-line form ("C=US\nO=Example\nCN=Root CA"). */
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  keyType: string;
  keyBits?: number;
  /** Signature digest: md5, sha1, sha256, … */
  signatureHash: string;
  signatureName: string;
  dnsNames: string[];
  ipAddresses: string[];
  der: Buffer;
  fingerprint256: string;
}

export type CertificateFileResult =
  | { ok: true; certificates: CertificateInfo[] }
  | { ok: false; reason: string };

export interface CertificateFiles {
  /** `path` as written in the topology; implementations resolve it against the topology's folder. */
  read(path: string): CertificateFileResult;
}

const PEM_BLOCK = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

/** Decodes PEM/ARM (one or more certificates) or a single DER certificate. */
export function decodeCertificates(bytes: Uint8Array): CertificateFileResult {
  const text = Buffer.from(bytes).toString('latin1');
  const ders: Buffer[] = [];
  if (text.includes('-----BEGIN')) {
    for (const m of text.matchAll(PEM_BLOCK)) ders.push(Buffer.from(m[1]!.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
    if (ders.length === 0) return { ok: false, reason: 'no CERTIFICATE block in the PEM text' };
  } else {
    ders.push(Buffer.from(bytes));
  }
  const certificates: CertificateInfo[] = [];
  for (const [i, der] of ders.entries()) {
    try {
      certificates.push(describe(new X509Certificate(der)));
    } catch (e) {
      const what = ders.length > 1 ? `certificate #${i + 1}` : 'the content';
      return { ok: false, reason: `${what} is not a readable X.509 certificate (${(e as Error).message})` };
    }
  }
  return { ok: true, certificates };
}

function describe(cert: X509Certificate): CertificateInfo {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const sans = parseSubjectAltName(cert.subjectAltName);
  const sig = signatureAlgorithmOf(cert.raw);
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    keyType: key.asymmetricKeyType ?? 'unknown',
    ...(details.modulusLength !== undefined ? { keyBits: details.modulusLength } : {}),
    signatureHash: sig.hash,
    signatureName: sig.name,
    dnsNames: sans.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4)),
    ipAddresses: sans.filter((s) => s.startsWith('IP:')).map((s) => s.slice(3)),
    der: cert.raw,
    fingerprint256: cert.fingerprint256,
  };
}
