// Chevrotain CstParser for spec §3, with error recovery on. One instance is built at
// module load (self-analysis is the expensive part) and reused for every parse.
//
// The grammar is kept flat on purpose: six rules (one for a misspelt property), and properties grouped by value
// shape through token categories, so a typical line makes two or three CST nodes.
// Which properties are allowed in which block is checked when the CST becomes the
// AST (build-ast.ts), where the message can say where the property belongs.
import { CstParser, EOF, type CstNode, type IParserErrorMessageProvider, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import {
  allTokens, Arrow, Comma, ConnectionStart, KIND_KEYWORDS, CurveKeyword, Identifier, IntegerLiteral, IntPropKeyword, KindKeyword, KW, LCurly,
  NamePropKeyword, ProtocolKeyword, RCurly, Semicolon, StringLiteral, StringPropKeyword, UnitKeyword,
  VersionLiteral, VersionPropKeyword, YesNoKeyword,
} from './tokens.ts';
import { closestName } from './names.ts';

const STATEMENT_HINT = 'a statement is a declaration (server, client, ca, …) or a connection (A -> B)';

export function found(t: IToken): string {
  if (t.tokenType === EOF) return 'the end of the file';
  // A name before `->` is lexed as the start of the next connection: say so, or
  // "expected a name, found 'B'" contradicts itself.
  if (t.tokenType === ConnectionStart) return `'${t.image}', which starts the connection '${t.image} -> …'`;
  return `'${t.image}'`;
}

/** What a token that cannot start a statement was probably meant to be. */
function unexpectedStatement(t: IToken): string {
  if (t.tokenType === Arrow) return `unexpected '->': a connection has two ends; write each hop as a connection of its own (A -> B, then B -> C)`;
  // One or two letters are within reach of too many kinds to guess.
  const meant = t.tokenType === Identifier && t.image.length >= 3 ? closestName(t.image, KIND_KEYWORDS) : undefined;
  if (meant) return `unexpected '${t.image}': did you mean '${meant}'? A statement is a declaration (server, client, ca, …) or a connection (A -> B)`;
  return `unexpected ${found(t)}: ${STATEMENT_HINT}`;
}

function expectedLabel(type: TokenType): string {
  return type.LABEL ?? type.name;
}

/** "after 'x'" only when x really precedes the offending token (in-repetition recovery reports the last skipped one). */
function after(previous: IToken | undefined, actual: IToken): string {
  if (!previous || previous.tokenType === EOF || !previous.image) return '';
  if (actual.tokenType !== EOF && previous.startOffset >= actual.startOffset) return '';
  return ` after '${previous.image}'`;
}

/** Messages that say what was expected in the language's own words. */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous }) {
    if (expected === EOF) return unexpectedStatement(actual);
    return `expected ${expectedLabel(expected)}${after(previous, actual)}, found ${found(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return unexpectedStatement(firstRedundant);
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous }) {
    const firsts = [...new Set(expectedPathsPerAlt.flatMap((paths) => paths.map((p) => p[0])).filter((t) => t !== undefined).map(expectedLabel))];
    return `expected ${firsts.join(' or ')}${after(previous, actual[0]!)}, found ${found(actual[0]!)}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, previous }) {
    const firsts = [...new Set(expectedIterationPaths.map((p) => p[0]).filter((t) => t !== undefined).map(expectedLabel))];
    return `expected ${firsts.join(' or ')}${after(previous, actual[0]!)}, found ${found(actual[0]!)}`;
  },
};

class SptlsParser extends CstParser {
  private certificateDepth = 0;

  constructor(recoveryEnabled: boolean) {
    super(allTokens, { recoveryEnabled, nodeLocationTracking: 'none', maxLookahead: 1, errorMessageProvider: messages });
    this.performSelfAnalysis();
  }

  // Every alternatives array and repetition body below is made once, as a field, and
  // handed to OR/MANY/OPTION on each call: written inline they would be allocated afresh
  // for every statement and property (Chevrotain's "caching arrays of alternatives"),
  // which was most of the parser's garbage. They capture no rule-local state.

  file = this.RULE('file', () => this.MANY(this.fileItem));

  private readonly fileItem = () => this.OR(this.statementAlts);
  private readonly statementAlts = [
    { ALT: () => this.SUBRULE(this.declaration) },
    { ALT: () => this.SUBRULE(this.connection) },
    { ALT: () => this.CONSUME(Semicolon) },
  ];

