// `sptls handshake --from COMPONENT`: one live handshake made as a topology component
// would make it. The trust set is the component's `trusts` entries taken from the issued
// PKI, the versions offered are its TLS range, and the responder at HOST:PORT is looked
// up in the topology so the report can say whether the server presented the certificate
// the topology issued for it (the `topology` check).
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Analysis } from '../analysis/engine.ts';
import { dnKey } from '../analysis/dn.ts';
import type { Entity } from '../analysis/model.ts';
import { tlsRange } from '../analysis/versions.ts';
import { defaultPkiDir } from '../workspace/topology.ts';
import { MANIFEST_FILE } from '../pki/issue/layout.ts';
import { pkiFromDir, trustPems, type RehearsalPki } from './pki.ts';
import { trustEntries } from './plan.ts';
import { certFacts, type CertFacts } from '../handshake/cert-facts.ts';
import { addressOf, listeningPorts } from '../handshake/endpoint.ts';
import { summarize } from '../handshake/prober.ts';
import type { CheckResult, HandshakeProber, HandshakeReport, ProbeOptions, ProbeTarget } from '../handshake/report.ts';

/** Bad input for --from: the CLI exits 2 with the message. */
export class TopologyProbeError extends Error {}

export interface TopologyTarget extends ProbeTarget {
  servername?: string;
}

/** What the responder should present, or why nothing can be compared. */
export type Expectation =
  | { kind: 'certificate'; responder: string; how: string; facts: CertFacts; source: string }
  | { kind: 'none'; reason: string };

export interface TopologyProbePlan {
  initiator: string;
  /** The identified responder, if any. */
  responder?: string;
  /** Trust set, version range and the name to check, as the initiator would use them. */
  options: ProbeOptions;
  expectation: Expectation;
}

/** The PKI `sptls issue` wrote for the topology: `pkiDir`, else pki/ beside it. `label` names the topology in messages. */
export function issuedPki(topologyPath: string, analysis: Analysis, pkiDir?: string, label = topologyPath): RehearsalPki {
  const dir = pkiDir ?? defaultPkiDir(topologyPath);
  if (!existsSync(join(dir, MANIFEST_FILE))) {
    throw new TopologyProbeError(`no issued PKI in ${dir} (no ${MANIFEST_FILE}): run sptls issue ${label}${pkiDir ? ` --out ${pkiDir}` : ''} first`);
  }
  return pkiFromDir(dir, analysis, pkiDir ?? defaultPkiDir(label));
}

export function planTopologyProbe(analysis: Analysis, pki: RehearsalPki, from: string, target: TopologyTarget, now = new Date()): TopologyProbePlan {
  const initiator = analysis.model.byName.get(from);
  const components = analysis.model.entities.filter((e) => e.isFirst && e.kind !== 'ca').map((e) => e.name);
  if (!initiator) throw new TopologyProbeError(`the topology declares no component ${from} (components: ${components.join(', ') || 'none'})`);
  if (initiator.kind === 'ca') throw new TopologyProbeError(`${from} is a ca; --from takes the component that starts the connection (one of ${components.join(', ')})`);
  // A component whose `trusts` names no certificate trusts nothing: its handshakes are judged
  // against an empty trust set, as `check` judges them (not against Node's public roots).
  const entries = trustEntries(analysis, initiator);
  const trust = trustPems(entries, pki, from);
  if (!trust.ok) throw new TopologyProbeError(trust.reason);

  const options: ProbeOptions = { trustPem: trust.value.map((t) => t.pem), trustLabels: trust.value.map((t) => t.name) };
  const range = tlsRange(initiator);
  if (range && !range.empty) options.range = { min: range.min, max: range.max };
  const found = identifyResponder(analysis, initiator, target);
  if (!found) {
    const hint = target.servername ? '' : ', or pass --servername with the responder\'s address';
    return {
      initiator: from, options,
      expectation: { kind: 'none', reason: `the topology names no responder at ${target.host}:${target.port} (no component has that address and port, and no connection from ${from} goes to ${target.host}); give the responder an 'address' and 'port'${hint}` },
    };
  }
  // The initiator reaches the responder by its address: send that as SNI and check it, unless told otherwise.
  const address = addressOf(found.entity);
  if (!target.servername && address && address.toLowerCase() !== target.host.toLowerCase()) {
    if (isIP(address)) options.expectedHostname = address;
    else options.servername = address;
  }
  return { initiator: from, responder: found.entity.name, options, expectation: expectationFor(analysis, pki, found.entity, found.how, now) };
}

interface Found {
  entity: Entity;
  how: string;
}

