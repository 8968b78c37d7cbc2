// How the server runs a `workspace/executeCommand`: the one trust guard, progress,
// cancellation, and a result any client can show. A command module holds only its own
// work (arguments -> engine -> CommandResult); adding one is an entry in index.ts.
import {
  ErrorCodes, LSPErrorCodes, MessageType, ResponseError, WorkDoneProgressReporter,
  type CancellationToken, type Connection, type Diagnostic,
} from 'vscode-languageserver';
import type { CommandId, CommandResult } from '../../../../protocol/index.ts';
import type { DiagnosticsScheduler } from '../diagnostics.ts';
import type { DocumentStore } from '../documents.ts';

export interface CommandContext {
  documents: DocumentStore;
  /** One step of long work, shown as `workDoneProgress` (with a percentage when the work is counted). */
  progress(message: string, percentage?: number): void;
  /** Aborted when the client cancels the request or its progress. */
  signal: AbortSignal;
  /** Asks the client to show a file the command wrote (when it can). */
  showDocument(uri: string): Promise<void>;
  /** A finding of the command on an open document, shown with its diagnostics until the next edit; null removes the one under `key`. */
  finding(uri: string, key: string, diagnostic: Diagnostic | null): void;
}

export interface ServerCommand {
  /** `args` are the request's arguments as sent: [uri, options?]; throw ArgumentError when they are not. */
  run(args: unknown[], ctx: CommandContext): Promise<CommandResult>;
}

export interface CommandEntry {
  id: CommandId;
  /** The title editors show, also used in messages. */
  title: string;
  /** Writes key material or opens network connections: refused in an untrusted workspace. */
  needsTrust: boolean;
  /** The module is loaded when the command first runs, so the server starts without ELK, node-forge or the TLS tester. */
  load(): Promise<ServerCommand>;
}

/** The arguments do not fit the command; the client gets InvalidParams with this message. */
export class ArgumentError extends Error {}

/** A refusal or failure as a result: the summary names the first problem, the text lists them all. */
export function refusal(what: string, problems: string[]): CommandResult {
  const more = problems.length > 1 ? ` (+${problems.length - 1} more)` : '';
  return { ok: false, summary: `${what}: ${problems[0] ?? 'see the log'}${more}`, text: `${what}; fix these first:\n${problems.map((p) => `  ${p}\n`).join('')}`, written: [] };
}

function untrustedMessage(title: string): string {
  return `sptls: "${title}" writes key material or opens network connections, so it runs only in a trusted workspace. ` +
    'Trust the workspace (VS Code: "Workspaces: Manage Workspace Trust"); editing, diagnostics and quick fixes work without it.';
}

export interface RunDependencies {
  connection: Connection;
  documents: DocumentStore;
  diagnostics: DiagnosticsScheduler;
  trusted(): boolean;
  /** The client's own progress token (`workDoneToken`), else a null reporter. */
  attached: WorkDoneProgressReporter;
  /** Whether the server may create progress itself (`window.workDoneProgress`). */
  createProgress: boolean;
  showDocument: boolean;
}

export async function runCommand(entry: CommandEntry, args: unknown[], token: CancellationToken, deps: RunDependencies): Promise<CommandResult | ResponseError> {
  if (entry.needsTrust && !deps.trusted()) return new ResponseError(LSPErrorCodes.RequestFailed, untrustedMessage(entry.title));
  const controller = new AbortController();
  const listeners = [token.onCancellationRequested(() => controller.abort())];
  // Progress, too: a client that refuses to create it gets the work without it.
  const created = deps.createProgress && WorkDoneProgressReporter.isNullInstance(deps.attached)
    ? await deps.connection.window.createWorkDoneProgress().catch(() => null) : null;
  if (created) listeners.push(created.token.onCancellationRequested(() => controller.abort()));
  const reporter = created ?? deps.attached;
  reporter.begin(`sptls: ${entry.title}`, undefined, undefined, true);
  const ctx: CommandContext = {
    documents: deps.documents,
    progress: (message, percentage) => (percentage === undefined ? reporter.report(message) : reporter.report(percentage, message)),
    signal: controller.signal,
    finding: (uri, key, diagnostic) => deps.diagnostics.setFinding(uri, key, diagnostic),
    // Showing a file is a courtesy: a client that fails to is no reason to fail the command.
    showDocument: async (uri) => { if (deps.showDocument) await deps.connection.window.showDocument({ uri, takeFocus: false }).catch(() => undefined); },
  };
  try {
    const result = await (await entry.load()).run(args, ctx);
    if (controller.signal.aborted) return new ResponseError(LSPErrorCodes.RequestCancelled, `${entry.title} cancelled`);
    deps.connection.console.log(result.text.trimEnd());
    void deps.connection.sendNotification('window/showMessage', { type: result.ok ? MessageType.Info : MessageType.Error, message: `sptls: ${result.summary}` });
    return result;
  } catch (e) {
    if (e instanceof ArgumentError) return new ResponseError(ErrorCodes.InvalidParams, `${entry.id}: ${e.message}`);
    throw e;
  } finally {
    reporter.done();
    for (const l of listeners) l.dispose();
  }
}

/** The first argument: a URI string (what every command takes first). */
export function uriArgument(args: unknown[]): string {
  const uri = args[0];
  if (typeof uri !== 'string' || !/^[a-z][a-z0-9+.-]*:/i.test(uri)) throw new ArgumentError('the first argument must be the document URI');
  return uri;
}

/** The second argument: an options object, or nothing. */
export function optionsArgument(args: unknown[]): Record<string, unknown> {
  const options = args[1];
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) throw new ArgumentError('the second argument must be an options object');
  return options as Record<string, unknown>;
}
