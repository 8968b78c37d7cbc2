// The one canonical layout of a .sptls file (`sptls fmt` and editor formatting).
//
// Layout rules:
// - One statement per line at column 0; a `;` is dropped wherever it stands.
// - A block's properties go one per line, indented 2 spaces per block level, with
//   the closing `}` on its own line under the line that opened the block.
// - A block stays on one line (`client N { trusts R }`, `{ san "x" }`, `{}`) when it
//   was written with its first property on the line of its `{` (as Prettier does
//   with object literals: the author's choice, one bit per block), every block inside
//   it was too, no comment stands inside it, and the line up to its `}` fits in 100
//   columns. Otherwise it is laid out one property per line; an empty block is `{}`.
// - Single spaces between words and around `->`; `,` is followed by one space.
// - Comments stay where they were relative to the code: a comment that followed code
//   on its line still does, and one on its own line stays on its own line, indented
//   like the code around it. Trailing comments of a run of consecutive lines at one
//   indentation are aligned one space after the longest commented line's code (as in
//   the spec's first example). After a line comment that interrupts a statement, the
//   statement continues on the next line, one level deeper. Block comments are
//   copied verbatim.
// - Blank lines between statements, properties and comments are kept, two or more
//   collapsed to one; none at the start of a block, before its `}` or at the start
//   of the file. The file ends with one line end (`\r\n` if its first line end was).
// - Strings, names and numbers are copied exactly as written.
//
// A text with syntax errors is returned unchanged: its structure is unknown, and a
// formatter must never lose text. As a last guard the result is re-lexed and must
// hold the same tokens and comments as the input, or the input is returned.
import { parse, type Block, type SyntaxError } from '../../../grammar/src/index.ts';
import { BlockComment, Comma, LCurly, LineComment, RCurly, Semicolon, tokenize } from '../../../grammar/src/tokens.ts';

export interface FormatOptions {
  /** One level of indentation; two spaces by default. */
  indent?: string;
  /** The widest line a one-property block may be kept on; 100 by default. */
  inlineWidth?: number;
}

export interface FormatResult {
  text: string;
  changed: boolean;
  /** Why the text was left as it is (the first syntax error), when it was refused. */
  refused?: SyntaxError;
}

type ItemKind = 'word' | 'comma' | 'open' | 'close' | 'line-comment' | 'block-comment';

interface Item {
  kind: ItemKind;
  text: string;
  start: number;
  end: number;
}

interface Segment {
  sep: string;
  text: string;
  comment: boolean;
}

interface Line {
  indent: string;
  segments: Segment[];
}

const DEFAULT_INDENT = '  ';
const DEFAULT_INLINE_WIDTH = 100;

export function format(text: string, options: FormatOptions = {}): FormatResult {
  const parsed = parse(text);
  if (parsed.errors.length > 0) return { text, changed: false, refused: parsed.errors[0]! };
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const source = bom ? ` ${text.slice(1)}` : text;
  const items = lexItems(source);
  if (!items) return { text, changed: false };
  const layout = new Layout(source, items, options);
  for (const st of parsed.ast.statements) {
    layout.startLine(st.start, 0);
    if (st.block) layout.planBlock(st.block, 0, st.start);
  }
  const firstEol = source.indexOf('\n');
  const eol = firstEol > 0 && source[firstEol - 1] === '\r' ? '\r\n' : '\n';
  const body = render(layout.emit(), eol);
  const result = bom + body;
  if (!sameContent(items, result.slice(bom.length))) return { text, changed: false };
  return { text: result, changed: result !== text };
}

/** Tokens and comments in source order, `;` dropped; null if the text does not lex cleanly. */
function lexItems(source: string): Item[] | null {
  const lexed = tokenize(source);
  if (lexed.errors.length > 0) return null;
  const items: Item[] = [];
  for (const t of lexed.tokens) {
    if (t.tokenType === Semicolon) continue;
    const kind: ItemKind = t.tokenType === Comma ? 'comma' : t.tokenType === LCurly ? 'open' : t.tokenType === RCurly ? 'close' : 'word';
    items.push({ kind, text: t.image, start: t.startOffset, end: t.startOffset + t.image.length });
  }
  for (const c of lexed.comments) {
    const isLine = c.tokenType === LineComment;
    if (!isLine && c.tokenType !== BlockComment) return null;
    items.push({ kind: isLine ? 'line-comment' : 'block-comment', text: isLine ? c.image.trimEnd() : c.image, start: c.startOffset, end: c.startOffset + c.image.length });
  }
  return items.sort((a, b) => a.start - b.start);
}

function isComment(item: Item): boolean {
  return item.kind === 'line-comment' || item.kind === 'block-comment';
}

class Layout {
  private readonly source: string;
  private readonly items: Item[];
  private readonly indexByStart = new Map<number, number>();
  private readonly commentStarts: number[];
  /** Offset of an item that must begin a line → its indentation depth. */
  private readonly lineStarts = new Map<number, number>();
  private readonly indent: string;
  private readonly inlineWidth: number;

  constructor(source: string, items: Item[], options: FormatOptions) {
    this.source = source;
    this.items = items;
    items.forEach((item, i) => this.indexByStart.set(item.start, i));
    this.commentStarts = items.filter(isComment).map((c) => c.start);
    this.indent = options.indent ?? DEFAULT_INDENT;
    this.inlineWidth = options.inlineWidth ?? DEFAULT_INLINE_WIDTH;
  }

