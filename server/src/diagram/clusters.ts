// Nodes gathered by kind for the formats that draw clusters (DOT, Mermaid); a group
// of clients shares the clients' cluster.
import { KIND_PRESENTATION, NODE_KINDS } from './kinds.ts';
import type { DiagramNode } from './model.ts';

export interface Cluster {
  title: string;
  nodes: DiagramNode[];
}

export function clustersOf(nodes: readonly DiagramNode[]): Cluster[] {
  const byTitle = new Map<string, DiagramNode[]>();
  for (const k of NODE_KINDS) byTitle.set(KIND_PRESENTATION[k].plural, []);
  for (const n of nodes) byTitle.get(KIND_PRESENTATION[n.kind].plural)!.push(n);
  return [...byTitle].filter(([, list]) => list.length > 0).map(([title, list]) => ({ title, nodes: list }));
}
