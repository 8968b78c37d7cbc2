// Certificates: node-forge's ASN.1 builds the TBSCertificate, Node's crypto signs it.
// (forge's own RSA signing is pure JS and 25–34× slower, and forge cannot put EC keys in certificates.)
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import {
  bitString, bool, explicit, implicitPrimitive, integer, nul, octets, oid, parseDer, seq, time, toDer, type Asn1,
} from '../asn1/der.ts';
import { dnToAsn1, parseDn } from './dn.ts';
import { ipToBytes } from './ip.ts';
import { describeKey } from './keys.ts';
import {
  ECDSA_SIGNATURE_OID, EXTENDED_KEY_USAGE, KEY_USAGE_BITS, OID, RSA_SIGNATURE_OID,
  type ExtendedKeyUsage, type Hash, type KeyUsage,
} from './oids.ts';
import { decodeCertificate, type CertificateFacts } from './read.ts';

export type SubjectAltName = { type: 'dns'; value: string } | { type: 'ip'; value: string };

export type IssuerRef =
  /** Self-signed: `privateKey` belongs to the request's publicKey. */
  | { selfSigned: KeyObject }
  | { certificate: Uint8Array; privateKey: KeyObject };

export interface CertificateRequest {
  /** "CN=..,OU=..,O=..,C=.." (RFC 4514 order: most specific first). */
  subject: string;
  publicKey: KeyObject;
  issuer: IssuerRef;
  notBefore: Date;
  notAfter: Date;
  /** Default: 16 random bytes, positive. */
  serial?: bigint;
  sans?: SubjectAltName[];
  isCA: boolean;
  /** Only for CAs; omitted means unlimited. */
  pathLen?: number;
  /** Default: CA keyCertSign+cRLSign; leaf digitalSignature (+keyEncipherment for RSA). */
  keyUsage?: KeyUsage[];
  /** Default: none for a CA, serverAuth+clientAuth for a leaf (SP components are both). */
  extendedKeyUsage?: ExtendedKeyUsage[];
  /** Default: SHA-384 for P-384 issuers, SHA-256 otherwise. */
  hash?: Hash;
}

export class CertificateRequestError extends Error {}

export function randomSerial(): bigint {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return BigInt('0x' + b.toString('hex'));
}

/** DER of the signed certificate. Throws CertificateRequestError on a request that cannot be issued. */
export function buildCertificate(req: CertificateRequest): Buffer {
  if (!(req.notAfter > req.notBefore)) throw new CertificateRequestError(`notAfter (${req.notAfter.toISOString()}) must be after notBefore (${req.notBefore.toISOString()})`);
  if (req.pathLen !== undefined && (!req.isCA || req.pathLen < 0)) throw new CertificateRequestError('pathLen needs isCA and must be ≥ 0');
  const subjectName = dnToAsn1(parseDn(req.subject));
  const spki = req.publicKey.export({ type: 'spki', format: 'der' });
  const subjectKeyId = keyIdentifier(spki);

  let issuerName: Asn1;
  let issuerKeyId: Buffer;
  let signingKey: KeyObject;
  if ('selfSigned' in req.issuer) {
    issuerName = subjectName;
    issuerKeyId = subjectKeyId;
    signingKey = req.issuer.selfSigned;
  } else {
    const issuer = decodeIssuer(req.issuer.certificate);
    if (!issuer.isCA) throw new CertificateRequestError(`issuer "${issuer.subjectText}" is not a CA certificate`);
    issuerName = parseDer(issuer.raw.subjectName);
    issuerKeyId = issuer.subjectKeyId ?? keyIdentifier(issuer.raw.spki);
    signingKey = req.issuer.privateKey;
  }
  const { algorithm, hash } = signatureAlgorithm(signingKey, req.hash);

  const tbs = seq([
    explicit(0, integer(2)),
    integer(req.serial ?? randomSerial()),
    algorithm,
    issuerName,
    seq([time(req.notBefore), time(req.notAfter)]),
    subjectName,
    parseDer(spki),
    explicit(3, seq(extensions(req, subjectKeyId, issuerKeyId))),
  ]);
  const tbsDer = toDer(tbs);
  const signature = sign(hash, tbsDer, signingKey);
  return toDer(seq([parseDer(tbsDer), algorithm, bitString(signature)]));
}

