// Runs a rehearsal plan on loopback: one node:tls listener per responder (its issued
// key and chain, its TLS range), one handshake per connection through a HandshakeProber
// with the initiator's trust set and range, and the observed verdict set against the
// predicted one. Every listener is closed before rehearse() returns, whatever happened.
import type { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { LEGACY_CIPHERS, NODE_VERSION } from '../handshake/prober.ts';
import type { HandshakeProber, HandshakeReport } from '../handshake/report.ts';
import type { PlanRow, Rehearsal, VersionRange } from './plan.ts';
import { certificatesFromPem } from '../handshake/trust.ts';
import { trustPems, type RehearsalPki } from './pki.ts';
import type { JavaClient, JavaHandshake } from './java/jsse-client.ts';
import { checkChain } from '../handshake/chain.ts';

export type ObservedVerdict = 'trusted' | 'untrusted' | 'no-common-version' | 'failed';

export interface Observed {
  verdict: ObservedVerdict;
  /** Negotiated protocol, e.g. TLSv1.3. */
  version?: string;
  reason: string;
}

export interface ResultRow extends PlanRow {
  /** Whose TLS made the handshake: Node's (every row), or Java's (a second row for a Java initiator with --java). */
  client: 'node' | 'java';
  observed?: Observed;
  /** Set on every rehearsed row. */
  agree?: boolean;
  /** What differs, when they disagree. */
  disagreement?: string;
}

export interface RehearseOptions {
  prober: HandshakeProber;
  timeoutMs?: number;
  now?: Date;
  /** Also rehearse the connections of Java initiators from Java. */
  java?: JavaClient;
}

const VERSION_CODES = /UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE|WRONG_VERSION|VERSION_TOO_(LOW|HIGH)/;

interface Listener {
  server: Server;
  port: number;
  sockets: Set<Socket>;
  /** What the listener presents: leaf first, then its chain. */
  served: X509Certificate[];
}

export async function rehearse(rows: PlanRow[], pki: RehearsalPki, options: RehearseOptions): Promise<ResultRow[]> {
  const listeners = new Map<string, Listener | string>();
  try {
    const out: ResultRow[] = [];
    for (const row of rows) {
      if (!row.rehearsal) { out.push({ ...row, client: 'node' }); continue; }
      out.push(await rehearseRow(row, row.rehearsal, pki, listeners, options));
      if (options.java && row.rehearsal.java) out.push(await rehearseFromJava(row, row.rehearsal, pki, listeners, options.java, options.timeoutMs ?? 5000));
    }
    return out;
  } finally {
    await Promise.all([...listeners.values()].map((l) => (typeof l === 'string' ? undefined : closeListener(l))));
  }
}

async function listenerFor(r: Rehearsal, pki: RehearsalPki, listeners: Map<string, Listener | string>): Promise<Listener | string> {
  let listener = listeners.get(r.responder);
  if (listener === undefined) {
    listener = await listen(r.responder, r.responderRange, pki);
    listeners.set(r.responder, listener);
  }
  return listener;
}

async function rehearseRow(row: PlanRow, r: Rehearsal, pki: RehearsalPki, listeners: Map<string, Listener | string>, options: RehearseOptions): Promise<ResultRow> {
  const listener = await listenerFor(r, pki, listeners);
  if (typeof listener === 'string') return { ...row, client: 'node', rehearsal: null, skip: listener };
  const trust = trustPems(r.trust, pki, r.initiator);
  if (!trust.ok) return { ...row, client: 'node', rehearsal: null, skip: trust.reason };
  const trustPem = trust.value.map((t) => t.pem);
  const report = await options.prober.probe({ host: '127.0.0.1', port: listener.port }, {
    trustPem,
    trustLabels: r.trust.map((t) => t.name),
    range: r.initiatorRange,
    timeoutMs: options.timeoutMs ?? 5000,
    ...(options.now ? { now: options.now } : {}),
  });
  return judged({ ...row, client: 'node' }, r, observe(report, r));
}

/** The same connection from the Java client, with the initiator's trust as a PKCS#12 truststore. */
async function rehearseFromJava(row: PlanRow, r: Rehearsal, pki: RehearsalPki, listeners: Map<string, Listener | string>, java: JavaClient, timeoutMs: number): Promise<ResultRow> {
  const base: ResultRow = { ...row, client: 'java', note: `rehearsed with ${java.description}${r.trust.length ? ` and a PKCS#12 truststore of ${r.trust.map((t) => t.name).join(', ')}` : ", trusting the JDK's cacerts"}` };
  const listener = await listenerFor(r, pki, listeners);
  if (typeof listener === 'string') return { ...base, rehearsal: null, skip: listener };
  const trust = trustPems(r.trust, pki, r.initiator);
  if (!trust.ok) return { ...base, rehearsal: null, skip: trust.reason };
  const shown = await java.handshake({ host: '127.0.0.1', port: listener.port }, trust.value, r.initiatorRange, timeoutMs);
  return judged(base, r, observeJava(shown, r, listener.served, trust.value.flatMap((t) => certificatesFromPem(t.pem, `trust of ${r.initiator}: ${t.name}`))));
}

function judged(row: ResultRow, r: Rehearsal, observed: Observed): ResultRow {
  const disagreement = compare(row, r, observed);
  return { ...row, observed, agree: disagreement === null, ...(disagreement ? { disagreement } : {}) };
}

const JAVA_VERSION_REFUSAL = /protocol_version|No appropriate protocol|protocol is disabled|Unsupported protocol/i;

/**
 * What the Java handshake showed. JSSE's PKIX accepts a path that ends at any trust
 * anchor, a trusted intermediate included; that is its verdict, and the reason says
 * where GSKit would differ (the tester's chain check is GSKit's rule).
 */
export function observeJava(h: JavaHandshake, r: Rehearsal, served: X509Certificate[], anchors: X509Certificate[]): Observed {
  if (h.protocol) {
    const version = h.protocol;
    if (!h.trust) return { verdict: 'failed', version, reason: 'the Java client did not report the trust manager\'s verdict' };
    if (!h.trust.ok) return { verdict: 'untrusted', version, reason: `JSSE (PKIX): ${h.trust.reason}` };
    const presented = h.peers.map((f) => served.find((c) => c.fingerprint256 === f));
    const gskit = presented.length > 0 && presented.every((c) => c !== undefined) ? checkChain(presented as X509Certificate[], anchors, 'the trust set') : null;
    return { verdict: 'trusted', version, reason: gskit?.status === 'fail' ? `JSSE (PKIX) accepts the chain, but ${gskit.reason}` : 'JSSE (PKIX) accepts the chain' };
  }
  const error = h.error ?? 'no result';
  if (JAVA_VERSION_REFUSAL.test(error)) {
    return { verdict: 'no-common-version', reason: `${error} (${r.initiator} offers TLS ${r.initiatorRange.min}–${r.initiatorRange.max}, ${r.responder} accepts ${r.responderRange.min}–${r.responderRange.max})` };
  }
  return { verdict: 'failed', reason: error };
}

/**
 * What the handshake showed, judged on the chain and the version only (the rules check no
 * host names per connection). The tester's chain check is GSKit's: a root must end the path.
 */
export function observe(report: HandshakeReport, r: Rehearsal): Observed {
  if (report.session) {
    const chain = report.checks.find((c) => c.id === 'chain');
    const version = report.session.protocol;
    if (chain && (chain.status === 'pass' || chain.status === 'warn')) return { verdict: 'trusted', version, reason: chain.reason };
    return { verdict: 'untrusted', version, reason: chain?.reason ?? 'the chain was not judged' };
  }
  const f = report.failure;
  if (f && (f.alert?.number === 70 || VERSION_CODES.test(f.code) || VERSION_CODES.test(f.message))) {
    return { verdict: 'no-common-version', reason: `${f.message} (${r.initiator} offers TLS ${r.initiatorRange.min}–${r.initiatorRange.max}, ${r.responder} accepts ${r.responderRange.min}–${r.responderRange.max})` };
  }
  return { verdict: 'failed', reason: f?.message ?? report.summary };
}

function compare(row: PlanRow, r: Rehearsal, o: Observed): string | null {
  if (row.predicted !== o.verdict) return `the rules predict ${row.predicted}, the handshake showed ${o.verdict}`;
  if (o.version !== undefined && r.expectedVersion && o.version !== NODE_VERSION[r.expectedVersion]) {
    return `the ranges should settle on TLS ${r.expectedVersion}, the handshake negotiated ${o.version}`;
  }
  return null;
}

/** A TLS listener on 127.0.0.1 for one responder, or why there can be none. */
async function listen(name: string, range: VersionRange, pki: RehearsalPki): Promise<Listener | string> {
  const id = pki.identity(name);
  if (!id.ok) return id.reason;
  const legacy = range.min === '1.0' || range.min === '1.1';
  let server: Server;
  try {
    server = createServer({
      key: id.value.keyPem,
      cert: id.value.certPem + id.value.chainPem,
      minVersion: NODE_VERSION[range.min],
      maxVersion: NODE_VERSION[range.max],
      ...(legacy ? { ciphers: LEGACY_CIPHERS } : {}),
    });
  } catch (e) {
    return `cannot serve ${name}'s certificate and key: ${(e as Error).message}`;
  }
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  // A refused handshake is what some rehearsals are about; the prober reports it.
  server.on('tlsClientError', () => {});
  const served = certificatesFromPem(id.value.certPem + id.value.chainPem, `${name}'s issued certificate`);
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  return { server, port, sockets, served };
}

function closeListener(l: Listener): Promise<void> {
  for (const s of l.sockets) s.destroy();
  return new Promise((resolve) => l.server.close(() => resolve()));
}
