// Shared setup of the editor-feature tests: analysis without any certificate file,
// the spec's first example, and applying LSP text edits.
import { readFileSync } from 'node:fs';
import type { TextEdit } from 'vscode-languageserver';
import { analyze, type Analysis } from '../../server/src/analysis/engine.ts';
import { LineIndex } from '../../server/src/analysis/positions.ts';

export const NOW = new Date('2026-01-31T00:00:00Z');

export function analyzeText(text: string): Analysis {
  return analyze(text, { certificateFiles: { read: () => ({ ok: false, reason: 'no files in tests' }) }, now: NOW });
}

export const SHARED = new URL('../../../shared/', import.meta.url);

/** The first ```sptls block of the language specification (§1). */
export function specExample(): string {
  const spec = readFileSync(new URL('spec/language.md', SHARED), 'utf8');
  const m = /```sptls\n([\s\S]*?)```/.exec(spec);
  if (!m) throw new Error('no sptls example in the spec');
  return m[1]!;
}

/** Applies non-overlapping edits to `text`. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = edits.map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
