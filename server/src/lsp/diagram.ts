// `sptls/diagram`: the SVG of a topology and the source range of every clickable element,
// for any client to render (the VS Code webview is one). The same engine and diagram
// modules as `sptls diagram`.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { DiagramElement, DiagramResult } from '../../../protocol/index.ts';
import { analyze, type Analysis } from '../analysis/engine.ts';
import { DIAGRAM_CSS, renderDiagram } from '../diagram/index.ts';
import { certificateFilesFor, type DocumentStore } from './documents.ts';

/** The open document's analysis, else the saved file's; null when neither exists. */
async function analysisOf(uri: string, documents: DocumentStore, now: Date): Promise<{ analysis: Analysis; version: number | null } | null> {
  const open = documents.analysis(uri);
  if (open) return { analysis: open, version: documents.version(uri) ?? null };
  if (!uri.startsWith('file:')) return null;
  const text = await readFile(fileURLToPath(uri), 'utf8').catch(() => null);
  return text === null ? null : { analysis: analyze(text, { certificateFiles: certificateFilesFor(uri), now }), version: null };
}

export async function diagram(uri: string, documents: DocumentStore, now: Date): Promise<DiagramResult | null> {
  const found = await analysisOf(uri, documents, now);
  if (!found) return null;
  const { analysis } = found;
  // The client's page styles the SVG: an embedded <style> would be blocked by a webview's CSP.
  const { model, text: svg } = await renderDiagram(analysis, { format: 'svg', embedStyle: false });
  // Every element the SVG marks with data-id/data-start/data-end, in the model's terms.
  const elements: DiagramElement[] = [...model.nodes, ...model.connections, ...model.chains].map(({ id, start, end }) => (
    { id, start, end, range: { start: analysis.lines.position(start), end: analysis.lines.position(end) } }));
  return { version: found.version, svg, css: DIAGRAM_CSS, elements };
}
