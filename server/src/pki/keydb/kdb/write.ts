// EXPERIMENTAL native CMS key database writer: the layout gskcapicmd writes (container v6,
// HMAC-SHA384, record INTEGER = record number, flags 0x80, five-value trailer), checked only
// against our reader and the native fixtures, never yet opened by a real GSKit. Trailer values 1
// and 5 are unidentified and written as zeros (docs/keydb-format-notes.md).
// With `shape: 'keystore-explorer'` it writes the second writer's records instead (fixtures in
// shared/fixtures/kdb/second-writer): INTEGER 1, flags 06 C0 on personal records, the label
// counted and written with a terminating NUL, a two-value trailer (SHA-1 of SPKI, of the certificate).
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { bitString, explicit, integer, seq, stringOf, toDer, TAG, parseDer } from '../../../codec/asn1/der.ts';
import { decodeCertificate } from '../../../codec/x509/read.ts';
import { encryptPbes2 } from '../pbe.ts';
import {
  DEFAULT_SLOT_SIZE, HEADER_FIXED, KDB_KIND_KEYS, KDB_MAGIC, KSE_PERSONAL_FLAGS, KSE_PERSONAL_FLAGS_UNUSED_BITS, NATIVE_FLAGS_UNUSED_BITS,
  NATIVE_RECORD_FLAGS, RECORD_TYPE, kdbMac,
} from './layout.ts';

export interface KdbWriteEntry {
  label: string;
  /** DER. */
  certificate: Uint8Array;
  /** Present for a personal entry (certificate + key), absent for a trusted one. */
  privateKey?: KeyObject;
}

export interface KdbWriteOptions {
  /** PBKDF2 iterations for the private keys (gskcapicmd itself uses 5). */
  keyIterations?: number;
  /** Whose record layout to write: gskcapicmd's (default) or KeyStore Explorer's. */
  shape?: KdbWriteShape;
}

export type KdbWriteShape = 'gskcapicmd' | 'keystore-explorer';

export class KdbWriteError extends Error {}

const VERSION = 6;

export function writeKdb(entries: KdbWriteEntry[], password: string, options: KdbWriteOptions = {}): Buffer {
  const seen = new Set<string>();
  for (const e of entries) {
    if (e.label === '' || /[\0]/.test(e.label)) throw new KdbWriteError(`invalid label "${e.label}"`);
    const key = e.label.toLowerCase();
    if (seen.has(key)) throw new KdbWriteError(`label "${e.label}" is used twice (GSKit labels are unique)`);
    seen.add(key);
  }
  const shape = options.shape ?? 'gskcapicmd';
  const records = entries.map((e, i) => record(e, i + 1, password, options.keyIterations ?? 2048, shape));
  const slotSize = Math.max(DEFAULT_SLOT_SIZE, ...records.map((r) => Math.ceil(r.length / 8) * 8));

  const fixed = Buffer.alloc(HEADER_FIXED);
  KDB_MAGIC.copy(fixed, 0);
  fixed[2] = VERSION;
  fixed[3] = 0x02;
  KDB_KIND_KEYS.copy(fixed, 8);
  fixed.writeUInt32BE(slotSize, 0x10);
  fixed.writeUInt32BE(records.length, 0x14);
  randomBytes(23).copy(fixed, 0x18); // native salts end in a zero byte
  const verifier = kdbMac(VERSION, password, fixed);
  const slots = Buffer.alloc(slotSize * records.length);
  records.forEach((r, i) => r.copy(slots, i * slotSize));
  const mac = kdbMac(VERSION, password, fixed, verifier, slots);
  return Buffer.concat([fixed, verifier, mac, slots]);
}

function record(entry: KdbWriteEntry, number: number, password: string, iterations: number, shape: KdbWriteShape): Buffer {
  let cert;
  try {
    cert = decodeCertificate(entry.certificate);
  } catch (e) {
    throw new KdbWriteError(`entry "${entry.label}": not a certificate (${(e as Error).message})`);
  }
  const certNode = parseDer(cert.der);
  const body = entry.privateKey
    ? explicit(2, seq([certNode, encryptPbes2(entry.privateKey.export({ type: 'pkcs8', format: 'der' }), password, iterations, 'sha384')]))
    : explicit(1, certNode);
  const kse = shape === 'keystore-explorer';
  const flags = kse && entry.privateKey ? bitString(KSE_PERSONAL_FLAGS, KSE_PERSONAL_FLAGS_UNUSED_BITS) : bitString(NATIVE_RECORD_FLAGS, NATIVE_FLAGS_UNUSED_BITS);
  const der = toDer(seq([integer(kse ? 1 : number), body, stringOf(TAG.VISIBLE, entry.label), flags]));
  const label = Buffer.from(kse ? `${entry.label}\0` : entry.label, 'utf8');
  const sha1 = (b: Buffer) => createHash('sha1').update(b).digest();
  const hashes = kse
    ? [sha1(cert.raw.spki), sha1(cert.der)]
    : [Buffer.alloc(20), sha1(cert.raw.tbs), sha1(cert.raw.subjectName), sha1(cert.raw.spki), Buffer.alloc(20)];
  const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
  return Buffer.concat([
    u32(RECORD_TYPE), u32(number), u32(der.length), der, u32(label.length), label, u32(0),
    ...hashes.flatMap((h) => [u32(h.length), h]),
  ]);
}