  declaration = this.RULE('declaration', () => {
    this.CONSUME(KindKeyword);
    this.CONSUME(Identifier);
    this.OPTION(this.optionalBlock);
  });

  private readonly optionalBlock = () => this.SUBRULE(this.block);

  connection = this.RULE('connection', () => {
    this.CONSUME(ConnectionStart);
    this.CONSUME(Arrow);
    this.CONSUME2(Identifier);
    this.OPTION1(this.optionalProtocol);
    this.OPTION2(this.optionalBlock);
  });

  private readonly optionalProtocol = () => this.CONSUME(ProtocolKeyword);

  block = this.RULE('block', () => {
    this.CONSUME(LCurly);
    this.MANY(this.blockItem);
    this.CONSUME(RCurly);
  });

  private readonly blockItem = () => this.OR(this.blockItemAlts);
  private readonly blockItemAlts = [
    { ALT: () => this.SUBRULE(this.property) },
    { ALT: () => this.SUBRULE(this.unknownProperty) },
    { ALT: () => this.CONSUME(Semicolon) },
  ];

  /**
   * A name where a property keyword belongs (`trust Root`, `sslport 1543`): a misspelt
   * property with the values it was written with. It is parsed, not recovered from, so
   * the next line's property (or typo) is still read and reported; build-ast.ts turns it
   * into one `syntax` error at the name that says which keyword was meant.
   */
  unknownProperty = this.RULE('unknownProperty', () => {
    this.CONSUME(Identifier);
    this.OPTION(this.unknownName);
    this.MANY(this.unknownValue);
  });

  private readonly unknownName = () => this.CONSUME2(Identifier);
  private readonly unknownValue = () => this.OR(this.unknownValueAlts);
  private readonly unknownValueAlts = [
    { ALT: () => this.CONSUME(StringLiteral) },
    { ALT: () => this.CONSUME(IntegerLiteral) },
    { ALT: () => this.CONSUME(VersionLiteral) },
    { ALT: () => this.CONSUME(UnitKeyword) },
    { ALT: () => this.CONSUME(CurveKeyword) },
    { ALT: () => this.CONSUME(YesNoKeyword) },
    // Keywords that start no property: `certficate self-signed`, `kye rsa 2048` stay one error.
    { ALT: () => this.CONSUME(KW['self-signed']) },
    { ALT: () => this.CONSUME(KW.rsa) },
    { ALT: () => this.CONSUME(KW.ec) },
    { ALT: () => { this.CONSUME(Comma); this.CONSUME3(Identifier); } },
  ];

  property = this.RULE('property', () => this.OR(this.propertyAlts));

  private readonly propertyAlts = [
    { ALT: () => { this.CONSUME(StringPropKeyword); this.CONSUME1(StringLiteral); } },
    { ALT: () => { this.CONSUME(IntPropKeyword); this.CONSUME1(IntegerLiteral); } },
    // Integers are accepted where a version goes so that `tls-min 1` is an
    // invalid-value ("write 1.2") rather than a syntax error.
    { ALT: () => { this.CONSUME(VersionPropKeyword); this.OR1(this.versionAlts); } },
    { ALT: () => { this.CONSUME(NamePropKeyword); this.CONSUME1(Identifier); } },
    { ALT: () => { this.CONSUME(KW.trusts); this.CONSUME2(Identifier); this.MANY1(this.moreTrusts); } },
    { ALT: () => this.CONSUME(KW.hub) },
    { ALT: () => { this.CONSUME(KW.fips); this.CONSUME(YesNoKeyword); } },
    { ALT: () => { this.CONSUME(KW.key); this.OR2(this.keyAlts); } },
    { ALT: () => { this.CONSUME(KW.valid); this.CONSUME4(IntegerLiteral); this.CONSUME(UnitKeyword); } },
    { ALT: () => { this.CONSUME(KW.san); this.CONSUME2(StringLiteral); this.MANY2(this.moreSans); } },
    { ALT: () => { this.CONSUME(KW.certificate); this.OR3(this.certificateAlts); } },
  ];

  private readonly versionAlts = [
    { ALT: () => this.CONSUME(VersionLiteral) },
    { ALT: () => this.CONSUME2(IntegerLiteral) },
  ];

