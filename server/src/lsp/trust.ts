// Workspace trust: editing features run everywhere, but commands that write key
// material or open network connections run only in a trusted workspace (package.json
// declares `untrustedWorkspaces: limited`).
import * as vscode from 'vscode';

/** True in a trusted workspace; otherwise says why the command did not run and returns false. */
export function requireTrust(commandTitle: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(
    `sptls: "${commandTitle}" writes key material or opens network connections, so it runs only in a trusted workspace. ` +
      'Use "Workspaces: Manage Workspace Trust" to trust this folder; editing, diagnostics and quick fixes work without it.',
  );
  return false;
}
