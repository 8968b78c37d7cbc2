// One TLS handshake over an already connected socket. The bytes from the server
// pass through a small stream that keeps a copy, so the handshake can be read
// afterwards (wire.ts); the session is never used for application data.
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect, createSecureContext, type SecureContext, type SecureVersion } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import { readServerFlight, type ServerFlight } from './wire.ts';
import { elapsedMs } from './phases.ts';

export interface TlsSessionOptions {
  servername?: string;
  minVersion: SecureVersion;
  maxVersion: SecureVersion;
  /** OpenSSL cipher string; TLS 1.0/1.1 need '@SECLEVEL=0' on current OpenSSL. */
  ciphers?: string;
  clientCert?: { certPem: string; keyPem: string };
  timeoutMs: number;
  postHandshakeMs: number;
}

export interface NodeError {
  code: string;
  message: string;
}

export interface TlsAttempt {
  established: boolean;
  handshakeMs?: number;
  protocol?: string;
  cipher?: string;
  group?: string;
  alpn?: string;
  /**
   * The leaf as OpenSSL parsed it: the wire's copy need not be parsed again, and when the
   * wire could not be read, Node's view of the chain starts here (nodeChainOf).
   */
  peerLeaf?: X509Certificate;
  flight: ServerFlight;
  /** Why the handshake did not complete. */
  error?: NodeError;
  /** What ended the session within the post-handshake window. */
  postError?: NodeError;
  timedOut: boolean;
  /** TCP RST from the peer. */
  reset: boolean;
  /** Orderly close (FIN) from the peer before the handshake finished. */
  peerClosed: boolean;
  bytesReceived: number;
}

const CAPTURE_LIMIT = 256 * 1024;

// The key-exchange groups Spectrum Protect's own TLS stacks offer (GSKit and the JREs of
// the Operations Center and Reporting), so the group reported is the one a real initiator
// gets. Node's OpenSSL would also offer the X25519MLKEM768 hybrid, which none of them
// speaks, and generating its key share made every probe ~0.1 ms slower.
const SP_CLIENT_GROUPS = 'X25519:P-256:P-384:P-521';

// Building a SecureContext costs about as much as a loopback handshake; probes
// with the same settings (version sweeps, `simulate`, benchmarks) share one.
const CONTEXT_CACHE_SIZE = 16;
const contexts = new Map<string, SecureContext>();
function contextFor(opts: TlsSessionOptions): SecureContext {
  const key = JSON.stringify([opts.minVersion, opts.maxVersion, opts.ciphers ?? '', opts.clientCert?.certPem ?? '', opts.clientCert?.keyPem ?? '']);
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = createSecureContext({
      ecdhCurve: SP_CLIENT_GROUPS,
      minVersion: opts.minVersion,
      maxVersion: opts.maxVersion,
      ...(opts.ciphers ? { ciphers: opts.ciphers } : {}),
      ...(opts.clientCert ? { cert: opts.clientCert.certPem, key: opts.clientCert.keyPem } : {}),
    });
    if (contexts.size >= CONTEXT_CACHE_SIZE) contexts.delete(contexts.keys().next().value!);
    contexts.set(key, ctx);
  }
  return ctx;
}

/** A pass-through over the TCP socket that records what the server sends. */
function sniffing(raw: Socket, onEnd: (reset: boolean) => void): { stream: Duplex; received: () => Buffer } {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = new Duplex({
    read() { raw.resume(); },
    write(chunk: Buffer, _enc, cb) { raw.write(chunk, cb); },
    final(cb) { raw.end(); cb(); },
    destroy(err, cb) { raw.destroy(); cb(err); },
  });
  raw.on('data', (d: Buffer) => {
    if (size < CAPTURE_LIMIT) { chunks.push(d); size += d.length; }
    if (!stream.push(d)) raw.pause();
  });
  raw.on('end', () => { onEnd(false); stream.push(null); });
  raw.on('error', (e: NodeJS.ErrnoException) => { onEnd(e.code === 'ECONNRESET' || e.code === 'EPIPE'); stream.destroy(); });
  return { stream, received: () => Buffer.concat(chunks) };
}

