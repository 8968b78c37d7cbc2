// Where the cursor stands, for completion. The text at the cursor is mid-edit, so the
// syntax tree is not enough: the tokens from the start of the enclosing (or previous)
// statement up to the cursor are re-lexed and parsed by the grammar
// (grammar/src/parser.ts `rulesOpenAtEnd`): the rules still open where the input runs
// out say which block the cursor is in. Only the current statement is lexed and
// parsed, so the cost does not grow with the file.
import type { IToken } from 'chevrotain';
import { KIND_KEYWORDS, type Kind } from '../../../../grammar/src/index.ts';
import { isStatementStart, rulesOpenAtEnd } from '../../../../grammar/src/parser.ts';
import { tokenize } from '../../../../grammar/src/tokens.ts';
import type { Analysis } from '../../analysis/engine.ts';

export type Scope =
  | { type: 'top' }
  | { type: 'declaration'; kind: Kind; name: string | null }
  | { type: 'certificate'; kind: Kind; name: string | null }
  | { type: 'connection'; from: string }
  | { type: 'unknown' };

/** What the cursor follows at the top level. */
export type TopPosition =
  | { after: 'nothing' } // between statements: a new statement may start
  | { after: 'kind' } // `server |`: a new name is typed
  | { after: 'arrow'; initiator: string } // `A -> |`
  | { after: 'responder'; initiator: string; responder: string }; // `A -> B |`

export interface CursorContext {
  scope: Scope;
  top: TopPosition;
  /** Tokens before the cursor, nearest last, without the word being typed. */
  previous: IToken[];
  /** Start of the word being typed (the cursor offset when none). */
  wordStart: number;
  /** The grammar expects another name of a `trusts A, B` list. */
  trustsList: boolean;
  /** Inside a comment or string: nothing to complete. */
  quiet: boolean;
}

const KINDS: ReadonlySet<string> = new Set(KIND_KEYWORDS);
const isKind = (t: IToken): boolean => KINDS.has(t.image) && t.tokenType.name.startsWith('KW_');
const WORD = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Start of the statement the offset is in, or of the last one before it. */
function windowStart(a: Analysis, offset: number): number {
  const statements = a.parse.ast.statements;
  let lo = 0;
  let hi = statements.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (statements[mid]!.start <= offset) { found = statements[mid]!.start; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

function endOf(t: IToken): number {
  return t.startOffset + t.image.length;
}

function insideLiteral(tokens: IToken[], comments: IToken[], sliceEnd: number): boolean {
  const comment = comments.at(-1);
  if (comment && endOf(comment) === sliceEnd && !comment.image.endsWith('*/')) return true;
  const last = tokens.at(-1);
  if (!last || endOf(last) !== sliceEnd || !last.image.startsWith('"')) return false;
  return last.image.length === 1 || !last.image.endsWith('"') || /(^|[^\\])(\\\\)*\\"$/.test(last.image);
}

export function cursorContext(a: Analysis, offset: number): CursorContext {
  const base = windowStart(a, offset);
  const lexed = tokenize(a.text.slice(base, offset));
  const sliceEnd = offset - base;
  const tokens = lexed.tokens;
  if (insideLiteral(tokens, lexed.comments, sliceEnd)) {
    return { scope: { type: 'unknown' }, top: { after: 'nothing' }, previous: [], wordStart: offset, trustsList: false, quiet: true };
  }
  let wordStart = offset;
  const last = tokens.at(-1);
  if (last && endOf(last) === sliceEnd && WORD.test(last.image)) {
    wordStart = base + last.startOffset;
    tokens.pop();
  }

  const open = rulesOpenAtEnd(tokens);
  const scope = scopeOf(tokens, open);
  return {
    scope,
    top: scope.type === 'top' ? topPosition(tokens, open!) : { after: 'nothing' },
    previous: tokens,
    wordStart,
    // After `trusts A,` the trusts property is still open; after `x y,` it is a misspelt one.
    trustsList: tokens.at(-1)?.image === ',' && open?.at(-1) === 'property',
    quiet: false,
  };
}

function scopeOf(tokens: IToken[], open: string[] | null): Scope {
  // The grammar failed before the cursor: it cannot say where the cursor is.
  if (open === null) return { type: 'unknown' };
  const inside = open.filter((r) => r === 'block').length;
  if (inside === 0) return { type: 'top' };
  const start = tokens.findLastIndex(isStatementStart);
  const first = tokens[start]!;
  if (open[1] === 'connection') return inside === 1 ? { type: 'connection', from: first.image } : { type: 'unknown' };
  const kind = first.image as Kind;
  const name = tokens[start + 1]?.tokenType.name === 'Identifier' ? tokens[start + 1]!.image : null;
  if (inside === 1) return { type: 'declaration', kind, name };
  // The grammar opens a block in a declaration's block only after `certificate self-signed|signed-by X`.
  return inside === 2 ? { type: 'certificate', kind, name } : { type: 'unknown' };
}

function topPosition(tokens: IToken[], open: string[]): TopPosition {
  if (open.at(-1) === 'declaration') return isKind(tokens.at(-1)!) ? { after: 'kind' } : { after: 'nothing' };
  const start = tokens.findLastIndex(isStatementStart);
  if (start < 0 || isKind(tokens[start]!)) return { after: 'nothing' };
  const initiator = tokens[start]!.image;
  const last = tokens.at(-1)!;
  if (open.at(-1) === 'connection') return last.tokenType.name === 'Arrow' ? { after: 'arrow', initiator } : { after: 'nothing' };
  // A complete connection ends at its responder; a protocol or block may still follow it.
  if (open.length === 0 && start === tokens.length - 3) return { after: 'responder', initiator, responder: last.image };
  return { after: 'nothing' };
}
