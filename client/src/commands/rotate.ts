// "Plan rotation": the lenses above `ca` and `certificate` (and the palette) ask the
// language server to plan the rotation; the client only opens the phase files it wrote
// side by side, where the server's diagnostics show each phase's state.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import type { PlanRotationArgs } from '../../../server/src/lsp/features/expiry-lens.ts';
import { PLAN_ROTATION_SERVER_COMMAND, type PlanRotationResult } from '../../../server/src/lsp/rotate-command.ts';
import { requireTrust } from '../trust.ts';

const TITLE = 'sptls: Plan rotation';

export function registerRotateCommands(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(vscode.commands.registerCommand('sptls.planRotation', (args?: PlanRotationArgs) => planRotation(client, args)));
}

async function planRotation(client: LanguageClient, given: PlanRotationArgs | undefined): Promise<void> {
  if (!requireTrust(TITLE)) return;
  // From the palette the kind is left to the server: a `ca` is rotated, a component renewed.
  let args: Omit<PlanRotationArgs, 'kind'> | undefined = given;
  if (!args) {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc?.languageId !== 'sptls') { void vscode.window.showErrorMessage('sptls: open a .sptls topology first.'); return; }
    const name = await vscode.window.showInputBox({ title: TITLE, prompt: 'The CA or the component whose certificate to rotate' });
    if (!name) return;
    args = { uri: doc.uri.toString(), name };
  }
  const result = await client.sendRequest(ExecuteCommandRequest.type, { command: PLAN_ROTATION_SERVER_COMMAND, arguments: [args] }) as PlanRotationResult;
  if (!result.ok || !result.phases) { void vscode.window.showErrorMessage(`sptls: ${result.message}`); return; }
  // One column per phase, in order, so the states read left to right.
  for (const [i, phase] of result.phases.entries()) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(phase.uri));
    await vscode.window.showTextDocument(doc, { viewColumn: (vscode.ViewColumn.One + 1 + i) as vscode.ViewColumn, preview: false, preserveFocus: true });
  }
  const show = result.proven ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  void show(`sptls: ${result.message}`);
}
