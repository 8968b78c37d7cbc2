// Document formatting: the canonical layout of `sptls fmt`, as one whole-document edit.
// The editor's tab size and spaces/tabs choice are deliberately not applied: the
// layout is the one `sptls fmt --check` enforces, so a file formatted in the editor
// passes CI unchanged.
import type { TextEdit } from 'vscode-languageserver';
import type { Analysis } from '../../analysis/engine.ts';
import { format } from '../../format/format.ts';
import { toRange } from '../convert.ts';

export interface FormattingOptions {
  tabSize: number;
  insertSpaces: boolean;
}

/** One edit replacing the whole text, or none when it is already formatted or has syntax errors. */
export function formatDocument(analysis: Analysis, _options: FormattingOptions): TextEdit[] {
  const result = format(analysis.text);
  if (!result.changed) return [];
  return [{ range: toRange(analysis.lines, 0, analysis.text.length), newText: result.text }];
}
