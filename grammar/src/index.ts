// The sptls parser: `parse(text)` returns the typed AST and every syntax error, and never throws.
import type { ParseResult, Property, Span } from './ast.ts';
import { AstBuilder } from './build-ast.ts';
import { parseTokens, statementChunks, type StatementChunk } from './parser.ts';
import { tokenize } from './tokens.ts';

export type * from './ast.ts';
export { KEYWORDS, KIND_KEYWORDS, type Keyword, type Kind } from './tokens.ts';
export { CERTIFICATE_PROPERTIES, CONNECTION_PROPERTIES, DECLARATION_PROPERTIES } from './property-contexts.ts';

/** Where a property's keyword stands: its start, for as many characters as the keyword has. */
export function keywordSpan(p: Property): Span {
  return { start: p.start, end: p.start + p.name.length };
}

export function parse(text: string): ParseResult {
  // A leading byte-order mark is ignored; it is blanked, not removed, so offsets stay those of the text.
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const builder = new AstBuilder();
  try {
    const lexed = tokenize(source);
    builder.addLexErrors(lexed.errors);
    const last = lexed.tokens[lexed.tokens.length - 1];
    // Statements are parsed a group at a time: Chevrotain's in-repetition recovery recurses
    // once per error, so a whole file with thousands of errors would exhaust the stack. A
    // statement always starts at a kind keyword or at `name ->`, which never occur inside a
    // block, so the cuts change no parse. A group too broken to parse is retried statement
    // by statement, so only the statement at fault is lost.
    for (const group of statementChunks(lexed.tokens, STATEMENTS_PER_GROUP)) {
      if (parseChunk(builder, group)) continue;
      for (const chunk of statementChunks(group.tokens.slice(), 1)) {
        const next = chunk.next ?? group.next;
        if (!parseChunk(builder, { tokens: chunk.tokens, next })) {
          const first = chunk.tokens[0]!;
          builder.errors.push({ message: 'this statement has too many errors to read; fix the first ones', start: first.startOffset, end: first.startOffset + first.image.length });
        }
      }
    }
    const ast = builder.finishFile(lexed.comments, last);
    builder.errors.sort((a, b) => a.start - b.start);
    return { ast, errors: dedupe(builder.errors) };
  } catch (e) {
    // Defence in depth: the contract is "never throws", whatever Chevrotain does on some input.
    const message = `internal parser error: ${e instanceof Error ? e.message : String(e)}`;
    return { ast: { statements: [], comments: [], lastTokenSpan: null }, errors: [{ message, start: 0, end: 0 }] };
  }
}

const STATEMENTS_PER_GROUP = 64;

/** Parses one group into the builder; false (and nothing added) when the parser ran out of stack. */
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
