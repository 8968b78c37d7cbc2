// GSKit stash files (.sth): the key database password, obfuscated.
// v1 (129 bytes): password ‖ NUL ‖ non-zero random padding, every byte XOR 0xF5.
// v8 (193 bytes): A(32) ‖ B(32) ‖ v1-buffer XOR keystream, B = SHA-256(01 ‖ A), keystream from SHA-256(A ‖ B).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const V1_LENGTH = 129;
const V8_LENGTH = 193;
const XOR = 0xf5;
export const MAX_STASH_PASSWORD_BYTES = 128;
/** Fixed ASCII constant of the v8 keystream derivation (from the public format description). */
const V8_CONSTANT = Buffer.from(
  '13EC6D5C885056915AB35FAD2BDDF39F40D7C57B8B4D28F66B61B75F391446FDA' +
  '96751174DBD9713D02E0B38732E763501DBBB85EC60E437929ED2AA8981B36B', 'ascii');
const FIBONACCI = Buffer.from([1, 1, 2, 3, 5, 8]);

export type StashVersion = 'v1' | 'v8';
export type StashReadResult =
  | { ok: true; version: StashVersion; password: string }
  | { ok: false; error: { kind: 'bad-length' | 'integrity'; message: string } };

const sha256 = (...parts: Uint8Array[]): Buffer => { const h = createHash('sha256'); for (const p of parts) h.update(p); return h.digest(); };
const hmac = (key: Uint8Array, data: Uint8Array): Buffer => createHmac('sha256', key).update(data).digest();

function v8Keystream(a: Buffer, b: Buffer, length: number): Buffer {
  let s = sha256(a, b);
  while (s[8] !== 0x03) s = sha256(s);
  for (let i = 0; i < 64; i++) s = sha256(s);
  const seed = hmac(s, V8_CONSTANT);
  let state = hmac(seed, FIBONACCI);
  let stream = Buffer.alloc(0);
  while (stream.length < length) {
    stream = Buffer.concat([stream, hmac(seed, state)]);
    state = Buffer.concat([stream, state]);
  }
  return stream.subarray(0, length);
}

const xorInto = (target: Buffer, mask: Uint8Array): void => { for (let i = 0; i < target.length; i++) target[i]! ^= mask[i]!; };

export function readStash(bytes: Uint8Array): StashReadResult {
  let buffer: Buffer;
  let version: StashVersion;
  if (bytes.length === V1_LENGTH) {
    buffer = Buffer.from(bytes);
    version = 'v1';
  } else if (bytes.length === V8_LENGTH) {
    const a = Buffer.from(bytes.subarray(0, 32));
    const b = Buffer.from(bytes.subarray(32, 64));
    if (!timingSafeEqual(b, sha256(Buffer.from([1]), a))) {
      return { ok: false, error: { kind: 'integrity', message: 'not a stash file: the v8 integrity check failed' } };
    }
    buffer = Buffer.from(bytes.subarray(64));
    xorInto(buffer, v8Keystream(a, b, buffer.length));
    version = 'v8';
  } else {
    return { ok: false, error: { kind: 'bad-length', message: `not a stash file: ${bytes.length} bytes (a stash has 129 or 193)` } };
  }
  for (let i = 0; i < buffer.length; i++) buffer[i]! ^= XOR;
  const end = buffer.indexOf(0);
  return { ok: true, version, password: buffer.subarray(0, end < 0 ? buffer.length : end).toString('utf8') };
}

/** The 129-byte v1 format: read by every GSKit 8 level that can write -v1stash. */
export function writeStashV1(password: string): Buffer {
  const pw = Buffer.from(password, 'utf8');
  if (pw.length > MAX_STASH_PASSWORD_BYTES) throw new RangeError(`stash passwords are limited to ${MAX_STASH_PASSWORD_BYTES} bytes`);
  if (pw.includes(0)) throw new RangeError('a stash password cannot contain NUL');
  const out = Buffer.alloc(V1_LENGTH);
  pw.copy(out);
  const padding = randomBytes(V1_LENGTH);
  for (let i = pw.length + 1; i < V1_LENGTH; i++) out[i] = padding[i] || 0x5a; // padding must stay non-zero
  for (let i = 0; i < V1_LENGTH; i++) out[i]! ^= XOR;
  return out;
}

/** The 193-byte v8 format (GSKit's current default, and what KeyStore Explorer writes): the v1 buffer under a keystream. */
export function writeStashV8(password: string): Buffer {
  const buffer = writeStashV1(password);
  const a = randomBytes(32);
  const b = sha256(Buffer.from([1]), a);
  xorInto(buffer, v8Keystream(a, b, buffer.length));
  return Buffer.concat([a, b, buffer]);
}