  private readonly moreTrusts = () => { this.CONSUME1(Comma); this.CONSUME3(Identifier); };
  private readonly moreSans = () => { this.CONSUME2(Comma); this.CONSUME3(StringLiteral); };

  private readonly keyAlts = [
    { ALT: () => { this.CONSUME(KW.rsa); this.CONSUME3(IntegerLiteral); } },
    { ALT: () => { this.CONSUME(KW.ec); this.CONSUME(CurveKeyword); } },
  ];

  private readonly certificateAlts = [
    {
      ALT: () => {
        this.OR4(this.issuerAlts);
        this.OPTION(this.certificateBlock);
      },
    },
    { ALT: () => { this.CONSUME(KW.file); this.CONSUME4(StringLiteral); } },
  ];

  private readonly issuerAlts = [
    { ALT: () => this.CONSUME(KW['self-signed']) },
    { ALT: () => { this.CONSUME(KW['signed-by']); this.CONSUME4(Identifier); } },
  ];

  // A certificate block inside a certificate block is an error anyway; the gate
  // keeps `certificate self-signed {` × 10,000 from recursing 10,000 deep.
  private readonly certificateBlock = {
    GATE: () => this.certificateDepth === 0,
    DEF: () => {
      this.certificateDepth++;
      try {
        this.SUBRULE(this.block);
      } finally {
        this.certificateDepth--;
      }
    },
  };
}

// Two instances, each built once: well-formed statements (the common case) take the
// parser without recovery, which is faster; a group with an error is parsed again by the
// recovering one, whose result is the one kept.
const strict = new SptlsParser(false);
const parser = new SptlsParser(true);

export interface CstResult {
  cst: CstNode;
  errors: IRecognitionException[];
}

/** The syntax tree of well-formed tokens, by the parser without recovery; null at the first error. */
export function parseStrict(tokens: IToken[]): CstNode | null {
  strict.input = tokens;
  const cst = strict.file();
  return strict.errors.length === 0 ? cst : null;
}

/** Parses a token vector. Never throws: Chevrotain's recovery turns every mismatch into an error entry. */
export function parseTokens(tokens: IToken[]): CstResult {
  const fast = parseStrict(tokens);
  if (fast) return { cst: fast, errors: [] };
  parser.input = tokens;
  const cst = parser.file();
  return { cst, errors: parser.errors };
}

const statementStarts = new Set<number>([ConnectionStart.tokenTypeIdx!, ...KIND_KEYWORDS.map((k) => KW[k].tokenTypeIdx!)]);

/** Can this token only start a statement (a kind keyword, or a name before `->`)? */
export function isStatementStart(t: IToken): boolean {
  return statementStarts.has(t.tokenTypeIdx);
}

export interface StatementChunk {
  tokens: IToken[];
  /** The first token after the chunk: the real "offending token" when a chunk ends too early. */
  next: IToken | undefined;
}

/**
 * Splits `tokens[0, end)` into groups of up to `size` statements, cutting before tokens
 * that can only start a statement. Groups are made one at a time and the vector's slots
 * are cleared behind them, so the tokens of statements already turned into AST can be
 * collected while the rest is parsed. The last group's `next` is `tokens[end]`.
 */
export function* statementChunks(tokens: IToken[], size = 1, end = tokens.length): Generator<StatementChunk> {
  let start = 0;
  let statements = 0;
  for (let i = 1; i <= end; i++) {
    if (i === end || (statementStarts.has(tokens[i]!.tokenTypeIdx) && ++statements >= size)) {
      const chunk = tokens.slice(start, i);
      tokens.fill(undefined as unknown as IToken, start, i);
      yield { tokens: chunk, next: tokens[i] };
      start = i;
      statements = 0;
    }
  }
}

export function isEof(token: IToken): boolean {
  return token.tokenType === EOF;
}

/**
 * Where the real grammar stands at the end of `tokens` (an unfinished file, such as the
 * text before an editor's cursor): the rules open when the input ran out, outermost
 * (`file`) first; empty when the tokens end a complete file; null when the grammar
 * fails before the end, so the end says nothing.
 */
export function rulesOpenAtEnd(tokens: IToken[]): string[] | null {
  parser.input = tokens;
  parser.file();
  if (parser.errors.length === 0) return [];
  const atEnd = parser.errors.find((e) => isEof(e.token));
  return atEnd ? atEnd.context.ruleStack : null;
}
