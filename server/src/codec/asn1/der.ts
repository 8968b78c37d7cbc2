// DER building and reading on top of node-forge's ASN.1 objects, with Buffers at the edges.
// forge works on "binary strings" (one char per byte); everything outside this file uses Buffers.
import forge from 'node-forge';

export type Asn1 = forge.asn1.Asn1;

const { asn1 } = forge;
const UNIVERSAL = asn1.Class.UNIVERSAL;
const CONTEXT = asn1.Class.CONTEXT_SPECIFIC;
export const TAG = {
  BOOLEAN: 1, INTEGER: 2, BIT_STRING: 3, OCTET_STRING: 4, NULL: 5, OID: 6, UTF8: 12,
  SEQUENCE: 16, SET: 17, PRINTABLE: 19, T61: 20, IA5: 22, UTC_TIME: 23, GENERALIZED_TIME: 24,
  VISIBLE: 26, UNIVERSAL_STRING: 28, BMP: 30,
} as const;

/** Thrown by the readers below; callers at a module boundary turn it into a typed result. */
export class DerError extends Error {}

const toBinary = (bytes: Uint8Array): string => Buffer.from(bytes).toString('binary');
export const fromBinary = (s: string): Buffer => Buffer.from(s, 'binary');

// ---- building ----

export const seq = (items: Asn1[]): Asn1 => asn1.create(UNIVERSAL, TAG.SEQUENCE, true, items);
export const set = (items: Asn1[]): Asn1 => asn1.create(UNIVERSAL, TAG.SET, true, items);
export const oid = (dotted: string): Asn1 => asn1.create(UNIVERSAL, TAG.OID, false, asn1.oidToDer(dotted).getBytes());
export const nul = (): Asn1 => asn1.create(UNIVERSAL, TAG.NULL, false, '');
export const bool = (b: boolean): Asn1 => asn1.create(UNIVERSAL, TAG.BOOLEAN, false, b ? '\xff' : '\x00');
export const octets = (bytes: Uint8Array): Asn1 => asn1.create(UNIVERSAL, TAG.OCTET_STRING, false, toBinary(bytes));
export const bitString = (bytes: Uint8Array, unusedBits = 0): Asn1 =>
  asn1.create(UNIVERSAL, TAG.BIT_STRING, false, String.fromCharCode(unusedBits) + toBinary(bytes));
export const stringOf = (tag: number, text: string): Asn1 =>
  asn1.create(UNIVERSAL, tag, false, tag === TAG.UTF8 ? forge.util.encodeUtf8(text) : text);
/** forge encodes BMPSTRING values to UTF-16BE itself: pass the plain JS string. */
export const bmp = (text: string): Asn1 => asn1.create(UNIVERSAL, TAG.BMP, false, text);
export const explicit = (tag: number, inner: Asn1): Asn1 => asn1.create(CONTEXT, tag, true, [inner]);
export const implicitPrimitive = (tag: number, bytes: Uint8Array): Asn1 => asn1.create(CONTEXT, tag, false, toBinary(bytes));

/** INTEGER from a non-negative bigint or unsigned big-endian bytes, minimally encoded. */
export function integer(value: bigint | number | Uint8Array): Asn1 {
  let bytes: Buffer;
  if (value instanceof Uint8Array) bytes = Buffer.from(value);
  else {
    let hex = BigInt(value).toString(16);
    if (hex.length % 2) hex = '0' + hex;
    bytes = Buffer.from(hex, 'hex');
  }
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  bytes = bytes.subarray(start);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return asn1.create(UNIVERSAL, TAG.INTEGER, false, toBinary(bytes));
}

/** UTCTime up to 2049, GeneralizedTime from 2050 on (RFC 5280 4.1.2.5). */
export function time(date: Date): Asn1 {
  const whole = new Date(Math.floor(date.getTime() / 1000) * 1000);
  return whole.getUTCFullYear() < 2050
    ? asn1.create(UNIVERSAL, TAG.UTC_TIME, false, asn1.dateToUtcTime(whole))
    : asn1.create(UNIVERSAL, TAG.GENERALIZED_TIME, false, asn1.dateToGeneralizedTime(whole));
}

export const toDer = (node: Asn1): Buffer => fromBinary(asn1.toDer(node).getBytes());

// ---- reading ----

/** Parses exactly one DER value covering all of `bytes`. */
export function parseDer(bytes: Uint8Array): Asn1 {
  try {
    // decodeBitStrings:false keeps BIT STRING contents as bytes instead of guessing at nested ASN.1.
    const opts = { strict: true, parseAllBytes: true, decodeBitStrings: false } as unknown as boolean;
    return asn1.fromDer(toBinary(bytes), opts);
  } catch (e) {
    throw new DerError(`malformed DER: ${(e as Error).message}`);
  }
}

/**
 * The raw elements (tag, length and contents each) of the constructed DER value that
 * fills `bytes`, without parsing them: reading one field of a certificate this way
 * costs a few header reads instead of a parse of the whole tree.
 */
export function derElements(bytes: Uint8Array): Uint8Array[] {
  const outer = header(bytes, 0, 'value');
  if ((bytes[0]! & 0x20) === 0) throw new DerError('expected a constructed value');
  if (outer.end !== bytes.length) throw new DerError('malformed DER: bytes after the value');
  const out: Uint8Array[] = [];
  for (let off = outer.contentStart; off < outer.end;) {
    const el = header(bytes, off, `element ${out.length}`);
    if (el.end > outer.end) throw new DerError(`malformed DER: element ${out.length} runs past its container`);
    out.push(bytes.subarray(off, el.end));
    off = el.end;
  }
  return out;
}

