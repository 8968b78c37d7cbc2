// Extension points of the server for features that plug in later (e.g. "Test
// handshake" lenses above connections). Add an entry to the array; the server
// advertises and routes it. Keep each source in its own module under lsp/.
import type { CodeLens } from 'vscode-languageserver';
import type { Analysis } from '../analysis/engine.ts';
import type { DocumentStore } from './documents.ts';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issuedEndDates } from '../workspace/issued-pki.ts';
import { codeLenses } from './features/code-lens.ts';
import { scanServerCommand } from './scan-command.ts';
import { expiryLenses } from './features/expiry-lens.ts';
import { planRotationCommand } from './rotate-command.ts';

export interface CodeLensSource {
  lenses(analysis: Analysis, uri: string): CodeLens[];
}

export interface ServerCommandContext {
  documents: DocumentStore;
  log(message: string): void;
  /** Work-done progress for the client, when it asked for it. */
  progress?(message: string, percentage: number): void;
  /** Aborted when the client cancels the request. */
  signal?: AbortSignal;
}

export interface ServerCommand {
  /** The command id, e.g. `sptls.testHandshake`. */
  id: string;
  /** The command opens network connections or writes key material: refused in an untrusted workspace. */
  needsTrust?: boolean;
  run(args: unknown[], ctx: ServerCommandContext): unknown;
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

/** Commands the server executes (`workspace/executeCommand`). */
export const serverCommands: ServerCommand[] = [planRotationCommand, scanServerCommand()];
