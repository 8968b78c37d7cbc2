// The editor side of the server's commands (protocol/index.ts): the language client
// registers every command the server advertises, and this middleware only completes the
// arguments (the explorer's file, the active editor, a picked connection, a typed
// HOST:PORT, a password) and shows what the server answers. The work, the trust guard,
// progress and cancellation are the server's.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS, type CommandResult, type TestHandshakeOptions } from '../../../protocol/index.ts';
import { ResultDocuments } from './results.ts';

type Next = (command: string, args: unknown[]) => vscode.ProviderResult<unknown>;

const INSPECTABLE = ['kdb', 'p12', 'pfx', 'arm', 'pem', 'crt', 'cer', 'der'];

export class CommandUi implements vscode.Disposable {
  private readonly results = new ResultDocuments();
  private readonly registration: vscode.Disposable;
  private readonly output: vscode.OutputChannel;
  private readonly client: () => LanguageClient | undefined;

  constructor(output: vscode.OutputChannel, client: () => LanguageClient | undefined) {
    this.output = output;
    this.client = client;
    this.registration = vscode.workspace.registerTextDocumentContentProvider(ResultDocuments.scheme, this.results);
  }

  /** The language client's `middleware.executeCommand`. */
  readonly executeCommand = async (command: string, args: unknown[], next: Next): Promise<unknown> => {
    switch (command) {
      case COMMANDS.issueCertificates:
      case COMMANDS.buildKeyDatabases: {
        const uri = topologyUri(args[0]);
        if (!uri) return undefined;
        const result = await run(next, command, [uri]);
        if (result) this.output.show(true);
        if (result?.written[0] && command === COMMANDS.buildKeyDatabases) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.parse(result.written[0]));
        return result;
      }
      case COMMANDS.inspectKeyDatabase: return this.inspect(args[0], next);
      case COMMANDS.planRotation: return this.planRotation(args, next);
      case COMMANDS.testHandshake: return this.testHandshake(args, next);
      case COMMANDS.simulate:
      case COMMANDS.expiry: {
        const uri = topologyUri(args[0]);
        if (!uri) return undefined;
        const result = await run(next, command, [uri, ...args.slice(1)]);
        const what = command === COMMANDS.simulate ? 'Simulation' : 'Expiry';
        if (result?.text) await this.results.show(`${what} ${uri.split('/').pop() ?? ''}`, result.text);
        return result;
      }
      case COMMANDS.collectScript: {
        const platform = args[0] ?? await vscode.window.showQuickPick(['linux', 'aix', 'windows'], { placeHolder: 'Platform of the hosts to collect from' }).then((p) => (p ? { platform: p } : undefined));
        if (!platform) return undefined;
        const result = await run(next, command, [platform]);
        if (result?.text) await this.results.show(`collect-${(platform as { platform: string }).platform}`, result.text);
        return result;
      }
      case COMMANDS.importEnvironment: {
        // From the palette: the folder 'sptls collect-script' filled; the server opens the topology it writes.
        const folder = args[0] instanceof vscode.Uri ? args[0] : typeof args[0] === 'string' ? vscode.Uri.parse(args[0])
          : (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Import' }))?.[0];
        if (!folder) return undefined;
        const result = await run(next, command, [folder.toString(), ...args.slice(1)]);
        if (result) this.output.show(true);
        return result;
      }
      case COMMANDS.scanEnvironment: {
        // The findings come as diagnostics of the topology (the Problems panel); the text is the CLI's.
        const uri = topologyUri(args[0]);
        if (!uri) return undefined;
        const result = await run(next, command, [uri]);
        if (result?.text) await this.results.show(`Scan ${uri.split('/').pop() ?? ''}`, result.text);
        return result;
      }
      default: return next(command, args);
    }
  };

