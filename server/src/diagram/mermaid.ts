// Mermaid flowchart of the diagram model: one subgraph per kind, edge colours by
// verdict through `linkStyle`, the chain layer as dotted `signed by` links.
import { clustersOf } from './clusters.ts';
import { CHAIN_COLOUR, VERDICT_COLOUR, type NodeKind, type Verdict } from './kinds.ts';
import type { DiagramModel, DiagramNode } from './model.ts';

const SHAPES: Record<NodeKind, [string, string]> = {
  'server': ['[', ']'],
  'client': ['(', ')'],
  'group': ['([', '])'],
  'storage-agent': ['[/', '/]'],
  'operations-center': ['[\\', '\\]'],
  'reporting-agent': ['>', ']'],
  'ldap': ['[/', '\\]'],
  'db2': ['[(', ')]'],
  'ca': ['{{', '}}'],
  'unknown': ['[', ']'],
};

const ARROW: Record<Verdict, string> = { trusted: '-->', untrusted: '==>', forbidden: '-.->', plain: '-.->', unknown: '-.->' };

export interface MermaidOptions {
  chains?: boolean;
}

/** Mermaid text inside "…": its entity codes stand in for characters that would end or break the string. */
export function mermaidText(s: string): string {
  return s.replace(/[#"<>]/g, (c) => ({ '#': '#35;', '"': '#quot;', '<': '#lt;', '>': '#gt;' })[c]!);
}

export function renderMermaid(model: DiagramModel, options: MermaidOptions = {}): string {
  const out: string[] = [];
  if (model.syntaxErrors.length) {
    const count = model.syntaxErrors.length;
    out.push('---', `title: "${count} syntax error${count === 1 ? '' : 's'} — the diagram shows what parsed"`, '---');
  }
  out.push('flowchart LR');
  // Node names may hold `.` and `-`, which Mermaid ids do not take well: number them.
  const ids = new Map(model.nodes.map((n, i) => [n.id, `n${i}`]));
  clustersOf(model.nodes).forEach((cluster, i) => {
    out.push(`  subgraph k${i}["${mermaidText(cluster.title)}"]`);
    for (const n of cluster.nodes) out.push(`    ${node(ids.get(n.id)!, n)}`);
    out.push('  end');
  });
  const styles = new Map<string, number[]>();
  let index = 0;
  const link = (from: string, arrow: string, to: string, label: string, style: string) => {
    out.push(`  ${ids.get(from)} ${arrow}${label ? `|"${mermaidText(label)}"|` : ''} ${ids.get(to)}`);
    const list = styles.get(style) ?? [];
    list.push(index++);
    styles.set(style, list);
  };
  for (const e of model.connections) {
    link(e.from, ARROW[e.verdict], e.to, e.label, `stroke:${VERDICT_COLOUR[e.verdict]},stroke-width:${e.verdict === 'untrusted' ? 3 : 2}px`);
  }
  if (options.chains ?? true) for (const e of model.chains) link(e.from, '-.->', e.to, 'signed by', `stroke:${CHAIN_COLOUR},stroke-width:1px`);
  for (const [style, list] of styles) out.push(`  linkStyle ${list.join(',')} ${style}`);
  out.push('  classDef hub stroke:#bc4c00,stroke-width:3px');
  out.push('  classDef unknown stroke-dasharray:4 3');
  out.push(`  classDef error stroke:${VERDICT_COLOUR.untrusted},stroke-width:2px`);
  const tagged = (cls: string, pick: (n: DiagramNode) => boolean) => {
    const list = model.nodes.filter(pick).map((n) => ids.get(n.id)!);
    if (list.length) out.push(`  class ${list.join(',')} ${cls}`);
  };
  tagged('hub', (n) => n.classes.includes('hub'));
  tagged('unknown', (n) => n.kind === 'unknown');
  tagged('error', (n) => n.classes.includes('has-error') && !n.classes.includes('hub'));
  return `${out.join('\n')}\n`;
}

function node(id: string, n: DiagramNode): string {
  const [open, close] = SHAPES[n.kind];
  return `${id}${open}"${mermaidText(n.label)}<br/><small>${mermaidText(n.caption)}</small>"${close}`;
}
