// Small, layout-aware text edits on a topology: add a property to a declaration,
// extend or shrink a `trusts` list, add a connection. Quick fixes are built from
// these; each keeps the file well-formed and follows the surrounding indentation.
import { keywordSpan, type Declaration, type Property } from '../../../../grammar/src/index.ts';
import type { Analysis } from '../../analysis/engine.ts';
import type { Entity } from '../../analysis/model.ts';

/** A replacement of text[start, end) by newText, in engine offsets. */
export interface Edit {
  start: number;
  end: number;
  newText: string;
}

function eol(a: Analysis): string {
  return a.text.includes('\r\n') ? '\r\n' : '\n';
}

/** Offset of the end of the line holding `offset`, before its line break. */
function lineEnd(a: Analysis, offset: number): number {
  const line = a.lines.lineOf(offset);
  let end = line + 1 < a.lines.lineCount ? a.lines.lineStart(line + 1) - 1 : a.text.length;
  if (end > 0 && a.text[end - 1] === '\r' && end < a.text.length) end--;
  return end;
}

function leadingWhitespace(a: Analysis, offset: number): string {
  const start = a.lines.lineStart(a.lines.lineOf(offset));
  return /^[ \t]*/.exec(a.text.slice(start, offset))![0];
}

/**
 * Adds `propertyText` to a declaration: on its own line before a `}` that closes a
 * multi-line block, before `}` of a one-line block, or as a new block. Null when
 * the block is not closed (the syntax error comes first).
 */
export function addProperty(a: Analysis, decl: Declaration, propertyText: string): Edit | null {
  if (!decl.name) return null;
  const block = decl.block;
  if (!block) return { start: decl.name.end, end: decl.name.end, newText: ` { ${propertyText} }` };
  const close = block.end - 1;
  if (!block.closed || a.text[close] !== '}') return null;
  const closeLine = a.lines.lineOf(close);
  const closeLineStart = a.lines.lineStart(closeLine);
  const beforeClose = a.text.slice(closeLineStart, close);
  if (a.lines.lineOf(block.start) !== closeLine && beforeClose.trim() === '') {
    const last = block.properties.at(-1);
    const indent = last && a.lines.lineOf(last.start) !== a.lines.lineOf(block.start) ? leadingWhitespace(a, last.start) : `${beforeClose}  `;
    return { start: closeLineStart, end: closeLineStart, newText: `${indent}${propertyText}${eol(a)}` };
  }
  const pad = /\s/.test(a.text[close - 1] ?? '') ? '' : ' ';
  return { start: close, end: close, newText: `${pad}${propertyText} ` };
}

/** Adds names to an entity's trusts: appended to its first `trusts` list, or as a new property. */
export function addTrusts(a: Analysis, entity: Entity, names: string[]): Edit | null {
  const list = names.join(', ');
  const trusts = entity.props.get('trusts');
  if (trusts) {
    const last = trusts.values.at(-1);
    const at = last ? last.end : keywordSpan(trusts).end;
    return { start: at, end: at, newText: last ? `, ${list}` : ` ${list}` };
  }
  return addProperty(a, entity.decl, `trusts ${list}`);
}

/** Deletes a property: its whole line when it stands alone there, else the property and the blanks before it. */
export function removeProperty(a: Analysis, p: Property): Edit {
  const lineStart = a.lines.lineStart(a.lines.lineOf(p.start));
  const end = lineEnd(a, p.end);
  const aloneOnLine = a.text.slice(lineStart, p.start).trim() === '' && a.text.slice(p.end, end).trim() === '';
  if (aloneOnLine) {
    const next = a.lines.lineOf(p.end) + 1 < a.lines.lineCount ? a.lines.lineStart(a.lines.lineOf(p.end) + 1) : a.text.length;
    return { start: lineStart, end: next, newText: '' };
  }
  let start = p.start;
  while (start > 0 && (a.text[start - 1] === ' ' || a.text[start - 1] === '\t')) start--;
  return { start, end: p.end, newText: '' };
}

/** Removes the entry of a trusts list that starts at `offset` (the whole property when it is the only one). */
export function removeTrustEntry(a: Analysis, offset: number): Edit | null {
  for (const e of a.model.entities) {
    for (const p of e.decl.block?.properties ?? []) {
      if (p.name !== 'trusts' || p.start > offset || p.end < offset) continue;
      const i = p.values.findIndex((v) => v.start === offset);
      if (i < 0) continue;
      if (p.values.length === 1) return removeProperty(a, p);
      return i > 0
        ? { start: p.values[i - 1]!.end, end: p.values[i]!.end, newText: '' }
        : { start: p.values[0]!.start, end: p.values[1]!.start, newText: '' };
    }
  }
  return null;
}

/** Adds a connection statement on a new line after the last connection, or at the end of the file. */
export function addConnection(a: Analysis, statement: string): Edit {
  const nl = eol(a);
  const last = a.parse.ast.statements.findLast((s) => s.type === 'connection');
  if (last) {
    const at = lineEnd(a, last.end);
    return { start: at, end: at, newText: `${nl}${statement}` };
  }
  const end = a.text.length;
  const needsBreak = end > 0 && !a.text.endsWith('\n');
  return { start: end, end, newText: `${needsBreak ? nl : ''}${statement}${nl}` };
}

/** Keeps edits that neither overlap nor touch an earlier one; the rest wait for a second round. */
export function disjoint(edits: Edit[]): Edit[] {
  const kept: Edit[] = [];
  for (const e of edits) {
    if (kept.every((k) => e.end < k.start || e.start > k.end)) kept.push(e);
  }
  return kept;
}
