// `# sptls-ignore RULE[, RULE…] [-- reason]` alone on the line right before a
// statement silences those rules for diagnostics starting inside that statement.
import type { SptlsFile } from '../../../grammar/src/index.ts';
import type { Diagnostic } from './diagnostic.ts';
import type { LineIndex } from './positions.ts';

const DIRECTIVE = /^(?:#|\/\/)\s*sptls-ignore\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*(?:--.*)?$/;

interface Suppression {
  start: number;
  end: number;
  rules: Set<string>;
}

export function findSuppressions(file: SptlsFile, text: string, lines: LineIndex): Suppression[] {
  const byLine = new Map<number, Set<string>>();
  for (const c of file.comments) {
    const m = DIRECTIVE.exec(c.text.trimEnd());
    if (!m) continue;
    const line = lines.lineOf(c.start);
    // Alone on its line: only white space before it.
    if (text.slice(lines.lineStart(line), c.start).trim() !== '') continue;
    byLine.set(line, new Set(m[1]!.split(',').map((s) => s.trim())));
  }
  if (byLine.size === 0) return [];
  const out: Suppression[] = [];
  for (const st of file.statements) {
    const rules = byLine.get(lines.lineOf(st.start) - 1);
    if (rules) out.push({ start: st.start, end: st.end, rules });
  }
  return out;
}

export function applySuppressions(diagnostics: Diagnostic[], suppressions: Suppression[]): Diagnostic[] {
  if (suppressions.length === 0) return diagnostics;
  return diagnostics.filter((d) => !suppressions.some((s) => d.start >= s.start && d.start < s.end && s.rules.has(d.code)));
}