function nodeError(e: unknown): NodeError {
  const err = e as NodeJS.ErrnoException;
  return { code: err.code ?? 'ERR_TLS', message: err.message };
}

/** Node's view of the peer chain: rebuilt in issuer order, so not necessarily as sent. */
export function nodeChainOf(leaf: X509Certificate | undefined): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let cert = leaf;
  while (cert && !chain.some((c) => c.fingerprint256 === cert!.fingerprint256)) {
    chain.push(cert);
    cert = cert.issuerCertificate;
  }
  return chain;
}

export function runTlsSession(raw: Socket, opts: TlsSessionOptions): Promise<TlsAttempt> {
  return new Promise((resolve) => {
    let reset = false, peerClosed = false, timedOut = false, settled = false;
    let serverSecret: Buffer | undefined;
    const { stream, received } = sniffing(raw, (wasReset) => { if (wasReset) reset = true; else peerClosed = true; });
    const start = process.hrtime.bigint();
    const tls = tlsConnect({
      socket: stream,
      ...(opts.servername ? { servername: opts.servername } : {}),
      secureContext: contextFor(opts),
      rejectUnauthorized: false,
    });
    tls.on('keylog', (line: Buffer) => {
      const [label, , secret] = line.toString('latin1').trim().split(' ');
      if (label === 'SERVER_HANDSHAKE_TRAFFIC_SECRET' && secret) serverSecret = Buffer.from(secret, 'hex');
    });
    const attempt = (): TlsAttempt => {
      const bytes = received();
      return { established: false, flight: readServerFlight(bytes, serverSecret), timedOut, reset, peerClosed, bytesReceived: bytes.length };
    };
    const finish = (result: TlsAttempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      tls.destroy();
      raw.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => { timedOut = true; finish({ ...attempt(), error: { code: 'TIMEOUT', message: `no TLS handshake within ${opts.timeoutMs} ms` } }); }, opts.timeoutMs);
    tls.once('error', (e) => finish({ ...attempt(), error: nodeError(e) }));
    tls.once('close', () => finish({ ...attempt(), error: { code: 'ECONNRESET', message: 'connection closed during the handshake' } }));
    tls.once('secureConnect', () => {
      const handshakeMs = elapsedMs(start);
      clearTimeout(timer);
      const cipher = tls.getCipher();
      const eph = tls.getEphemeralKeyInfo();
      const seen = attempt();
      const leaf = tls.getPeerX509Certificate();
      const base: TlsAttempt = {
        ...seen,
        established: true,
        handshakeMs,
        protocol: tls.getProtocol() ?? 'unknown',
        cipher: cipher.standardName ?? cipher.name,
        ...(eph && 'name' in eph && eph.name ? { group: eph.name } : eph && 'type' in eph && eph.type ? { group: eph.type } : {}),
        ...(tls.alpnProtocol ? { alpn: tls.alpnProtocol } : {}),
        ...(leaf ? { peerLeaf: leaf } : {}),
      };
      // Only TLS 1.3 can refuse the client after secureConnect. When the decrypted
      // handshake shows no CertificateRequest there is nothing to wait for.
      if (base.protocol !== 'TLSv1.3' || base.flight.certificateRequested === false) { finish(base); return; }
      tls.removeAllListeners('error');
      tls.removeAllListeners('close');
      const window = setTimeout(() => finish(base), opts.postHandshakeMs);
      const end = (postError?: NodeError) => { clearTimeout(window); finish(postError ? { ...base, postError } : base); };
      // A NewSessionTicket is sent only after the server accepted our Finished (and certificate).
      tls.once('session', () => end());
      tls.once('data', () => end());
      tls.once('error', (e) => end(nodeError(e)));
      tls.once('close', () => end({ code: 'ECONNRESET', message: 'the server closed the connection right after the handshake' }));
    });
  });
}
