// The diagram model: what the topology diagram draws, computed from an Analysis and
// independent of any layout or output format. Nodes are the first declarations (plus
// placeholders for names no declaration gives), connection edges run initiator →
// responder with a verdict class, and chain edges (component → issuing CA) form a
// separate layer. Every node and edge keeps its source span and its findings.
import type { Entity, Link } from '../analysis/model.ts';
import type { Analysis } from '../analysis/engine.ts';
import { FindingIndex, toFinding, type Finding } from './findings.ts';
import { KIND_PRESENTATION, VERDICT_RANK, type NodeKind, type Verdict } from './kinds.ts';
import { connectionVerdict, PRESENTED_CERTIFICATE_FAILURES } from './verdict.ts';

export interface DiagramNode {
  /** A declared name, `group:<first member>` or `?<undeclared name>`. */
  id: string;
  kind: NodeKind;
  label: string;
  caption: string;
  /** Extra CSS classes: hub, spoke, self-signed, has-error, has-warning, has-syntax-error. */
  classes: string[];
  /** The declaration (for a group: its first member's; for a placeholder: the first reference). */
  start: number;
  end: number;
  findings: Finding[];
  /** Facts for the hover text: address, certificate, trusts. */
  details: string[];
  /** The clients a group node stands for; empty otherwise. */
  members: string[];
}

export interface ConnectionEdge {
  id: string;
  from: string;
  to: string;
  verdict: Verdict;
  tls: boolean;
  /** Purpose, `plain`, and `×N` for a group's edge. */
  label: string;
  /** `A → B (TLS)` in words, for hover text. */
  description: string;
  findings: Finding[];
  start: number;
  end: number;
  /** Connections this edge stands for (several when clients are grouped). */
  count: number;
}

export interface ChainEdge {
  id: string;
  /** The component or CA whose certificate is signed. */
  from: string;
  /** The issuing CA. */
  to: string;
  /** The `signed-by` name or `file` value that says so. */
  start: number;
  end: number;
}

export interface ClientGroup {
  id: string;
  members: string[];
  collapsed: boolean;
}

export interface DiagramModel {
  nodes: DiagramNode[];
  connections: ConnectionEdge[];
  chains: ChainEdge[];
  /** Every group of similar clients at or above the threshold, collapsed or expanded. */
  groups: ClientGroup[];
  syntaxErrors: Finding[];
}

export interface DiagramOptions {
  /** Clients with the same connection targets and trust list collapse from this many on; 0 never. */
  collapseAt?: number;
  /** Groups to draw client by client: a group id or any of its members' names. */
  expand?: readonly string[];
}

export const DEFAULT_COLLAPSE_AT = 5;

interface RawEdge {
  link: Link;
  from: string;
  to: string;
  verdict: Verdict;
  findings: Finding[];
}

export function buildDiagram(analysis: Analysis, options: DiagramOptions = {}): DiagramModel {
  const index = new FindingIndex(analysis.diagnostics);
  const entities = analysis.model.entities.filter((e) => e.isFirst);
  const nodes = new Map<string, DiagramNode>();
  for (const e of entities) nodes.set(e.name, entityNode(e, index));

  const raw: RawEdge[] = [];
  for (const link of analysis.model.links) {
    const c = link.connection;
    if (!c.to) continue; // recovery kept `A ->` without a responder: nothing to draw
    const from = link.from?.name ?? placeholder(nodes, c.from);
    const to = link.to?.name ?? placeholder(nodes, c.to);
    const findings = index.within(c);
    if (link.status === 'checked' && link.tls && link.to && !link.to.certificate) {
      findings.push(...nodes.get(to)!.findings.filter((f) => f.rule === 'missing-certificate'));
    } else if (link.status === 'checked' && link.tls && link.to) {
      // The edge's colour is the full verdict: a certificate that fails where it is declared
      // (expired, not issued by its CA) fails this session too.
      for (const holder of [link.to, ...(analysis.chains.of(link.to)?.cas ?? [])]) {
        findings.push(...(nodes.get(holder.name)?.findings ?? []).filter((f) => PRESENTED_CERTIFICATE_FAILURES.has(f.rule)));
      }
    }
    raw.push({ link, from, to, verdict: connectionVerdict(link, findings, analysis.chains), findings });
  }

  const groups = clientGroups(entities, raw, options);
  const nodeOf = new Map<string, string>();
  const collapsed = groups.filter((g) => g.collapsed);
  for (const g of collapsed) for (const m of g.members) nodeOf.set(m, g.id);
  collapseGroups(nodes, collapsed, nodeOf);
  const at = (id: string) => nodeOf.get(id) ?? id;

  const connections = mergeEdges(raw, at, nodes);
  const chains = chainEdges(entities, analysis, at);
  const syntaxErrors = analysis.diagnostics.filter((d) => d.code === 'syntax').map(toFinding);
  for (const n of nodes.values()) markFindings(n);
  return { nodes: [...nodes.values()], connections, chains, groups, syntaxErrors };
}

