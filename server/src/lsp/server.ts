// The language server: wires the connection to the document store, the debounced
// diagnostics and one feature module per request. Handlers hold no logic of their
// own; each is guarded so a thrown error becomes a logged ResponseError and the
// server keeps running.
import {
  CodeActionKind, ErrorCodes, LSPErrorCodes, MessageType, ResponseError, ShowMessageNotification, TextDocumentSyncKind,
  type CancellationToken, type Connection, type InitializeResult,
} from 'vscode-languageserver';
import { fileURLToPath } from 'node:url';
import { DIAGRAM_REQUEST, WORKSPACE_TRUST_NOTIFICATION, type DiagramParams } from '../../../protocol/index.ts';
import type { Analysis } from '../analysis/engine.ts';
import { POLICY } from '../analysis/policy.ts';
import { formatSize } from '../workspace/bounded-read.ts';
import { commandEntries } from './commands/index.ts';
import { runCommand } from './commands/registry.ts';
import { diagram } from './diagram.ts';
import { DiagnosticsScheduler } from './diagnostics.ts';
import { DocumentStore } from './documents.ts';
import { codeLensSources } from './extensions.ts';
import { codeActions, FIX_ALL_KIND } from './features/code-actions.ts';
import { COMMAND_ACTION_KIND, commandActions } from './features/command-actions.ts';
import { completion } from './features/completion.ts';
import { foldingRanges } from './features/folding.ts';
import { formatDocument } from './features/formatting.ts';
import { hover } from './features/hover.ts';
import { definition, documentHighlights, prepareRename, references, rename } from './features/navigation.ts';
import { selectionRanges } from './features/selection.ts';
import { semanticTokens, semanticTokensLegend } from './features/semantic-tokens.ts';
import { documentSymbols, workspaceSymbols } from './features/symbols.ts';

export interface Settings {
  /** Milliseconds between the last edit and the diagnostics. */
  diagnosticsDelay: number;
  expiryWarningDays: number;
  /**
   * UTF-8 bytes above which a document gets no analysis (docs/limits.md). 4 MiB is about
   * 85,000 lines, over the 50,000-line benchmark topology (2.3 MB) the server is measured on.
   */
  maxDocumentSize: number;
}

export const DEFAULT_SETTINGS: Settings = { diagnosticsDelay: 150, expiryWarningDays: POLICY.expiryWarningDays, maxDocumentSize: 4 * 1024 * 1024 };

/** Reads `sptls.*` settings (or the `sptls` section itself); anything malformed keeps its default. */
export function readSettings(raw: unknown, base: Settings = DEFAULT_SETTINGS): Settings {
  const section = raw && typeof raw === 'object' && 'sptls' in raw ? (raw as { sptls: unknown }).sptls : raw;
  const s = (section && typeof section === 'object' ? section : {}) as Record<string, unknown>;
  const number = (v: unknown, fallback: number, max: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= max ? v : fallback);
  return {
    diagnosticsDelay: number(s['diagnosticsDelay'], base.diagnosticsDelay, 10_000),
    expiryWarningDays: number(s['expiryWarningDays'], base.expiryWarningDays, 3650),
    maxDocumentSize: number(s['maxDocumentSize'], base.maxDocumentSize, 256 * 1024 * 1024),
  };
}

/**
 * Whether the editor trusts the workspace: `initializationOptions.trusted`, then the
 * `sptls/workspaceTrust` notification. Editors that say nothing are trusted, as before.
 */
export function readTrust(raw: unknown, base = true): boolean {
  const trusted = raw && typeof raw === 'object' ? (raw as { trusted?: unknown }).trusted : undefined;
  return typeof trusted === 'boolean' ? trusted : base;
}

/** The workspace's folders as paths, from `workspaceFolders` or else `rootUri`. */
function workspaceFolderPaths(folders: ReadonlyArray<{ uri: string }> | null | undefined, rootUri: string | null | undefined): string[] {
  const uris = folders?.map((f) => f.uri) ?? (rootUri ? [rootUri] : []);
  return uris.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
}