function decodeIssuer(der: Uint8Array): CertificateFacts {
  try {
    return decodeCertificate(der);
  } catch (e) {
    throw new CertificateRequestError(`issuer certificate is unreadable: ${(e as Error).message}`);
  }
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING contents. */
export function keyIdentifier(spkiDer: Uint8Array): Buffer {
  const node = parseDer(spkiDer);
  const bits = (node.value as Asn1[])[1]!.value as string;
  return createHash('sha1').update(Buffer.from(bits, 'binary').subarray(1)).digest();
}

function signatureAlgorithm(key: KeyObject, wanted: Hash | undefined): { algorithm: Asn1; hash: Hash } {
  const d = describeKey(key);
  if (d.type === 'rsa') {
    const hash = wanted ?? 'sha256';
    return { hash, algorithm: seq([oid(RSA_SIGNATURE_OID[hash]), nul()]) };
  }
  if (d.type === 'ec') {
    const hash = wanted ?? (d.curve === 'P-384' ? 'sha384' : 'sha256');
    return { hash, algorithm: seq([oid(ECDSA_SIGNATURE_OID[hash])]) };
  }
  throw new CertificateRequestError(`cannot sign with a ${d.type} key (RSA or EC only)`);
}

function extension(id: string, critical: boolean, value: Asn1): Asn1 {
  return seq([oid(id), ...(critical ? [bool(true)] : []), octets(toDer(value))]);
}

function extensions(req: CertificateRequest, subjectKeyId: Buffer, issuerKeyId: Buffer): Asn1[] {
  const isRsa = describeKey(req.publicKey).type === 'rsa';
  const usage = req.keyUsage ?? (req.isCA ? ['keyCertSign', 'cRLSign'] : isRsa ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature']);
  const eku = req.extendedKeyUsage ?? (req.isCA ? [] : ['serverAuth', 'clientAuth']);
  const out = [
    extension(OID.basicConstraints, true, seq(req.isCA ? [bool(true), ...(req.pathLen !== undefined ? [integer(req.pathLen)] : [])] : [])),
    extension(OID.keyUsage, true, keyUsageBits(usage)),
  ];
  if (eku.length > 0) out.push(extension(OID.extKeyUsage, false, seq(eku.map((u) => oid(EXTENDED_KEY_USAGE[u])))));
  if (req.sans && req.sans.length > 0) out.push(extension(OID.subjectAltName, false, seq(req.sans.map(generalName))));
  out.push(extension(OID.subjectKeyIdentifier, false, octets(subjectKeyId)));
  out.push(extension(OID.authorityKeyIdentifier, false, seq([implicitPrimitive(0, issuerKeyId)])));
  return out;
}

/** Named-bit BIT STRING, DER: no trailing zero bytes, unused bits counted in the last byte. */
function keyUsageBits(usages: KeyUsage[]): Asn1 {
  const bits = usages.map((u) => KEY_USAGE_BITS[u]);
  if (bits.length === 0) throw new CertificateRequestError('keyUsage must name at least one usage');
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc((highest >> 3) + 1);
  for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
  const last = bytes[bytes.length - 1]!;
  let unused = 0;
  while (unused < 7 && (last & (1 << unused)) === 0) unused++;
  return bitString(bytes, unused);
}

/** Why a SAN cannot go into a certificate, or null when it can. */
export function sanProblem(san: SubjectAltName): string | null {
  if (san.type === 'dns') return /^(\*\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(san.value) ? null : `"${san.value}" is not a DNS name`;
  return ipToBytes(san.value) ? null : `"${san.value}" is not an IPv4 or IPv6 address`;
}

function generalName(san: SubjectAltName): Asn1 {
  const problem = sanProblem(san);
  if (problem) throw new CertificateRequestError(problem);
  return san.type === 'dns' ? implicitPrimitive(2, Buffer.from(san.value, 'ascii')) : implicitPrimitive(7, ipToBytes(san.value)!);
}
