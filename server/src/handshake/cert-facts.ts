// Plain facts about one X.509 certificate, for reports and checks. Shared by the
// handshake tester and anything else that shows certificates (PKI, LSP hovers).
import { X509Certificate } from 'node:crypto';
import { signatureAlgorithmOf, type SignatureAlgorithm } from '../codec/x509/read.ts';

export interface CertFacts {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** Whole days from `now` until notAfter (negative once expired). */
  daysLeft: number;
  keyType: string;
  /** Bits of the modulus (RSA/DSA) or of the curve (EC, EdDSA). */
  keyBits?: number;
  curve?: string;
  signatureAlgorithm: SignatureAlgorithm;
  /** Subject alternative names as `DNS:name`, `IP:addr`, `email:…`, `URI:…`. */
  sans: string[];
  isCA: boolean;
  selfIssued: boolean;
  fingerprintSha256: string;
}

const DAY_MS = 86_400_000;

const CURVE_BITS: Record<string, number> = {
  prime256v1: 256, secp256k1: 256, secp384r1: 384, secp521r1: 521, secp224r1: 224,
  brainpoolP256r1: 256, brainpoolP384r1: 384, brainpoolP512r1: 512,
};
const EDDSA_BITS: Record<string, number> = { ed25519: 256, ed448: 456, x25519: 256, x448: 448 };

/** `CN=a\nO=b` (Node's form) → `CN=a, O=b`. */
export function oneLineName(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

/** Splits Node's `DNS:a, IP Address:1.2.3.4, DNS:"x, y"` into normalised entries. */
export function parseSubjectAltName(san: string | undefined): string[] {
  if (!san) return [];
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < san.length; i++) {
    const ch = san[i]!;
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === ',' && san[i + 1] === ' ') { out.push(cur); cur = ''; i++; continue; }
    cur += ch;
  }
  if (cur) out.push(cur);
  return out.map((e) => e.replace(/^IP Address:/, 'IP:').replace(/^email:/i, 'email:').replace(/"/g, ''));
}

export function certFacts(cert: X509Certificate, now: Date = new Date()): CertFacts {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const keyType = key.asymmetricKeyType ?? 'unknown';
  const curve = details.namedCurve;
  const keyBits = details.modulusLength ?? (curve ? CURVE_BITS[curve] : undefined) ?? EDDSA_BITS[keyType];
  const notAfter = new Date(cert.validTo);
  return {
    subject: oneLineName(cert.subject),
    issuer: oneLineName(cert.issuer),
    serialNumber: cert.serialNumber,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS),
    keyType,
    ...(keyBits !== undefined ? { keyBits } : {}),
    ...(curve ? { curve } : {}),
    signatureAlgorithm: signatureAlgorithmOf(cert.raw),
    sans: parseSubjectAltName(cert.subjectAltName),
    isCA: cert.ca,
    selfIssued: cert.subject === cert.issuer,
    fingerprintSha256: cert.fingerprint256,
  };
}
