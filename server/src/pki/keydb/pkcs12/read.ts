// Reads any PKCS#12 file enough to list it: verifies the MAC (which is how a wrong password
// shows), decrypts encrypted ContentInfos, and pairs key bags with certificates by localKeyId.
import { timingSafeEqual } from 'node:crypto';
import {
  DerError, TAG, child, children, fromBinary, isTag, parseDer, primitiveBytes, readOid, readSmallInt, readString, toDer,
  type Asn1,
} from '../../../codec/asn1/der.ts';
import { decodeCertificate, type CertificateFacts } from '../../../codec/x509/read.ts';
import { PbeBudget, PbeError, PbeLimitError, describePbe, pbeDecrypt, type PrfHash } from '../pbe.ts';
import { DIGEST_OID, P12_OID, pkcs12Mac } from './pfx.ts';

export interface Pkcs12Entry {
  label?: string;
  /** personal: the file has the matching key; trusted: marked for Java; certificate: neither (a chain member). */
  kind: 'personal' | 'trusted' | 'certificate';
  certificate: CertificateFacts;
}

export interface Pkcs12File {
  mac: string;
  /** How each ContentInfo and key bag is protected, `openssl pkcs12 -info` style. */
  protection: string[];
  entries: Pkcs12Entry[];
  /** Keys without a matching certificate in the file. */
  orphanKeys: number;
}

export type Pkcs12ReadError =
  | { kind: 'not-pkcs12'; message: string }
  | { kind: 'wrong-password'; message: string }
  | { kind: 'unsupported'; message: string }
  | { kind: 'corrupt'; message: string };

export type Pkcs12ReadResult = { ok: true; file: Pkcs12File } | { ok: false; error: Pkcs12ReadError };

const HASH_OF_DIGEST = new Map(Object.entries(DIGEST_OID).map(([k, v]) => [v, k as PrfHash]));

/** OCTET STRING contents, also in the constructed (BER) form some writers use. */
function octetContents(node: Asn1 | undefined, what: string): Buffer {
  if (node && Array.isArray(node.value) && node.type === TAG.OCTET_STRING) return Buffer.concat(node.value.map((n) => octetContents(n, what)));
  return primitiveBytes(node, TAG.OCTET_STRING, what);
}

/** Cheap structural test: SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data … } … }. */
export function looksLikePkcs12(bytes: Uint8Array): boolean {
  try {
    const items = children(parseDer(bytes), 'PFX');
    return readSmallInt(items[0], 'version') === 3 && readOid(child(items[1], 0, 'authSafe'), 'contentType') === P12_OID.data;
  } catch {
    return false;
  }
}

export function readPkcs12(bytes: Uint8Array, password: string): Pkcs12ReadResult {
  let pfx: Asn1[];
  try {
    pfx = children(parseDer(bytes), 'PFX');
    if (readSmallInt(pfx[0], 'version') !== 3) throw new DerError('PFX version is not 3');
  } catch (e) {
    return { ok: false, error: { kind: 'not-pkcs12', message: `not a PKCS#12 file (${(e as Error).message})` } };
  }
  try {
    const authSafeInfo = children(pfx[1], 'authSafe');
    if (readOid(authSafeInfo[0], 'contentType') !== P12_OID.data) {
      return { ok: false, error: { kind: 'unsupported', message: 'public-key protected PKCS#12 (signedData) is not supported' } };
    }
    const authSafe = octetContents(child(authSafeInfo[1], 0, 'authSafe content'), 'authSafe');
    const budget = new PbeBudget();
    const mac = checkMac(pfx[2], authSafe, password, budget);
    if (mac === false) return { ok: false, error: { kind: 'wrong-password', message: 'the password does not match the file\'s MAC' } };

    const protection: string[] = [];
    const bags: Asn1[] = [];
    for (const info of children(parseDer(authSafe), 'AuthenticatedSafe')) {
      const type = readOid(child(info, 0, 'ContentInfo'), 'contentType');
      if (type === P12_OID.data) {
        bags.push(...children(parseDer(octetContents(child(child(info, 1, 'content'), 0, 'data'), 'data')), 'SafeContents'));
      } else if (type === P12_OID.encryptedData) {
        const encInfo = children(child(child(child(info, 1, 'content'), 0, 'EncryptedData'), 1, 'EncryptedContentInfo'), 'EncryptedContentInfo');
        const algorithm = encInfo[1]!;
        protection.push(`encrypted data: ${describePbe(algorithm)}`);
        const ciphertext = octetContents(fromImplicit(encInfo[2]), 'encryptedContent');
        bags.push(...children(parseDer(pbeDecrypt(algorithm, ciphertext, password, budget)), 'SafeContents'));
      } else {
        return { ok: false, error: { kind: 'unsupported', message: `ContentInfo type ${type} is not supported` } };
      }
    }
    return { ok: true, file: { mac, protection, ...collectEntries(bags, protection) } };
  } catch (e) {
    if (e instanceof PbeError) return { ok: false, error: { kind: !(e instanceof PbeLimitError) && /wrong password/.test(e.message) ? 'wrong-password' : 'unsupported', message: e.message } };
    return { ok: false, error: { kind: 'corrupt', message: `damaged PKCS#12 structure (${(e as Error).message})` } };
  }
}

