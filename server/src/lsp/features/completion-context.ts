// Where the cursor stands, for completion. The text at the cursor is mid-edit, so
// the syntax tree is not enough: the tokens from the start of the enclosing (or
// previous) statement up to the cursor are re-lexed and walked with a small block
// stack. The AST only says where that statement starts.
import type { IToken } from 'chevrotain';
import { CERTIFICATE_PROPERTIES, CONNECTION_PROPERTIES, DECLARATION_PROPERTIES, KIND_KEYWORDS, type Kind } from '../../../../grammar/src/index.ts';
import { tokenize } from '../../../../grammar/src/tokens.ts';
import type { Analysis } from '../../analysis/engine.ts';

export type Scope =
  | { type: 'top' }
  | { type: 'declaration'; kind: Kind; name: string | null; lastProperty: string | null }
  | { type: 'certificate'; kind: Kind; name: string | null; lastProperty: string | null }
  | { type: 'connection'; from: string; lastProperty: string | null }
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
  /** Inside a comment or string: nothing to complete. */
  quiet: boolean;
}

const KINDS: ReadonlySet<string> = new Set(KIND_KEYWORDS);
const PROPERTY_KEYWORDS: ReadonlySet<string> = new Set([...DECLARATION_PROPERTIES, ...CERTIFICATE_PROPERTIES, ...CONNECTION_PROPERTIES]);
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
    return { scope: { type: 'unknown' }, top: { after: 'nothing' }, previous: [], wordStart: offset, quiet: true };
  }
  let wordStart = offset;
  const last = tokens.at(-1);
  if (last && endOf(last) === sliceEnd && WORD.test(last.image)) {
    wordStart = base + last.startOffset;
    tokens.pop();
  }

  let stack: Scope[] = [];
  let header: { kind: Kind; name: string | null } | { from: string; to: string | null; arrow: boolean } | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const img = t.image;
    const type = t.tokenType.name;
    if (KINDS.has(img) && type.startsWith('KW_')) { stack = []; header = { kind: img as Kind, name: null }; continue; }
    if (type === 'ConnectionStart') { stack = []; header = { from: img, to: null, arrow: false }; continue; }
    const scope = stack.at(-1);
    if (!scope) {
      if (img === '{') {
        if (header && 'kind' in header) stack.push({ type: 'declaration', kind: header.kind, name: header.name, lastProperty: null });
        else if (header) stack.push({ type: 'connection', from: header.from, lastProperty: null });
        else stack.push({ type: 'unknown' });
        header = null;
      } else if (img === '}' || img === ';') {
        header = null;
      } else if (header && 'kind' in header) {
        if (header.name === null && type === 'Identifier') header.name = img;
      } else if (header) {
        if (type === 'Arrow') header.arrow = true;
        else if (header.arrow && header.to === null && type === 'Identifier') header.to = img;
      }
      continue;
    }
    if (img === '{') {
      stack.push(scope.type === 'declaration' && scope.lastProperty === 'certificate'
        ? { type: 'certificate', kind: scope.kind, name: scope.name, lastProperty: null }
        : { type: 'unknown' });
    } else if (img === '}') {
      stack.pop();
    } else if (scope.type !== 'top' && scope.type !== 'unknown' && type.startsWith('KW_') && PROPERTY_KEYWORDS.has(img)) {
      // `certificate signed-by X` and `certificate file "…"` are one property: its block is a certificate block.
      if (tokens[i - 1]?.image !== 'certificate') scope.lastProperty = img;
    }
  }

  const scope = stack.at(-1) ?? { type: 'top' };
  let top: TopPosition = { after: 'nothing' };
  if (scope.type === 'top' && header) {
    if ('kind' in header) top = header.name === null ? { after: 'kind' } : { after: 'nothing' };
    else if (header.arrow) top = header.to === null ? { after: 'arrow', initiator: header.from } : { after: 'responder', initiator: header.from, responder: header.to };
  }
  return { scope, top, previous: tokens, wordStart, quiet: false };
}
