// Typed syntax tree of a .sptls file. Every node and every name/value keeps its
// source offsets (start inclusive, end exclusive), so diagnostics, hover and edits
// can point at the exact text. Nodes hold what was parsed, including partial
// statements that recovery kept; values that recovery invented are never here.
import type { Kind } from './tokens.ts';

export interface Span {
  start: number;
  end: number;
}

export type ValueKind = 'string' | 'integer' | 'version' | 'name' | 'keyword';

export interface Value extends Span {
  kind: ValueKind;
  /** The value as meant: a string without quotes and with `\"`/`\\` resolved; otherwise the token text. */
  text: string;
}

export interface Property extends Span {
  /** The property keyword (`port`, `certificate`, `trusts`, …); it starts at `start` (see keywordSpan). */
  name: string;
  /** Values in source order (commas dropped). For `certificate` they are the spec's words: `self-signed`, `signed-by` + name, or `file` + string. */
  values: Value[];
  /** The `{ … }` block of a `certificate` with its CertProperties. */
  block?: Block;
}

export interface Block extends Span {
  properties: Property[];
  /** False when the closing `}` is missing. */
  closed: boolean;
}

export interface Declaration extends Span {
  type: 'declaration';
  kind: Kind;
  kindSpan: Span;
  /** Null when recovery could not read a name. */
  name: Value | null;
  block: Block | null;
}

export interface Connection extends Span {
  type: 'connection';
  from: Value;
  arrowSpan: Span;
  to: Value | null;
  protocol: Value | null;
  block: Block | null;
}

export type Statement = Declaration | Connection;

export interface Comment extends Span {
  text: string;
}

export interface SyntaxError extends Span {
  message: string;
}

export interface SptlsFile {
  statements: Statement[];
  comments: Comment[];
  /** End offset of the last real token, for anchoring errors at end of file. */
  lastTokenSpan: Span | null;
}

export interface ParseResult {
  ast: SptlsFile;
  errors: SyntaxError[];
}
