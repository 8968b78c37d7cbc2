// `sptls scan`: probes every endpoint of a topology with bounded concurrency and sets
// what each presents against the topology. The CLI and the language server call
// `scanTopology`; probing goes through a HandshakeProber (the real one, or a fake).
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Analysis } from '../analysis/engine.ts';
import { dnKey } from '../analysis/dn.ts';
import type { Entity, Link } from '../analysis/model.ts';
import { DEFAULT_TIMEOUT_MS, type HandshakeProber, type HandshakeReport, type ProbeOptions } from '../handshake/index.ts';
import { expectationFor, planTopologyProbe, TopologyProbeError, type TopologyProbePlan } from '../simulate/topology-probe.ts';
import { analyzeTopology, defaultPkiDir } from '../workspace/topology.ts';
import { pkiFromDir, type RehearsalPki } from '../simulate/pki.ts';
import { planScan, type Endpoint, type SkippedConnection } from './endpoints.ts';
import { compareEndpoint, compareTrust, connectionName, FindingSink, unreachable, type ExpectedCa, type ScanFinding } from './findings.ts';

/** Endpoints probed at once unless told otherwise. */
export const DEFAULT_CONCURRENCY = 32;
export const MAX_CONCURRENCY = 256;

export interface ScanInput {
  /** The topology file: `file` certificates and the issued PKI (pki/ beside it) are found from here. */
  path: string;
  text: string;
}

export interface ScanOptions {
  prober: HandshakeProber;
  concurrency?: number;
  /** Limit of each phase of each handshake (DNS, connect, StartTLS, handshake), ms. */
  timeoutMs?: number;
  /** The issued PKI; default pki/ beside the topology. */
  pkiDir?: string;
  now?: Date;
}

export interface ScanProgress {
  done: number;
  total: number;
  /** The endpoint that just finished. */
  endpoint?: string;
}

export interface ScanHooks {
  progress?: (p: ScanProgress) => void;
  signal?: AbortSignal;
}

export type EndpointStatus = 'scanned' | 'unreachable' | 'cancelled';

export interface EndpointResult {
  host: string;
  port: number;
  responder: string;
  connections: string[];
  starttls?: 'ldap';
  status: EndpointStatus;
  /** What the first handshake showed, in one sentence. */
  summary: string;
  protocol?: string;
  /** Accepted TLS versions, when they could be probed. */
  accepted?: string[];
  leaf?: { subject: string; issuer: string; notAfter: string; fingerprintSha256: string };
  ms: number;
}

export interface ScanResult {
  schema: 'sptls.scan/1';
  analysis: Analysis;
  pki: string;
  endpoints: EndpointResult[];
  findings: ScanFinding[];
  /** Wall-clock time of the whole scan, ms. */
  ms: number;
}

export async function scanTopology(input: ScanInput, options: ScanOptions, hooks: ScanHooks = {}): Promise<ScanResult> {
  const started = process.hrtime.bigint();
  const now = options.now ?? new Date();
  const analysis = analyzeTopology(input.path, input.text, now);
  const pkiDir = options.pkiDir ?? defaultPkiDir(input.path);
  const pki = pkiFromDir(pkiDir, analysis, pkiDir);
  const plan = planScan(analysis);
  const concurrency = Math.max(1, Math.min(MAX_CONCURRENCY, options.concurrency ?? DEFAULT_CONCURRENCY));
  const results: EndpointResult[] = new Array(plan.endpoints.length);
  const findings: ScanFinding[][] = new Array(plan.endpoints.length);
  const budgetMs = endpointBudgetMs(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let next = 0;
  let done = 0;
  hooks.progress?.({ done, total: plan.endpoints.length });
  const worker = async () => {
    while (next < plan.endpoints.length) {
      const i = next++;
      const endpoint = plan.endpoints[i]!;
      let sink = new FindingSink(endpoint);
      if (hooks.signal?.aborted) results[i] = cancelled(endpoint);
      else {
        const outcome = await withinBudget(scanEndpoint(analysis, pki, endpoint, sink, { ...options, now }), budgetMs, hooks.signal);
        if (outcome === 'over-budget' || outcome === 'cancelled') {
          sink = new FindingSink(endpoint);
          if (outcome === 'over-budget') sink.onResponder('scan-unreachable', `${endpoint.responder.name} at ${endpoint.host}:${endpoint.port} did not finish its handshakes within ${budgetMs} ms`);
          results[i] = outcome === 'cancelled' ? cancelled(endpoint) : { ...base(endpoint), status: 'unreachable', summary: `no answer within ${budgetMs} ms`, ms: budgetMs };
        } else results[i] = outcome;
      }
      findings[i] = [...sink.findings];
      done++;
      hooks.progress?.({ done, total: plan.endpoints.length, endpoint: `${endpoint.host}:${endpoint.port}` });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, plan.endpoints.length) }, worker));
  return {
    schema: 'sptls.scan/1',
    analysis,
    pki: existsSync(pkiDir) ? pkiDir : `${pkiDir} (none: run sptls issue to compare issued certificates)`,
    endpoints: results,
    findings: [...findings.flat(), ...plan.skipped.map((s) => notScanned(s))].sort((a, b) => a.start - b.start || a.end - b.end),
    ms: Number((process.hrtime.bigint() - started) / 1_000_000n),
  };
}

/**
 * The most one endpoint may take: a handshake of four phases (DNS, connect, StartTLS,
 * handshake) and the version probes each bounded by the phase timeout. An endpoint
 * past it is reported and left, so a total scan takes at most
 * ceil(endpoints / concurrency) × this.
 */
export function endpointBudgetMs(timeoutMs: number): number {
  return ENDPOINT_BUDGET_PHASES * timeoutMs;
}
const ENDPOINT_BUDGET_PHASES = 6;

