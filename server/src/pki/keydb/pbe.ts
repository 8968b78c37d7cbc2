// Password-based encryption of PKCS#8 keys and the PKCS#12 key derivation (RFC 7292 app. B),
// on Node's crypto. Two schemes: PBES2 (what GSKit's .kdb uses inside) and
// pbeWithSHAAnd3-KeyTripleDES-CBC (what GSKit and old IBM JREs import from PKCS#12 for sure).
import { createCipheriv, createDecipheriv, createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import {
  DerError, TAG, child, children, integer, octets, oid, parseDer, primitiveBytes, readOid, readSmallInt, seq,
  type Asn1,
} from '../../codec/asn1/der.ts';

export const PBE_OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pkcs12TripleDes: '1.2.840.113549.1.12.1.3',
  pkcs12Rc2_40: '1.2.840.113549.1.12.1.6',
} as const;

export type PrfHash = 'sha1' | 'sha256' | 'sha384' | 'sha512';
const PRF_OID: Record<PrfHash, string> = {
  sha1: '1.2.840.113549.2.7', sha256: '1.2.840.113549.2.9', sha384: '1.2.840.113549.2.10', sha512: '1.2.840.113549.2.11',
};
const PRF_OF_OID = new Map(Object.entries(PRF_OID).map(([k, v]) => [v, k as PrfHash]));
const CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};
const AES256_OID = '2.16.840.1.101.3.4.1.42';

export class PbeError extends Error {}
/** A file asks for more key-derivation work than sptls does for one file (docs/limits.md). */
export class PbeLimitError extends PbeError {}

/**
 * Iterations one key derivation of a file read may ask for: ten times what Java's keytool writes
 * (10000); OpenSSL 3 writes 2048, GSKit's .kdb keys 5. A hostile 2^31-1 would run for hours. The
 * PKCS#12 KDF is a loop of single hashes here, about 1 to 3 microseconds each.
 */
export const MAX_PBE_ITERATIONS = 100_000;
/**
 * Hash iterations (iterations x output blocks) all derivations of one file may spend together,
 * so a file of many keys cannot multiply the limit: about 500 .kdb keys at 2048 iterations.
 */
export const MAX_PBE_WORK_PER_FILE = 1_000_000;

/** The key-derivation work spent on one file; every derivation of a read is charged before it runs. */
export class PbeBudget {
  private spent = 0;

  charge(what: string, iterations: number, blocks: number): void {
    if (iterations < 1) throw new PbeError(`${what}: iteration count ${iterations} is not valid`);
    if (iterations > MAX_PBE_ITERATIONS) {
      throw new PbeLimitError(`${what} asks for ${iterations} iterations, over sptls's limit of ${MAX_PBE_ITERATIONS} (OpenSSL writes 2048, Java 10000): re-export the file with a normal iteration count`);
    }
    this.spent += iterations * blocks;
    if (this.spent > MAX_PBE_WORK_PER_FILE) {
      throw new PbeLimitError(`${what}: the file's key derivations together ask for over ${MAX_PBE_WORK_PER_FILE} hash iterations, sptls's limit per file: re-export it with a normal iteration count`);
    }
  }
}

const HASH_LENGTH: Record<PrfHash, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };
const blocksOf = (length: number, hash: PrfHash) => Math.ceil(length / HASH_LENGTH[hash]);

const BLOCK_SIZE: Record<PrfHash, number> = { sha1: 64, sha256: 64, sha384: 128, sha512: 128 };

