// Code lens sources of the server ("Test handshake" above connections, expiry and "Plan
// rotation" above certificates). Add an entry to the array; keep each source in its own
// module under lsp/features/. Commands are registered in lsp/commands/index.ts.
import type { CodeLens } from 'vscode-languageserver';
import type { Analysis } from '../analysis/engine.ts';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issuedEndDates } from '../pki/issue/issued-pki.ts';
import { codeLenses } from './features/code-lens.ts';
import { expiryLenses } from './features/expiry-lens.ts';

export interface CodeLensSource {
  lenses(analysis: Analysis, uri: string): CodeLens[];
}

/** Code lens sources, asked in order for every document. */
export const codeLensSources: CodeLensSource[] = [
  { lenses: codeLenses },
  { lenses: (analysis, uri) => expiryLenses(analysis, uri, issuedDatesBeside(uri), new Date()) },
];

/** End dates of the PKI issued beside a saved document; none for other URIs. */
function issuedDatesBeside(uri: string): ReadonlyMap<string, Date> {
  if (!uri.startsWith('file:')) return new Map();
  try {
    return issuedEndDates(dirname(fileURLToPath(uri)));
  } catch {
    return new Map(); // a file: URI with a host, or not absolute
  }
}
