// What one endpoint shows set against what the topology says, as diagnostics in the
// words of `sptls check`: anchored on the responder's declaration (what the host
// presents, offers, answers) or on the connection (whether its initiator trusts it).
import { RULES, type Diagnostic, type RuleId } from '../analysis/diagnostic.ts';
import { dnKey } from '../analysis/dn.ts';
import type { Entity, Link } from '../analysis/model.ts';
import { predatesTls13, tlsRange } from '../analysis/versions.ts';
import type { CertFacts, CheckResult, HandshakeReport, TlsVersion, VersionResult } from '../handshake/index.ts';
import type { Expectation } from '../simulate/topology-probe.ts';
import type { Endpoint } from './endpoints.ts';

export interface ScanFinding extends Diagnostic {
  /** HOST:PORT the finding is about. */
  endpoint: string;
  responder: string;
  /** "A -> B" when the finding is about one connection. */
  connection?: string;
}

export function connectionName(link: Link): string {
  return `${link.from!.name} -> ${link.to!.name}`;
}

const DAY_MS = 86_400_000;

const where = (e: Endpoint) => `${e.host}:${e.port}`;

/** Builds findings anchored in the topology text. */
export class FindingSink {
  readonly findings: ScanFinding[] = [];
  private readonly endpoint: Endpoint;
  constructor(endpoint: Endpoint) {
    this.endpoint = endpoint;
  }

  onResponder(code: RuleId, message: string): void {
    const name = this.endpoint.responder.decl.name!;
    this.push(code, name.start, name.end, message);
  }

  onConnection(code: RuleId, link: Link, message: string): void {
    const c = link.connection;
    this.push(code, c.from.start, (c.to ?? c.from).end, message, connectionName(link));
  }

  private push(code: RuleId, start: number, end: number, message: string, connection?: string): void {
    this.findings.push({
      code, severity: RULES[code], message, start, end,
      endpoint: where(this.endpoint), responder: this.endpoint.responder.name, ...(connection ? { connection } : {}),
    });
  }
}

/** The endpoint could not be asked at all (nothing listens, no TLS, time ran out): one finding on the responder. */
export function unreachable(sink: FindingSink, endpoint: Endpoint, report: HandshakeReport): void {
  const reached = endpoint.links.map(connectionName).join(', ');
  sink.onResponder('scan-unreachable', `${endpoint.responder.name} at ${where(endpoint)} cannot be scanned: ${report.failure?.message ?? report.summary} (needed by ${reached})`);
}

const check = (report: HandshakeReport, id: CheckResult['id']) => report.checks.find((c) => c.id === id);

/** What the host presents and offers, compared once per endpoint. */
export function compareEndpoint(sink: FindingSink, endpoint: Endpoint, report: HandshakeReport, expectation: Expectation, expectedChain: ExpectedCa[], now: Date): void {
  const who = endpoint.responder.name;
  if (report.versions) versions(sink, endpoint.responder, report.versions);
  const leaf = report.chain[0];
  if (!leaf) return;
  if (expectation.kind === 'certificate' && leaf.fingerprintSha256 !== expectation.facts.fingerprintSha256) {
    sink.onResponder('scan-certificate-mismatch', `${who} presents a certificate that is not the one in the topology: ${certificateDifferences(leaf, expectation)}`);
  } else if (expectation.kind === 'none') {
    sink.onResponder('scan-not-judged', `${who}'s certificate is not compared with the topology: ${expectation.reason}`);
  }
  const chainNote = chainDifferences(report.chain, expectedChain);
  if (chainNote) sink.onResponder('scan-chain-differs', `${who} sends ${chainNote}`);
  validity(sink, who, report, now);
  const hostname = check(report, 'hostname');
  if (hostname?.status === 'fail') sink.onResponder('scan-hostname-mismatch', `${who}'s certificate does not name its address ${report.target.expectedHostname}: ${hostname.reason}`);
}

function certificateDifferences(leaf: CertFacts, expectation: Extract<Expectation, { kind: 'certificate' }>): string {
  const want = expectation.facts;
  const parts = [`it presents '${leaf.subject}' issued by '${leaf.issuer}'`];
  if (dnKey(leaf.issuer) !== dnKey(want.issuer)) parts.push(`the topology's is issued by '${want.issuer}'`);
  parts.push(`SHA-256 ${leaf.fingerprintSha256}, where ${expectation.source} has ${want.fingerprintSha256}`);
  return parts.join('; ');
}

/** A CA of the topology's chain above the responder: its name and subject. */
export interface ExpectedCa {
  name: string;
  subject: string;
  root: boolean;
}