/** RFC 7292 B.2 with the password as a NUL-terminated BMPString. `id` 1 = key, 2 = IV, 3 = MAC key. */
export function pkcs12Kdf(password: string, salt: Uint8Array, id: 1 | 2 | 3, iterations: number, length: number, hash: PrfHash = 'sha1'): Buffer {
  const v = BLOCK_SIZE[hash];
  const pw = Buffer.from(password + '\0', 'utf16le').swap16();
  const repeatTo = (src: Uint8Array, n: number) => { const out = Buffer.alloc(n); for (let i = 0; i < n; i++) out[i] = src[i % src.length]!; return out; };
  const s = salt.length ? repeatTo(salt, v * Math.ceil(salt.length / v)) : Buffer.alloc(0);
  const p = repeatTo(pw, v * Math.ceil(pw.length / v));
  const I = Buffer.concat([s, p]);
  const D = Buffer.alloc(v, id);
  const out: Buffer[] = [];
  let produced = 0;
  while (produced < length) {
    let a = createHash(hash).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) a = createHash(hash).update(a).digest();
    out.push(a);
    produced += a.length;
    const B = repeatTo(a, v);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, length);
}

/** EncryptedPrivateKeyInfo with pbeWithSHAAnd3-KeyTripleDES-CBC. */
export function encryptPkcs12TripleDes(pkcs8Der: Uint8Array, password: string, iterations: number): Asn1 {
  const salt = randomBytes(8);
  const key = pkcs12Kdf(password, salt, 1, iterations, 24);
  const iv = pkcs12Kdf(password, salt, 2, iterations, 8);
  const c = createCipheriv('des-ede3-cbc', key, iv);
  const encrypted = Buffer.concat([c.update(pkcs8Der), c.final()]);
  return seq([seq([oid(PBE_OID.pkcs12TripleDes), seq([octets(salt), integer(iterations)])]), octets(encrypted)]);
}

/**
 * EncryptedPrivateKeyInfo with PBES2 / PBKDF2-HMAC-`prf` / AES-256-CBC, encoded like gskcapicmd's
 * records: PBKDF2 params carry keyLength, the PRF AlgorithmIdentifier has no NULL parameters.
 */
export function encryptPbes2(pkcs8Der: Uint8Array, password: string, iterations: number, prf: PrfHash): Asn1 {
  const salt = randomBytes(8);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, prf);
  const c = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([c.update(pkcs8Der), c.final()]);
  const kdfParams = seq([octets(salt), integer(iterations), integer(32), ...(prf === 'sha1' ? [] : [seq([oid(PRF_OID[prf])])])]);
  const algorithm = seq([oid(PBE_OID.pbes2), seq([seq([oid(PBE_OID.pbkdf2), kdfParams]), seq([oid(AES256_OID), octets(iv)])])]);
  return seq([algorithm, octets(encrypted)]);
}

/** Short description of an encryption AlgorithmIdentifier, as `openssl pkcs12 -info` names it. */
export function describePbe(algorithm: Asn1): string {
  const id = readOid(child(algorithm, 0, 'AlgorithmIdentifier'), 'algorithm');
  if (id === PBE_OID.pkcs12TripleDes) return 'pbeWithSHA1And3-KeyTripleDES-CBC';
  if (id === PBE_OID.pkcs12Rc2_40) return 'pbeWithSHA1And40BitRC2-CBC';
  if (id !== PBE_OID.pbes2) return id;
  const p = pbes2Params(child(algorithm, 1, 'PBES2-params'));
  return `PBES2, PBKDF2, ${p.cipher.toUpperCase()}, Iteration ${p.iterations}, PRF hmacWith${p.prf.toUpperCase()}`;
}

interface Pbes2Params { salt: Buffer; iterations: number; prf: PrfHash; cipher: string; keyLength: number; iv: Buffer }

function pbes2Params(params: Asn1): Pbes2Params {
  const [kdf, enc] = children(params, 'PBES2-params');
  if (readOid(child(kdf, 0, 'keyDerivationFunc'), 'keyDerivationFunc') !== PBE_OID.pbkdf2) throw new PbeError('PBES2 without PBKDF2 is not supported');
  const kdfItems = children(child(kdf, 1, 'PBKDF2-params'), 'PBKDF2-params');
  const prfNode = kdfItems.find((n, i) => i >= 2 && n.type === TAG.SEQUENCE);
  const prf = prfNode ? PRF_OF_OID.get(readOid(child(prfNode, 0, 'prf'), 'prf')) : 'sha1';
  if (!prf) throw new PbeError('unsupported PBKDF2 PRF');
  const cipherOid = readOid(child(enc, 0, 'encryptionScheme'), 'encryptionScheme');
  const cipher = CIPHERS[cipherOid];
  if (!cipher) throw new PbeError(`unsupported PBES2 cipher ${cipherOid}`);
  return {
    salt: primitiveBytes(kdfItems[0], TAG.OCTET_STRING, 'salt'),
    iterations: readSmallInt(kdfItems[1], 'iterationCount'),
    prf, cipher: cipher.name, keyLength: cipher.keyLength,
    iv: primitiveBytes(child(enc, 1, 'iv'), TAG.OCTET_STRING, 'iv'),
  };
}

