// The sptls parser: `parse(text)` returns the typed AST and every syntax error, and never throws.
import type { ParseResult } from './ast.ts';
import { AstBuilder } from './build-ast.ts';
import { parseTokens, statementChunks } from './parser.ts';
import { tokenize } from './tokens.ts';

export type * from './ast.ts';
export { KEYWORDS, KIND_KEYWORDS, type Keyword, type Kind } from './tokens.ts';
export { CERTIFICATE_PROPERTIES, CONNECTION_PROPERTIES, DECLARATION_PROPERTIES } from './property-contexts.ts';

export function parse(text: string): ParseResult {
  // A leading byte-order mark is ignored; it is blanked, not removed, so offsets stay those of the text.
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const builder = new AstBuilder();
  try {
    const lexed = tokenize(source);
    builder.addLexErrors(lexed.errors);
    const last = lexed.tokens[lexed.tokens.length - 1];
    // Statements are parsed one at a time: Chevrotain's in-repetition recovery recurses
    // once per error, so a whole file with thousands of errors would exhaust the stack.
    // A statement always starts at a kind keyword or at `name ->`, which never occur
    // inside a block, so the split changes no parse.
    for (const chunk of statementChunks(lexed.tokens)) {
      try {
        const { cst, errors } = parseTokens(chunk.tokens);
        builder.addStatements(cst);
        builder.addRecognitionErrors(errors, chunk.tokens, chunk.next);
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        const first = chunk.tokens[0]!;
        builder.errors.push({ message: 'this statement has too many errors to read; fix the first ones', start: first.startOffset, end: first.startOffset + first.image.length });
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

/** One error per offending token: recovery can report the same token from several rules. */
function dedupe<T extends { start: number }>(errors: T[]): T[] {
  return errors.filter((e, i) => i === 0 || errors[i - 1]!.start !== e.start);
}
