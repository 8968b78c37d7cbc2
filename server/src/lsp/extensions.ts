// Code lens sources of the server (e.g. "Test handshake" above connections). Add an
// entry to the array; keep each source in its own module under lsp/features/. Commands
// are registered in lsp/commands/index.ts.
import type { CodeLens } from 'vscode-languageserver';
import type { Analysis } from '../analysis/engine.ts';
import { codeLenses } from './features/code-lens.ts';

export interface CodeLensSource {
  lenses(analysis: Analysis, uri: string): CodeLens[];
}

/** Code lens sources, asked in order for every document. */
export const codeLensSources: CodeLensSource[] = [{ lenses: codeLenses }];
