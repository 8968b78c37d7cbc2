// Go to definition, find references and rename. A name means the same thing
// wherever it stands: its declarations and every reference (trusts, signed-by,
// certificate signed-by, spoke-of, connection ends). Names inside strings and
// comments are text, not names, and are never touched.
import { DocumentHighlightKind, type DocumentHighlight, type Location, type Position, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { KEYWORDS } from '../../../../grammar/src/index.ts';
import type { Span } from '../../../../grammar/src/index.ts';
import type { Analysis } from '../../analysis/engine.ts';
import { toRange } from '../convert.ts';
import { nodeAt } from './at-position.ts';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+)*$/;
const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);

/** The name under the cursor and the span it occupies, when the cursor is on a declared or referenced name. */
function nameAt(analysis: Analysis, position: Position): { name: string; span: Span } | null {
  const node = nodeAt(analysis, analysis.lines.offset(position));
  if (node.kind !== 'declaration-name' && node.kind !== 'reference') return null;
  return { name: node.span.text, span: node.span };
}

/** Every declaration name spelled `name` (the duplicates too), in source order. */
function declarationSpans(analysis: Analysis, name: string): Span[] {
  return analysis.model.entities.filter((e) => e.name === name).map((e) => e.decl.name!);
}

function referenceSpans(analysis: Analysis, name: string): Span[] {
  return analysis.model.references.filter((r) => r.value.text === name).map((r) => r.value);
}

function location(analysis: Analysis, uri: string, span: Span): Location {
  return { uri, range: toRange(analysis.lines, span.start, span.end) };
}

/** The declaration references resolve to: the first one of the name. */
export function definition(analysis: Analysis, uri: string, position: Position): Location | null {
  const at = nameAt(analysis, position);
  const target = at ? analysis.model.byName.get(at.name) : undefined;
  return target ? location(analysis, uri, target.decl.name!) : null;
}

export function references(analysis: Analysis, uri: string, position: Position, includeDeclaration: boolean): Location[] {
  const at = nameAt(analysis, position);
  if (!at) return [];
  const spans = [...(includeDeclaration ? declarationSpans(analysis, at.name) : []), ...referenceSpans(analysis, at.name)];
  return spans.sort((a, b) => a.start - b.start).map((s) => location(analysis, uri, s));
}

/** Every occurrence of the name under the cursor: declarations as writes, references as reads. */
export function documentHighlights(analysis: Analysis, position: Position): DocumentHighlight[] {
  const at = nameAt(analysis, position);
  if (!at) return [];
  const highlight = (kind: DocumentHighlightKind) => (s: Span): DocumentHighlight => ({ range: toRange(analysis.lines, s.start, s.end), kind });
  return [
    ...declarationSpans(analysis, at.name).map(highlight(DocumentHighlightKind.Write)),
    ...referenceSpans(analysis, at.name).map(highlight(DocumentHighlightKind.Read)),
  ].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

export function prepareRename(analysis: Analysis, position: Position): { range: Range; placeholder: string } | null {
  const at = nameAt(analysis, position);
  return at ? { range: toRange(analysis.lines, at.span.start, at.span.end), placeholder: at.name } : null;
}

/** Why `newName` cannot replace `oldName`, or null when it can. */
export function renameRefusal(analysis: Analysis, oldName: string, newName: string): string | null {
  if (KEYWORD_SET.has(newName)) return `'${newName}' is a keyword of the language and cannot be a name`;
  if (!IDENTIFIER.test(newName)) {
    return `'${newName}' is not a valid name: use letters, digits and _, with single . or - between parts (e.g. SP1, sp1.example.com, lib-mgr_2)`;
  }
  if (newName !== oldName && analysis.model.byName.has(newName)) {
    return `'${newName}' is already declared; renaming '${oldName}' to it would merge two components`;
  }
  return null;
}

export function rename(analysis: Analysis, uri: string, position: Position, newName: string): { edit: WorkspaceEdit } | { error: string } {
  const at = nameAt(analysis, position);
  if (!at) return { error: 'only a declared or referenced name can be renamed' };
  const refusal = renameRefusal(analysis, at.name, newName);
  if (refusal) return { error: refusal };
  const spans = [...declarationSpans(analysis, at.name), ...referenceSpans(analysis, at.name)].sort((a, b) => a.start - b.start);
  const edits: TextEdit[] = newName === at.name ? [] : spans.map((s) => ({ range: toRange(analysis.lines, s.start, s.end), newText: newName }));
  return { edit: { changes: { [uri]: edits } } };
}
