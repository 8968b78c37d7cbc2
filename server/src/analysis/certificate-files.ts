// The one door through which analysis reads certificate files (spec §4.2
// `certificate file` and `ca … file`). The engine gets an implementation; tests
// may give an in-memory one. Reading never throws: a bad file is a result.
import { readCertificateFile, type CertificateFacts } from '../codec/x509/read.ts';

export interface CertificateInfo {
  /** RFC 4514 text, most specific first ("CN=Root CA,O=Example,C=US"); compare with dnKey. */
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
  /** DER SubjectPublicKeyInfo: what a child's signature is verified with. */
  spki: Buffer;
  /** Subject and issuer DN are the same (a root, or a self-signed leaf). */
  selfIssued: boolean;
}

/** Why a `file` cannot be used (spec §5 file-not-found): each is told apart for the message. */
export type CertificateFileProblem = 'not-found' | 'not-regular' | 'too-large' | 'unreadable' | 'unparsable' | 'not-trusted';

export type CertificateFileResult =
  | { ok: true; certificates: CertificateInfo[] }
  | { ok: false; problem?: CertificateFileProblem; reason: string };

/** Certificate files above this size are not read at all (spec §5 file-not-found). */
export const MAX_CERTIFICATE_FILE_BYTES = 1024 * 1024;

export interface CertificateFiles {
  /** `path` as written in the topology; implementations resolve it against the topology's folder. */
  read(path: string): CertificateFileResult;
}

/** Decodes PEM/ARM (one or more certificates) or a single DER certificate, with the PKI reader. */
export function decodeCertificates(bytes: Uint8Array): CertificateFileResult {
  const r = readCertificateFile(bytes);
  if (!r.ok) return { ok: false, problem: 'unparsable', reason: r.error.message };
  return { ok: true, certificates: r.certificates.map(describe) };
}

function describe(c: CertificateFacts): CertificateInfo {
  return {
    subject: c.subjectText,
    issuer: c.issuerText,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    keyType: c.key.type,
    // Bits in the RSA/DSA sense only (an EC size is the curve's, not a modulus).
    ...((c.key.type === 'rsa' || c.key.type === 'dsa') && c.key.bits !== undefined ? { keyBits: c.key.bits } : {}),
    signatureHash: c.signatureHash,
    signatureName: c.signatureAlgorithm,
    dnsNames: c.sans.dns,
    ipAddresses: c.sans.ip,
    der: c.der,
    fingerprint256: c.fingerprintSha256,
    spki: c.raw.spki,
    selfIssued: c.selfIssued,
  };
}
