// The VS Code extension: starts the bundled language server (dist/server.cjs) over
// IPC for `sptls` documents and adds the client-side commands. Everything about the
// language itself lives in the server, so other editors get the same features.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerHandshakeCommands } from './commands/handshake.ts';
import { registerPkiCommands } from './commands/pki.ts';
import { registerRotateCommands } from './commands/rotate.ts';
import { registerDiagram } from './diagram/index.ts';
import { SERVER_V8_FLAGS } from './server-flags.ts';

let client: LanguageClient | undefined;

/** The server's settings, as sent at start-up; later changes are pulled by the server. */
function serverSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('sptls');
  return {
    diagnosticsDelay: config.get('diagnosticsDelay'), expiryWarningDays: config.get('expiryWarningDays'), maxDocumentSize: config.get('maxDocumentSize'),
    // In an untrusted workspace the server reads no certificate file outside its folders.
    trusted: vscode.workspace.isTrusted,
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('sptls', { log: true });
  context.subscriptions.push(output);
  const module = context.asAbsolutePath('dist/server.cjs');
  const execArgv = [...SERVER_V8_FLAGS];
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...execArgv, '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'sptls', scheme: 'file' }, { language: 'sptls', scheme: 'untitled' }],
    outputChannel: output,
    initializationOptions: serverSettings(),
    synchronize: { configurationSection: 'sptls' },
  };
  // The id 'sptls' makes the client honour the `sptls.trace.server` setting.
  client = new LanguageClient('sptls', 'sptls', serverOptions, clientOptions);
  await client.start();
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification('sptls/workspaceTrust', { trusted: true })));
  registerDiagram(context);
  registerPkiCommands(context, output);
  registerHandshakeCommands(context, output);
  registerRotateCommands(context, client);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
