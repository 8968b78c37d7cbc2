// SVG rendering of a laid-out diagram. Colours come from CSS variables that fall back
// to fixed values, so a VS Code webview maps them onto its theme (--vscode-*).
// Every node and edge carries `data-start`/`data-end` (source offsets) and a
// `<title>` with its findings; the chain layer is one `<g class="layer-chains">`.
import type { Finding } from './findings.ts';
import { CHAIN_COLOUR, KIND_PRESENTATION, NODE_KINDS, VERDICT_COLOUR, VERDICT_TEXT, VERDICTS, type NodeKind } from './kinds.ts';
import type { Box, DiagramLayout, PlacedEdge, PlacedNode, Point } from './layout.ts';
import type { ChainEdge, ConnectionEdge } from './model.ts';

export interface SvgOptions {
  /** Include the stylesheet (default). A webview leaves it out and loads DIAGRAM_CSS under its CSP nonce. */
  embedStyle?: boolean;
}

/** Findings listed in one hover text before "… and N more". */
const TITLE_FINDINGS = 12;
const BANNER_HEIGHT = 30;
const LEGEND_CELL = 165;
const LEGEND_ROW = 26;
/** Edge verdicts, node kinds, node outlines. */
const LEGEND_ROWS = 3;
const OUTLINES: ReadonlyArray<readonly [string, string]> = [
  ['has-error', 'outline: has an error'],
  ['has-warning', 'outline: has a warning'],
];
const MARGIN = 8;

/** CSS variable → the VS Code theme variable it follows and the colour without a theme. */
const PALETTE: Record<string, [string, string]> = {
  bg: ['--vscode-editor-background', '#ffffff'],
  fg: ['--vscode-editor-foreground', '#1f2328'],
  muted: ['--vscode-descriptionForeground', '#59636e'],
  node: ['--vscode-editorWidget-background', '#f6f8fa'],
  'node-border': ['--vscode-editorWidget-border', '#818b98'],
  trusted: ['--vscode-charts-green', VERDICT_COLOUR.trusted],
  untrusted: ['--vscode-charts-red', VERDICT_COLOUR.untrusted],
  forbidden: ['--vscode-charts-purple', VERDICT_COLOUR.forbidden],
  plain: ['--vscode-charts-blue', VERDICT_COLOUR.plain],
  unknown: ['--vscode-disabledForeground', VERDICT_COLOUR.unknown],
  chain: ['--vscode-charts-yellow', CHAIN_COLOUR],
  hub: ['--vscode-charts-orange', '#bc4c00'],
  error: ['--vscode-errorForeground', '#cf222e'],
  warning: ['--vscode-editorWarning-foreground', '#9a6700'],
  banner: ['--vscode-inputValidation-errorBackground', '#ffebe9'],
};

/**
 * `fill`/`stroke` from the palette. The plain colour comes first: renderers without
 * custom properties (librsvg) drop the `var()` declaration and keep it.
 */
function paint(name: string, property: 'fill' | 'stroke'): string {
  return `${property}: ${PALETTE[name]![1]}; ${property}: var(--sptls-${name})`;
}

const FONT = 'system-ui, "Segoe UI", Helvetica, Arial, sans-serif';

