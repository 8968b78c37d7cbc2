// The real HandshakeProber over node:dns/net/tls: runs the phases, reads the
// handshake, runs every check on its own and turns the lot into a HandshakeReport.
import { X509Certificate } from 'node:crypto';
import { isIP, type Socket } from 'node:net';
import { rootCertificates, type SecureVersion } from 'node:tls';
import { alertFromErrorCode, CLIENT_AUTH_ALERTS } from './alerts.ts';
import { certFacts } from './cert-facts.ts';
import { runChecks } from './checks.ts';
import { connectTcp, elapsedMs, PhaseError, resolveHost } from './phases.ts';
import type {
  ClientAuthFacts, Failure, HandshakeProber, HandshakeReport, Outcome, ProbeOptions, ProbeTarget, TlsVersion, VersionResult,
} from './report.ts';
import { TLS_VERSIONS } from './report.ts';
import { ldapStartTls } from './starttls-ldap.ts';
import { nodeChainOf, runTlsSession, type TlsAttempt } from './tls-session.ts';
import { certificatesFromPem } from './trust.ts';
import type { NonTlsReply } from './wire.ts';

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_POST_HANDSHAKE_MS = 300;

export const NODE_VERSION: Record<TlsVersion, SecureVersion> = { '1.0': 'TLSv1', '1.1': 'TLSv1.1', '1.2': 'TLSv1.2', '1.3': 'TLSv1.3' };
const WIRE_VERSION: Record<number, string> = { 0x0301: 'TLSv1', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2', 0x0304: 'TLSv1.3' };
// OpenSSL 3 refuses TLS 1.0/1.1 at its default security level; probing them needs level 0.
export const LEGACY_CIPHERS = 'DEFAULT:@SECLEVEL=0';
// Errors raised by the local TLS library before anything reached the server.
const LOCAL_REFUSALS = new Set(['ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_SSL_UNSUPPORTED_PROTOCOL', 'ERR_SSL_NO_CIPHERS_AVAILABLE', 'ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM']);

// Parsed trust sets by PEM text, so repeated probes with the same trust skip the parsing.
const TRUST_CACHE_SIZE = 16;
const parsedTrust = new Map<string, X509Certificate[]>();
function anchorsOf(pem: string, label: string): X509Certificate[] {
  let certs = parsedTrust.get(pem);
  if (!certs) {
    certs = certificatesFromPem(pem, label);
    if (parsedTrust.size >= TRUST_CACHE_SIZE) parsedTrust.delete(parsedTrust.keys().next().value!);
    parsedTrust.set(pem, certs);
  }
  return certs;
}

let bundledRoots: X509Certificate[] | undefined;
function bundledAnchors(): X509Certificate[] {
  bundledRoots ??= rootCertificates.map((pem) => new X509Certificate(pem));
  return bundledRoots;
}

interface Resolved {
  target: ProbeTarget;
  options: ProbeOptions;
  address: string;
  servername: string | undefined;
  timeoutMs: number;
}

async function attempt(r: Resolved, version: TlsVersion | undefined, timings?: HandshakeReport['timings']): Promise<TlsAttempt> {
  let start = process.hrtime.bigint();
  const socket: Socket = await connectTcp(r.address, r.target.port, r.timeoutMs);
  if (timings) timings.connectMs = elapsedMs(start);
  if (r.options.starttls === 'ldap') {
    start = process.hrtime.bigint();
    await ldapStartTls(socket, r.timeoutMs);
    if (timings) timings.starttlsMs = elapsedMs(start);
  }
  const min = version ?? r.options.range?.min ?? '1.2';
  const max = version ?? r.options.range?.max ?? '1.3';
  const legacy = min === '1.0' || min === '1.1';
  const result = await runTlsSession(socket, {
    ...(r.servername ? { servername: r.servername } : {}),
    minVersion: NODE_VERSION[min],
    maxVersion: NODE_VERSION[max],
    ...(legacy ? { ciphers: LEGACY_CIPHERS } : {}),
    ...(r.options.clientCert ? { clientCert: r.options.clientCert } : {}),
    timeoutMs: r.timeoutMs,
    postHandshakeMs: r.options.postHandshakeMs ?? DEFAULT_POST_HANDSHAKE_MS,
  });
  if (timings && result.handshakeMs !== undefined) timings.handshakeMs = result.handshakeMs;
  return result;
}

function nonTlsMessage(reply: NonTlsReply): string {
  if (reply.kind === 'http') return `the peer answered with HTTP, not TLS ("${reply.text.split('.')[0]}"): this is a plain HTTP port`;
  if (reply.kind === 'echo') return 'the peer sent our own ClientHello back: a plain TCP (echo) service, not TLS';
  return `the peer speaks no TLS: it sent "${reply.text}" (hex ${reply.hex})`;
}

/** Why a handshake that did not complete failed, as one Failure. */
function handshakeFailure(a: TlsAttempt, timeoutMs: number): { outcome: Outcome; failure: Failure } {
  const nonTls = a.flight.nonTls;
  if (nonTls) {
    return { outcome: 'not-tls', failure: { phase: 'handshake', code: 'NOT_TLS', message: nonTlsMessage(nonTls), peerBytes: { hex: nonTls.hex, text: nonTls.text } } };
  }
  const alert = a.flight.alert ?? alertFromErrorCode(a.error?.code);
  if (alert) {
    return { outcome: 'handshake-alert', failure: { phase: 'handshake', code: 'ALERT', alert, message: `the server ended the handshake with alert ${alert.number} ${alert.name}` } };
  }
  if (a.timedOut) {
    const message = a.bytesReceived === 0
      ? `the peer accepted the TCP connection but did not answer the ClientHello within ${timeoutMs} ms`
      : `the handshake did not finish within ${timeoutMs} ms (${a.bytesReceived} bytes received)`;
    return { outcome: 'timeout', failure: { phase: 'handshake', code: 'TIMEOUT', message } };
  }
  if (a.reset) {
    return { outcome: 'reset', failure: { phase: 'handshake', code: 'ECONNRESET', message: `the peer reset the connection during the handshake (after ${a.bytesReceived} bytes)` } };
  }
  if (a.peerClosed) {
    const message = a.bytesReceived === 0 ? 'the peer closed the connection without answering the ClientHello' : `the peer closed the connection during the handshake (after ${a.bytesReceived} bytes)`;
    return { outcome: 'closed', failure: { phase: 'handshake', code: 'CLOSED', message } };
  }
  const code = a.error?.code ?? 'ERR_TLS';
  return { outcome: 'handshake-failed', failure: { phase: 'handshake', code, message: `the handshake failed: ${a.error?.message ?? 'unknown error'}` } };
}

function clientAuthOf(a: TlsAttempt, certificateSent: boolean): ClientAuthFacts {
  const requested = a.flight.certificateRequested;
  const endAlert = a.postError ? alertFromErrorCode(a.postError.code) : a.established ? undefined : (a.flight.alert ?? alertFromErrorCode(a.error?.code));
  const refused = requested !== false && (
    (endAlert !== undefined && CLIENT_AUTH_ALERTS.has(endAlert.number)) ||
    (a.established && a.postError !== undefined && endAlert === undefined && requested === true)
  );
  return {
    ...(requested !== undefined ? { requested } : {}),
    ...(refused ? { required: true } : {}),
    certificateSent: certificateSent && requested !== false,
    ...(endAlert ? { alert: endAlert } : {}),
  };
}

function versionResult(version: TlsVersion, a: TlsAttempt): VersionResult {
  if (a.established || WIRE_VERSION[a.flight.serverHello?.version ?? 0] === NODE_VERSION[version]) {
    return { version, result: 'accepted', detail: a.established ? `negotiated ${a.cipher}` : 'the server chose it in its ServerHello' };
  }
  if (a.bytesReceived === 0 && LOCAL_REFUSALS.has(a.error?.code ?? '')) {
    return { version, result: 'untestable', detail: `this machine's TLS library (OpenSSL ${process.versions.openssl}) will not offer TLS ${version}: ${a.error?.message}` };
  }
  const { failure } = handshakeFailure(a, 0);
  return { version, result: 'rejected', detail: failure.message };
}

/** The one-sentence summary of a report, from its session, failure and checks. */
export function summarize(report: HandshakeReport): string {
  const where = `${report.target.host}:${report.target.port}`;
  if (report.failure && report.chain.length === 0) return `${where}: ${report.failure.message}`;
  const failed = report.checks.filter((c) => c.status === 'fail');
  const warned = report.checks.filter((c) => c.status === 'warn');
  const how = report.session ? `${report.session.protocol} handshake with ${where} succeeded` : `handshake with ${where} did not complete (${report.failure?.message})`;
  if (failed.length === 0) {
    return `${how}; the server certificate is trusted and valid for ${report.target.expectedHostname}${warned.length ? ` (${warned.length} warning${warned.length > 1 ? 's' : ''})` : ''}`;
  }
  return `${how}, but ${failed.length} check${failed.length > 1 ? 's' : ''} failed: ${failed.map((c) => `${c.id} (${(c.codes ?? []).join(', ')})`).join(', ')}`;
}

async function probe(target: ProbeTarget, options: ProbeOptions = {}): Promise<HandshakeReport> {
  const start = process.hrtime.bigint();
  const now = options.now ?? new Date();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const given = options.trustPem;
  const labels = (given ?? []).map((_, i) => options.trustLabels?.[i] ?? `trust #${i + 1}`);
  const anchors = given ? given.flatMap((pem, i) => anchorsOf(pem, labels[i]!)) : bundledAnchors();
  const trustDescription = !given ? "Node's bundled public root CAs" : given.length > 0 ? `the trust set (${labels.join(', ')})` : 'the trust set, which is empty';
  const servername = options.servername ?? (isIP(target.host) ? undefined : target.host);
  const expectedHostname = options.expectedHostname ?? options.servername ?? target.host;
  const report: HandshakeReport = {
    schema: 'sptls.handshake/1',
    target: { host: target.host, port: target.port, ...(servername ? { servername } : {}), expectedHostname, ...(options.starttls ? { starttls: options.starttls } : {}) },
    outcome: 'handshake-failed',
    exitCode: 2,
    summary: '',
    timings: { totalMs: 0 },
    chain: [],
    trust: { source: given ? 'given' : 'bundled', labels, count: anchors.length },
    checks: [],
  };
  const finish = (): HandshakeReport => {
    report.timings.totalMs = elapsedMs(start);
    report.summary = summarize(report);
    return report;
  };

  let resolved: Resolved;
  try {
    const dnsStart = process.hrtime.bigint();
    const { address } = await resolveHost(target.host, timeoutMs);
    report.timings.dnsMs = elapsedMs(dnsStart);
    report.target.address = address;
    resolved = { target, options, address, servername, timeoutMs };
    const pinned = options.tls && options.tls !== 'all' ? options.tls : undefined;
    const a = await attempt(resolved, pinned, report.timings);
    const certs = a.flight.certificates?.map((der, i) => (i === 0 && a.peerLeaf?.raw.equals(der) ? a.peerLeaf : new X509Certificate(der)));
    const presented = certs ?? nodeChainOf(a.peerLeaf);
    if (presented.length > 0) report.chainSource = certs ? 'wire' : 'node';
    report.chain = presented.map((c) => certFacts(c, now));
    if (a.established) {
      report.session = { protocol: a.protocol!, cipher: a.cipher!, ...(a.group ? { group: a.group } : {}), ...(a.alpn ? { alpn: a.alpn } : {}) };
    } else {
      const { outcome, failure } = handshakeFailure(a, timeoutMs);
      report.outcome = outcome;
      report.failure = failure;
    }
    const clientAuth = clientAuthOf(a, options.clientCert !== undefined);
    if (a.postError && !clientAuth.required) {
      report.failure = { phase: 'post-handshake', code: a.postError.code, message: `the server ended the session after the handshake: ${a.postError.message}` };
    }
    // A refused client certificate still leaves a chain to judge (TLS 1.2 shows it in the clear).
    const judged = a.established || (clientAuth.required === true && presented.length > 0);
    if (judged) {
      report.checks = runChecks({ presented, facts: report.chain, anchors, trustDescription, expectedHostname, now, clientAuth });
      report.clientAuth = clientAuth;
      const failed = report.checks.some((c) => c.status === 'fail');
      report.outcome = failed ? 'findings' : 'trusted';
      report.exitCode = failed ? 1 : 0;
    }
    if (options.tls === 'all') {
      report.versions = [];
      for (const v of TLS_VERSIONS) report.versions.push(await probeVersion(resolved, v));
    }
  } catch (e) {
    if (!(e instanceof PhaseError)) throw e;
    report.failure = e.failure;
    report.outcome = outcomeOfPhaseError(e.failure);
  }
  return finish();
}

async function probeVersion(r: Resolved, v: TlsVersion): Promise<VersionResult> {
  try {
    return versionResult(v, await attempt(r, v));
  } catch (e) {
    if (!(e instanceof PhaseError)) throw e;
    return { version: v, result: 'untestable', detail: e.failure.message };
  }
}

function outcomeOfPhaseError(f: Failure): Outcome {
  if (f.phase === 'dns') return f.code === 'TIMEOUT' ? 'timeout' : 'dns-failure';
  if (f.code === 'TIMEOUT') return 'timeout';
  if (f.phase === 'starttls') return f.code === 'NOT_LDAP' || f.code === 'REPLY_TOO_LARGE' ? 'not-tls' : f.code === 'CLOSED' ? 'closed' : f.code === 'ECONNRESET' ? 'reset' : 'starttls-refused';
  if (f.code === 'ECONNREFUSED') return 'refused';
  if (f.code === 'ECONNRESET') return 'reset';
  return 'unreachable';
}

/** The prober that talks to real servers. */
export const nodeHandshakeProber: HandshakeProber = { probe };
