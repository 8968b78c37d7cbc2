// Folding: every `{ … }` that spans lines, every block comment that does, and every
// run of two or more consecutive lines that hold only a line comment.
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { Block, Comment, Statement } from '../../../../grammar/src/index.ts';
import type { Analysis } from '../../analysis/engine.ts';

export function foldingRanges(analysis: Analysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const st of analysis.parse.ast.statements) blockRanges(analysis, st, out);
  commentRanges(analysis, out);
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

function blockRanges(analysis: Analysis, st: Statement, out: FoldingRange[]): void {
  const visit = (block: Block | null | undefined): void => {
    if (!block) return;
    const startLine = analysis.lines.lineOf(block.start);
    const closeLine = analysis.lines.lineOf(block.end);
    // Fold up to the line before a `}` that opens its line, so the brace stays visible.
    const endLine = block.closed && onlySpaceBefore(analysis, block.end - 1) ? closeLine - 1 : closeLine;
    if (endLine > startLine) out.push({ startLine, endLine });
    for (const p of block.properties) visit(p.block);
  };
  visit(st.block);
}

function onlySpaceBefore(analysis: Analysis, offset: number): boolean {
  const lineStart = analysis.lines.lineStart(analysis.lines.lineOf(offset));
  return analysis.text.slice(lineStart, offset).trim() === '';
}

function commentRanges(analysis: Analysis, out: FoldingRange[]): void {
  let run: { startLine: number; endLine: number } | null = null;
  const flush = () => {
    if (run && run.endLine > run.startLine) out.push({ ...run, kind: FoldingRangeKind.Comment });
    run = null;
  };
  for (const c of analysis.parse.ast.comments) {
    const startLine = analysis.lines.lineOf(c.start);
    if (isBlockComment(c)) {
      flush();
      const endLine = analysis.lines.lineOf(c.end);
      if (endLine > startLine) out.push({ startLine, endLine, kind: FoldingRangeKind.Comment });
      continue;
    }
    if (!onlySpaceBefore(analysis, c.start)) { flush(); continue; }
    if (run && run.endLine === startLine - 1) run.endLine = startLine;
    else { flush(); run = { startLine, endLine: startLine }; }
  }
  flush();
}

function isBlockComment(c: Comment): boolean {
  return c.text.startsWith('/*');
}
