// Reads the server's side of a handshake from the raw bytes, because Node does not
// say everything: the chain in the order it was sent, whether a CertificateRequest
// came, plaintext alerts, and what a peer that is not TLS answered. TLS 1.3 hides
// these in encrypted records, which are opened with the handshake traffic secret
// Node hands out through its 'keylog' event.
import { createDecipheriv, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { alertByNumber } from './alerts.ts';
import type { TlsAlert } from './report.ts';

export interface NonTlsReply {
  kind: 'http' | 'echo' | 'other';
  hex: string;
  text: string;
}

export interface ServerFlight {
  /** Set when the first bytes from the peer are not a TLS record (or echo our ClientHello). */
  nonTls?: NonTlsReply;
  /** An alert the server sent in the clear (before encryption started). */
  alert?: TlsAlert;
  /** DER certificates in the order the server sent them. */
  certificates?: Buffer[];
  certificateRequested?: boolean;
  /**
   * True once the flight was read past the place of a CertificateRequest, so its absence is
   * known: TLS 1.2's ServerHelloDone, TLS 1.3's Certificate (a request comes before it) or,
   * without a certificate, Finished.
   */
  pastRequest: boolean;
  /** Version (0x0303, 0x0304…) and cipher suite id chosen in the ServerHello. */
  serverHello?: { version: number; suite: number };
}

const CT_CCS = 20, CT_ALERT = 21, CT_HANDSHAKE = 22, CT_APPDATA = 23;
const HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2, HS_CERTIFICATE = 11, HS_CERT_REQUEST = 13, HS_SERVER_HELLO_DONE = 14, HS_FINISHED = 20;
const EXT_SUPPORTED_VERSIONS = 43;
const TLS13 = 0x0304;

interface Tls13Suite { cipher: string; keyLen: number; hash: string }
const TLS13_SUITES: Record<number, Tls13Suite> = {
  0x1301: { cipher: 'aes-128-gcm', keyLen: 16, hash: 'sha256' },
  0x1302: { cipher: 'aes-256-gcm', keyLen: 32, hash: 'sha384' },
  0x1303: { cipher: 'chacha20-poly1305', keyLen: 32, hash: 'sha256' },
  0x1304: { cipher: 'aes-128-ccm', keyLen: 16, hash: 'sha256' },
};

function preview(bytes: Buffer): { hex: string; text: string } {
  const head = bytes.subarray(0, 32);
  return { hex: head.toString('hex'), text: head.toString('latin1').replace(/[^\x20-\x7e]/g, '.') };
}

function classifyNonTls(bytes: Buffer): NonTlsReply | undefined {
  if (bytes.length === 0) return undefined;
  const type = bytes[0]!;
  const looksLikeRecord = type >= CT_CCS && type <= 24 && (bytes.length < 2 || bytes[1] === 3);
  if (looksLikeRecord) {
    // A peer that answers our ClientHello with a ClientHello is echoing bytes back.
    if (type === CT_HANDSHAKE && bytes.length > 5 && bytes[5] === HS_CLIENT_HELLO) return { kind: 'echo', ...preview(bytes) };
    return undefined;
  }
  // HTTP/0.9-style servers answer with a bare HTML error page, without a status line.
  const kind = /^(HTTP\/\d|<!DOCTYPE html|<html)/i.test(bytes.subarray(0, 16).toString('latin1')) ? 'http' : 'other';
  return { kind, ...preview(bytes) };
}

// Keys go to node:crypto as KeyObjects: given a Buffer, every createHmac/createDecipheriv
// first probes whether it is a KeyObject or CryptoKey, which costs more than the HMAC itself.

/** HKDF-Expand-Label (RFC 8446 §7.1) for outputs of at most one hash block. */
function expandLabel(secret: KeyObject, label: string, length: number, hash: string): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'latin1');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0]), Buffer.from([1])]);
  return createHmac(hash, secret).update(info).digest().subarray(0, length);
}

function openRecord(suite: Tls13Suite, key: KeyObject, iv: Buffer, seq: number, header: Buffer, payload: Buffer): Buffer {
  const nonce = Buffer.from(iv);
  for (let i = 0; i < 8; i++) nonce[nonce.length - 1 - i]! ^= Math.floor(seq / 2 ** (8 * i)) & 0xff;
  const tag = payload.subarray(payload.length - 16);
  const body = payload.subarray(0, payload.length - 16);
  // The union of GCM/CCM/ChaCha option types is not expressible through the overloads.
  const decipher = createDecipheriv(suite.cipher as 'aes-128-gcm', key, nonce, { authTagLength: 16 });
  if (suite.cipher.endsWith('ccm')) (decipher as unknown as { setAAD(b: Buffer, o: object): void }).setAAD(header, { plaintextLength: body.length });
  else decipher.setAAD(header);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]);
}

