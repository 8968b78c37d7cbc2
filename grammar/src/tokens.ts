// Token vocabulary of the sptls language (spec §2) and the Chevrotain lexer.
//
// Keywords are not lexer patterns of their own: every keyword also matches the
// identifier pattern (`storage-agent`, `signed-by`), so the lexer reads one
// `Identifier` and `tokenize` retypes it through a map. That keeps the lexer to a
// handful of patterns per first character instead of ~45 keyword regexes with
// `longer_alt`, which is where a naive lexer spends its time.
import { createToken, Lexer, type IToken, type TokenType, type ILexingError } from 'chevrotain';

export const KEYWORDS = [
  'server', 'client', 'storage-agent', 'operations-center', 'reporting-agent', 'ldap', 'db2', 'ca',
  'address', 'port', 'admin-port', 'ssl-port', 'ssl-admin-port', 'version', 'tls-min', 'tls-max', 'fips',
  'certificate', 'self-signed', 'signed-by', 'file', 'key', 'rsa', 'ec', 'p256', 'p384', 'valid',
  'day', 'days', 'year', 'years', 'san', 'label', 'subject', 'keydb', 'trusts', 'hub', 'spoke-of',
  'instance', 'purpose', 'tls', 'plain', 'yes', 'no',
] as const;
export type Keyword = (typeof KEYWORDS)[number];

export const KIND_KEYWORDS = [
  'server', 'client', 'storage-agent', 'operations-center', 'reporting-agent', 'ldap', 'db2', 'ca',
] as const;
export type Kind = (typeof KIND_KEYWORDS)[number];

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /(?:#|\/\/)[^\r\n]*/, group: 'comments' });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: 'comments' });
/** An unterminated block comment runs to the end of the file; `tokenize` reports it once, at its opening. */
export const UnterminatedBlockComment = createToken({ name: 'UnterminatedBlockComment', pattern: /\/\*[\s\S]*/, group: 'comments' });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/, label: 'a string' });
/**
 * A string that meets its line's end first: one error at the opening quote, and the
 * parser sees a string that ends there, so the property around it is not a second error.
 */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/ });
export const Arrow = createToken({ name: 'Arrow', pattern: /->/, label: "'->'" });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/, label: "'{'" });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/, label: "'}'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/, label: "';'" });
export const VersionLiteral = createToken({ name: 'VersionLiteral', pattern: /[0-9]+(?:\.[0-9]+)+/, label: 'a version' });
export const IntegerLiteral = createToken({ name: 'IntegerLiteral', pattern: /[0-9]+/, label: 'an integer' });
export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+)*/,
  label: 'a name',
});
/**
 * A name followed by `->`: the start of a connection. Retyped after lexing so that a
 * bare name is never mistaken for the start of a statement during error recovery; a
 * stray name inside a block is skipped as part of the error instead of ending the block.
 * It is not an Identifier: where a name is expected (`trusts A,` then `B -> S` on the
 * next line), the connection that follows wins. A name right after `->` is never one:
 * `A -> B -> C` is the connection `A -> B` and an error at the second `->`.
 */
export const ConnectionStart = createToken({ name: 'ConnectionStart', pattern: Lexer.NA, label: 'a name' });

// Categories group keywords whose properties share a value shape, so the parser has
// one alternative per shape instead of one per keyword (fewer lookahead branches).
export const KindKeyword = createToken({ name: 'KindKeyword', pattern: Lexer.NA, label: 'a component kind' });
export const StringPropKeyword = createToken({ name: 'StringPropKeyword', pattern: Lexer.NA });
export const IntPropKeyword = createToken({ name: 'IntPropKeyword', pattern: Lexer.NA });
export const VersionPropKeyword = createToken({ name: 'VersionPropKeyword', pattern: Lexer.NA });
export const NamePropKeyword = createToken({ name: 'NamePropKeyword', pattern: Lexer.NA });
export const UnitKeyword = createToken({ name: 'UnitKeyword', pattern: Lexer.NA, label: 'day(s) or year(s)' });
export const CurveKeyword = createToken({ name: 'CurveKeyword', pattern: Lexer.NA, label: 'p256 or p384' });
export const ProtocolKeyword = createToken({ name: 'ProtocolKeyword', pattern: Lexer.NA });
export const YesNoKeyword = createToken({ name: 'YesNoKeyword', pattern: Lexer.NA, label: 'yes or no' });

const categoryOf: Partial<Record<Keyword, TokenType>> = {
  ...Object.fromEntries(KIND_KEYWORDS.map((k) => [k, KindKeyword])),
  address: StringPropKeyword, keydb: StringPropKeyword, instance: StringPropKeyword,
  subject: StringPropKeyword, file: StringPropKeyword, label: StringPropKeyword,
  port: IntPropKeyword, 'admin-port': IntPropKeyword, 'ssl-port': IntPropKeyword, 'ssl-admin-port': IntPropKeyword,
  version: VersionPropKeyword, 'tls-min': VersionPropKeyword, 'tls-max': VersionPropKeyword,
  'spoke-of': NamePropKeyword, 'signed-by': NamePropKeyword, purpose: NamePropKeyword,
  day: UnitKeyword, days: UnitKeyword, year: UnitKeyword, years: UnitKeyword,
  p256: CurveKeyword, p384: CurveKeyword,
  tls: ProtocolKeyword, plain: ProtocolKeyword,
  yes: YesNoKeyword, no: YesNoKeyword,
};

