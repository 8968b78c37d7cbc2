// Shared by the LSP feature tests: analysis without a disk, and applying LSP edits.
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { analyze, type Analysis } from '../../server/src/analysis/engine.ts';
import type { CertificateFiles } from '../../server/src/analysis/certificate-files.ts';
import { LineIndex } from '../../server/src/analysis/positions.ts';

const noFiles: CertificateFiles = { read: () => ({ ok: false, reason: 'no files in this test' }) };

export function analyzeText(text: string): Analysis {
  return analyze(text, { certificateFiles: noFiles, now: new Date('2026-06-01T00:00:00Z') });
}

/** Applies LSP text edits the way a client does: all ranges refer to the original text. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits
    .map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]!.end > spans[i - 1]!.start) throw new Error('overlapping edits');
  }
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}

export function applyWorkspaceEdit(text: string, uri: string, edit: WorkspaceEdit | undefined): string {
  const edits = edit?.changes?.[uri];
  if (!edits) throw new Error(`the edit changes nothing in ${uri}`);
  return applyTextEdits(text, edits);
}
