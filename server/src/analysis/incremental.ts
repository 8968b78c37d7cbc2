// The incremental layer: a document's parse kept across edits. An edit re-lexes and
// re-parses only the statements it touches and splices them between the unchanged
// statements before it and the shifted statements after it; the result is the parse
// `parse(text)` gives. The diagnostics of the rules that read only the model are kept too,
// and stand after an edit when the statements it replaced project, for that rule, as the
// ones that replace them (rules/reads.ts). test/analysis/incremental.test.ts compares parse
// and diagnostics with a fresh analysis after every one of thousands of random edits. What is cached, keyed by what, invalidated by what
// is written in docs/ARCHITECTURE.md ("Incremental analysis").
import { parse, parseRange, type Block, type Declaration, type ParseResult, type Span, type Statement } from '../../../grammar/src/index.ts';
import type { Diagnostic } from './diagnostic.ts';
import { analyzeParsed, type Analysis, type AnalysisOptions, type RuleMemo } from './engine.ts';
import type { Rule } from './rules/context.ts';
import { RULE_READS } from './rules/index.ts';

/** One replacement, in offsets of the text before it. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** How splices and full parses are counted (tests check that the cheap path is the one taken). */
export interface ParseCounts {
  spliced: number;
  full: number;
}

export class IncrementalDocument {
  private current: string;
  private parsed: ParseResult;
  private readonly rules = new KeptRules();
  readonly counts: ParseCounts = { spliced: 0, full: 1 };

  constructor(text: string) {
    this.current = text;
    this.parsed = parse(text);
  }

  get text(): string {
    return this.current;
  }

  /** The parse of the current text, as `parse(text)` would give it. */
  get parse(): ParseResult {
    return this.parsed;
  }

  /** Replaces the whole text (a full-document change): nothing is kept. */
  reset(text: string): void {
    this.current = text;
    this.parsed = parse(text);
    this.rules.clear();
    this.counts.full++;
  }

  /**
   * Applies one edit. The old parse's nodes after the edit are shifted in place: an analysis
   * of the previous text is stale from here on (the store drops it with the old version).
   */
  edit(edit: TextEdit): void {
    const old = this.current;
    const start = Math.max(0, Math.min(edit.start, old.length));
    const end = Math.max(start, Math.min(edit.end, old.length));
    const text = old.slice(0, start) + edit.text + old.slice(end);
    const spliced = splice(this.parsed, old.length, text, start, end, edit.text.length - (end - start));
    this.current = text;
    if (spliced) {
      this.parsed = spliced.parse;
      this.rules.edited(spliced);
      this.counts.spliced++;
    } else {
      this.parsed = parse(text);
      this.rules.clear();
      this.counts.full++;
    }
  }

  /** The analysis of the current text: the model on the spliced parse, the rules whose diagnostics do not stand. */
  analyze(options: AnalysisOptions): Analysis {
    return analyzeParsed(this.current, this.parsed, options, this.rules);
  }

  /** How often a rule's diagnostics were reused and how often it ran (tests check that edits keep them). */
  get ruleCounts(): RuleCounts {
    return this.rules.counts;
  }
}

/** What a splice replaced: the old statements of `[from, to)` (old offsets) by `added`, the rest moved by `delta`. */
interface Splice {
  parse: ParseResult;
  from: number;
  to: number;
  delta: number;
  removed: readonly Statement[];
  added: readonly Statement[];
}

export interface RuleCounts {
  reused: number;
  run: number;
}

/** The diagnostics of the rules in RULE_READS, each in the offsets of the current text. */
class KeptRules implements RuleMemo {
  private readonly kept = new Map<Rule, readonly Diagnostic[]>();
  readonly counts: RuleCounts = { reused: 0, run: 0 };

  get(rule: Rule): readonly Diagnostic[] | undefined {
    const kept = this.kept.get(rule);
    if (kept) this.counts.reused++;
    return kept;
  }

  set(rule: Rule, diagnostics: readonly Diagnostic[]): void {
    this.kept.set(rule, diagnostics);
    this.counts.run++;
  }

  clear(): void {
    this.kept.clear();
  }

  /**
   * A rule's diagnostics stand when the replaced statements project as their replacements
   * and none of them (nor a quick fix's offset) lies in the replaced text: the rule then
   * sees the same model but for positions, and says the same things about the same nodes.
   * Those after the edit move with the text.
   */
  edited({ from, to, delta, removed, added }: Splice): void {
    for (const [rule, diagnostics] of this.kept) {
      const project = RULE_READS.get(rule)!;
      let stands = removed.length === added.length && !diagnostics.some((d) => touches(d, from, to));
      for (let i = 0; stands && i < removed.length; i++) stands = project(removed[i]!) === project(added[i]!);
      if (!stands) this.kept.delete(rule);
      else if (delta !== 0) this.kept.set(rule, diagnostics.map((d) => movedAfter(d, to, delta)));
    }
  }
}

function touches(d: Diagnostic, from: number, to: number): boolean {
  const plain = d.data?.plain;
  return (d.start <= to && d.end >= from) || (plain !== undefined && plain >= from && plain <= to);
}

/** The diagnostic with its offsets at or after `to` moved by `delta` (the same object when none is). */
function movedAfter(d: Diagnostic, to: number, delta: number): Diagnostic {
  const plain = d.data?.plain;
  const movePlain = plain !== undefined && plain >= to;
  if (d.start < to && !movePlain) return d;
  const out: Diagnostic = { ...d, start: d.start >= to ? d.start + delta : d.start, end: d.end >= to ? d.end + delta : d.end };
  if (movePlain) out.data = { ...d.data, plain: plain + delta };
  return out;
}

