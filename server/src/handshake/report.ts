// The plain-data result of one live TLS handshake test, and the interface that
// produces it. Everything here is JSON-serialisable so the CLI, the language server,
// the VS Code extension and `sptls simulate` can pass reports around unchanged.
import type { CertFacts } from './cert-facts.ts';

export type { CertFacts } from './cert-facts.ts';

/** TLS versions the tester can pin or probe, in the short form the CLI uses. */
export type TlsVersion = '1.0' | '1.1' | '1.2' | '1.3';
export const TLS_VERSIONS: readonly TlsVersion[] = ['1.0', '1.1', '1.2', '1.3'];

export interface ProbeTarget {
  host: string;
  port: number;
}

export interface ProbeOptions {
  /**
   * Trust anchors of the initiator, as PEM text (one string may hold several
   * certificates). Absent: Node's bundled public roots; empty: nothing is trusted
   * (a topology component whose `trusts` names no certificate).
   */
  trustPem?: string[];
  /** Where each trustPem entry came from (file name, topology component), for messages. */
  trustLabels?: string[];
  /** Name sent as SNI and checked against the certificate; defaults to the host. */
  servername?: string;
  /** Name or IP the certificate must match when it differs from the SNI name. */
  expectedHostname?: string;
  starttls?: 'ldap';
  /** Pin the main handshake to one version; 'all' negotiates freely and probes each version too. */
  tls?: TlsVersion | 'all';
  /** The versions the client offers when `tls` pins none (default 1.2–1.3), e.g. a topology component's range. */
  range?: { min: TlsVersion; max: TlsVersion };
  clientCert?: { certPem: string; keyPem: string };
  /** Per-phase timeout (DNS, connect, StartTLS, handshake), ms. */
  timeoutMs?: number;
  /**
   * How long to keep reading after the handshake for a TLS 1.3 client-auth alert when
   * the server asked for a certificate (or when that could not be seen), ms.
   */
  postHandshakeMs?: number;
  /** Clock for validity checks; tests pin it. */
  now?: Date;
}

/** How the attempt ended. `trusted` and `findings` mean a TLS session was established. */
export type Outcome =
  | 'trusted'
  | 'findings'
  | 'dns-failure'
  | 'refused'
  | 'unreachable'
  | 'timeout'
  | 'reset'
  | 'closed'
  | 'not-tls'
  | 'starttls-refused'
  | 'handshake-alert'
  | 'handshake-failed';

export type Phase = 'dns' | 'connect' | 'starttls' | 'handshake' | 'post-handshake';

export interface TlsAlert {
  number: number;
  name: string;
}

/** Why no usable session came about, in data and in plain words. */
export interface Failure {
  phase: Phase;
  /** Stable machine code, e.g. ECONNREFUSED, TIMEOUT, ALERT, NOT_TLS. */
  code: string;
  message: string;
  alert?: TlsAlert;
  /** The first bytes the peer sent when they were not TLS. */
  peerBytes?: { hex: string; text: string };
}

export interface SessionFacts {
  protocol: string;
  /** IANA name, e.g. TLS_AES_256_GCM_SHA384. */
  cipher: string;
  /** Key-exchange group, e.g. X25519; absent when the exchange was not ephemeral. */
  group?: string;
  alpn?: string;
}

/** `topology`: only with `--from`: is the certificate presented the one the topology issued for that responder. */
export type CheckId = 'chain' | 'hostname' | 'validity' | 'key' | 'signature' | 'client-cert' | 'topology';
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** One verdict, computed on its own: a failing chain never hides a name mismatch. */
export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  /** Plain-words reason, also given for a pass. */
  reason: string;
  /** Stable codes for the failure kinds (unknown-issuer, self-signed, expired, …). */
  codes?: string[];
}

export interface ClientAuthFacts {
  /** Whether the server sent a CertificateRequest; undefined when it could not be seen. */
  requested?: boolean;
  /** True when the server refused to go on without an (acceptable) client certificate. */
  required?: boolean;
  certificateSent: boolean;
  /** The alert that ended the session after the handshake, if any. */
  alert?: TlsAlert;
}

export interface VersionResult {
  version: TlsVersion;
  result: 'accepted' | 'rejected' | 'untestable';
  detail: string;
}

export interface Timings {
  dnsMs?: number;
  connectMs?: number;
  starttlsMs?: number;
  handshakeMs?: number;
  totalMs: number;
}

export interface HandshakeReport {
  schema: 'sptls.handshake/1';
  target: {
    host: string;
    port: number;
    address?: string;
    servername?: string;
    expectedHostname: string;
    starttls?: 'ldap';
  };
  outcome: Outcome;
  /** 0 trusted, 1 findings, 2 could not connect / no TLS session. */
  exitCode: 0 | 1 | 2;
  /** One sentence saying what happened. */
  summary: string;
  timings: Timings;
  failure?: Failure;
  session?: SessionFacts;
  /** The certificates in the order the server sent them (leaf first, normally). */
  chain: CertFacts[];
  /** 'wire': read from the handshake itself; 'node': rebuilt by Node (order may differ). */
  chainSource?: 'wire' | 'node';
  trust: { source: 'given' | 'bundled'; labels: string[]; count: number };
  checks: CheckResult[];
  clientAuth?: ClientAuthFacts;
  versions?: VersionResult[];
}

export interface HandshakeProber {
  probe(target: ProbeTarget, options?: ProbeOptions): Promise<HandshakeReport>;
}
