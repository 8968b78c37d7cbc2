// The sptls parser: `parse(text)` returns the typed AST and every syntax error, and never throws.
import type { ParseResult, Property, Span } from './ast.ts';
import { AstBuilder } from './build-ast.ts';
import { isStatementStart, parseStrict, parseTokens, statementChunks, type StatementChunk } from './parser.ts';
import { endsInOpenComment, markConnectionStart, tokenizeRange } from './tokens.ts';
import type { CstNode, IToken } from 'chevrotain';

export type * from './ast.ts';
export { KEYWORDS, KIND_KEYWORDS, type Keyword, type Kind } from './tokens.ts';
export { CERTIFICATE_PROPERTIES, CONNECTION_PROPERTIES, DECLARATION_PROPERTIES } from './property-contexts.ts';

/** Where a property's keyword stands: its start, for as many characters as the keyword has. */
export function keywordSpan(p: Property): Span {
  return { start: p.start, end: p.start + p.name.length };
}

export interface ParseOptions {
  /** How much text is lexed at a time (tests make it small to exercise the range seams). */
  charsPerRange?: number;
  /**
   * Rethrow a crash instead of returning it as an "internal parser error". The editor and the
   * CLI never set it (they must not crash); the fuzz tests do, so a crash fails them.
   */
  rethrowInternalErrors?: boolean;
}

export function parse(text: string, options: ParseOptions = {}): ParseResult {
  return parseSpan(text, 0, text.length, options.charsPerRange ?? CHARS_PER_RANGE, options.rethrowInternalErrors === true)!;
}

/**
 * Parses only the statements of `text[start, end)`, with offsets into the whole text, as
 * `parse(text)` parses them: for the incremental layer (server/src/analysis/incremental.ts).
 * `start` must be where a statement begins (or 0) and `end` the start of a kind keyword
 * that begins its line (or the text's end), so the statements inside depend on nothing
 * outside but the keyword at `end`, which is the token after the last one. Null when a
 * block comment left open before `end` swallows it: then `end` was no statement start.
 */
export function parseRange(text: string, start: number, end: number): ParseResult | null {
  return parseSpan(text, start, end, CHARS_PER_RANGE, false);
}

function parseSpan(text: string, from: number, to: number, charsPerRange: number, rethrow: boolean): ParseResult | null {
  // A leading byte-order mark is ignored; it is blanked, not removed, so offsets stay those of the text.
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const builder = new AstBuilder();
  try {
    // The text is lexed a range at a time and every complete statement is parsed before the
    // next range is lexed, so tokens die young instead of all living through the whole parse.
    // A range ends at a line end: only a block comment spans lines, and a range that ends
    // inside one is stretched to the comment's close.
    const comments: IToken[] = [];
    let pending: IToken[] = [];
    let last: IToken | undefined;
    for (let start = from; start < to;) {
      let end = Math.min(to, lineEndFrom(source, start + charsPerRange));
      let lexed = tokenizeRange(source, start, end);
      if (endsInOpenComment(lexed)) {
        if (end === to && to < source.length) return null;
        if (end < to) {
          const close = source.indexOf('*/', lexed.comments[lexed.comments.length - 1]!.startOffset + 2);
          end = close < 0 ? to : Math.min(to, lineEndFrom(source, close + 2));
          lexed = tokenizeRange(source, start, end);
          if (end === to && to < source.length && endsInOpenComment(lexed)) return null;
        }
      }
      start = end;
      builder.addLexErrors(lexed.errors);
      for (const c of lexed.comments) comments.push(c);
      if (lexed.tokens.length === 0) continue;
      // The seam may cut `A ->` from `B`, or `B` from its `->`: both sides decide.
      markConnectionStart(pending[pending.length - 2], pending[pending.length - 1], lexed.tokens[0]);
      markConnectionStart(pending[pending.length - 1], lexed.tokens[0], lexed.tokens[1]);
      pending = pending.length === 0 ? lexed.tokens : pending.concat(lexed.tokens);
      last = pending[pending.length - 1];
      // Everything before the last statement start is complete: parse it now.
      let cut = pending.length - 1;
      while (cut > 0 && !isStatementStart(pending[cut]!)) cut--;
      if (cut > 0) {
        parseStatements(builder, pending, cut);
        pending = pending.slice(cut);
      }
    }
    // Ending before the text's end, the last statement's next token is the keyword at `to`.
    const next = to < source.length ? tokenizeRange(source, to, lineEndFrom(source, to)).tokens[0] : undefined;
    parseStatements(builder, next ? pending.concat(next) : pending, pending.length);
    const ast = builder.finishFile(comments, last);
    builder.errors.sort((a, b) => a.start - b.start);
    return { ast, errors: dedupe(builder.errors) };
  } catch (e) {
    if (rethrow) throw e;
    // Defence in depth: the contract is "never throws", whatever Chevrotain does on some input.
    const message = `internal parser error: ${e instanceof Error ? e.message : String(e)}`;
    return { ast: { statements: [], comments: [], lastTokenSpan: null }, errors: [{ message, start: 0, end: 0 }] };
  }
}

const CHARS_PER_RANGE = 64 * 1024;

/** The offset just after the first line end at or after `from` (the text's end when there is none). */
function lineEndFrom(text: string, from: number): number {
  if (from >= text.length) return text.length;
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl + 1;
}

/**
 * Parses the complete statements `tokens[0, end)`. Well-formed statements are parsed a
 * group at a time by the parser without recovery; a group with an error is parsed again
 * statement by statement with recovery, so what recovery makes of a statement depends on
 * that statement and the token after it alone, never on where a group or range began
 * (the incremental layer re-parses single statements and relies on it). That also bounds
 * Chevrotain's in-repetition recovery, which recurses once per error. A statement always
 * starts at a kind keyword or at `name ->`, which never occur inside a block, so the cuts
 * change no parse. A statement too broken to parse is reported, and only it is lost.
 * `tokens[end]`, when there is one, is the token after the last statement.
 */
function parseStatements(builder: AstBuilder, tokens: IToken[], end: number): void {
  for (const group of statementChunks(tokens, STATEMENTS_PER_GROUP, end)) {
    const cst = parseWellFormed(group.tokens);
    if (cst) {
      builder.addStatements(cst);
      continue;
    }
    for (const chunk of statementChunks(group.tokens, 1)) {
      if (!parseChunk(builder, { tokens: chunk.tokens, next: chunk.next ?? group.next })) {
        const first = chunk.tokens[0]!;
        builder.errors.push({ message: 'this statement has too many errors to read; fix the first ones', start: first.startOffset, end: first.startOffset + first.image.length });
      }
    }
  }
}

const STATEMENTS_PER_GROUP = 64;

/** The syntax tree of a group without errors; null when it has one (or ran out of stack). */
function parseWellFormed(tokens: IToken[]): CstNode | null {
  try {
    return parseStrict(tokens);
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

/** Parses one statement into the builder; false (and nothing added) when the parser ran out of stack. */
function parseChunk(builder: AstBuilder, chunk: StatementChunk): boolean {
  let result;
  try {
    result = parseTokens(chunk.tokens);
  } catch (e) {
    if (e instanceof RangeError) return false;
    throw e;
  }
  builder.addStatements(result.cst);
  builder.addRecognitionErrors(result.errors, chunk.tokens, chunk.next);
  return true;
}

/** One error per offending token: recovery can report the same token from several rules. */
function dedupe<T extends { start: number }>(errors: T[]): T[] {
  return errors.filter((e, i) => i === 0 || errors[i - 1]!.start !== e.start);
}
