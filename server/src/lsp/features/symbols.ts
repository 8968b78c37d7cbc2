// The outline of a topology (declarations grouped by kind, then the connections)
// and the workspace-wide symbol search over every open topology.
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver';
import type { Connection, Kind, Span } from '../../../../grammar/src/index.ts';
import type { Analysis } from '../../analysis/engine.ts';
import type { Entity } from '../../analysis/model.ts';
import { toRange } from '../convert.ts';

type Group = Kind | 'connection';

const GROUPS: ReadonlyArray<{ group: Group; title: string; symbol: SymbolKind }> = [
  { group: 'ca', title: 'Certificate authorities', symbol: SymbolKind.Key },
  { group: 'server', title: 'Servers', symbol: SymbolKind.Module },
  { group: 'client', title: 'Clients', symbol: SymbolKind.Object },
  { group: 'storage-agent', title: 'Storage agents', symbol: SymbolKind.Module },
  { group: 'operations-center', title: 'Operations Centers', symbol: SymbolKind.Interface },
  { group: 'reporting-agent', title: 'Reporting agents', symbol: SymbolKind.Interface },
  { group: 'ldap', title: 'LDAP directories', symbol: SymbolKind.Struct },
  { group: 'db2', title: 'Db2 instances', symbol: SymbolKind.Struct },
  { group: 'connection', title: 'Connections', symbol: SymbolKind.Event },
];

interface SymbolEntry {
  group: Group;
  name: string;
  detail: string;
  span: Span;
  selection: Span;
}

/** What a declaration is, in a few words: `hub · signed-by CorpIssuing`, `root CA`, `spoke of SP1 · self-signed`. */
function entityDetail(e: Entity): string {
  const parts: string[] = [];
  if (e.kind === 'ca') {
    const issuer = e.props.get('signed-by')?.values[0];
    parts.push(issuer ? `signed-by ${issuer.text}` : e.props.has('file') ? 'from file' : 'root');
  }
  if (e.props.has('hub')) parts.push('hub');
  const hub = e.props.get('spoke-of')?.values[0];
  if (hub) parts.push(`spoke of ${hub.text}`);
  const cert = e.certificate;
  if (cert?.mode === 'signed-by') parts.push(cert.issuer ? `signed-by ${cert.issuer.text}` : 'signed-by ?');
  else if (cert?.mode === 'file') parts.push(`file ${cert.file?.text ?? '?'}`);
  else if (cert) parts.push('self-signed');
  return parts.join(' · ');
}

function connectionEntry(c: Connection): SymbolEntry {
  const purpose = c.block?.properties.find((p) => p.name === 'purpose')?.values[0];
  const protocol = c.protocol?.text === 'plain' ? 'plain' : 'tls';
  return {
    group: 'connection',
    name: `${c.from.text} -> ${c.to?.text ?? '?'}`,
    detail: purpose ? `${protocol} · ${purpose.text}` : protocol,
    span: c,
    selection: { start: c.from.start, end: (c.to ?? c.arrowSpan).end },
  };
}

function entries(analysis: Analysis): SymbolEntry[] {
  const out: SymbolEntry[] = analysis.model.entities.map((e) => ({
    group: e.kind, name: e.name, detail: entityDetail(e), span: e.decl, selection: e.decl.name!,
  }));
  for (const link of analysis.model.links) out.push(connectionEntry(link.connection));
  return out;
}

function symbolKind(group: Group): SymbolKind {
  return GROUPS.find((g) => g.group === group)!.symbol;
}

function groupTitle(group: Group): string {
  return GROUPS.find((g) => g.group === group)!.title;
}

export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const range = (s: Span) => toRange(analysis.lines, s.start, s.end);
  const all = entries(analysis);
  const out: DocumentSymbol[] = [];
  for (const { group, title } of GROUPS) {
    const members = all.filter((e) => e.group === group);
    if (members.length === 0) continue;
    const children: DocumentSymbol[] = members.map((m) => ({
      name: m.name, detail: m.detail, kind: symbolKind(group), range: range(m.span), selectionRange: range(m.selection),
    }));
    const start = Math.min(...members.map((m) => m.span.start));
    const end = Math.max(...members.map((m) => m.span.end));
    const first = members.find((m) => m.span.start === start)!;
    out.push({
      name: title, detail: `${members.length}`, kind: SymbolKind.Namespace,
      range: range({ start, end }), selectionRange: range(first.selection), children,
    });
  }
  return out;
}

/** How well `query` matches `name` (lower is better), or null: exact, prefix, substring, then any subsequence, ignoring case. */
function matchRank(name: string, query: string): number | null {
  if (query === '') return 3;
  const n = name.toLowerCase();
  const q = query.toLowerCase();
  if (n === q) return 0;
  if (n.startsWith(q)) return 1;
  if (n.includes(q)) return 2;
  let i = 0;
  for (const ch of n) if (ch === q[i]) i++;
  return i === q.length ? 3 : null;
}

export function workspaceSymbols(docs: Iterable<{ uri: string; analysis: Analysis }>, query: string): SymbolInformation[] {
  const found: Array<{ rank: number; symbol: SymbolInformation }> = [];
  for (const { uri, analysis } of docs) {
    for (const e of entries(analysis)) {
      const rank = matchRank(e.name, query.trim());
      if (rank === null) continue;
      found.push({
        rank,
        symbol: {
          name: e.name, kind: symbolKind(e.group), containerName: groupTitle(e.group),
          location: { uri, range: toRange(analysis.lines, e.selection.start, e.selection.end) },
        },
      });
    }
  }
  return found.sort((a, b) => a.rank - b.rank).map((f) => f.symbol);
}