/** The PKCS#12 KDF for a file being read: charged to the file's budget first. */
export function pkcs12KdfWithin(budget: PbeBudget, what: string, password: string, salt: Uint8Array, id: 1 | 2 | 3, iterations: number, length: number, hash: PrfHash = 'sha1'): Buffer {
  budget.charge(what, iterations, blocksOf(length, hash));
  return pkcs12Kdf(password, salt, id, iterations, length, hash);
}

/**
 * Decrypts `ciphertext` under an encryption AlgorithmIdentifier. PBES2 passwords are UTF-8 (as
 * OpenSSL and GSKit use them); PKCS#12 PBE passwords are BMPString. RC2-40 is refused: OpenSSL 3
 * itself needs -legacy for it. Throws PbeError on a wrong password (bad padding) or unknown scheme,
 * PbeLimitError when the derivation would overrun `budget`.
 */
export function pbeDecrypt(algorithm: Asn1, ciphertext: Uint8Array, password: string, budget: PbeBudget): Buffer {
  const id = readOid(child(algorithm, 0, 'AlgorithmIdentifier'), 'algorithm');
  let cipher: string;
  let key: Buffer;
  let iv: Buffer;
  if (id === PBE_OID.pbes2) {
    const p = pbes2Params(child(algorithm, 1, 'PBES2-params'));
    cipher = p.cipher;
    budget.charge('PBKDF2', p.iterations, blocksOf(p.keyLength, p.prf));
    key = pbkdf2Sync(Buffer.from(password, 'utf8'), p.salt, p.iterations, p.keyLength, p.prf);
    iv = p.iv;
  } else if (id === PBE_OID.pkcs12TripleDes) {
    const params = children(child(algorithm, 1, 'pkcs-12PbeParams'), 'pkcs-12PbeParams');
    const salt = primitiveBytes(params[0], TAG.OCTET_STRING, 'salt');
    const iterations = readSmallInt(params[1], 'iterations');
    cipher = 'des-ede3-cbc';
    key = pkcs12KdfWithin(budget, 'pbeWithSHA1And3-KeyTripleDES-CBC', password, salt, 1, iterations, 24);
    iv = pkcs12KdfWithin(budget, 'pbeWithSHA1And3-KeyTripleDES-CBC', password, salt, 2, iterations, 8);
  } else if (id === PBE_OID.pkcs12Rc2_40) {
    throw new PbeError('RC2-40 encryption (OpenSSL -legacy) is not supported; re-export without -legacy');
  } else {
    throw new PbeError(`unsupported encryption algorithm ${id}`);
  }
  try {
    const d = createDecipheriv(cipher, key, iv);
    return Buffer.concat([d.update(ciphertext), d.final()]);
  } catch {
    throw new PbeError('decryption failed (wrong password?)');
  }
}

/** Splits an EncryptedPrivateKeyInfo into its algorithm and ciphertext. */
export function encryptedPrivateKeyInfo(der: Uint8Array): { algorithm: Asn1; ciphertext: Buffer } {
  const [algorithm, data] = children(parseDer(der), 'EncryptedPrivateKeyInfo');
  if (!algorithm) throw new DerError('EncryptedPrivateKeyInfo: missing algorithm');
  return { algorithm, ciphertext: primitiveBytes(data, TAG.OCTET_STRING, 'encryptedData') };
}

