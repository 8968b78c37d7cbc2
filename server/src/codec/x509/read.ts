// Certificate facts from DER, and from the bytes of a PEM/ARM/DER file. File reading never
// throws: garbage comes back as a typed error the caller can show.
import { createHash, createPublicKey } from 'node:crypto';
import {
  derElements, oidFromTlv,
  DerError, TAG, child, children, isTag, parseDer, primitiveBytes, readBitString, readInteger, readOid, readTime,
  rawBytes, tagged, toDer, type Asn1,
} from '../asn1/der.ts';
import { dnFromAsn1, formatDn, type DistinguishedName } from './dn.ts';
import { bytesToIp } from './ip.ts';
import { describeKey, type KeyDescription } from './keys.ts';
import { DIGEST_ALGORITHMS, EXTENDED_KEY_USAGE, KEY_USAGE_BITS, OID, RSASSA_PSS_OID, SIGNATURE_ALGORITHM_INFO, type KeyUsage } from './oids.ts';
import { looksLikePem, pemDecodeAll } from './pem.ts';

export interface CertificateFacts {
  subject: DistinguishedName;
  issuer: DistinguishedName;
  /** RFC 4514 strings, most specific first ("CN=..,O=..,C=.."). */
  subjectText: string;
  issuerText: string;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  key: KeyDescription;
  sans: { dns: string[]; ip: string[] };
  /** OpenSSL's name (sha256WithRSAEncryption, ecdsa-with-SHA256) or the dotted OID. */
  signatureAlgorithm: string;
  /** The digest inside the signature: md5, sha1, sha256…; 'intrinsic' for EdDSA; 'unknown'. */
  signatureHash: string;
  /** Upper-case hex pairs joined by ':' as `openssl x509 -fingerprint -sha256` prints them. */
  fingerprintSha256: string;
  isCA: boolean;
  pathLen?: number;
  keyUsage: KeyUsage[];
  /** Names from EXTENDED_KEY_USAGE where known, else dotted OIDs. */
  extendedKeyUsage: string[];
  subjectKeyId?: Buffer;
  authorityKeyId?: Buffer;
  selfIssued: boolean;
  der: Buffer;
  /** DER of parts other code hashes or copies (issuer name for children, SPKI for key ids). */
  raw: { tbs: Buffer; subjectName: Buffer; spki: Buffer };
}

export type CertificateReadError =
  | { kind: 'empty'; message: string }
  | { kind: 'no-certificate'; message: string }
  | { kind: 'malformed'; message: string };

export type CertificateReadResult = { ok: true; certificates: CertificateFacts[] } | { ok: false; error: CertificateReadError };

const EKU_NAMES = new Map<string, string>(Object.entries(EXTENDED_KEY_USAGE).map(([k, v]) => [v, k]));

/** Throws DerError on anything that is not an X.509 certificate. */
export function decodeCertificate(der: Uint8Array): CertificateFacts {
  const bytes = Buffer.from(der);
  const root = parseDer(bytes);
  const [tbs, sigAlg, sigValue] = children(root, 'Certificate');
  if (!tbs || !sigAlg || !sigValue || !isTag(sigValue, TAG.BIT_STRING)) throw new DerError('Certificate: expected tbsCertificate, signatureAlgorithm, signatureValue');
  const fields = children(tbs, 'TBSCertificate');
  const offset = isTag(fields[0], 0, 'context') ? 1 : 0;
  const at = (i: number, what: string): Asn1 => {
    const n = fields[i + offset];
    if (!n) throw new DerError(`TBSCertificate: missing ${what}`);
    return n;
  };
  const serial = readInteger(at(0, 'serialNumber'), 'serialNumber');
  const issuerNode = at(2, 'issuer');
  const validity = children(at(3, 'validity'), 'Validity');
  const subjectNode = at(4, 'subject');
  const spkiNode = at(5, 'subjectPublicKeyInfo');
  const spki = toDer(spkiNode);
  const subject = dnFromAsn1(subjectNode);
  const issuer = dnFromAsn1(issuerNode);
  const subjectName = toDer(subjectNode);

  const facts: CertificateFacts = {
    subject, issuer, subjectText: formatDn(subject), issuerText: formatDn(issuer),
    serialHex: (serial < 0n ? -serial : serial).toString(16).toUpperCase(),
    notBefore: readTime(validity[0], 'notBefore'),
    notAfter: readTime(validity[1], 'notAfter'),
    key: keyOf(spki),
    sans: { dns: [], ip: [] },
    ...signatureOf(sigAlg),
    fingerprintSha256: createHash('sha256').update(bytes).digest('hex').toUpperCase().match(/../g)!.join(':'),
    isCA: false, keyUsage: [], extendedKeyUsage: [],
    selfIssued: subjectName.equals(toDer(issuerNode)),
    der: bytes,
    raw: { tbs: toDer(tbs), subjectName, spki },
  };
  const extWrapper = tagged(fields, 3);
  if (extWrapper) for (const ext of children(child(extWrapper, 0, 'extensions'), 'Extensions')) applyExtension(facts, ext);
  return facts;
}

export interface SignatureAlgorithm {
  oid: string;
  /** OpenSSL's name (sha256WithRSAEncryption, ecdsa-with-SHA384, ED25519…), or the OID when unknown. */
  name: string;
  /** The digest inside: md5, sha1, sha256…; 'intrinsic' for EdDSA; 'unknown'. */
  hash: string;
}

/**
 * The signature algorithm of a certificate, from the outer AlgorithmIdentifier of its DER
 * (Node's X509Certificate does not expose it). Never throws.
 */
