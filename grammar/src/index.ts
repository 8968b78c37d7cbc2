// The sptls parser: `parse(text)` returns the typed AST and every syntax error, and never throws.
import type { ParseResult } from './ast.ts';
import { AstBuilder } from './build-ast.ts';
import { parseTokens } from './parser.ts';
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
    const { cst, errors } = parseTokens(lexed.tokens);
    builder.addLexErrors(lexed.errors);
    builder.addRecognitionErrors(errors, lexed.tokens);
    const ast = builder.buildFile(cst, lexed.comments, lexed.tokens);
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