/**
 * The parse of `text`, which is the old text with `[start, end)` replaced (`delta` = the
 * change of length), made from the old parse; null when the edit changes how a boundary
 * lexes (a block comment left open) and only a full parse can tell.
 *
 * The statements re-parsed run from `from`, the kind keyword of the last declaration that
 * ends before the edit (the text before it is unchanged, so it lexes the same and the
 * statement before it sees the same next token), to `to`, the kind keyword of the first
 * declaration after the edit that begins its line in the new text (no string or line
 * comment can run into it, and parseRange refuses an open block comment). From `to` on
 * the text is the old text shifted, so its statements are the old ones shifted.
 */
function splice(old: ParseResult, oldLength: number, text: string, start: number, end: number, delta: number): Splice | null {
  const statements = old.ast.statements;
  // A boundary with an error on its keyword is passed over: the error may be the previous
  // statement's ("found 'client'") or the keyword's own (a lone keyword at the end of the
  // file, a statement given up on), and the deduplicated list no longer says which.
  const errorAt = new Set(old.errors.map((e) => e.start));
  const before = lastDeclarationBefore(statements, start, errorAt);
  const from = before ? before.kindSpan.start : 0;
  const after = firstBoundaryAfter(statements, end, text, delta, errorAt);
  const toOld = after ? after.kindSpan.start : oldLength;
  const to = toOld + delta;
  const region = parseRange(text, from, to);
  if (!region) return null;

  // Statements, comments and errors are each in source order: the ones kept end where the
  // region begins, the ones moved begin where it ends.
  const moved = delta !== 0;
  const removed = statements.slice(firstAtOrAfter(statements, from), firstAtOrAfter(statements, toOld));
  const out = spliceSorted(statements, from, toOld, region.ast.statements, moved ? (s) => shiftStatement(s, delta) : null);
  const comments = spliceSorted(old.ast.comments, from, toOld, region.ast.comments, moved ? (c) => ({ ...c, start: c.start + delta, end: c.end + delta }) : null);
  const errors = spliceSorted(old.errors, from, toOld, region.errors, moved ? (e) => ({ ...e, start: e.start + delta, end: e.end + delta }) : null);

  const lastTokenSpan = after && old.ast.lastTokenSpan
    ? { start: old.ast.lastTokenSpan.start + delta, end: old.ast.lastTokenSpan.end + delta }
    : region.ast.lastTokenSpan;
  return { parse: { ast: { statements: out, comments, lastTokenSpan }, errors }, from, to: toOld, delta, removed, added: region.ast.statements };
}

/** The last declaration whose kind keyword ends before `offset` (statements are in source order). */
function lastDeclarationBefore(statements: readonly Statement[], offset: number, errorAt: ReadonlySet<number>): Declaration | undefined {
  for (let i = firstAtOrAfter(statements, offset) - 1; i >= 0; i--) {
    const s = statements[i]!;
    if (s.type === 'declaration' && s.kindSpan.end < offset && !errorAt.has(s.start)) return s;
  }
  return undefined;
}

/** The first declaration at or after old offset `end` whose keyword begins its line in the new text. */
function firstBoundaryAfter(statements: readonly Statement[], end: number, text: string, delta: number, errorAt: ReadonlySet<number>): Declaration | undefined {
  for (let i = firstAtOrAfter(statements, end); i < statements.length; i++) {
    const s = statements[i]!;
    if (s.type === 'declaration' && s.start >= end && !errorAt.has(s.start) && beginsLine(text, s.kindSpan.start + delta)) return s;
  }
  return undefined;
}

/** `list[0, from) + region + list[to, …)` moved by `move` (null: as they are), for a list in source order. */
function spliceSorted<T extends Span>(list: readonly T[], from: number, to: number, region: readonly T[], move: ((item: T) => T) | null): T[] {
  const moved = list.slice(firstAtOrAfter(list, to));
  if (move) for (let i = 0; i < moved.length; i++) moved[i] = move(moved[i]!);
  return list.slice(0, firstAtOrAfter(list, from)).concat(region, moved);
}

/** Index of the first item starting at or after `offset`, in a list in source order. */
function firstAtOrAfter(list: readonly Span[], offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function beginsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return false;
}

/**
 * Moves every span of a statement by `delta`, in place. Written out per node type, for
 * speed: a span the grammar adds later and that is not moved here makes the syntax tree
 * differ from a fresh parse, which test/analysis/incremental.test.ts reports.
 */
function shiftStatement(s: Statement, delta: number): Statement {
  move(s, delta);
  if (s.type === 'declaration') {
    move(s.kindSpan, delta);
    if (s.name) move(s.name, delta);
  } else {
    move(s.from, delta);
    move(s.arrowSpan, delta);
    if (s.to) move(s.to, delta);
    if (s.protocol) move(s.protocol, delta);
  }
  if (s.block) shiftBlock(s.block, delta);
  return s;
}

function shiftBlock(b: Block, delta: number): void {
  move(b, delta);
  for (const p of b.properties) {
    move(p, delta);
    for (const v of p.values) move(v, delta);
    if (p.block) shiftBlock(p.block, delta);
  }
}

function move(span: Span, delta: number): void {
  span.start += delta;
  span.end += delta;
}