  startLine(offset: number, depth: number): void {
    this.lineStarts.set(offset, depth);
  }

  /** Marks the lines a block's properties start, unless it stays on its opening line; `headStart` is where that line's code begins. */
  planBlock(block: Block, depth: number, headStart: number): void {
    if (this.staysInline(block, depth, headStart)) return;
    for (const p of block.properties) {
      this.startLine(p.start, depth + 1);
      if (p.block) this.planBlock(p.block, depth + 1, p.start);
    }
    this.startLine(block.end - 1, depth);
  }

  private staysInline(block: Block, depth: number, headStart: number): boolean {
    return !this.hasCommentIn(block.start, block.end)
      && this.writtenInline(block)
      && block.properties.every((p) => !p.block || this.writtenInline(p.block))
      && depth * this.indent.length + this.inlineLength(headStart, block.end) <= this.inlineWidth;
  }

  /** Was the block's first property written on the line of its `{`? An empty block always counts as such. */
  private writtenInline(block: Block): boolean {
    const first = block.properties[0];
    return !first || !this.source.slice(block.start, first.start).includes('\n');
  }

  private hasCommentIn(start: number, end: number): boolean {
    const starts = this.commentStarts;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    return lo < starts.length && starts[lo]! < end;
  }

  /** Length of the items from `start` to `end` laid out on one line. */
  private inlineLength(start: number, end: number): number {
    let length = 0;
    let prev: Item | undefined;
    for (let i = this.indexByStart.get(start)!; i < this.items.length && this.items[i]!.start < end; i++) {
      const item = this.items[i]!;
      length += item.text.length + (prev ? separator(prev, item).length : 0);
      prev = item;
    }
    return length;
  }

  emit(): Line[] {
    const lines: Line[] = [];
    let line: Line | null = null;
    let depth = 0;
    let prev: Item | null = null;
    for (const item of this.items) {
      if (item.kind === 'close') depth--;
      const lineDepth = this.placeOnNewLine(item, prev, depth);
      if (line === null || lineDepth !== null) {
        if (line !== null && prev && prev.kind !== 'open' && item.kind !== 'close' && this.blankLineBetween(prev, item)) {
          lines.push({ indent: '', segments: [] });
        }
        line = { indent: this.indent.repeat(lineDepth ?? 0), segments: [] };
        lines.push(line);
      }
      const sep = line.segments.length === 0 ? '' : separator(prev!, item);
      line.segments.push({ sep, text: item.text, comment: isComment(item) });
      if (item.kind === 'open') depth++;
      prev = item;
    }
    return lines;
  }

  /** The depth of the new line `item` starts, or null when it continues the current line. */
  private placeOnNewLine(item: Item, prev: Item | null, depth: number): number | null {
    if (prev === null) return null;
    const planned = this.lineStarts.get(item.start);
    if (planned !== undefined) return planned;
    if (isComment(item) && this.source.slice(prev.end, item.start).includes('\n')) return depth;
    if (prev.kind === 'line-comment') return depth + 1;
    return null;
  }

  private blankLineBetween(prev: Item, item: Item): boolean {
    const gap = this.source.slice(prev.end, item.start);
    const first = gap.indexOf('\n');
    return first >= 0 && gap.indexOf('\n', first + 1) >= 0;
  }
}

function separator(prev: Item, item: Item): string {
  if (item.kind === 'comma') return '';
  if (item.kind === 'close' && prev.kind === 'open') return '';
  return ' ';
}

/** A line whose last segment is a one-line comment after code: its comment may be aligned. */
function trailingComment(line: Line): { code: string; comment: Segment } | null {
  const last = line.segments[line.segments.length - 1];
  if (!last?.comment || line.segments.length < 2 || last.text.includes('\n')) return null;
  const code = line.indent + line.segments.slice(0, -1).map((s) => s.sep + s.text).join('');
  return code.includes('\n') ? null : { code, comment: last };
}

/** Trailing comments of a group of consecutive lines at one indentation share a column. */
function render(lines: Line[], eol: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i]!.segments.length === 0) { out.push(''); i++; continue; }
    let end = i + 1;
    while (end < lines.length && lines[end]!.segments.length > 0 && lines[end]!.indent === lines[i]!.indent) end++;
    const group = lines.slice(i, end).map((line) => ({ line, trailing: trailingComment(line) }));
    const widths = group.flatMap((g) => (g.trailing ? [g.trailing.code.length] : []));
    const column = Math.max(0, ...widths) + 1;
    for (const { line, trailing } of group) {
      out.push(trailing ? trailing.code.padEnd(column) + trailing.comment.text : line.indent + line.segments.map((s) => s.sep + s.text).join(''));
    }
    i = end;
  }
  return out.length === 0 ? '' : out.join(eol) + eol;
}

/** Does `formatted` hold exactly the tokens and comments of the input, in order? */
function sameContent(items: Item[], formatted: string): boolean {
  const again = lexItems(formatted);
  if (!again || again.length !== items.length) return false;
  if (parse(formatted).errors.length > 0) return false;
  return again.every((item, i) => item.kind === items[i]!.kind && item.text === items[i]!.text);
}
