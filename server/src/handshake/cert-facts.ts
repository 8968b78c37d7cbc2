// Plain facts about one X.509 certificate, for reports and checks. Shared by the
// handshake tester and anything else that shows certificates (PKI, LSP hovers).
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';

export interface SignatureAlgorithm {
  oid: string;
  /** e.g. sha256WithRSAEncryption, ecdsa-with-SHA384, Ed25519, unknown */
  name: string;
  /** The digest inside the signature: md5, sha1, sha256…; 'intrinsic' for EdDSA. */
  hash: string;
}

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

// Name, digest per signature OID. Only the digest matters for strength verdicts.
const SIG_ALGS: Record<string, [string, string]> = {
  '1.2.840.113549.1.1.2': ['md2WithRSAEncryption', 'md2'],
  '1.2.840.113549.1.1.3': ['md4WithRSAEncryption', 'md4'],
  '1.2.840.113549.1.1.4': ['md5WithRSAEncryption', 'md5'],
  '1.2.840.113549.1.1.5': ['sha1WithRSAEncryption', 'sha1'],
  '1.3.14.3.2.29': ['sha1WithRSASignature', 'sha1'],
  '1.2.840.113549.1.1.14': ['sha224WithRSAEncryption', 'sha224'],
  '1.2.840.113549.1.1.11': ['sha256WithRSAEncryption', 'sha256'],
  '1.2.840.113549.1.1.12': ['sha384WithRSAEncryption', 'sha384'],
  '1.2.840.113549.1.1.13': ['sha512WithRSAEncryption', 'sha512'],
  '1.2.840.10045.4.1': ['ecdsa-with-SHA1', 'sha1'],
  '1.2.840.10045.4.3.1': ['ecdsa-with-SHA224', 'sha224'],
  '1.2.840.10045.4.3.2': ['ecdsa-with-SHA256', 'sha256'],
  '1.2.840.10045.4.3.3': ['ecdsa-with-SHA384', 'sha384'],
  '1.2.840.10045.4.3.4': ['ecdsa-with-SHA512', 'sha512'],
  '1.2.840.10040.4.3': ['dsa-with-sha1', 'sha1'],
  '2.16.840.1.101.3.4.3.2': ['dsa-with-sha256', 'sha256'],
  '1.3.101.112': ['Ed25519', 'intrinsic'],
  '1.3.101.113': ['Ed448', 'intrinsic'],
};
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const CURVE_BITS: Record<string, number> = {
  prime256v1: 256, secp256k1: 256, secp384r1: 384, secp521r1: 521, secp224r1: 224,
  brainpoolP256r1: 256, brainpoolP384r1: 384, brainpoolP512r1: 512,
};
const EDDSA_BITS: Record<string, number> = { ed25519: 256, ed448: 456, x25519: 256, x448: 448 };

/**
 * Node's X509Certificate does not expose the signature algorithm, so it is read
 * from the outer AlgorithmIdentifier of the DER: Certificate ::= SEQUENCE { tbs, sigAlg, sig }.
 */
export function signatureAlgorithmOf(der: Uint8Array): SignatureAlgorithm {
  try {
    const cert = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary')), false);
    const algId = (cert.value as forge.asn1.Asn1[])[1]!;
    const parts = algId.value as forge.asn1.Asn1[];
    const oid = forge.asn1.derToOid(parts[0]!.value as string);
    if (oid === RSASSA_PSS) return { oid, name: 'RSASSA-PSS', hash: pssHash(parts[1]) };
    const known = SIG_ALGS[oid];
    return known ? { oid, name: known[0], hash: known[1] } : { oid, name: 'unknown', hash: 'unknown' };
  } catch {
    return { oid: '', name: 'unreadable', hash: 'unknown' };
  }
}

// RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] AlgorithmIdentifier DEFAULT sha1, … }
function pssHash(params: forge.asn1.Asn1 | undefined): string {
  const fields = Array.isArray(params?.value) ? params.value : [];
  const hashField = fields.find((f) => f.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && f.type === 0);
  const algId = Array.isArray(hashField?.value) ? hashField.value[0] : undefined;
  const oidNode = Array.isArray(algId?.value) ? algId.value[0] : undefined;
  if (!oidNode || typeof oidNode.value !== 'string') return 'sha1';
  return HASH_OIDS[forge.asn1.derToOid(oidNode.value)] ?? 'unknown';
}

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
