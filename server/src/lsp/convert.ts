// Engine values → LSP values. The engine speaks offsets and rule ids; the protocol
// speaks positions, severities as numbers and tags.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic as LspDiagnostic, type Range } from 'vscode-languageserver';
import type { Diagnostic, Severity } from '../analysis/diagnostic.ts';
import type { LineIndex } from '../analysis/positions.ts';

export function toRange(lines: LineIndex, start: number, end: number): Range {
  return { start: lines.position(start), end: lines.position(end) };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Rules whose anchor is text that does nothing: editors fade it instead of underlining. */
const UNNECESSARY: ReadonlySet<string> = new Set(['unused-trust', 'unused-ca']);

export function toLspDiagnostic(d: Diagnostic, lines: LineIndex): LspDiagnostic {
  return {
    range: toRange(lines, d.start, d.end),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'sptls',
    message: d.message,
    ...(UNNECESSARY.has(d.code) ? { tags: [DiagnosticTag.Unnecessary] } : {}),
    ...(d.data ? { data: d.data } : {}),
  };
}