function entityNode(e: Entity, index: FindingIndex): DiagramNode {
  const classes: string[] = [];
  let caption = KIND_PRESENTATION[e.kind].caption;
  if (e.props.has('hub')) { classes.push('hub'); caption += ' · hub'; }
  const spokeOf = e.props.get('spoke-of')?.values[0];
  if (spokeOf) { classes.push('spoke'); caption += ` · spoke of ${spokeOf.text}`; }
  if (e.certificate?.mode === 'self-signed') classes.push('self-signed');
  const details: string[] = [];
  const address = e.props.get('address')?.values[0];
  if (address) details.push(`address ${address.text}`);
  const cert = e.certificate;
  if (cert) details.push(`certificate ${cert.mode}${cert.issuer ? ` ${cert.issuer.text}` : ''}${cert.file ? ` "${cert.file.text}"` : ''}`);
  if (e.trusts.length) details.push(`trusts ${e.trusts.map((v) => v.text).join(', ')}`);
  return { id: e.name, kind: e.kind, label: e.name, caption, classes, start: e.decl.start, end: e.decl.end, findings: index.within(e.decl), details, members: [] };
}

function placeholder(nodes: Map<string, DiagramNode>, ref: { text: string; start: number; end: number }): string {
  const id = `?${ref.text}`;
  if (!nodes.has(id)) {
    nodes.set(id, { id, kind: 'unknown', label: ref.text, caption: 'not declared', classes: [], start: ref.start, end: ref.end, findings: [], details: [], members: [] });
  }
  return id;
}

/** Clients alike in where they connect (and how) and what they trust. */
function clientGroups(entities: Entity[], raw: RawEdge[], options: DiagramOptions): ClientGroup[] {
  const threshold = options.collapseAt ?? DEFAULT_COLLAPSE_AT;
  if (threshold <= 0) return [];
  const targets = new Map<string, Set<string>>();
  for (const e of raw) {
    let set = targets.get(e.from);
    if (!set) targets.set(e.from, (set = new Set()));
    set.add(`${e.to}${e.link.tls ? '' : ' plain'}`);
  }
  const byKey = new Map<string, string[]>();
  for (const e of entities) {
    if (e.kind !== 'client') continue;
    const key = `${[...(targets.get(e.name) ?? [])].sort().join(',')}|${[...new Set(e.trusts.map((v) => v.text))].sort().join(',')}`;
    const members = byKey.get(key);
    if (members) members.push(e.name);
    else byKey.set(key, [e.name]);
  }
  const expand = new Set(options.expand ?? []);
  const groups: ClientGroup[] = [];
  for (const members of byKey.values()) {
    if (members.length < threshold) continue;
    const id = `group:${members[0]}`;
    groups.push({ id, members, collapsed: !expand.has(id) && !members.some((m) => expand.has(m)) });
  }
  return groups;
}

