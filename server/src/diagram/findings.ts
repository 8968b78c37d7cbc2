// Diagnostics looked up by the source span they are anchored in, so each node and
// edge carries the findings of its own declaration or connection. The engine sorts
// diagnostics by start; a binary search finds the first one inside a span.
import type { Diagnostic, Severity } from '../analysis/diagnostic.ts';

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
}

export function toFinding(d: Diagnostic): Finding {
  return { rule: d.code, severity: d.severity, message: d.message, start: d.start, end: d.end };
}

export class FindingIndex {
  private readonly sorted: Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    this.sorted = [...diagnostics].sort((a, b) => a.start - b.start);
  }

  /** Diagnostics whose range starts inside [start, end). */
  within(span: { start: number; end: number }): Finding[] {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]!.start < span.start) lo = mid + 1;
      else hi = mid;
    }
    const out: Finding[] = [];
    for (let i = lo; i < this.sorted.length && this.sorted[i]!.start < span.end; i++) out.push(toFinding(this.sorted[i]!));
    return out;
  }
}
