// What a rule reads of one statement: the projection the incremental layer's rule memo
// compares (analysis/incremental.ts). A rule with a projection reads nothing but the model
// (no chains, certificate files, clock or settings), so when the statements an edit replaced
// project as the ones that replace them, and none of its earlier diagnostics lies in them,
// those diagnostics stand, moved with the text. Positions are left out: a rule reports on a
// node's span, so a diagnostic outside the replaced statements is the same diagnostic
// moved, and one inside them makes the rule run again. A projection
// that leaves out something its rule reads makes the memo wrong, and
// test/analysis/incremental.test.ts (a fresh analysis after every random edit) fails.
import type { Block, Statement, Value } from '../../../../grammar/src/index.ts';

export type Projection = (s: Statement) => string;

/**
 * The statement's shape — its kind and name, a connection's ends and protocol, every
 * property's name and the values of the properties named in `values` ('all': every value);
 * no positions.
 */
export function reads(values: 'all' | readonly string[]): Projection {
  const named = values === 'all' ? null : new Set(values);
  return (s) => {
    const out: Array<string | number> = [s.type];
    if (s.type === 'declaration') {
      out.push(s.kind);
      value(out, s.name);
    } else {
      value(out, s.from);
      value(out, s.to);
      value(out, s.protocol);
    }
    block(out, s.block, named);
    return out.join('\u0000');
  };
}

function block(out: Array<string | number>, b: Block | null | undefined, named: ReadonlySet<string> | null): void {
  if (!b) { out.push('-'); return; }
  out.push('{', b.closed ? 1 : 0, b.properties.length);
  for (const p of b.properties) {
    out.push(p.name, p.values.length);
    if (!named || named.has(p.name)) for (const v of p.values) value(out, v);
    block(out, p.block, named);
  }
}

function value(out: Array<string | number>, v: Value | null): void {
  if (v) out.push(v.kind, v.text);
  else out.push('-');
}