/** The dotted form of an OBJECT IDENTIFIER given as its whole TLV (from derElements), without a parse tree. */
export function oidFromTlv(tlv: Uint8Array): string {
  if (tlv[0] !== TAG.OID) throw new DerError('expected an OBJECT IDENTIFIER');
  const { contentStart, end } = header(tlv, 0, 'OBJECT IDENTIFIER');
  if (end !== tlv.length || contentStart === end) throw new DerError('malformed OBJECT IDENTIFIER');
  // forge reads a last arc whose final byte still says "more follows" as if it ended there.
  if (tlv[end - 1]! & 0x80) throw new DerError('OBJECT IDENTIFIER cut short');
  return oidFromContent(tlv.subarray(contentStart, end));
}

/** Where the contents of the DER value at `off` start and where the value ends. */
function header(bytes: Uint8Array, off: number, what: string): { contentStart: number; end: number } {
  if ((bytes[off]! & 0x1f) === 0x1f) throw new DerError(`${what}: multi-byte tags are not read here`);
  let p = off + 2;
  let length = bytes[off + 1];
  if (length === undefined) throw new DerError(`malformed DER: ${what} is cut short`);
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4) throw new DerError(`malformed DER: ${what} has an unsupported length form`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[p + i]!;
    p += n;
  }
  if (p + length > bytes.length) throw new DerError(`malformed DER: ${what} is cut short`);
  return { contentStart: p, end: p + length };
}

export function isTag(node: Asn1 | undefined, tag: number, tagClass: 'universal' | 'context' = 'universal'): boolean {
  return node !== undefined && node.type === tag && node.tagClass === (tagClass === 'universal' ? UNIVERSAL : CONTEXT);
}

export function children(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new DerError(`${what}: expected a constructed value`);
  return node.value;
}

export function child(node: Asn1 | undefined, index: number, what: string): Asn1 {
  const c = children(node, what)[index];
  if (!c) throw new DerError(`${what}: missing element ${index}`);
  return c;
}

/** Context-specific tagged child [tag] of a SEQUENCE, if present. */
export function tagged(items: Asn1[], tag: number): Asn1 | undefined {
  return items.find((n) => n.tagClass === CONTEXT && n.type === tag);
}

export function primitiveBytes(node: Asn1 | undefined, tag: number, what: string): Buffer {
  if (!node || node.tagClass !== UNIVERSAL || node.type !== tag || typeof node.value !== 'string') {
    throw new DerError(`${what}: expected universal tag ${tag}`);
  }
  return fromBinary(node.value);
}

export function rawBytes(node: Asn1 | undefined, what: string): Buffer {
  if (!node || typeof node.value !== 'string') throw new DerError(`${what}: expected a primitive value`);
  return fromBinary(node.value);
}

export const readOid = (node: Asn1 | undefined, what: string): string =>
  oidFromContent(primitiveBytes(node, TAG.OID, what));

const oidFromContent = (bytes: Uint8Array): string => asn1.derToOid(toBinary(bytes));

export function readInteger(node: Asn1 | undefined, what: string): bigint {
  const b = primitiveBytes(node, TAG.INTEGER, what);
  if (b.length === 0) throw new DerError(`${what}: empty INTEGER`);
  const v = BigInt('0x' + b.toString('hex'));
  return b[0]! & 0x80 ? v - (1n << BigInt(b.length * 8)) : v;
}

export function readSmallInt(node: Asn1 | undefined, what: string): number {
  const v = readInteger(node, what);
  if (v < 0n || v > 0x7fffffffn) throw new DerError(`${what}: integer out of range`);
  return Number(v);
}

/** BIT STRING contents without the unused-bits byte. */
export function readBitString(node: Asn1 | undefined, what: string): { bytes: Buffer; unusedBits: number } {
  const b = primitiveBytes(node, TAG.BIT_STRING, what);
  if (b.length === 0) throw new DerError(`${what}: empty BIT STRING`);
  return { unusedBits: b[0]!, bytes: b.subarray(1) };
}

export function readString(node: Asn1 | undefined, what: string): string {
  if (!node || node.tagClass !== UNIVERSAL || typeof node.value !== 'string') throw new DerError(`${what}: expected a string`);
  // forge's parser has already decoded BMPString values into JS strings.
  if (node.type === TAG.BMP) return node.value;
  const raw = fromBinary(node.value);
  switch (node.type as number) {
    case TAG.UTF8: return raw.toString('utf8');
    case TAG.UNIVERSAL_STRING: return String.fromCodePoint(...Array.from({ length: raw.length >> 2 }, (_, i) => raw.readUInt32BE(i * 4)));
    default: return raw.toString('latin1');
  }
}

export function readTime(node: Asn1 | undefined, what: string): Date {
  if (!node || typeof node.value !== 'string') throw new DerError(`${what}: expected a time`);
  let d: Date;
  if (isTag(node, TAG.UTC_TIME)) d = asn1.utcTimeToDate(node.value);
  else if (isTag(node, TAG.GENERALIZED_TIME)) d = asn1.generalizedTimeToDate(node.value);
  else throw new DerError(`${what}: expected UTCTime or GeneralizedTime`);
  if (Number.isNaN(d.getTime())) throw new DerError(`${what}: invalid time`);
  return d;
}
