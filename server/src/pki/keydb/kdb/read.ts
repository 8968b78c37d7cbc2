// Reads a GSKit CMS key database: checks the password and the file MAC, then lists every record.
// Never throws: every failure is a KdbReadError naming what is wrong.
import { createHash, createPrivateKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { DerError, TAG, child, children, isTag, parseDer, readBitString, readSmallInt, readString, toDer } from '../../../codec/asn1/der.ts';
import { decodeCertificate, type CertificateFacts } from '../../../codec/x509/read.ts';
import { encryptedPrivateKeyInfo, PbeBudget, pbeDecrypt, PbeError, PbeLimitError } from '../pbe.ts';
import { HEADER_FIXED, KDB_MAGIC, MAC_OF_VERSION, KSE_TRAILER_HASH_COUNT, TRAILER_HASH_COUNT, kdbMac, type KdbVersion } from './layout.ts';

/** `native`: gskcapicmd's five values; `kse`: KeyStore Explorer's two. */
export type TrailerShape = 'native' | 'kse';

export type KdbEntryKind = 'personal' | 'trusted' | 'request' | 'secret-key';

export interface KdbEntry {
  recordNumber: number;
  label: string;
  kind: KdbEntryKind;
  certificate?: CertificateFacts;
  /** Decrypted with the database password (personal records). */
  privateKey?: KeyObject;
  /** BIT STRING flags of the record (native files: 0x80 with 7 unused bits). */
  flags: { bytes: Buffer; unusedBits: number };
  /**
   * The trailer's 20-byte values: five in gskcapicmd's files (?, TBS, subject, SPKI, ?), two in
   * KeyStore Explorer's (SPKI, certificate). `known` tells which identified ones match the certificate
   * (false where the shape has no such value).
   */
  trailer: { shape: TrailerShape; hashes: Buffer[]; known: { tbs: boolean; subject: boolean; spki: boolean; certificate: boolean } };
}

export interface KdbFile {
  version: KdbVersion;
  /** "X509KEY" for .kdb, "X509KYP" for .rdb, "X509CRL" for .crl. */
  kind: string;
  slotSize: number;
  entries: KdbEntry[];
}

export type KdbReadError =
  | { kind: 'not-kdb'; message: string }
  | { kind: 'unsupported'; message: string }
  | { kind: 'wrong-password'; message: string }
  | { kind: 'corrupt'; message: string };

export type KdbReadResult = { ok: true; kdb: KdbFile } | { ok: false; error: KdbReadError };

export function looksLikeKdb(bytes: Uint8Array): boolean {
  return bytes.length >= 16 && KDB_MAGIC.equals(bytes.subarray(0, 2)) && bytes[3] === 0x02
    && Buffer.from(bytes.subarray(8, 12)).toString('latin1') === 'X509';
}

class Corrupt extends Error {}

export function readKdb(input: Uint8Array, password: string): KdbReadResult {
  const bytes = Buffer.from(input);
  if (!looksLikeKdb(bytes)) return { ok: false, error: { kind: 'not-kdb', message: 'not a CMS key database (magic bytes 37 48 .. 02 "X509" missing)' } };
  const version = bytes[2];
  if (version !== 4 && version !== 6) return { ok: false, error: { kind: 'unsupported', message: `CMS container version ${version} is not supported (4 and 6 are)` } };
  const macLength = MAC_OF_VERSION[version].length;
  const headerLength = HEADER_FIXED + 2 * macLength;
  if (bytes.length < headerLength) return { ok: false, error: { kind: 'corrupt', message: `truncated header (${bytes.length} bytes)` } };
  const slotSize = bytes.readUInt32BE(0x10);
  const count = bytes.readUInt32BE(0x14);
  const verifier = bytes.subarray(HEADER_FIXED, HEADER_FIXED + macLength);
  if (!timingSafeEqual(verifier, kdbMac(version, password, bytes.subarray(0, HEADER_FIXED)))) {
    return { ok: false, error: { kind: 'wrong-password', message: 'the password does not open this key database' } };
  }
  const expected = headerLength + slotSize * count;
  if (bytes.length !== expected) return { ok: false, error: { kind: 'corrupt', message: `size ${bytes.length} bytes, but the header promises ${count} records of ${slotSize} bytes (${expected})` } };
  const mac = bytes.subarray(HEADER_FIXED + macLength, headerLength);
  if (!timingSafeEqual(mac, kdbMac(version, password, bytes.subarray(0, HEADER_FIXED + macLength), bytes.subarray(headerLength)))) {
    return { ok: false, error: { kind: 'corrupt', message: 'the integrity MAC does not match: the file was modified or damaged' } };
  }
  const entries: KdbEntry[] = [];
  const budget = new PbeBudget();
  for (let i = 0; i < count; i++) {
    const start = headerLength + i * slotSize;
    try {
      entries.push(readRecord(bytes.subarray(start, start + slotSize), password, budget));
    } catch (e) {
      const kind = e instanceof PbeLimitError ? 'unsupported' : 'corrupt';
      return { ok: false, error: { kind, message: `record ${i + 1}: ${(e as Error).message}` } };
    }
  }
  return { ok: true, kdb: { version, kind: bytes.subarray(8, 15).toString('latin1'), slotSize, entries } };
}

function readRecord(slot: Buffer, password: string, budget: PbeBudget): KdbEntry {
  let pos = 0;
  const u32 = (): number => {
    if (pos + 4 > slot.length) throw new Corrupt('record runs past its slot');
    const v = slot.readUInt32BE(pos);
    pos += 4;
    return v;
  };
  const chunk = (): Buffer => {
    const n = u32();
    if (pos + n > slot.length) throw new Corrupt('record field runs past its slot');
    pos += n;
    return slot.subarray(pos - n, pos);
  };
  u32(); // record type: 1 for every kind of entry
  const recordNumber = u32();
  const der = chunk();
  // gskcapicmd writes the label bare; KeyStore Explorer counts and writes a terminating NUL.
  const labelField = chunk();
  const nul = labelField.indexOf(0);
  const label = (nul < 0 ? labelField : labelField.subarray(0, nul)).toString('utf8');
  u32(); // trailer flags, 0 in both writers' files
  // Length-prefixed values follow until the zero padding of the slot (or the slot's end).
  const hashes: Buffer[] = [];
  while (hashes.length < TRAILER_HASH_COUNT && pos + 4 <= slot.length && slot.readUInt32BE(pos) !== 0) hashes.push(chunk());
  const shape = trailerShape(hashes.length);

  const items = children(parseDer(der), 'KDB record');
  const body = items[1];
  const derLabel = readString(items[2], 'record label');
  if (derLabel !== label) throw new Corrupt(`label "${label}" differs from the label inside the record ("${derLabel}")`);
  const flags = readBitString(items[3], 'record flags');
  const entry: KdbEntry = { recordNumber, label, kind: 'trusted', flags, trailer: { shape, hashes, known: { tbs: false, subject: false, spki: false, certificate: false } } };
  if (isTag(body, 1, 'context')) {
    entry.certificate = decodeCertificate(toDer(child(body, 0, 'trusted certificate')));
  } else if (isTag(body, 2, 'context')) {
    const pair = child(body, 0, 'personal record');
    entry.kind = 'personal';
    entry.certificate = decodeCertificate(toDer(child(pair, 0, 'certificate')));
    entry.privateKey = decryptKey(toDer(child(pair, 1, 'encrypted private key')), password, budget);
  } else if (isTag(body, 0, 'context')) entry.kind = 'request';
  else if (isTag(body, 3, 'context')) entry.kind = 'secret-key';
  else throw new DerError('unknown record body tag');
  if (!isTag(items[0], TAG.INTEGER)) throw new DerError('record: expected INTEGER first');
  readSmallInt(items[0], 'record INTEGER');
  if (entry.certificate) {
    const sha1 = (b: Buffer) => createHash('sha1').update(b).digest();
    const raw = entry.certificate.raw;
    entry.trailer.known = shape === 'native'
      ? { tbs: sha1(raw.tbs).equals(hashes[1]!), subject: sha1(raw.subjectName).equals(hashes[2]!), spki: sha1(raw.spki).equals(hashes[3]!), certificate: false }
      : { tbs: false, subject: false, spki: sha1(raw.spki).equals(hashes[0]!), certificate: sha1(entry.certificate.der).equals(hashes[1]!) };
  }
  return entry;
}

function trailerShape(count: number): TrailerShape {
  if (count === TRAILER_HASH_COUNT) return 'native';
  if (count === KSE_TRAILER_HASH_COUNT) return 'kse';
  throw new Corrupt(`record trailer holds ${count} values (gskcapicmd writes ${TRAILER_HASH_COUNT}, KeyStore Explorer ${KSE_TRAILER_HASH_COUNT})`);
}

function decryptKey(encrypted: Buffer, password: string, budget: PbeBudget): KeyObject {
  const { algorithm, ciphertext } = encryptedPrivateKeyInfo(encrypted);
  try {
    return createPrivateKey({ key: pbeDecrypt(algorithm, ciphertext, password, budget), format: 'der', type: 'pkcs8' });
  } catch (e) {
    if (e instanceof PbeLimitError) throw e;
    throw new Corrupt(e instanceof PbeError ? `private key: ${e.message}` : `private key is not PKCS#8 (${(e as Error).message})`);
  }
}
