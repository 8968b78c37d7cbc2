// "Test handshake" (the lens above each TLS connection, or the command palette) and
// "Simulate topology": both open network connections, so they run only in a trusted
// workspace. Results open as read-only documents, the verdict on the first line.
import * as vscode from 'vscode';
import { nodeHandshakeProber } from '../../../server/src/handshake/prober.ts';
import { analyzeTopology } from '../../../server/src/pki/issue/run.ts';
import { codeLenses, TEST_HANDSHAKE_COMMAND } from '../../../server/src/lsp/features/code-lens.ts';
import { requireTrust } from '../trust.ts';
import {
  knownTarget, lensArguments, parseTargetText, simulationText, targetPrompt, targetProblem, testHandshake, unlessCancelled, type TestHandshakeArgs,
} from './handshake-logic.ts';

export const SIMULATE_COMMAND = 'sptls.simulate';
const RESULT_SCHEME = 'sptls-result';

/** Read-only documents holding command results, by URI. */
class ResultDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  async show(name: string, text: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${name.replace(/[\\/:*?"<>|]/g, '_')}.txt` });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerHandshakeCommands(context: vscode.ExtensionContext, output: vscode.OutputChannel): void {
  const results = new ResultDocuments();
  context.subscriptions.push(
    results,
    vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, results),
    vscode.commands.registerCommand(TEST_HANDSHAKE_COMMAND, (raw?: unknown) => runTestHandshake(raw, results, output)),
    vscode.commands.registerCommand(SIMULATE_COMMAND, () => runSimulate(results, output)),
  );
}

/** The saved .sptls document behind a URI, or null after telling the user why not. */
async function savedTopology(uri: vscode.Uri): Promise<vscode.TextDocument | null> {
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('sptls: save the topology first: its issued PKI (sptls issue) is found in pki/ beside the file.');
    return null;
  }
  return doc;
}

/** Without lens arguments (command palette): pick one TLS connection of the active topology. */
async function pickConnection(): Promise<TestHandshakeArgs | null> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'sptls') {
    void vscode.window.showInformationMessage('Open a .sptls topology file to test one of its connections.');
    return null;
  }
  const doc = editor.document;
  const lenses = codeLenses(analyzeTopology(doc.uri.fsPath, doc.getText()), doc.uri.toString());
  const items = lenses.map((l) => {
    const a = l.command!.arguments![0] as TestHandshakeArgs;
    return { label: `${a.initiator} -> ${a.responder}`, description: `line ${a.line + 1}`, detail: knownTarget(a) ? `${a.host}:${a.port}` : 'address or port asked next', args: a };
  });
  if (items.length === 0) {
    void vscode.window.showInformationMessage('sptls: this topology has no TLS connection to test.');
    return null;
  }
  return (await vscode.window.showQuickPick(items, { title: 'Test handshake', placeHolder: 'the connection to test' }))?.args ?? null;
}

async function runTestHandshake(raw: unknown, results: ResultDocuments, output: vscode.OutputChannel): Promise<void> {
  if (!requireTrust('Test handshake')) return;
  const args = raw === undefined ? await pickConnection() : lensArguments(raw);
  if (!args) {
    if (raw !== undefined) void vscode.window.showErrorMessage('sptls: Test handshake was given arguments it does not understand; use the lens above a connection.');
    return;
  }
  const doc = await savedTopology(vscode.Uri.parse(args.uri));
  if (!doc) return;
  let target = knownTarget(args);
  if (!target) {
    const ask = targetPrompt(args);
    const answer = await vscode.window.showInputBox({ title: `Test handshake ${args.initiator} -> ${args.responder}`, value: ask.value, prompt: ask.prompt, validateInput: targetProblem, ignoreFocusOut: true });
    if (answer === undefined) return;
    target = parseTargetText(answer);
  }
  const where = `${target.host}:${target.port}`;
  output.appendLine(`Test handshake ${args.initiator} -> ${args.responder} at ${where}`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `sptls: handshake with ${args.responder} (${where}) as ${args.initiator}`, cancellable: true },
    (_progress, token) => unlessCancelled(testHandshake({ topologyPath: doc.uri.fsPath, text: doc.getText(), args, target: target!, prober: nodeHandshakeProber }), (l) => token.onCancellationRequested(l)),
  );
  if (result === null) { output.appendLine('  cancelled'); return; }
  if (result.kind === 'refused') {
    output.appendLine(`  not tested: ${result.message}`);
    void vscode.window.showErrorMessage(`sptls: ${result.message}`);
    return;
  }
  output.appendLine(`  ${result.report.summary}`);
  await results.show(`Handshake ${args.initiator} -> ${args.responder}`, result.text);
}

async function runSimulate(results: ResultDocuments, output: vscode.OutputChannel): Promise<void> {
  if (!requireTrust('Simulate topology')) return;
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'sptls') {
    void vscode.window.showInformationMessage('Open a .sptls topology file to simulate it.');
    return;
  }
  const doc = await savedTopology(editor.document.uri);
  if (!doc) return;
  const text = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'sptls: rehearsing every TLS connection on 127.0.0.1', cancellable: true },
    (_progress, token) => unlessCancelled(simulationText(doc.uri.fsPath, doc.getText(), { prober: nodeHandshakeProber }), (l) => token.onCancellationRequested(l)),
  );
  if (text === null) { output.appendLine('Simulate topology: cancelled'); return; }
  output.appendLine(`Simulate topology ${doc.uri.fsPath}: ${text.split('\n')[2]?.trim() ?? ''}`);
  await results.show(`Simulation ${doc.uri.path.split('/').pop() ?? ''}`, text);
}
