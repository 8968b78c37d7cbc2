// Round trip support for tests: the verdict of `check` on every connection of a topology.
import type { Analysis } from '../../server/src/analysis/engine.ts';

/** The codes of the diagnostics anchored on each connection, keyed `from -> to`. */
export function verdicts(a: Analysis, rename: (name: string) => string = (n) => n): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const l of a.model.links) {
    if (!l.from || !l.to) continue;
    const { start, end } = l.connection;
    const codes = a.diagnostics.filter((d) => d.start >= start && d.start < end && d.severity !== 'hint').map((d) => d.code).sort();
    const key = `${rename(l.from.name)} -> ${rename(l.to.name)}`;
    out.set(key, [...(out.get(key) ?? []), ...codes].sort());
  }
  return out;
}
