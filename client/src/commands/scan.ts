// "Scan environment": asks the language server to scan the live hosts of the active
// topology (it opens network connections, so only in a trusted workspace), shows its
// work-done progress in a cancellable notification and puts the findings in the
// Problems panel under their own collection, beside the topology's diagnostics.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, WorkDoneProgress, type Diagnostic as LspDiagnostic, type LanguageClient } from 'vscode-languageclient/node';
import { requireTrust } from '../trust.ts';

export const SCAN_ENVIRONMENT_COMMAND = 'sptls.scanEnvironment';
/** The server's command (server/src/lsp/scan-command.ts). */
const SERVER_SCAN_COMMAND = 'sptls.server.scanEnvironment';

interface ScanCommandResult {
  uri: string;
  summary: string;
  diagnostics: LspDiagnostic[];
}

export function registerScanCommand(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel): void {
  const findings = vscode.languages.createDiagnosticCollection('sptls scan');
  context.subscriptions.push(findings, vscode.commands.registerCommand(SCAN_ENVIRONMENT_COMMAND, () => scanEnvironment(client, findings, output)));
}

async function scanEnvironment(client: LanguageClient, findings: vscode.DiagnosticCollection, output: vscode.OutputChannel): Promise<void> {
  if (!requireTrust('Scan environment')) return;
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'sptls') {
    void vscode.window.showInformationMessage('Open a .sptls topology file to scan the hosts it names.');
    return;
  }
  const doc = editor.document;
  if (doc.uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('sptls: save the topology first: the certificates it is compared with are found beside the file.');
    return;
  }
  const uri = client.code2ProtocolConverter.asUri(doc.uri);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'sptls: scanning the hosts of the topology', cancellable: true },
    async (progress, token) => {
      const workDoneToken = `sptls-scan-${Date.now()}`;
      let last = 0;
      const listening = client.onProgress(WorkDoneProgress.type, workDoneToken, (p) => {
        if (p.kind === 'end') return;
        const increment = p.percentage !== undefined ? p.percentage - last : undefined;
        if (p.percentage !== undefined) last = p.percentage;
        progress.report({ ...(p.message ? { message: p.message } : {}), ...(increment ? { increment } : {}) });
      });
      try {
        return await client.sendRequest(ExecuteCommandRequest.type, { command: SERVER_SCAN_COMMAND, arguments: [uri], workDoneToken }, token) as ScanCommandResult;
      } catch (e) {
        if (token.isCancellationRequested) return null;
        throw e;
      } finally {
        listening.dispose();
      }
    },
  );
  if (!result) { output.appendLine('Scan environment: cancelled'); return; }
  const diagnostics = await client.protocol2CodeConverter.asDiagnostics(result.diagnostics);
  findings.set(doc.uri, diagnostics);
  output.appendLine(`Scan environment ${doc.uri.fsPath}: ${result.summary}`);
  void vscode.window.showInformationMessage(`sptls scan: ${result.summary}`);
}
