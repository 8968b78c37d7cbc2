// The GSKit CMS key database container (see docs/keydb-format-notes.md):
// header | password verifier | integrity MAC | fixed-size record slots, all big-endian.
import { createHmac } from 'node:crypto';

export const KDB_MAGIC = Buffer.from([0x37, 0x48]);
export const KDB_KIND_KEYS = Buffer.from('X509KEY\0', 'latin1');
export const HEADER_FIXED = 0x30;
export const DEFAULT_SLOT_SIZE = 5000;
export const RECORD_TYPE = 1;
/** BIT STRING flags gskcapicmd writes on every record, personal or trusted. */
export const NATIVE_RECORD_FLAGS = Buffer.from([0x80]);
export const NATIVE_FLAGS_UNUSED_BITS = 7;
/** BIT STRING flags KeyStore Explorer writes on personal records (trusted ones get the native 0x80). */
export const KSE_PERSONAL_FLAGS = Buffer.from([0xc0]);
export const KSE_PERSONAL_FLAGS_UNUSED_BITS = 6;
export const TRAILER_HASH_COUNT = 5;
/** KeyStore Explorer's trailer: SHA-1(SubjectPublicKeyInfo), SHA-1(certificate). */
export const KSE_TRAILER_HASH_COUNT = 2;

export type KdbVersion = 4 | 6;
export const MAC_OF_VERSION: Record<KdbVersion, { hash: 'sha1' | 'sha384'; length: number }> = {
  4: { hash: 'sha1', length: 20 },
  6: { hash: 'sha384', length: 48 },
};

/** The MAC key is the raw password bytes; the salt is not an input. */
export function kdbMac(version: KdbVersion, password: string, ...parts: Uint8Array[]): Buffer {
  const h = createHmac(MAC_OF_VERSION[version].hash, Buffer.from(password, 'utf8'));
  for (const p of parts) h.update(p);
  return h.digest();
}
