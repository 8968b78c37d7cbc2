// Read-only documents holding command results (handshake reports, simulation
// matrices), beside the editor, the verdict on the first line.
import * as vscode from 'vscode';

export class ResultDocuments implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'sptls-result';
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  async show(name: string, text: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: ResultDocuments.scheme, path: `/${name.replace(/[\\/:*?"<>|]/g, '_')}.txt` });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
