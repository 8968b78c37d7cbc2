// The input of the CI renderers: per file, its diagnostics (offsets into the text) and
// the line index that turns them into 1-based lines and columns. `check` and `scan`
// both hand over this shape, so both print the same SARIF and the same annotations.
import type { Diagnostic, Severity } from '../analysis/diagnostic.ts';
import type { LineIndex } from '../analysis/positions.ts';

export interface FileFindings {
  /** The path as the user named it (relative paths stay relative, for CI checkouts). */
  path: string;
  lines: LineIndex;
  diagnostics: Diagnostic[];
}

export interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** 1-based lines and UTF-16 columns, the end exclusive, as SARIF and GitHub count them. */
export function regionOf(lines: LineIndex, d: Diagnostic): Region {
  const s = lines.position(d.start);
  const e = lines.position(d.end);
  return { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

export type Level = 'error' | 'warning' | 'note';

export const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