/** Replaces each group's members by one group node where its first member stood. */
function collapseGroups(nodes: Map<string, DiagramNode>, groups: ClientGroup[], nodeOf: Map<string, string>): void {
  const groupNodes = new Map<string, DiagramNode>();
  for (const g of groups) {
    const memberNodes = g.members.map((m) => nodes.get(m)!);
    const first = memberNodes[0]!;
    groupNodes.set(first.id, {
      id: g.id, kind: 'group', label: `${g.members.length} clients`, caption: `${first.id} … ${g.members[g.members.length - 1]}`,
      classes: [], start: first.start, end: first.end,
      findings: memberNodes.flatMap((n) => n.findings),
      details: [...first.details.filter((d) => d.startsWith('trusts')), `members: ${g.members.join(', ')}`],
      members: g.members,
    });
  }
  // Rebuilding the map keeps declaration order.
  const entries = [...nodes.entries()];
  nodes.clear();
  for (const [id, n] of entries) {
    const groupNode = groupNodes.get(id);
    if (groupNode) nodes.set(groupNode.id, groupNode);
    else if (!nodeOf.has(id)) nodes.set(id, n);
  }
}

/** One edge per connection, except a group's connections to one target, which merge. */
function mergeEdges(raw: RawEdge[], at: (id: string) => string, nodes: Map<string, DiagramNode>): ConnectionEdge[] {
  const out: ConnectionEdge[] = [];
  const merged = new Map<string, ConnectionEdge>();
  for (const r of raw) {
    const from = at(r.from);
    const to = at(r.to);
    const c = r.link.connection;
    const grouped = from !== r.from || to !== r.to;
    const key = `${from}\u0000${to}\u0000${r.link.tls}`;
    const existing = grouped ? merged.get(key) : undefined;
    if (existing) {
      existing.count++;
      existing.findings.push(...r.findings);
      if (VERDICT_RANK[r.verdict] > VERDICT_RANK[existing.verdict]) existing.verdict = r.verdict;
      existing.label = edgeLabel(r.link, existing.count);
      continue;
    }
    const edge: ConnectionEdge = {
      id: `c${r.link.index}`, from, to, verdict: r.verdict, tls: r.link.tls, label: edgeLabel(r.link, 1),
      description: `${nodes.get(from)!.label} → ${nodes.get(to)!.label} (${r.link.tls ? 'TLS' : 'plain'}${r.link.scenario ? `: ${r.link.scenario.scenario}` : ''})`,
      findings: [...r.findings], start: c.start, end: c.end, count: 1,
    };
    if (grouped) merged.set(key, edge);
    out.push(edge);
  }
  return out;
}

function edgeLabel(link: Link, count: number): string {
  const parts: string[] = [];
  const purpose = link.props.get('purpose')?.values[0];
  if (purpose) parts.push(purpose.text);
  if (!link.tls) parts.push('plain');
  if (count > 1) parts.push(`×${count}`);
  return parts.join(' · ');
}

function chainEdges(entities: Entity[], analysis: Analysis, at: (id: string) => string): ChainEdge[] {
  const out: ChainEdge[] = [];
  const seen = new Set<string>();
  const add = (e: Entity, issuer: Entity | undefined, span: { start: number; end: number }) => {
    if (!issuer || issuer.kind !== 'ca') return;
    const from = at(e.name);
    const key = `${from}\u0000${issuer.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ id: `k${out.length}`, from, to: issuer.name, start: span.start, end: span.end });
  };
  for (const e of entities) {
    const byName = (ref: { text: string } | null | undefined) => (ref ? analysis.model.byName.get(ref.text) : undefined);
    const caSigner = e.kind === 'ca' ? e.props.get('signed-by')?.values[0] : undefined;
    if (caSigner) add(e, byName(caSigner), caSigner);
    const cert = e.certificate;
    if (cert?.issuer) add(e, byName(cert.issuer), cert.issuer);
    else if (cert?.file) add(e, analysis.chains.of(e)?.cas[0], cert.file);
  }
  return out;
}

function markFindings(n: DiagramNode): void {
  if (n.findings.some((f) => f.rule === 'syntax')) n.classes.push('has-syntax-error');
  if (n.findings.some((f) => f.severity === 'error')) n.classes.push('has-error');
  else if (n.findings.some((f) => f.severity === 'warning')) n.classes.push('has-warning');
}