/**
 * The intermediates the host sends against the topology's chain: an intermediate left
 * out, or a certificate that is not on the chain. The root may be sent or not.
 */
export function chainDifferences(chain: CertFacts[], expected: ExpectedCa[]): string | null {
  if (chain.length === 0 || expected.length === 0) return null;
  const sent = chain.slice(1);
  const sentKeys = new Set(sent.map((c) => dnKey(c.subject)));
  const expectedKeys = new Set(expected.map((c) => dnKey(c.subject)));
  const missing = expected.filter((ca) => !ca.root && !sentKeys.has(dnKey(ca.subject)));
  const foreign = sent.filter((c) => !expectedKeys.has(dnKey(c.subject)));
  if (missing.length === 0 && foreign.length === 0) return null;
  const path = [chain[0]!.subject, ...sent.map((c) => c.subject)].map((s) => `'${s}'`).join(' ← ');
  const topology = expected.map((c) => c.name).join(' → ');
  const problems = [
    ...missing.map((ca) => `it leaves out the intermediate ${ca.name} ('${ca.subject}')`),
    ...foreign.map((c) => `'${c.subject}' is not on the topology's chain`),
  ];
  return `the chain ${path}; the topology's chain is ${topology}: ${problems.join('; ')}`;
}

function validity(sink: FindingSink, who: string, report: HandshakeReport, now: Date): void {
  const result = check(report, 'validity');
  if (!result || (result.status !== 'fail' && result.status !== 'warn')) return;
  const label = (i: number, c: CertFacts) => (i === 0 ? `${who}'s certificate` : `the chain certificate '${c.subject}' ${who} sends`);
  if (result.status === 'warn') {
    const [i, soonest] = [...report.chain.entries()].reduce((a, b) => (b[1].daysLeft < a[1].daysLeft ? b : a));
    sink.onResponder('scan-certificate-expiring', `${label(i, soonest)} expires in ${soonest.daysLeft} day(s), on ${soonest.notAfter}: renew it and install the new certificate`);
    return;
  }
  for (const [i, c] of report.chain.entries()) {
    const ended = now.getTime() - Date.parse(c.notAfter);
    if (ended > 0) sink.onResponder('scan-certificate-expired', `${label(i, c)} expired ${Math.floor(ended / DAY_MS)} day(s) ago, on ${c.notAfter}`);
    else if (Date.parse(c.notBefore) > now.getTime()) sink.onResponder('scan-certificate-expired', `${label(i, c)} is not valid before ${c.notBefore}`);
  }
}

/** The versions the host accepts against the responder's declared range (or its level's defaults). */
function versions(sink: FindingSink, responder: Entity, results: VersionResult[]): void {
  const range = tlsRange(responder);
  if (!range || range.empty) return;
  const declared = (v: 'tls-min' | 'tls-max') => responder.props.get(v)?.values[0]?.text;
  const level = responder.props.get('version')?.values[0]?.text;
  for (const r of results) {
    const v: TlsVersion = r.version;
    if (r.result === 'accepted' && v > range.max) {
      const why = declared('tls-max') ? `its tls-max is ${range.max}` : predatesTls13(responder) ? `version ${level} caps at ${range.max}` : `the topology allows at most ${range.max}`;
      sink.onResponder('scan-tls-version-accepted', `${responder.name} offers TLS ${v} although ${why}`);
    } else if (r.result === 'accepted' && v < range.min) {
      const why = declared('tls-min') ? `its tls-min is ${range.min}` : `the topology expects at least ${range.min} (the default)`;
      sink.onResponder('scan-tls-version-accepted', `${responder.name} accepts TLS ${v} although ${why}`);
    } else if (r.result === 'rejected' && v >= range.min && v <= range.max) {
      sink.onResponder('scan-tls-version-refused', `${responder.name} refuses TLS ${v} although its range ${range.min}–${range.max} includes it: ${r.detail}`);
    }
  }
}

/** Whether the initiator of `link` would trust what the host presented, judged with the initiator's own trust set. */
export function compareTrust(sink: FindingSink, link: Link, report: HandshakeReport): void {
  const from = link.from!.name;
  const to = link.to!.name;
  if (!report.session && report.chain.length === 0) {
    sink.onConnection('scan-handshake-failed', link, `${from} cannot complete a handshake with ${to}: ${report.failure?.message ?? report.summary}`);
    return;
  }
  const chain = check(report, 'chain');
  if (chain?.status === 'fail') sink.onConnection('scan-untrusted', link, `${from} would not trust the certificate ${to} presents: ${chain.reason}`);
}
