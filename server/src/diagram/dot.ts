// Graphviz DOT text of the diagram model; producing it needs no Graphviz. Nodes sit
// in one cluster per kind; `class` and `tooltip` carry the verdict and the findings
// into Graphviz's own SVG output.
import { clustersOf } from './clusters.ts';
import { CHAIN_COLOUR, VERDICT_COLOUR, VERDICT_TEXT, type NodeKind } from './kinds.ts';
import type { DiagramModel, DiagramNode } from './model.ts';
import { titleText } from './svg.ts';

const SHAPES: Record<NodeKind, string> = {
  'server': 'shape=box',
  'client': 'shape=box, style="rounded,filled"',
  'group': 'shape=box3d',
  'storage-agent': 'shape=octagon',
  'operations-center': 'shape=tab',
  'reporting-agent': 'shape=note',
  'ldap': 'shape=folder',
  'db2': 'shape=cylinder',
  'ca': 'shape=hexagon',
  'unknown': 'shape=box, style="dashed"',
};

const EDGE_STYLE = { trusted: 'solid', untrusted: 'bold', forbidden: 'dashed', plain: 'dotted', unknown: 'dotted' } as const;

export interface DotOptions {
  chains?: boolean;
}

export function quoteDot(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

export function renderDot(model: DiagramModel, options: DotOptions = {}): string {
  const out: string[] = ['digraph topology {'];
  out.push('  graph [rankdir=LR, fontname="Helvetica", fontsize=12, newrank=true, nodesep=0.3, ranksep=0.7];');
  out.push('  node [fontname="Helvetica", fontsize=11, style=filled, fillcolor="#f6f8fa", color="#818b98"];');
  out.push('  edge [fontname="Helvetica", fontsize=9, penwidth=1.6];');
  if (model.syntaxErrors.length) {
    const count = model.syntaxErrors.length;
    out.push(`  label=${quoteDot(`${count} syntax error${count === 1 ? '' : 's'} — the diagram shows what parsed`)}; labelloc=t; fontcolor="#cf222e";`);
  }
  clustersOf(model.nodes).forEach((cluster, i) => {
    out.push(`  subgraph cluster_${i} {`);
    out.push(`    label=${quoteDot(cluster.title)}; style="dashed,rounded"; color="#d0d7de";`);
    for (const n of cluster.nodes) out.push(`    ${node(n)}`);
    out.push('  }');
  });
  for (const e of model.connections) {
    const attrs = [
      `id=${quoteDot(e.id)}`, `class=${quoteDot(`edge verdict-${e.verdict}`)}`, `color=${quoteDot(VERDICT_COLOUR[e.verdict])}`,
      `style=${EDGE_STYLE[e.verdict]}`, `tooltip=${quoteDot(titleText(`${e.description}: ${VERDICT_TEXT[e.verdict]}`, [], e.findings))}`,
    ];
    if (e.label) attrs.push(`label=${quoteDot(e.label)}`);
    out.push(`  ${quoteDot(e.from)} -> ${quoteDot(e.to)} [${attrs.join(', ')}];`);
  }
  if (options.chains ?? true) {
    for (const e of model.chains) {
      out.push(`  ${quoteDot(e.from)} -> ${quoteDot(e.to)} [class="chain", color=${quoteDot(CHAIN_COLOUR)}, style=dashed, arrowhead=empty, penwidth=1, tooltip=${quoteDot(`${e.from}: certificate signed by ${e.to}`)}];`);
    }
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

function node(n: DiagramNode): string {
  const attrs = [
    `label=${quoteDot(`${n.label}\n${n.caption}`)}`, SHAPES[n.kind],
    `class=${quoteDot(['node', `kind-${n.kind}`, ...n.classes].join(' '))}`,
    `tooltip=${quoteDot(titleText(n.label, n.details, n.findings))}`,
  ];
  if (n.classes.includes('hub')) attrs.push('peripheries=2');
  if (n.classes.includes('has-error')) attrs.push(`color=${quoteDot(VERDICT_COLOUR.untrusted)}, penwidth=2`);
  return `${quoteDot(n.id)} [${attrs.join(', ')}];`;
}