export const DIAGRAM_CSS = `
.sptls-diagram {
${Object.entries(PALETTE).map(([name, [theme, plain]]) => `  --sptls-${name}: var(${theme}, ${plain});`).join('\n')}
  font-family: ${FONT};
  font-family: var(--vscode-font-family, ${FONT});
}
.sptls-diagram .background { ${paint('bg', 'fill')}; }
.sptls-diagram [data-start] { cursor: pointer; }
.sptls-diagram .node .shape { ${paint('node', 'fill')}; ${paint('node-border', 'stroke')}; stroke-width: 1.5; }
.sptls-diagram .node .detail { fill: none; ${paint('node-border', 'stroke')}; stroke-width: 1.2; }
.sptls-diagram .node.kind-ca .shape { ${paint('chain', 'stroke')}; }
.sptls-diagram .node.kind-unknown .shape { stroke-dasharray: 4 3; fill: none; }
.sptls-diagram .node.hub .hub-ring { fill: none; ${paint('hub', 'stroke')}; stroke-width: 2; }
.sptls-diagram .node.has-warning .shape { ${paint('warning', 'stroke')}; stroke-width: 2; }
.sptls-diagram .node.has-error .shape { ${paint('error', 'stroke')}; stroke-width: 2.2; }
.sptls-diagram .node:hover .shape { stroke-width: 3; }
.sptls-diagram .node .name { ${paint('fg', 'fill')}; font-size: 13px; font-weight: 600; }
.sptls-diagram .node .caption { ${paint('muted', 'fill')}; font-size: 11px; }
.sptls-diagram .badge circle { ${paint('error', 'fill')}; }
.sptls-diagram .badge text { ${paint('bg', 'fill')}; font-size: 11px; font-weight: 700; }
.sptls-diagram .edge .line, .sptls-diagram .chain .line { fill: none; stroke-width: 2; }
.sptls-diagram .edge .hit, .sptls-diagram .chain .hit { fill: none; stroke: transparent; stroke-width: 12; pointer-events: stroke; }
.sptls-diagram .edge:hover .line { stroke-width: 3.5; }
.sptls-diagram .verdict-trusted .line { ${paint('trusted', 'stroke')}; }
.sptls-diagram .verdict-untrusted .line { ${paint('untrusted', 'stroke')}; stroke-width: 2.6; }
.sptls-diagram .verdict-forbidden .line { ${paint('forbidden', 'stroke')}; stroke-dasharray: 9 4; }
.sptls-diagram .verdict-plain .line { ${paint('plain', 'stroke')}; stroke-dasharray: 3 3; }
.sptls-diagram .verdict-unknown .line { ${paint('unknown', 'stroke')}; stroke-dasharray: 1 4; }
.sptls-diagram .arrowhead.verdict-trusted { ${paint('trusted', 'fill')}; }
.sptls-diagram .arrowhead.verdict-untrusted { ${paint('untrusted', 'fill')}; }
.sptls-diagram .arrowhead.verdict-forbidden { ${paint('forbidden', 'fill')}; }
.sptls-diagram .arrowhead.verdict-plain { ${paint('plain', 'fill')}; }
.sptls-diagram .arrowhead.verdict-unknown { ${paint('unknown', 'fill')}; }
.sptls-diagram .arrowhead.chain { ${paint('chain', 'fill')}; }
.sptls-diagram .chain .line { ${paint('chain', 'stroke')}; stroke-width: 1.3; stroke-dasharray: 6 3; }
.sptls-diagram .edge-label rect { ${paint('bg', 'fill')}; opacity: 0.85; }
.sptls-diagram .edge-label text { ${paint('muted', 'fill')}; font-size: 10.5px; }
.sptls-diagram .banner rect { ${paint('banner', 'fill')}; ${paint('error', 'stroke')}; }
.sptls-diagram .banner text { ${paint('fg', 'fill')}; font-size: 12.5px; font-weight: 600; }
.sptls-diagram .legend text { ${paint('muted', 'fill')}; font-size: 11px; }
.sptls-diagram .legend .frame { fill: none; ${paint('node-border', 'stroke')}; stroke-opacity: 0.5; }
.sptls-diagram.hide-chains .layer-chains, .sptls-diagram.hide-chains .legend-chain { display: none; }
`;

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Hover text: a heading, facts, then each finding as `rule: message`. */
export function titleText(heading: string, details: readonly string[], findings: readonly Finding[]): string {
  const unique = [...new Map(findings.map((f) => [`${f.rule}\u0000${f.message}`, f])).values()];
  const lines = [heading, ...details, ...unique.slice(0, TITLE_FINDINGS).map((f) => `${f.rule}: ${f.message}`)];
  if (unique.length > TITLE_FINDINGS) lines.push(`… and ${unique.length - TITLE_FINDINGS} more`);
  return lines.join('\n');
}