function identifyResponder(analysis: Analysis, from: Entity, target: TopologyTarget): Found | null {
  const host = target.host.toLowerCase();
  const reached = new Set(analysis.model.links.filter((l) => l.from === from && l.tls && l.to).map((l) => l.to!));
  // Where several match, a responder of one of the initiator's own connections wins.
  const pick = (list: Entity[]) => list.find((e) => reached.has(e)) ?? list[0];
  const responders = analysis.model.entities.filter((e) => e.isFirst && e.kind !== 'ca' && e !== from);
  const at = (e: Entity, name: string) => addressOf(e)?.toLowerCase() === name.toLowerCase();

  const byEndpoint = pick(responders.filter((e) => at(e, host) && listeningPorts(e).includes(target.port)));
  if (byEndpoint) return { entity: byEndpoint, how: `its address ${addressOf(byEndpoint)} and port ${target.port} match` };
  if (target.servername) {
    const name = target.servername;
    const byName = pick(responders.filter((e) => at(e, name)))
      ?? pick(responders.filter((e) => e.certificate?.sans.some((v) => v.text.toLowerCase() === name.toLowerCase())));
    if (byName) return { entity: byName, how: at(byName, name) ? `--servername ${name} is its address` : `--servername ${name} is a SAN of its certificate` };
  }
  const link = analysis.model.links.find((l) => l.from === from && l.tls && l.to && at(l.to, host));
  if (link) return { entity: link.to!, how: `the connection ${from.name} -> ${link.to!.name} (line ${analysis.lines.lineOf(link.connection.from.start) + 1}) goes to ${addressOf(link.to!)}` };
  return null;
}

/** What the responder should present: its `file` certificate, else the one issued for it. */
export function expectationFor(analysis: Analysis, pki: RehearsalPki, e: Entity, how: string, now: Date): Expectation {
  const cert = e.certificate;
  if (!cert) return { kind: 'none', reason: `${e.name} (${how}) has no certificate in the topology, so nothing is expected of it` };
  if (cert.mode === 'file') {
    const info = analysis.chains.fileCertificate(e);
    if (!info) return { kind: 'none', reason: `${e.name}'s certificate file "${cert.file?.text ?? ''}" cannot be read` };
    return { kind: 'certificate', responder: e.name, how, facts: certFacts(new X509Certificate(info.der), now), source: `its certificate file "${cert.file?.text ?? ''}"` };
  }
  const pem = pki.certificate(e.name);
  if (!pem.ok) return { kind: 'none', reason: pem.reason };
  return { kind: 'certificate', responder: e.name, how, facts: certFacts(new X509Certificate(pem.value), now), source: `the certificate issued for it in ${pki.description}` };
}

const sanList = (sans: string[]) => (sans.length ? sans.join(', ') : '(none)');

/** Whether the leaf the server presented is the one the topology expects of that responder. */
export function topologyCheck(report: HandshakeReport, expectation: Expectation): CheckResult {
  if (expectation.kind === 'none') return { id: 'topology', status: 'skip', reason: expectation.reason };
  const leaf = report.chain[0];
  const want = expectation.facts;
  const who = `${expectation.responder} (${expectation.how})`;
  if (!leaf) return { id: 'topology', status: 'skip', reason: `the server presented no certificate to compare with ${expectation.source}` };
  if (leaf.fingerprintSha256 === want.fingerprintSha256) {
    return { id: 'topology', status: 'pass', reason: `the server is ${who} and presented ${expectation.source} (SHA-256 ${want.fingerprintSha256.slice(0, 23)}…)` };
  }
  const differences: string[] = [];
  const codes = ['unexpected-certificate'];
  if (dnKey(leaf.issuer) !== dnKey(want.issuer)) {
    differences.push(`its issuer is '${leaf.issuer}', the topology expects '${want.issuer}'`);
    codes.push('issuer-differs');
  }
  if ([...leaf.sans].sort().join('\n').toLowerCase() !== [...want.sans].sort().join('\n').toLowerCase()) {
    differences.push(`its SANs are ${sanList(leaf.sans)}, the topology expects ${sanList(want.sans)}`);
    codes.push('sans-differ');
  }
  differences.push(`its SHA-256 fingerprint is ${leaf.fingerprintSha256}, ${expectation.source} has ${want.fingerprintSha256}`);
  return {
    id: 'topology', status: 'fail', codes,
    reason: `the server at ${report.target.host}:${report.target.port} should be ${who}, but it presented another certificate: ${differences.join('; ')}. Install the issued certificate on ${expectation.responder}, or check that HOST:PORT is the right server`,
  };
}

/** The report with the topology check added; a failing check turns a trusted report into findings. */
export function withTopologyCheck(report: HandshakeReport, expectation: Expectation): HandshakeReport {
  const check = topologyCheck(report, expectation);
  const out: HandshakeReport = { ...report, checks: [...report.checks, check] };
  if (check.status === 'fail' && report.outcome === 'trusted') Object.assign(out, { outcome: 'findings', exitCode: 1 });
  out.summary = summarize(out);
  return out;
}

/** Plans, probes and checks in one call (the CLI and the editor command share it). */
export async function probeFromTopology(prober: HandshakeProber, target: TopologyTarget, plan: TopologyProbePlan, extra: ProbeOptions = {}): Promise<HandshakeReport> {
  const options: ProbeOptions = { ...plan.options, ...extra };
  if (target.servername) options.servername = target.servername;
  const report = await prober.probe({ host: target.host, port: target.port }, options);
  return withTopologyCheck(report, plan.expectation);
}