/** [0] IMPLICIT OCTET STRING → the same node read as an OCTET STRING. */
function fromImplicit(node: Asn1 | undefined): Asn1 | undefined {
  if (!node || !isTag(node, 0, 'context')) return node;
  return { ...node, tagClass: 0 as Asn1['tagClass'], type: TAG.OCTET_STRING as Asn1['type'] };
}

/** Returns a description like "sha1, Iteration 2048", "none" without MacData, or false on mismatch. */
function checkMac(macData: Asn1 | undefined, authSafe: Buffer, password: string, budget: PbeBudget): string | false {
  if (!macData) return 'none';
  const [digestInfo, saltNode, iterNode] = children(macData, 'MacData');
  const hashOid = readOid(child(child(digestInfo, 0, 'DigestInfo'), 0, 'digestAlgorithm'), 'digestAlgorithm');
  const hash = HASH_OF_DIGEST.get(hashOid);
  if (!hash) throw new PbeError(`MAC digest ${hashOid} is not supported`);
  const expected = primitiveBytes(child(digestInfo, 1, 'digest'), TAG.OCTET_STRING, 'digest');
  const iterations = iterNode ? readSmallInt(iterNode, 'iterations') : 1;
  const actual = pkcs12Mac(password, primitiveBytes(saltNode, TAG.OCTET_STRING, 'macSalt'), { hash, iterations }, authSafe, budget);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? `${hash}, Iteration ${iterations}` : false;
}

function collectEntries(bags: Asn1[], protection: string[]): { entries: Pkcs12Entry[]; orphanKeys: number } {
  const keyIds = new Set<string>();
  const certs: { facts: CertificateFacts; label?: string; keyId?: string; trusted: boolean }[] = [];
  for (const bag of bags) {
    const items = children(bag, 'SafeBag');
    const type = readOid(items[0], 'bagId');
    const attrs = bagAttributes(items[2]);
    if (type === P12_OID.shroudedKeyBag || type === P12_OID.keyBag) {
      if (type === P12_OID.shroudedKeyBag) protection.push(`shrouded key bag: ${describePbe(child(child(items[1], 0, 'bagValue'), 0, 'EncryptedPrivateKeyInfo'))}`);
      keyIds.add(attrs.localKeyId ?? '');
    } else if (type === P12_OID.certBag) {
      const certBag = child(items[1], 0, 'CertBag');
      if (readOid(child(certBag, 0, 'certId'), 'certId') !== P12_OID.x509Certificate) continue;
      const der = octetContents(child(child(certBag, 1, 'certValue'), 0, 'certValue'), 'x509Certificate');
      certs.push({ facts: decodeCertificate(der), label: attrs.friendlyName, keyId: attrs.localKeyId, trusted: attrs.trusted });
    }
  }
  // Single-key files without localKeyId pair the key with the first certificate, as OpenSSL does.
  const unkeyed = keyIds.has('') && keyIds.size === 1;
  let matched = 0;
  const entries = certs.map((c, i): Pkcs12Entry => {
    const personal = (c.keyId !== undefined && keyIds.has(c.keyId)) || (unkeyed && i === 0);
    if (personal) matched++;
    return { label: c.label, kind: personal ? 'personal' : c.trusted ? 'trusted' : 'certificate', certificate: c.facts };
  });
  return { entries, orphanKeys: Math.max(0, keyIds.size - matched) };
}

function bagAttributes(set: Asn1 | undefined): { friendlyName?: string; localKeyId?: string; trusted: boolean } {
  const out: { friendlyName?: string; localKeyId?: string; trusted: boolean } = { trusted: false };
  if (!set) return out;
  for (const attr of children(set, 'bagAttributes')) {
    const id = readOid(child(attr, 0, 'attribute'), 'attrId');
    const value = child(child(attr, 1, 'attrValues'), 0, 'attrValue');
    if (id === P12_OID.friendlyName) out.friendlyName = readString(value, 'friendlyName');
    else if (id === P12_OID.localKeyId) out.localKeyId = fromBinary(typeof value.value === 'string' ? value.value : toDer(value).toString('binary')).toString('hex');
    else if (id === P12_OID.oracleTrustedKeyUsage) out.trusted = true;
  }
  return out;
}