function stackOf(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function notInitialized(): ResponseError {
  return new ResponseError(ErrorCodes.ServerNotInitialized, 'the server is not initialized: send initialize first');
}

export function startServer(connection: Connection): void {
  let settings = DEFAULT_SETTINGS;
  let snippets = false;
  let pullConfiguration = false;
  // Requests before `initialize` get -32002 and notifications are dropped (LSP 3.17 §initialize).
  let initialized = false;
  let trusted = true;
  let progressSupport = false;
  let showDocumentSupport = false;
  let folders: string[] = [];
  const analysisSettings = () => ({
    expiryWarningDays: settings.expiryWarningDays,
    maxDocumentSize: settings.maxDocumentSize,
    ...(trusted ? {} : { confineFilesTo: folders }),
  });
  const documents = new DocumentStore(analysisSettings());
  /** Documents told once that they are over the size limit (until they shrink below it). */
  const toldOversize = new Set<string>();
  const log = (message: string) => connection.console.error(message);
  const diagnostics = new DiagnosticsScheduler(
    documents,
    (uri, version, list) => void connection.sendDiagnostics({ uri, ...(version === undefined ? {} : { version }), diagnostics: list }),
    (uri, e) => log(`sptls: diagnostics of ${uri} failed: ${stackOf(e)}`),
    settings.diagnosticsDelay,
  );

  function applySettings(next: Settings): void {
    const reanalyze = next.expiryWarningDays !== settings.expiryWarningDays || next.maxDocumentSize !== settings.maxDocumentSize;
    settings = next;
    diagnostics.delayMs = next.diagnosticsDelay;
    if (reanalyze) reanalyzeAll();
  }

  function reanalyzeAll(): void {
    documents.updateSettings(analysisSettings());
    for (const uri of documents.uris()) {
      tellIfOversize(uri);
      diagnostics.schedule(uri);
    }
  }

  /** One warning per document that crosses the size limit; it gets no analysis while over it. */
  function tellIfOversize(uri: string): void {
    const size = documents.oversize(uri);
    if (size === undefined) {
      toldOversize.delete(uri);
      return;
    }
    if (toldOversize.has(uri)) return;
    toldOversize.add(uri);
    // A notification, not window/showMessageRequest: nothing to answer, nothing to wait for.
    void connection.sendNotification(ShowMessageNotification.type, {
      type: MessageType.Warning,
      message: `sptls: ${uri.replace(/^.*\//, '')} is ${formatSize(size)}, over the ${formatSize(settings.maxDocumentSize)} limit (setting sptls.maxDocumentSize): `
        + 'it gets no diagnostics, hover, completion or other sptls features; run `sptls check` on it instead.',
    });
  }

  async function fetchSettings(): Promise<void> {
    if (!pullConfiguration) return;
    const [section] = await connection.workspace.getConfiguration([{ section: 'sptls' }]);
    applySettings(readSettings(section, settings));
  }

  /** A request handler that answers null/empty for unknown documents, honours cancellation and never throws. */
  function onDocument<P extends { textDocument: { uri: string } }, R>(name: string, empty: R, run: (analysis: Analysis, params: P) => R) {
    return (params: P, token?: CancellationToken): R | ResponseError => {
      if (!initialized) return notInitialized();
      if (token?.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, `${name} cancelled`);
      try {
        const analysis = documents.analysis(params.textDocument.uri);
        return analysis ? run(analysis, params) : empty;
      } catch (e) {
        log(`sptls: ${name} failed on ${params.textDocument.uri}: ${stackOf(e)}`);
        return new ResponseError(ErrorCodes.InternalError, `sptls ${name} failed: ${messageOf(e)}`);
      }
    };
  }

  /** A notification handler that logs instead of throwing; before `initialize` it drops the notification. */
  function safely<P>(name: string, run: (params: P) => void) {
    return (params: P): void => {
      if (!initialized) return;
      try {
        run(params);
      } catch (e) {
        log(`sptls: ${name} failed: ${stackOf(e)}`);
      }
    };
  }

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    snippets = caps.textDocument?.completion?.completionItem?.snippetSupport === true;
    pullConfiguration = caps.workspace?.configuration === true;
    trusted = readTrust(params.initializationOptions);
    progressSupport = caps.window?.workDoneProgress === true;
    showDocumentSupport = caps.window?.showDocument?.support === true;
    folders = workspaceFolderPaths(params.workspaceFolders, params.rootUri);
    applySettings(readSettings(params.initializationOptions, settings));
    documents.updateSettings(analysisSettings());
    initialized = true;
    return {
      serverInfo: { name: 'sptls', version: '0.1.0' },
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [' ', '>'], resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        semanticTokensProvider: { legend: semanticTokensLegend, full: true },
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, COMMAND_ACTION_KIND] },
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: commandEntries.map((c) => c.id) },
      },
    };
  });

  connection.onInitialized(() => {
    fetchSettings().catch((e: unknown) => log(`sptls: reading settings failed: ${messageOf(e)}`));
  });

  connection.onDidChangeConfiguration(safely('didChangeConfiguration', (params) => {
    const pushed = params.settings && typeof params.settings === 'object' && 'sptls' in params.settings;
    if (pushed) applySettings(readSettings(params.settings, settings));
    else fetchSettings().catch((e: unknown) => log(`sptls: reading settings failed: ${messageOf(e)}`));
  }));

  connection.onNotification(WORKSPACE_TRUST_NOTIFICATION, safely('workspaceTrust', (params: unknown) => {
    const next = readTrust(params, trusted);
    if (next === trusted) return;
    trusted = next;
    reanalyzeAll();
  }));

  connection.onDidOpenTextDocument(safely('didOpen', (params) => {
    const { uri, version, text } = params.textDocument;
    documents.open(uri, version, text);
    tellIfOversize(uri);
    diagnostics.schedule(uri);
  }));

  connection.onDidChangeTextDocument(safely('didChange', (params) => {
    const { uri, version } = params.textDocument;
    if (!documents.change(uri, version, params.contentChanges)) return;
    tellIfOversize(uri);
    diagnostics.schedule(uri);
  }));

  connection.onDidCloseTextDocument(safely('didClose', (params) => {
    documents.close(params.textDocument.uri);
    toldOversize.delete(params.textDocument.uri);
    diagnostics.clear(params.textDocument.uri);
  }));

  connection.onHover(onDocument('hover', null, (a, p) => hover(a, p.position)));
  connection.onCompletion(onDocument('completion', [], (a, p) => completion(a, p.position, { snippets })));
  connection.onDefinition(onDocument('definition', null, (a, p) => definition(a, p.textDocument.uri, p.position)));
  connection.onReferences(onDocument('references', [], (a, p) => references(a, p.textDocument.uri, p.position, p.context.includeDeclaration)));
  connection.onDocumentHighlight(onDocument('documentHighlight', [], (a, p) => documentHighlights(a, p.position)));
  connection.onPrepareRename(onDocument('prepareRename', null, (a, p) => prepareRename(a, p.position)));
  connection.onRenameRequest(onDocument('rename', null, (a, p) => {
    const result = rename(a, p.textDocument.uri, p.position, p.newName);
    return 'error' in result ? new ResponseError(LSPErrorCodes.RequestFailed, result.error) : result.edit;
  }));
  connection.onDocumentSymbol(onDocument('documentSymbol', [], (a) => documentSymbols(a)));
  connection.onFoldingRanges(onDocument('foldingRange', [], (a) => foldingRanges(a)));
  connection.onSelectionRanges(onDocument('selectionRange', [], (a, p) => selectionRanges(a, p.positions)));
  connection.languages.semanticTokens.on(onDocument('semanticTokens', { data: [] }, (a) => semanticTokens(a)));
  connection.onDocumentFormatting(onDocument('formatting', [], (a, p) => formatDocument(a, p.options)));
  connection.onCodeAction(onDocument('codeAction', [], (a, p) => [
    ...codeActions(a, p.textDocument.uri, p.range, p.context.diagnostics, p.context.only),
    ...commandActions(p.textDocument.uri, p.context.only),
  ]));
  connection.onCodeLens(onDocument('codeLens', [], (a, p) => codeLensSources.flatMap((s) => s.lenses(a, p.textDocument.uri))));

  connection.onWorkspaceSymbol((params, token) => {
    if (!initialized) return notInitialized();
    if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'workspaceSymbol cancelled');
    try {
      return workspaceSymbols(documents.all(), params.query);
    } catch (e) {
      log(`sptls: workspaceSymbol failed: ${stackOf(e)}`);
      return new ResponseError(ErrorCodes.InternalError, `sptls workspaceSymbol failed: ${messageOf(e)}`);
    }
  });

  connection.onExecuteCommand(async (params, token, workDoneProgress) => {
    if (!initialized) return notInitialized();
    const entry = commandEntries.find((c) => c.id === params.command);
    if (!entry) return new ResponseError(ErrorCodes.InvalidParams, `unknown command ${params.command}`);
    try {
      return await runCommand(entry, params.arguments ?? [], token, {
        connection, documents, diagnostics, trusted: () => trusted, attached: workDoneProgress,
        createProgress: progressSupport, showDocument: showDocumentSupport,
      });
    } catch (e) {
      log(`sptls: command ${params.command} failed: ${stackOf(e)}`);
      return new ResponseError(ErrorCodes.InternalError, `${params.command} failed: ${messageOf(e)}`);
    }
  });

  connection.onRequest(DIAGRAM_REQUEST, async (params: DiagramParams, token) => {
    if (!initialized) return notInitialized();
    if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, 'diagram cancelled');
    if (typeof params?.textDocument?.uri !== 'string') return new ResponseError(ErrorCodes.InvalidParams, 'sptls/diagram: give { textDocument: { uri } }');
    try {
      return await diagram(params.textDocument.uri, documents, new Date());
    } catch (e) {
      log(`sptls: diagram of ${params.textDocument?.uri} failed: ${stackOf(e)}`);
      return new ResponseError(ErrorCodes.InternalError, `sptls diagram failed: ${messageOf(e)}`);
    }
  });

  connection.listen();
}
