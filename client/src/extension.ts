// The VS Code extension: starts the bundled language server (dist/server.cjs) over IPC
// for `sptls` documents. The server owns every feature and command, so other editors
// get the same ones; this client adds pickers, the diagram webview and result views
// (commands/, diagram/), and tells the server whether the workspace is trusted.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { WORKSPACE_TRUST_NOTIFICATION, type WorkspaceTrustParams } from '../../protocol/index.ts';
import { CommandUi } from './commands/index.ts';
import { registerDiagram } from './diagram/index.ts';
import { SERVER_V8_FLAGS } from './server-flags.ts';

let client: LanguageClient | undefined;

/** The server's settings and the workspace's trust, as sent at start-up; later changes are pulled or notified. */
function initializationOptions(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('sptls');
  return {
    diagnosticsDelay: config.get('diagnosticsDelay'), expiryWarningDays: config.get('expiryWarningDays'), maxDocumentSize: config.get('maxDocumentSize'),
    // Untrusted: the server runs no command that writes key material or connects, and reads no certificate file outside the workspace's folders.
    trusted: vscode.workspace.isTrusted,
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('sptls', { log: true });
  const commands = new CommandUi(output, () => client);
  context.subscriptions.push(output, commands);
  const module = context.asAbsolutePath('dist/server.cjs');
  const execArgv = [...SERVER_V8_FLAGS];
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...execArgv, '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'sptls', scheme: 'file' }, { language: 'sptls', scheme: 'untitled' }],
    outputChannel: output,
    initializationOptions: initializationOptions(),
    synchronize: { configurationSection: 'sptls' },
    middleware: { executeCommand: commands.executeCommand },
  };
  // The id 'sptls' makes the client honour the `sptls.trace.server` setting.
  client = new LanguageClient('sptls', 'sptls', serverOptions, clientOptions);
  await client.start();
  // Trust is only ever granted while VS Code runs (revoking it reloads the window).
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => {
    void client?.sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: true } satisfies WorkspaceTrustParams);
  }));
  registerDiagram(context, () => client);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