/** Splits a byte stream of handshake messages, leaving an incomplete tail out. */
function* messages(stream: Buffer): Generator<{ type: number; body: Buffer }> {
  let off = 0;
  while (off + 4 <= stream.length) {
    const len = stream.readUIntBE(off + 1, 3);
    if (off + 4 + len > stream.length) return;
    yield { type: stream[off]!, body: stream.subarray(off + 4, off + 4 + len) };
    off += 4 + len;
  }
}

function parseCertificateList(body: Buffer, tls13: boolean): Buffer[] {
  let off = tls13 ? 1 + body[0]! : 0;
  const end = off + 3 + body.readUIntBE(off, 3);
  off += 3;
  const certs: Buffer[] = [];
  while (off + 3 <= end) {
    const len = body.readUIntBE(off, 3);
    certs.push(Buffer.from(body.subarray(off + 3, off + 3 + len)));
    off += 3 + len;
    if (tls13) off += 2 + body.readUInt16BE(off);
  }
  return certs;
}

function serverHelloFacts(body: Buffer): { version: number; suite: number } {
  let off = 2 + 32;
  off += 1 + body[off]!;
  const suite = body.readUInt16BE(off);
  off += 3;
  let version = body.readUInt16BE(0);
  if (off + 2 <= body.length) {
    const extEnd = off + 2 + body.readUInt16BE(off);
    off += 2;
    while (off + 4 <= extEnd) {
      const type = body.readUInt16BE(off), len = body.readUInt16BE(off + 2);
      if (type === EXT_SUPPORTED_VERSIONS && len === 2) version = body.readUInt16BE(off + 4);
      off += 4 + len;
    }
  }
  return { version, suite };
}

/**
 * Interprets what the server sent. `serverHandshakeSecret` is the TLS 1.3
 * SERVER_HANDSHAKE_TRAFFIC_SECRET; without it encrypted records are skipped.
 */
export function readServerFlight(bytes: Buffer, serverHandshakeSecret?: Buffer): ServerFlight {
  const flight: ServerFlight = { pastRequest: false };
  const nonTls = classifyNonTls(bytes);
  if (nonTls) return { ...flight, nonTls };
  let plain = Buffer.alloc(0);
  let decrypted = Buffer.alloc(0);
  let hello: ServerFlight['serverHello'];
  let keys: { suite: Tls13Suite; key: KeyObject; iv: Buffer } | undefined;
  let seq = 0;
  try {
    for (let off = 0; off + 5 <= bytes.length;) {
      const type = bytes[off]!, len = bytes.readUInt16BE(off + 3);
      if (off + 5 + len > bytes.length) break;
      const header = bytes.subarray(off, off + 5), payload = bytes.subarray(off + 5, off + 5 + len);
      off += 5 + len;
      if (type === CT_ALERT && !keys && len === 2 && !flight.alert) flight.alert = alertByNumber(payload[1]!);
      if (type === CT_HANDSHAKE) {
        plain = Buffer.concat([plain, payload]);
        for (const m of messages(plain)) if (m.type === HS_SERVER_HELLO) hello = serverHelloFacts(m.body);
      }
      // Records after the Certificate (CertificateVerify, Finished) say nothing the report
      // needs, so decryption stops there.
      if (type === CT_APPDATA && hello?.version === TLS13 && serverHandshakeSecret && !flight.pastRequest) {
        const suite = TLS13_SUITES[hello.suite];
        if (!suite) break;
        if (!keys) {
          const secret = createSecretKey(serverHandshakeSecret);
          keys = { suite, key: createSecretKey(expandLabel(secret, 'key', suite.keyLen, suite.hash)), iv: expandLabel(secret, 'iv', 12, suite.hash) };
        }
        const inner = openRecord(suite, keys.key, keys.iv, seq++, header, payload);
        let end = inner.length - 1;
        while (end >= 0 && inner[end] === 0) end--;
        if (inner[end] === CT_HANDSHAKE) decrypted = Buffer.concat([decrypted, inner.subarray(0, end)]);
        if (inner[end] === CT_ALERT && !flight.alert) flight.alert = alertByNumber(inner[1]!);
        for (const m of messages(decrypted)) if (m.type === HS_CERTIFICATE || m.type === HS_FINISHED) flight.pastRequest = true;
      }
    }
    const tls13 = hello?.version === TLS13;
    for (const m of messages(tls13 ? decrypted : plain)) {
      if (m.type === HS_CERTIFICATE) flight.certificates = parseCertificateList(m.body, tls13);
      if (m.type === HS_CERT_REQUEST) flight.certificateRequested = true;
      if (!tls13 && m.type === HS_SERVER_HELLO_DONE) flight.pastRequest = true;
    }
    if (flight.pastRequest) flight.certificateRequested ??= false;
  } catch {
    // Malformed or undecryptable input: keep what was read so far; the caller falls back to Node's view.
  }
  if (hello) flight.serverHello = hello;
  return flight;
}
