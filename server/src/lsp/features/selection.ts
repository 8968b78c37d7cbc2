// Expand selection: word or value → property → enclosing block → its property or
// statement → … → the whole file.
import type { Position, SelectionRange } from 'vscode-languageserver';
import type { Block, Property, Span, Statement } from '../../../../grammar/src/index.ts';
import type { Analysis } from '../../analysis/engine.ts';
import { toRange } from '../convert.ts';
import { commentAt, statementAt, statementLeaves } from './at-position.ts';

export function selectionRanges(analysis: Analysis, positions: Position[]): SelectionRange[] {
  return positions.map((p) => {
    const offset = analysis.lines.offset(p);
    const spans = enclosingSpans(analysis, offset);
    let range: SelectionRange | undefined;
    for (const s of spans.reverse()) range = { range: toRange(analysis.lines, s.start, s.end), ...(range ? { parent: range } : {}) };
    return range!;
  });
}

/** Spans holding `offset`, innermost first, each strictly larger than the one before; the file last. */
function enclosingSpans(analysis: Analysis, offset: number): Span[] {
  const spans: Span[] = [];
  const comment = commentAt(analysis, offset);
  if (comment) spans.push(comment);
  const st = statementAt(analysis, offset);
  if (st) {
    if (!comment) {
      const leaf = statementLeaves(analysis, st).find((l) => l.span.start <= offset && offset <= l.span.end);
      if (leaf) spans.push(leaf.span);
    }
    spans.push(...structureAround(st, offset).reverse());
  }
  spans.push({ start: 0, end: analysis.text.length });
  const growing: Span[] = [];
  for (const s of spans) {
    const last = growing[growing.length - 1];
    if (!last || (s.start <= last.start && s.end >= last.end && s.end - s.start > last.end - last.start)) growing.push(s);
  }
  return growing;
}

/** Statement, then each block and property inside it that holds `offset`, outermost first. */
function structureAround(st: Statement, offset: number): Span[] {
  const out: Span[] = [st];
  let block: Block | null | undefined = st.block;
  while (block && block.start <= offset && offset <= block.end) {
    out.push(block);
    const property: Property | undefined = block.properties.find((p) => p.start <= offset && offset <= p.end);
    if (!property) break;
    out.push(property);
    block = property.block;
  }
  return out;
}