function keywordToken(word: Keyword): TokenType {
  const category = categoryOf[word];
  return createToken({
    name: `KW_${word.replace(/-/g, '_')}`,
    pattern: Lexer.NA,
    label: `'${word}'`,
    ...(category ? { categories: [category] } : {}),
  });
}

/** Keyword token types by keyword text. */
export const KW: Record<Keyword, TokenType> = Object.fromEntries(
  KEYWORDS.map((k) => [k, keywordToken(k)]),
) as Record<Keyword, TokenType>;

const lexerTokens: TokenType[] = [
  WhiteSpace, LineComment, BlockComment, UnterminatedBlockComment, StringLiteral, UnterminatedString,
  Arrow, LCurly, RCurly, Comma, Semicolon, VersionLiteral, IntegerLiteral, Identifier,
];

/** Every token type the parser may see. */
export const allTokens: TokenType[] = [
  ...lexerTokens, ConnectionStart,
  KindKeyword, StringPropKeyword, IntPropKeyword, VersionPropKeyword, NamePropKeyword,
  UnitKeyword, CurveKeyword, ProtocolKeyword, YesNoKeyword,
  ...Object.values(KW),
];

const lexer = new Lexer(lexerTokens, {
  positionTracking: 'onlyOffset',
  ensureOptimizations: true,
  skipValidations: true,
});

const keywordByImage = new Map<string, { type: TokenType; text: Keyword }>(KEYWORDS.map((k) => [k, { type: KW[k], text: k }]));

export interface LexError {
  message: string;
  start: number;
  end: number;
}

export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
  errors: LexError[];
}

export function tokenize(text: string): LexResult {
  return tokenizeRange(text, 0, text.length);
}

/**
 * Lexes `text` from `start` to `end`, with offsets into the whole text. The last token of a
 * range is not retyped as a connection start (the `->` may begin the next range); the caller
 * that joins ranges does that with `markConnectionStart`.
 */
export function tokenizeRange(text: string, start: number, end: number): LexResult {
  const part = start === 0 && end === text.length ? text : text.slice(start, end);
  const result = lexer.tokenize(part);
  const tokens = result.tokens;
  const unterminated: LexError[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (start !== 0) {
      t.startOffset += start;
      if (t.endOffset !== undefined) t.endOffset += start;
    }
    if (t.tokenType === Identifier) {
      const kw = keywordByImage.get(t.image);
      if (kw !== undefined) {
        retype(t, kw.type);
        // The keyword's own constant string: the lexer's copy dies young, and property
        // names compare by pointer wherever the model looks one up.
        t.image = kw.text;
      }
      else if (tokens[i + 1]?.tokenType === Arrow && tokens[i - 1]?.tokenType !== Arrow) retype(t, ConnectionStart);
    } else if (t.tokenType === UnterminatedString) {
      unterminated.push({ message: 'unterminated string: close it with " on the same line', start: t.startOffset, end: t.startOffset + 1 });
      retype(t, StringLiteral);
    }
  }
  const errors: LexError[] = result.errors.map((e: ILexingError) => ({
    message: `unexpected character${e.length > 1 ? 's' : ''} '${printable(part.slice(e.offset, e.offset + e.length))}'`,
    start: e.offset + start,
    end: e.offset + e.length + start,
  }));
  const comments = result.groups['comments'] ?? [];
  if (start !== 0) {
    for (const c of comments) {
      c.startOffset += start;
      if (c.endOffset !== undefined) c.endOffset += start;
    }
  }
  const last = comments[comments.length - 1];
  if (last?.tokenType === UnterminatedBlockComment) {
    unterminated.push({ message: 'unterminated block comment: close it with */', start: last.startOffset, end: last.startOffset + 2 });
  }
  if (unterminated.length > 0) {
    errors.push(...unterminated);
    errors.sort((a, b) => a.start - b.start);
  }
  return { tokens, comments, errors };
}

/** Whether a range ended inside a block comment that may close further on. */
export function endsInOpenComment(lexed: LexResult): boolean {
  return lexed.comments[lexed.comments.length - 1]?.tokenType === UnterminatedBlockComment;
}

/**
 * Settles, across a range seam, whether `name` starts a connection: it does when the
 * token after it is `->` and the token before it is not (in `A -> B -> C`, `B` ends the
 * connection `A -> B`; the second `->` is the error, spec §5.1).
 */
export function markConnectionStart(before: IToken | undefined, name: IToken | undefined, next: IToken | undefined): void {
  if (!name) return;
  const starts = next?.tokenType === Arrow && before?.tokenType !== Arrow;
  if (name.tokenType === Identifier && starts) retype(name, ConnectionStart);
  else if (name.tokenType === ConnectionStart && !starts) retype(name, Identifier);
}

function retype(t: IToken, type: TokenType): void {
  t.tokenType = type;
  t.tokenTypeIdx = type.tokenTypeIdx!;
}

function printable(s: string): string {
  const shown = s.length > 20 ? `${s.slice(0, 20)}…` : s;
  return shown.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
