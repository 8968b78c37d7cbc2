// What stands at an offset of the text: the AST leaf under the cursor, with what an
// editor feature needs to act on it (the entity a name declares or refers to, the
// property a keyword or value belongs to). Shared by navigation, hover, completion
// and semantic tokens, so they agree on what each piece of text is.
import { keywordSpan, type Block, type Comment, type Connection, type Declaration, type Property, type Span, type Statement, type Value } from '../../../../grammar/src/index.ts';
import type { Analysis } from '../../analysis/engine.ts';
import type { Entity, Reference } from '../../analysis/model.ts';

export type BlockContext = 'declaration' | 'certificate' | 'connection';

export type Leaf =
  | { kind: 'declaration-name'; span: Value; declaration: Declaration; entity: Entity }
  /** A name in `trusts`, `signed-by`, `certificate signed-by`, `spoke-of` or a connection end; `target` is null when nothing declares it. */
  | { kind: 'reference'; span: Value; reference: Reference; target: Entity | null }
  | { kind: 'kind-keyword'; span: Span; declaration: Declaration }
  /** `parent` is the `certificate` property whose block holds `property`. */
  | { kind: 'property-keyword'; span: Span; property: Property; owner: Statement; context: BlockContext; parent: Property | null }
  /** A value that names nothing: string, number, version, keyword (`self-signed`, `rsa`…), a `purpose`; `property` is null for a connection's `tls`/`plain`. */
  | { kind: 'value'; span: Value; property: Property | null; owner: Statement }
  | { kind: 'arrow'; span: Span; connection: Connection };

export type NodeAt =
  | Leaf
  | { kind: 'comment'; span: Comment }
  /** Whitespace or punctuation; `statement` and `block` say where it stands, if anywhere. */
  | { kind: 'nothing'; statement: Statement | null; block: Block | null };

interface Index {
  entityByDeclaration: Map<Declaration, Entity>;
  referenceByStart: Map<number, Reference>;
}

const indexes = new WeakMap<Analysis, Index>();

function indexOf(analysis: Analysis): Index {
  let index = indexes.get(analysis);
  if (!index) {
    index = {
      entityByDeclaration: new Map(analysis.model.entities.map((e) => [e.decl, e])),
      referenceByStart: new Map(analysis.model.references.map((r) => [r.value.start, r])),
    };
    indexes.set(analysis, index);
  }
  return index;
}

/** Every leaf of a statement, in source order. */
export function statementLeaves(analysis: Analysis, st: Statement): Leaf[] {
  const index = indexOf(analysis);
  const out: Leaf[] = [];
  const valueLeaf = (value: Value, property: Property | null): Leaf => {
    const reference = index.referenceByStart.get(value.start);
    if (reference && reference.value === value) {
      return { kind: 'reference', span: value, reference, target: analysis.model.byName.get(value.text) ?? null };
    }
    return { kind: 'value', span: value, property, owner: st };
  };
  const blockLeaves = (block: Block | null | undefined, context: BlockContext, parent: Property | null): void => {
    for (const property of block?.properties ?? []) {
      out.push({ kind: 'property-keyword', span: keywordSpan(property), property, owner: st, context, parent });
      for (const v of property.values) out.push(valueLeaf(v, property));
      blockLeaves(property.block, context === 'connection' ? 'connection' : 'certificate', property);
    }
  };
  if (st.type === 'declaration') {
    out.push({ kind: 'kind-keyword', span: st.kindSpan, declaration: st });
    const entity = st.name ? index.entityByDeclaration.get(st) : undefined;
    if (st.name && entity) out.push({ kind: 'declaration-name', span: st.name, declaration: st, entity });
    blockLeaves(st.block, 'declaration', null);
  } else {
    out.push(valueLeaf(st.from, null));
    out.push({ kind: 'arrow', span: st.arrowSpan, connection: st });
    if (st.to) out.push(valueLeaf(st.to, null));
    if (st.protocol) out.push(valueLeaf(st.protocol, null));
    blockLeaves(st.block, 'connection', null);
  }
  return out;
}

/** The statement whose span holds `offset` (its end included), if any. */
export function statementAt(analysis: Analysis, offset: number): Statement | null {
  const statements = analysis.parse.ast.statements;
  const i = lastStartingAtOrBefore(statements, offset);
  const st = i >= 0 ? statements[i]! : null;
  return st && offset <= st.end ? st : null;
}

export function commentAt(analysis: Analysis, offset: number): Comment | null {
  const comments = analysis.parse.ast.comments;
  const i = lastStartingAtOrBefore(comments, offset);
  const c = i >= 0 ? comments[i]! : null;
  if (!c || offset <= c.start) return null;
  const isLineComment = !c.text.startsWith('/*');
  return offset < c.end || (isLineComment && offset === c.end) ? c : null;
}

/**
 * What stands at `offset`. A cursor touching a token on either side counts as on it;
 * where two tokens touch (`A->B`), a name wins over punctuation so rename and
 * go-to-definition work at a name's end.
 */
export function nodeAt(analysis: Analysis, offset: number): NodeAt {
  const comment = commentAt(analysis, offset);
  if (comment) return { kind: 'comment', span: comment };
  const statement = statementAt(analysis, offset);
  if (!statement) return { kind: 'nothing', statement: null, block: null };
  const touching = statementLeaves(analysis, statement).filter((l) => l.span.start <= offset && offset <= l.span.end);
  const best = touching.find((l) => l.kind === 'declaration-name' || l.kind === 'reference')
    ?? touching.find((l) => offset < l.span.end)
    ?? touching[0];
  return best ?? { kind: 'nothing', statement, block: innermostBlock(statement, offset) };
}

/** The innermost `{ … }` of a statement that holds `offset` (between its braces). */
export function innermostBlock(st: Statement, offset: number): Block | null {
  let found: Block | null = null;
  let block = st.block;
  while (block && block.start < offset && (offset < block.end || !block.closed)) {
    found = block;
    block = block.properties.find((p) => p.block && p.start <= offset && offset <= p.end)?.block ?? null;
  }
  return found;
}

function lastStartingAtOrBefore(spans: readonly Span[], offset: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.start <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}
