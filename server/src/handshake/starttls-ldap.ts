// LDAP StartTLS (RFC 4511 §4.14): an ExtendedRequest with the StartTLS OID on the
// plain connection; after a success response the same socket carries TLS.
import type { Socket } from 'node:net';
import { phaseError } from './phases.ts';

export const STARTTLS_OID = '1.3.6.1.4.1.1466.20037';

const TAG_SEQUENCE = 0x30, TAG_INTEGER = 0x02, TAG_ENUMERATED = 0x0a, TAG_OCTETS = 0x04;
const TAG_EXTENDED_REQUEST = 0x77; // [APPLICATION 23] constructed
const TAG_EXTENDED_RESPONSE = 0x78; // [APPLICATION 24] constructed
const TAG_REQUEST_NAME = 0x80; // [0] primitive

function berLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), berLength(value.length), value]);
}

export function startTlsRequest(messageId: number): Buffer {
  const op = tlv(TAG_EXTENDED_REQUEST, tlv(TAG_REQUEST_NAME, Buffer.from(STARTTLS_OID, 'latin1')));
  return tlv(TAG_SEQUENCE, Buffer.concat([tlv(TAG_INTEGER, Buffer.from([messageId])), op]));
}

/**
 * The most an answer to StartTLS may take. An ExtendedResponse is a few dozen bytes plus the
 * server's diagnosticMessage (a sentence); a peer that announces or sends more is not an
 * LDAP server worth reading, and would otherwise make the tester hold whatever it sends.
 */
export const LDAP_REPLY_LIMIT = 64 * 1024;

interface Tlv { tag: number; value: Buffer; end: number }

/** Tag and value bounds of the TLV at `off`, read from its header alone; undefined while the header is incomplete. */
function tlvHeader(buf: Buffer, off: number): { tag: number; start: number; end: number } | undefined {
  if (off + 2 > buf.length) return undefined;
  const tag = buf[off]!;
  let len = buf[off + 1]!;
  let start = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('unsupported BER length');
    if (start + n > buf.length) return undefined;
    len = buf.readUIntBE(start, n);
    start += n;
  }
  return { tag, start, end: start + len };
}

/** One TLV at `off`, or undefined while the bytes are incomplete. */
function readTlv(buf: Buffer, off: number): Tlv | undefined {
  const h = tlvHeader(buf, off);
  if (!h || h.end > buf.length) return undefined;
  return { tag: h.tag, value: buf.subarray(h.start, h.end), end: h.end };
}

/** How many bytes the LDAP message starting `head` announces; undefined while its header is incomplete. */
function announcedLength(head: Buffer): number | undefined {
  if (head.length > 0 && head[0] !== TAG_SEQUENCE) throw new Error('not an LDAP message');
  return tlvHeader(head, 0)?.end;
}

export interface LdapResult {
  resultCode: number;
  diagnostic: string;
}

/** Parses an ExtendedResponse; undefined while incomplete, throws on anything else. */
export function parseExtendedResponse(buf: Buffer): LdapResult | undefined {
  if (buf.length > 0 && buf[0] !== TAG_SEQUENCE) throw new Error('not an LDAP message');
  const msg = readTlv(buf, 0);
  if (!msg) return undefined;
  const id = readTlv(msg.value, 0);
  const op = id && readTlv(msg.value, id.end);
  if (!id || id.tag !== TAG_INTEGER || !op) throw new Error('malformed LDAP message');
  if (op.tag !== TAG_EXTENDED_RESPONSE) throw new Error(`unexpected LDAP operation 0x${op.tag.toString(16)}`);
  const code = readTlv(op.value, 0);
  const matched = code && readTlv(op.value, code.end);
  const diag = matched && readTlv(op.value, matched.end);
  if (!code || code.tag !== TAG_ENUMERATED || matched?.tag !== TAG_OCTETS || diag?.tag !== TAG_OCTETS) throw new Error('malformed ExtendedResponse');
  return { resultCode: code.value.readUIntBE(0, code.value.length), diagnostic: diag.value.toString('utf8') };
}

const RESULT_NAMES: Record<number, string> = { 1: 'operationsError', 2: 'protocolError', 52: 'unavailable', 53: 'unwillingToPerform' };

/** Sends StartTLS and waits for the server's yes; the socket is then ready for TLS. */
export function ldapStartTls(socket: Socket, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // Chunks are kept as they come and joined once, when the announced message is complete.
    const chunks: Buffer[] = [];
    let received = 0;
    let announced: number | undefined;
    const done = (err?: Error) => {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('end', onEnd);
      socket.removeListener('error', onError);
      socket.pause();
      if (err) { socket.destroy(); reject(err); } else resolve();
    };
    const notLdap = (why: string) => {
      const head = Buffer.concat(chunks, Math.min(received, 32));
      done(phaseError('starttls', 'NOT_LDAP', `the server did not answer StartTLS like an LDAP server (${why})`, { peerBytes: { hex: head.toString('hex'), text: head.toString('latin1').replace(/[^\x20-\x7e]/g, '.') } }));
    };
    const onData = (d: Buffer) => {
      chunks.push(d);
      received += d.length;
      let res: LdapResult | undefined;
      try {
        // The header (at most 6 bytes) says how long the message is: a peer announcing more
        // than the limit is refused before its body is read.
        announced ??= announcedLength(Buffer.concat(chunks, Math.min(received, 6)));
        if (announced === undefined) return;
        if (announced > LDAP_REPLY_LIMIT) {
          done(phaseError('starttls', 'REPLY_TOO_LARGE', `the server announces a ${announced}-byte answer to StartTLS, more than the ${LDAP_REPLY_LIMIT / 1024} KiB an LDAP ExtendedResponse may take here: not an LDAP server, or a hostile one`));
          return;
        }
        if (received < announced) return;
        res = parseExtendedResponse(Buffer.concat(chunks, received));
      } catch (e) {
        notLdap((e as Error).message);
        return;
      }
      if (!res) return;
      if (res.resultCode === 0) done();
      else {
        const name = RESULT_NAMES[res.resultCode] ?? `resultCode ${res.resultCode}`;
        done(phaseError('starttls', 'STARTTLS_REFUSED', `the LDAP server refused StartTLS: ${name} (${res.resultCode})${res.diagnostic ? `: ${res.diagnostic}` : ''}`));
      }
    };
    const onEnd = () => done(phaseError('starttls', 'CLOSED', 'the server closed the connection instead of answering StartTLS'));
    const onError = (e: NodeJS.ErrnoException) => done(phaseError('starttls', e.code ?? 'ERROR', `connection failed during StartTLS: ${e.message}`));
    const timer = setTimeout(() => done(phaseError('starttls', 'TIMEOUT', `no answer to StartTLS within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', onError);
    socket.write(startTlsRequest(1));
  });
}