export function signatureAlgorithmOf(der: Uint8Array): SignatureAlgorithm {
  try {
    // Read without a parse tree: the handshake tester asks this of every certificate it is sent.
    const element = derElements(der)[1];
    const oidTlv = element && derElements(element)[0];
    if (!oidTlv) return { oid: '', name: 'unreadable', hash: 'unknown' };
    const oid = oidFromTlv(oidTlv);
    const info = SIGNATURE_ALGORITHM_INFO[oid];
    if (!info) return { oid, name: oid, hash: 'unknown' };
    // Only RSASSA-PSS names its hash in the parameters; it is rare enough to parse in full.
    const hash = oid === RSASSA_PSS_OID ? pssHash(children(parseDer(element), 'AlgorithmIdentifier')[1]) : info[1];
    return { oid, name: info[0], hash };
  } catch {
    return { oid: '', name: 'unreadable', hash: 'unknown' };
  }
}

function signatureOf(sigAlg: Asn1): { signatureAlgorithm: string; signatureHash: string } {
  const o = readOid(child(sigAlg, 0, 'signatureAlgorithm'), 'signatureAlgorithm');
  const info = SIGNATURE_ALGORITHM_INFO[o];
  if (!info) return { signatureAlgorithm: o, signatureHash: 'unknown' };
  return { signatureAlgorithm: info[0], signatureHash: o === RSASSA_PSS_OID ? pssHash(children(sigAlg, 'AlgorithmIdentifier')[1]) : info[1] };
}

// RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] AlgorithmIdentifier DEFAULT sha1, … }
function pssHash(params: Asn1 | undefined): string {
  if (!params || !isTag(params, TAG.SEQUENCE)) return 'sha1';
  const hashField = tagged(children(params, 'RSASSA-PSS-params'), 0);
  if (!hashField) return 'sha1';
  return DIGEST_ALGORITHMS[readOid(child(child(hashField, 0, 'hashAlgorithm'), 0, 'hashAlgorithm'), 'hashAlgorithm')] ?? 'unknown';
}

function keyOf(spki: Buffer): KeyDescription {
  try {
    return describeKey(createPublicKey({ key: spki, format: 'der', type: 'spki' }));
  } catch {
    return { type: 'unknown' };
  }
}

function applyExtension(facts: CertificateFacts, ext: Asn1): void {
  const items = children(ext, 'Extension');
  const id = readOid(items[0], 'extnID');
  const value = parseDer(primitiveBytes(items[items.length - 1], TAG.OCTET_STRING, `extension ${id}`));
  switch (id) {
    case OID.basicConstraints: {
      const parts = children(value, 'BasicConstraints');
      const caFlag = parts.find((p) => isTag(p, TAG.BOOLEAN));
      facts.isCA = caFlag !== undefined && rawBytes(caFlag, 'cA')[0] !== 0;
      const len = parts.find((p) => isTag(p, TAG.INTEGER));
      if (len) facts.pathLen = Number(readInteger(len, 'pathLenConstraint'));
      break;
    }
    case OID.keyUsage: {
      const { bytes } = readBitString(value, 'KeyUsage');
      facts.keyUsage = (Object.entries(KEY_USAGE_BITS) as [KeyUsage, number][])
        .filter(([, bit]) => ((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0).map(([name]) => name);
      break;
    }
    case OID.extKeyUsage:
      facts.extendedKeyUsage = children(value, 'ExtKeyUsage').map((n) => { const o = readOid(n, 'KeyPurposeId'); return EKU_NAMES.get(o) ?? o; });
      break;
    case OID.subjectAltName:
      for (const name of children(value, 'GeneralNames')) {
        if (isTag(name, 2, 'context')) facts.sans.dns.push(rawBytes(name, 'dNSName').toString('latin1'));
        else if (isTag(name, 7, 'context')) facts.sans.ip.push(bytesToIp(rawBytes(name, 'iPAddress')));
      }
      break;
    case OID.subjectKeyIdentifier:
      facts.subjectKeyId = primitiveBytes(value, TAG.OCTET_STRING, 'SubjectKeyIdentifier');
      break;
    case OID.authorityKeyIdentifier: {
      const keyId = tagged(children(value, 'AuthorityKeyIdentifier'), 0);
      if (keyId) facts.authorityKeyId = rawBytes(keyId, 'keyIdentifier');
      break;
    }
  }
}

/** Every certificate in a PEM/ARM (any number of blocks) or DER file. */
export function readCertificateFile(bytes: Uint8Array): CertificateReadResult {
  if (bytes.length === 0) return { ok: false, error: { kind: 'empty', message: 'the file is empty' } };
  const ders = looksLikePem(bytes)
    ? pemDecodeAll(Buffer.from(bytes).toString('latin1')).filter((b) => /CERTIFICATE$/.test(b.label) && !/REQUEST/.test(b.label)).map((b) => b.der)
    : [Buffer.from(bytes)];
  if (ders.length === 0) return { ok: false, error: { kind: 'no-certificate', message: 'no "BEGIN CERTIFICATE" block in the PEM text' } };
  const certificates: CertificateFacts[] = [];
  for (const [i, der] of ders.entries()) {
    try {
      certificates.push(decodeCertificate(der));
    } catch (e) {
      const where = ders.length > 1 ? `certificate ${i + 1}: ` : '';
      return { ok: false, error: { kind: 'malformed', message: `${where}not an X.509 certificate (${(e as Error).message})` } };
    }
  }
  return { ok: true, certificates };
}
