// Places the diagram model with ELK's layered algorithm (elkjs, run in-process: the
// bundled build needs no web worker). Kinds sit in columns — initiators left,
// responders right, CAs last — and connections run left to right.
import type { ELK, ELKConstructorArguments, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { KIND_PRESENTATION } from './kinds.ts';
import type { ChainEdge, ConnectionEdge, DiagramModel, DiagramNode } from './model.ts';

export interface Point {
  x: number;
  y: number;
}

export interface Box extends Point {
  width: number;
  height: number;
}

export interface PlacedNode extends Box {
  node: DiagramNode;
}

export interface PlacedEdge<E> {
  edge: E;
  points: Point[];
  labelBox: Box | null;
}

export interface DiagramLayout {
  model: DiagramModel;
  nodes: PlacedNode[];
  connections: PlacedEdge<ConnectionEdge>[];
  /** Empty when the chain layer was left out. */
  chains: PlacedEdge<ChainEdge>[];
  width: number;
  height: number;
}

export interface LayoutOptions {
  /** Lay out (and later draw) the certificate chain layer; default true. */
  chains?: boolean;
}

/** Approximate text widths: the layout runs without fonts, so sizes are estimated generously. */
export const NAME_CHAR_WIDTH = 7.8;
export const CAPTION_CHAR_WIDTH = 6.2;
export const LABEL_CHAR_WIDTH = 6;
export const NODE_HEIGHT = 46;
const NODE_PADDING = 28;

export function nodeWidth(n: DiagramNode): number {
  const text = Math.max(n.label.length * NAME_CHAR_WIDTH, n.caption.length * CAPTION_CHAR_WIDTH);
  // Hexagons (CAs) and cylinders (Db2) lose width at their ends.
  const extra = n.kind === 'ca' ? 24 : n.kind === 'db2' || n.kind === 'group' ? 10 : 0;
  return Math.ceil(Math.max(96, text + NODE_PADDING + extra));
}

const ROOT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.partitioning.activate': 'true',
  'elk.edgeRouting': 'POLYLINE',
  'elk.spacing.nodeNode': '22',
  'elk.layered.spacing.nodeNodeBetweenLayers': '56',
  'elk.spacing.edgeLabel': '4',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
};

let elk: ELK | null = null;

// elkjs is 3 MB of the CLI bundle: loaded on the first layout, so that `sptls check` and
// the other commands do not pay for evaluating it. It is CommonJS with a `default` twin of
// its export; Node's ESM loader and esbuild both expose it as `default`.
async function loadElk(): Promise<ELK> {
  const elkBundled = await import('elkjs/lib/elk.bundled.js');
  return new (elkBundled as unknown as { default: new (args?: ELKConstructorArguments) => ELK }).default();
}
/** Nodes from which the layout trades some crossing minimisation for speed. */
const LARGE_GRAPH = 40;

export async function layoutDiagram(model: DiagramModel, options: LayoutOptions = {}): Promise<DiagramLayout> {
  const withChains = options.chains ?? true;
  const edges: ElkExtendedEdge[] = [];
  for (const e of model.connections) {
    edges.push({ id: e.id, sources: [e.from], targets: [e.to], labels: e.label ? [{ id: `${e.id}-label`, text: e.label, width: e.label.length * LABEL_CHAR_WIDTH + 6, height: 14 }] : [] });
  }
  if (withChains) for (const e of model.chains) edges.push({ id: e.id, sources: [e.from], targets: [e.to] });
  const graph: ElkNode = {
    id: 'root',
    // Crossing minimisation dominates on large graphs; fewer sweeps keep them within the time budget.
    layoutOptions: model.nodes.length > LARGE_GRAPH ? { ...ROOT_OPTIONS, 'elk.layered.thoroughness': '2' } : ROOT_OPTIONS,
    children: model.nodes.map((n) => ({
      id: n.id, width: nodeWidth(n), height: NODE_HEIGHT,
      layoutOptions: { 'elk.partitioning.partition': String(KIND_PRESENTATION[n.kind].column) },
    })),
    edges,
  };
  elk ??= await loadElk();
  const laid = await elk.layout(graph);

  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const nodes = (laid.children ?? []).map((c) => ({ node: byId.get(c.id)!, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 }));
  const placed = new Map((laid.edges ?? []).map((e) => [e.id, e]));
  const place = <E extends { id: string }>(edge: E): PlacedEdge<E> => {
    const e = placed.get(edge.id);
    const points: Point[] = [];
    for (const s of e?.sections ?? []) points.push(s.startPoint, ...(s.bendPoints ?? []), s.endPoint);
    const l = e?.labels?.[0];
    return { edge, points, labelBox: l ? { x: l.x ?? 0, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 } : null };
  };
  return {
    model,
    nodes,
    connections: model.connections.map(place),
    chains: withChains ? model.chains.map(place) : [],
    width: Math.ceil(laid.width ?? 0),
    height: Math.ceil(laid.height ?? 0),
  };
}