  private async inspect(raw: unknown, next: Next): Promise<CommandResult | undefined> {
    let target = raw instanceof vscode.Uri ? raw : typeof raw === 'string' ? vscode.Uri.parse(raw) : undefined;
    target ??= (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Key databases and certificates': INSPECTABLE } }))?.[0];
    if (!target) return undefined;
    let result = await run(next, COMMANDS.inspectKeyDatabase, [target.toString()]);
    if (result?.needs === 'password') {
      // Asked for each run, passed to the server for this one command, never stored.
      const password = await vscode.window.showInputBox({ title: 'sptls: Inspect key database', prompt: `Password of ${target.fsPath}`, password: true, ignoreFocusOut: true });
      if (password === undefined) return undefined;
      result = await run(next, COMMANDS.inspectKeyDatabase, [target.toString(), { password }]);
    }
    if (result) this.output.show(true);
    return result;
  }

  /** From a lens: its [uri, { kind, name }]; from the palette: the active topology and a name typed. The phases open side by side. */
  private async planRotation(args: unknown[], next: Next): Promise<CommandResult | undefined> {
    let given = typeof args[0] === 'string' && args[1] && typeof args[1] === 'object' ? args : undefined;
    if (!given) {
      const uri = topologyUri(undefined);
      if (!uri) return undefined;
      // The kind is left to the server: a `ca` is rotated, a component renewed.
      const name = await vscode.window.showInputBox({ title: 'sptls: Plan rotation', prompt: 'The CA or the component whose certificate to rotate' });
      if (!name) return undefined;
      given = [uri, { name }];
    }
    const result = await run(next, COMMANDS.planRotation, given);
    // One column per phase, in order, so the states read left to right.
    for (const [i, phase] of (result?.written ?? []).entries()) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(phase));
      await vscode.window.showTextDocument(doc, { viewColumn: (vscode.ViewColumn.One + 1 + i) as vscode.ViewColumn, preview: false, preserveFocus: true });
    }
    return result;
  }

  private async testHandshake(args: unknown[], next: Next): Promise<CommandResult | undefined> {
    const picked = typeof args[0] === 'string' && args[1] && typeof args[1] === 'object'
      ? { uri: args[0], options: args[1] as TestHandshakeOptions }
      : await this.pickConnection();
    if (!picked) return undefined;
    const { uri, options } = picked;
    let target: string | undefined;
    if (options.host === undefined || options.port === undefined) {
      const missing = [options.host === undefined ? 'address' : null, options.port === undefined ? 'port' : null].filter((m) => m !== null);
      target = await vscode.window.showInputBox({
        title: `Test handshake ${options.initiator} -> ${options.responder}`, value: `${options.host ?? ''}:${options.port ?? ''}`,
        prompt: `${options.responder} has no ${missing.join(' or ')} in the topology: where does it listen? (HOST:PORT)`, ignoreFocusOut: true,
      });
      if (target === undefined) return undefined;
    }
    this.output.appendLine(`Test handshake ${options.initiator} -> ${options.responder}`);
    const result = await run(next, COMMANDS.testHandshake, [uri, target === undefined ? options : { ...options, target }]);
    if (result?.text) await this.results.show(`Handshake ${options.initiator} -> ${options.responder}`, result.text);
    return result;
  }

  /** Without lens arguments (command palette): one of the active topology's lenses, from the server. */
  private async pickConnection(): Promise<{ uri: string; options: TestHandshakeOptions } | undefined> {
    const editor = vscode.window.activeTextEditor;
    const client = this.client();
    if (!editor || editor.document.languageId !== 'sptls' || !client) {
      void vscode.window.showInformationMessage('Open a .sptls topology file to test one of its connections.');
      return undefined;
    }
    const uri = editor.document.uri.toString();
    const lenses = (await client.sendRequest<Array<{ command?: { command: string; arguments?: unknown[] } }> | null>('textDocument/codeLens', { textDocument: { uri } })) ?? [];
    const items = lenses.filter((l) => l.command?.command === COMMANDS.testHandshake).map((l) => {
      const options = l.command!.arguments![1] as TestHandshakeOptions;
      return { label: `${options.initiator} -> ${options.responder}`, description: `line ${options.line + 1}`, detail: options.host !== undefined && options.port !== undefined ? `${options.host}:${options.port}` : 'address or port asked next', options };
    });
    if (items.length === 0) {
      void vscode.window.showInformationMessage('sptls: this topology has no TLS connection to test.');
      return undefined;
    }
    const choice = await vscode.window.showQuickPick(items, { title: 'Test handshake', placeHolder: 'the connection to test' });
    return choice && { uri, options: choice.options };
  }

  dispose(): void {
    this.registration.dispose();
    this.results.dispose();
  }
}

/** The server's answer; undefined when it refused (the language client has shown why) or the user cancelled. */
async function run(next: Next, command: string, args: unknown[]): Promise<CommandResult | undefined> {
  try {
    return (await next(command, args)) as CommandResult | undefined;
  } catch {
    return undefined;
  }
}

/** The topology a command runs on: the explorer's file or the given URI, else the active .sptls editor. */
function topologyUri(raw: unknown): string | undefined {
  if (raw instanceof vscode.Uri) return raw.toString();
  if (typeof raw === 'string') return raw;
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.languageId === 'sptls') return editor.document.uri.toString();
  void vscode.window.showErrorMessage('sptls: open a saved .sptls topology file first (or pick one in the explorer).');
  return undefined;
}