/** The work's result, or why it was left: the budget ran out or the scan was cancelled. */
function withinBudget<T>(work: Promise<T>, ms: number, signal: AbortSignal | undefined): Promise<T | 'over-budget' | 'cancelled'> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve('over-budget'), ms);
    const onAbort = () => resolve('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

function base(endpoint: Endpoint): Omit<EndpointResult, 'status' | 'summary' | 'ms'> {
  return {
    host: endpoint.host, port: endpoint.port, responder: endpoint.responder.name, connections: endpoint.links.map(connectionName),
    ...(endpoint.starttls ? { starttls: endpoint.starttls } : {}),
  };
}

function cancelled(endpoint: Endpoint): EndpointResult {
  return { ...base(endpoint), status: 'cancelled', summary: 'not scanned: the scan was cancelled', ms: 0 };
}

function notScanned(s: SkippedConnection): ScanFinding {
  const c = s.link.connection;
  return {
    code: 'scan-not-scanned', severity: 'information', message: `${connectionName(s.link)} is not scanned: ${s.reason}`,
    start: c.from.start, end: (c.to ?? c.from).end, endpoint: '', responder: s.link.to!.name, connection: connectionName(s.link),
  };
}

interface TrustGroup {
  options: ProbeOptions;
  links: Link[];
}

/** Initiators with the same trust set, range and name to check share one handshake. */
function trustGroups(analysis: Analysis, pki: RehearsalPki, endpoint: Endpoint, sink: FindingSink, now: Date): TrustGroup[] {
  const groups = new Map<string, TrustGroup>();
  for (const link of endpoint.links) {
    let plan: TopologyProbePlan;
    try {
      plan = planTopologyProbe(analysis, pki, link.from!.name, { host: endpoint.host, port: endpoint.port }, now);
    } catch (e) {
      if (!(e instanceof TopologyProbeError)) throw e;
      sink.onConnection('scan-not-judged', link, `whether ${link.from!.name} trusts what ${link.to!.name} presents is not judged: ${e.message}`);
      continue;
    }
    const o = plan.options;
    const key = JSON.stringify([o.trustPem, o.range, o.servername, o.expectedHostname]);
    const group = groups.get(key);
    if (group) group.links.push(link);
    else groups.set(key, { options: o, links: [link] });
  }
  return [...groups.values()];
}

async function scanEndpoint(analysis: Analysis, pki: RehearsalPki, endpoint: Endpoint, sink: FindingSink, options: ScanOptions & { now: Date }): Promise<EndpointResult> {
  const started = process.hrtime.bigint();
  const ms = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
  const target = { host: endpoint.host, port: endpoint.port };
  const common: ProbeOptions = {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, now: options.now, ...(endpoint.starttls ? { starttls: endpoint.starttls } : {}),
  };
  const groups = trustGroups(analysis, pki, endpoint, sink, options.now);
  // The first handshake is made as the first initiator (or with no trust set when none can be planned).
  const first = await options.prober.probe(target, { ...(groups[0]?.options ?? {}), ...common });
  const result: EndpointResult = { ...base(endpoint), status: 'scanned', summary: first.summary, ms: 0 };
  if (first.chain.length === 0 && !first.session && first.outcome !== 'handshake-alert') {
    unreachable(sink, endpoint, first);
    return { ...result, status: 'unreachable', ms: ms() };
  }
  // Only a host that speaks TLS is asked version by version, so a silent one costs one timeout, not five.
  const byVersion = await options.prober.probe(target, { ...common, tls: 'all' });
  const seen = first.chain.length > 0 ? first : byVersion;
  const shown: HandshakeReport = { ...seen, ...(byVersion.versions ? { versions: byVersion.versions } : {}) };
  if (shown.session) result.protocol = shown.session.protocol;
  if (shown.versions) result.accepted = shown.versions.filter((v) => v.result === 'accepted').map((v) => v.version);
  const leaf = shown.chain[0];
  if (leaf) result.leaf = { subject: leaf.subject, issuer: leaf.issuer, notAfter: leaf.notAfter, fingerprintSha256: leaf.fingerprintSha256 };
  const expectation = expectationFor(analysis, pki, endpoint.responder, `the topology places it at ${endpoint.host}:${endpoint.port}`, options.now);
  compareEndpoint(sink, endpoint, shown, expectation, expectedChain(analysis, pki, endpoint.responder), options.now);
  for (const [i, group] of groups.entries()) {
    const report = i === 0 ? first : await options.prober.probe(target, { ...group.options, ...common });
    for (const link of group.links) compareTrust(sink, link, report);
  }
  return { ...result, ms: ms() };
}

/** The CAs of the topology's chain above the responder with their subjects; empty when one cannot be known. */
function expectedChain(analysis: Analysis, pki: RehearsalPki, responder: Entity): ExpectedCa[] {
  const chain = analysis.chains.of(responder);
  if (!chain || chain.broken) return [];
  const out: ExpectedCa[] = [];
  for (const ca of chain.cas) {
    const subject = caSubject(analysis, pki, ca);
    if (subject === null) return [];
    out.push({ name: ca.name, subject, root: ca === chain.root });
  }
  return out;
}

function caSubject(analysis: Analysis, pki: RehearsalPki, ca: Entity): string | null {
  const file = analysis.chains.fileCertificate(ca);
  if (file) return new X509Certificate(file.der).subject.split('\n').join(', ');
  const issued = pki.certificate(ca.name);
  if (issued.ok) return new X509Certificate(issued.value).subject.split('\n').join(', ');
  const declared = ca.props.get('subject')?.values[0]?.text;
  return declared && dnKey(declared) ? declared : null;
}