const n = (v: number) => String(Math.round(v * 10) / 10);
const span = (s: { start: number; end: number }) => `data-start="${s.start}" data-end="${s.end}"`;
const title = (text: string) => `<title>${escapeXml(text)}</title>`;

export function renderSvg(layout: DiagramLayout, options: SvgOptions = {}): string {
  const { model } = layout;
  const top = model.syntaxErrors.length ? BANNER_HEIGHT + MARGIN : 0;
  const kinds = NODE_KINDS.filter((k) => model.nodes.some((node) => node.kind === k));
  const legendWidth = Math.max(VERDICTS.length + 1, kinds.length) * LEGEND_CELL;
  const width = Math.max(layout.width, legendWidth + 2 * MARGIN);
  const legendTop = top + layout.height + MARGIN;
  const height = legendTop + LEGEND_ROWS * LEGEND_ROW + 2 * MARGIN;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="sptls-diagram" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`);
  out.push(title(`Topology: ${model.nodes.length} nodes, ${model.connections.length} connections`));
  if (options.embedStyle ?? true) out.push(`<style>${DIAGRAM_CSS}</style>`);
  out.push(markers());
  out.push(`<rect class="background" x="0" y="0" width="${width}" height="${height}"/>`);
  if (model.syntaxErrors.length) out.push(banner(model.syntaxErrors, width));
  out.push(`<g class="diagram" transform="translate(0 ${top})">`);
  out.push(`<g class="layer-chains">${layout.chains.map(chainEdge).join('')}</g>`);
  out.push(`<g class="layer-connections">${layout.connections.map(connectionEdge).join('')}</g>`);
  out.push(`<g class="layer-nodes">${layout.nodes.map(node).join('')}</g>`);
  out.push('</g>');
  out.push(legend(kinds, legendTop, layout.chains.length > 0));
  out.push('</svg>');
  return out.join('\n');
}

function markers(): string {
  const marker = (id: string, cls: string) =>
    `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path class="arrowhead ${cls}" d="M0,0 L10,5 L0,10 z"/></marker>`;
  // markerUnits=userSpaceOnUse keeps arrowheads one size whatever the stroke width.
  return `<defs>${VERDICTS.map((v) => marker(`sptls-arrow-${v}`, `verdict-${v}`)).join('')}${marker('sptls-arrow-chain', 'chain')}</defs>`;
}

function banner(errors: readonly Finding[], width: number): string {
  const count = errors.length;
  const text = `${count} syntax error${count === 1 ? '' : 's'} — the diagram shows what parsed`;
  const first = errors[0]!;
  return `<g class="banner" ${span(first)}>${title(titleText(text, [], errors))}<rect x="${MARGIN}" y="${MARGIN / 2}" width="${width - 2 * MARGIN}" height="${BANNER_HEIGHT}" rx="4"/><text x="${MARGIN + 12}" y="${MARGIN / 2 + 20}">${escapeXml(text)}</text></g>`;
}

function pathOf(points: readonly Point[]): string {
  return points.map((p, i) => `${i ? 'L' : 'M'}${n(p.x)} ${n(p.y)}`).join(' ');
}

function connectionEdge(placed: PlacedEdge<ConnectionEdge>): string {
  const e = placed.edge;
  const d = pathOf(placed.points);
  const heading = `${e.description}: ${VERDICT_TEXT[e.verdict]}${e.count > 1 ? ` (${e.count} connections)` : ''}`;
  const label = placed.labelBox && e.label ? edgeLabel(placed.labelBox, e.label) : '';
  return `<g class="edge verdict-${e.verdict}" data-id="${escapeXml(e.id)}" data-from="${escapeXml(e.from)}" data-to="${escapeXml(e.to)}" ${span(e)}>${title(titleText(heading, [], e.findings))}`
    + `<path class="hit" d="${d}"/><path class="line" d="${d}" marker-end="url(#sptls-arrow-${e.verdict})"/>${label}</g>`;
}

function edgeLabel(box: Box, text: string): string {
  return `<g class="edge-label"><rect x="${n(box.x - 2)}" y="${n(box.y)}" width="${n(box.width + 4)}" height="${n(box.height)}" rx="3"/>`
    + `<text x="${n(box.x + box.width / 2)}" y="${n(box.y + box.height - 3)}" text-anchor="middle">${escapeXml(text)}</text></g>`;
}

function chainEdge(placed: PlacedEdge<ChainEdge>): string {
  const e = placed.edge;
  const d = pathOf(placed.points);
  return `<g class="chain" data-from="${escapeXml(e.from)}" data-to="${escapeXml(e.to)}" ${span(e)}>${title(`${e.from}: certificate signed by ${e.to}`)}`
    + `<path class="hit" d="${d}"/><path class="line" d="${d}" marker-end="url(#sptls-arrow-chain)"/></g>`;
}

function node(p: PlacedNode): string {
  const nd = p.node;
  const classes = ['node', `kind-${nd.kind}`, ...nd.classes].join(' ');
  const heading = `${nd.label} (${KIND_PRESENTATION[nd.kind].caption}${nd.kind === 'group' ? `: ${nd.members.length} with the same connections and trust list` : ''})`;
  const cx = p.x + p.width / 2;
  const mid = p.y + p.height / 2 + (nd.kind === 'db2' ? 3 : nd.kind === 'group' ? 3 : 0);
  const badge = nd.classes.includes('has-syntax-error')
    ? `<g class="badge"><circle cx="${n(p.x + p.width - 4)}" cy="${n(p.y + 4)}" r="7"/><text x="${n(p.x + p.width - 4)}" y="${n(p.y + 8)}" text-anchor="middle">!</text></g>`
    : '';
  return `<g class="${escapeXml(classes)}" data-id="${escapeXml(nd.id)}" ${span(nd)}>${title(titleText(heading, nd.details, nd.findings))}${shape(nd.kind, p, nd.classes.includes('hub'))}`
    + `<text class="name" x="${n(cx)}" y="${n(mid - 3)}" text-anchor="middle">${escapeXml(nd.label)}</text>`
    + `<text class="caption" x="${n(cx)}" y="${n(mid + 12)}" text-anchor="middle">${escapeXml(nd.caption)}</text>${badge}</g>`;
}

/** The outline of a node by kind. */
export function shape(kind: NodeKind, b: Box, hub = false): string {
  const { x, y, width: w, height: h } = b;
  const r = (bx: number, by: number, bw: number, bh: number, rx: number, cls = 'shape') =>
    `<rect class="${cls}" x="${n(bx)}" y="${n(by)}" width="${n(bw)}" height="${n(bh)}" rx="${n(rx)}"/>`;
  const path = (d: string, cls = 'shape') => `<path class="${cls}" d="${d}"/>`;
  switch (kind) {
    case 'server':
      return (hub ? r(x - 4, y - 4, w + 8, h + 8, 6, 'hub-ring') : '') + r(x, y, w, h, 3);
    case 'client':
      return r(x, y, w, h, h / 2);
    case 'group':
      return r(x + 6, y, w - 6, h - 6, (h - 6) / 2) + r(x + 3, y + 3, w - 6, h - 6, (h - 6) / 2) + r(x, y + 6, w - 6, h - 6, (h - 6) / 2);
    case 'storage-agent': {
      const c = 9;
      return path(`M${n(x + c)} ${n(y)} H${n(x + w - c)} L${n(x + w)} ${n(y + c)} V${n(y + h - c)} L${n(x + w - c)} ${n(y + h)} H${n(x + c)} L${n(x)} ${n(y + h - c)} V${n(y + c)} Z`);
    }
    case 'operations-center':
      return r(x, y, w, h, 3) + path(`M${n(x)} ${n(y + 7)} H${n(x + w)}`, 'detail');
    case 'reporting-agent': {
      const f = 11;
      return path(`M${n(x)} ${n(y)} H${n(x + w - f)} L${n(x + w)} ${n(y + f)} V${n(y + h)} H${n(x)} Z`) + path(`M${n(x + w - f)} ${n(y)} V${n(y + f)} H${n(x + w)}`, 'detail');
    }
    case 'ldap': {
      const tab = Math.min(34, w * 0.4);
      return path(`M${n(x)} ${n(y + h)} V${n(y + 7)} H${n(x + w)} V${n(y + h)} Z M${n(x)} ${n(y + 7)} V${n(y)} H${n(x + tab)} L${n(x + tab + 6)} ${n(y + 7)}`);
    }
    case 'db2': {
      const ry = 6;
      const rx = w / 2;
      return path(`M${n(x)} ${n(y + ry)} A${n(rx)} ${ry} 0 0 1 ${n(x + w)} ${n(y + ry)} V${n(y + h - ry)} A${n(rx)} ${ry} 0 0 1 ${n(x)} ${n(y + h - ry)} Z`)
        + path(`M${n(x)} ${n(y + ry)} A${n(rx)} ${ry} 0 0 0 ${n(x + w)} ${n(y + ry)}`, 'detail');
    }
    case 'ca': {
      const i = 14;
      return path(`M${n(x + i)} ${n(y)} H${n(x + w - i)} L${n(x + w)} ${n(y + h / 2)} L${n(x + w - i)} ${n(y + h)} H${n(x + i)} L${n(x)} ${n(y + h / 2)} Z`);
    }
    case 'unknown':
      return r(x, y, w, h, 3);
  }
}

function legend(kinds: readonly NodeKind[], top: number, chains: boolean): string {
  const out: string[] = [`<g class="legend" transform="translate(${MARGIN} ${top})">`];
  out.push(`<rect class="frame" x="0" y="0" width="${Math.max(VERDICTS.length + 1, kinds.length) * LEGEND_CELL}" height="${LEGEND_ROWS * LEGEND_ROW + MARGIN}" rx="4"/>`);
  VERDICTS.forEach((v, i) => {
    const x = i * LEGEND_CELL + 10;
    out.push(`<g class="edge verdict-${v}"><path class="line" d="M${x} 15 H${x + 34}" marker-end="url(#sptls-arrow-${v})"/></g><text x="${x + 42}" y="19">${escapeXml(VERDICT_TEXT[v])}</text>`);
  });
  if (chains) {
    const x = VERDICTS.length * LEGEND_CELL + 10;
    out.push(`<g class="chain legend-chain"><path class="line" d="M${x} 15 H${x + 34}" marker-end="url(#sptls-arrow-chain)"/><text x="${x + 42}" y="19">signed by (chain)</text></g>`);
  }
  kinds.forEach((k, i) => {
    const x = i * LEGEND_CELL + 10;
    out.push(`<g class="node kind-${k}">${shape(k, { x, y: LEGEND_ROW + 6, width: 34, height: 18 })}</g><text x="${x + 42}" y="${LEGEND_ROW + 19}">${escapeXml(KIND_PRESENTATION[k].caption)}</text>`);
  });
  // Node outlines carry the component's own findings; the third row says which colour is which.
  OUTLINES.forEach(([cls, text], i) => {
    const x = i * LEGEND_CELL + 10;
    out.push(`<g class="node ${cls} legend-outline">${shape('server', { x, y: 2 * LEGEND_ROW + 6, width: 34, height: 18 })}</g><text x="${x + 42}" y="${2 * LEGEND_ROW + 19}">${escapeXml(text)}</text>`);
  });
  out.push('</g>');
  return out.join('');
}
