// The topology diagram: Analysis → diagram model → DOT, Mermaid, or SVG laid out by ELK.
// Pure apart from the layout engine's computation; the CLI and the VS Code webview
// both call `renderDiagram`.
import type { Analysis } from '../analysis/engine.ts';
import { renderDot } from './dot.ts';
import { layoutDiagram } from './layout.ts';
import { renderMermaid } from './mermaid.ts';
import { buildDiagram, type DiagramModel, type DiagramOptions } from './model.ts';
import { renderSvg, type SvgOptions } from './svg.ts';

export const DIAGRAM_FORMATS = ['svg', 'dot', 'mermaid'] as const;
export type DiagramFormat = (typeof DIAGRAM_FORMATS)[number];

export interface RenderOptions extends DiagramOptions, SvgOptions {
  format: DiagramFormat;
  /** Draw the certificate chain layer; default true. */
  chains?: boolean;
}

export interface RenderedDiagram {
  model: DiagramModel;
  text: string;
}

export async function renderDiagram(analysis: Analysis, options: RenderOptions): Promise<RenderedDiagram> {
  const model = buildDiagram(analysis, options);
  const chains = options.chains ?? true;
  switch (options.format) {
    case 'dot':
      return { model, text: renderDot(model, { chains }) };
    case 'mermaid':
      return { model, text: renderMermaid(model, { chains }) };
    case 'svg':
      return { model, text: renderSvg(await layoutDiagram(model, { chains }), options) };
  }
}

export { buildDiagram, DEFAULT_COLLAPSE_AT } from './model.ts';
export type { ChainEdge, ClientGroup, ConnectionEdge, DiagramModel, DiagramNode, DiagramOptions } from './model.ts';
export { DIAGRAM_CSS } from './svg.ts';
