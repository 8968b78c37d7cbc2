// PKCS#12 (RFC 7292) assembly shared by the GSKit import file and the Java truststore:
// SafeBags in unencrypted `data` ContentInfos, a password MAC over the AuthenticatedSafe.
import { createHmac, randomBytes } from 'node:crypto';
import { bmp, explicit, integer, nul, octets, oid, seq, set, toDer, type Asn1 } from '../../../codec/asn1/der.ts';
import { pkcs12Kdf, pkcs12KdfWithin, type PbeBudget, type PrfHash } from '../pbe.ts';

export const P12_OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  /** ORACLE_TrustedKeyUsage: Java's PKCS12KeyStore lists a cert bag as trustedCertEntry only with it. */
  oracleTrustedKeyUsage: '2.16.840.1.113894.746875.1.1',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;

export const DIGEST_OID: Record<PrfHash, string> = {
  sha1: '1.3.14.3.2.26', sha256: '2.16.840.1.101.3.4.2.1', sha384: '2.16.840.1.101.3.4.2.2', sha512: '2.16.840.1.101.3.4.2.3',
};
const MAC_LENGTH: Record<PrfHash, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

export interface BagAttributes {
  friendlyName?: string;
  localKeyId?: Buffer;
  /** Adds the Oracle trusted-key-usage attribute = anyExtendedKeyUsage. */
  trustedForJava?: boolean;
}

function attributes(a: BagAttributes): Asn1[] {
  const out: Asn1[] = [];
  if (a.friendlyName !== undefined) out.push(seq([oid(P12_OID.friendlyName), set([bmp(a.friendlyName)])]));
  if (a.localKeyId) out.push(seq([oid(P12_OID.localKeyId), set([octets(a.localKeyId)])]));
  if (a.trustedForJava) out.push(seq([oid(P12_OID.oracleTrustedKeyUsage), set([oid(P12_OID.anyExtendedKeyUsage)])]));
  return out.length ? [set(out)] : [];
}

export function certBag(der: Uint8Array, attrs: BagAttributes): Asn1 {
  return seq([
    oid(P12_OID.certBag),
    explicit(0, seq([oid(P12_OID.x509Certificate), explicit(0, octets(der))])),
    ...attributes(attrs),
  ]);
}

export function shroudedKeyBag(encryptedPrivateKeyInfo: Asn1, attrs: BagAttributes): Asn1 {
  return seq([oid(P12_OID.shroudedKeyBag), explicit(0, encryptedPrivateKeyInfo), ...attributes(attrs)]);
}

export interface MacOptions {
  hash: PrfHash;
  iterations: number;
}

/** HMAC under the PKCS#12 KDF; a file being read passes its budget, a file being written none. */
export function pkcs12Mac(password: string, salt: Uint8Array, options: MacOptions, content: Uint8Array, budget?: PbeBudget): Buffer {
  const length = MAC_LENGTH[options.hash];
  const key = budget
    ? pkcs12KdfWithin(budget, 'the MAC', password, salt, 3, options.iterations, length, options.hash)
    : pkcs12Kdf(password, salt, 3, options.iterations, length, options.hash);
  return createHmac(options.hash, key).update(content).digest();
}

/** PFX with one unencrypted `data` ContentInfo per group of bags. */
export function assemblePfx(groups: Asn1[][], password: string, mac: MacOptions): Buffer {
  const authSafe = toDer(seq(groups.map((bags) => seq([oid(P12_OID.data), explicit(0, octets(toDer(seq(bags))))]))));
  const salt = randomBytes(8);
  const digest = pkcs12Mac(password, salt, mac, authSafe);
  return toDer(seq([
    integer(3),
    seq([oid(P12_OID.data), explicit(0, octets(authSafe))]),
    seq([seq([seq([oid(DIGEST_OID[mac.hash]), nul()]), octets(digest)]), octets(salt), integer(mac.iterations)]),
  ]));
}

