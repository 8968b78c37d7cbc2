// The "Show topology diagram" command: a webview beside the editor that shows the SVG
// the server draws (`sptls/diagram`) for the active .sptls document, redrawn as it
// changes (debounced), and reveals the declaration or connection a click lands on.
// See docs/diagram.md.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DIAGRAM_REQUEST, type DiagramParams, type DiagramResult } from '../../../protocol/index.ts';
import { diagramPage } from './html.ts';
import { parseWebviewMessage, reveal, type HostMessage } from './protocol.ts';

export const SHOW_DIAGRAM_COMMAND = 'sptls.showDiagram';
const DEBOUNCE_MS = 250;

export function registerDiagram(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  let panel: DiagramPanel | null = null;
  context.subscriptions.push(vscode.commands.registerCommand(SHOW_DIAGRAM_COMMAND, () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'sptls') {
      void vscode.window.showInformationMessage('Open a .sptls topology file to show its diagram.');
      return;
    }
    if (panel) panel.follow(editor.document);
    else {
      panel = new DiagramPanel(editor.document, editor.viewColumn ?? vscode.ViewColumn.One, client);
      panel.onDispose(() => { panel = null; });
    }
  }));
  context.subscriptions.push({ dispose: () => panel?.dispose() });
}

class DiagramPanel {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private document: vscode.TextDocument;
  private readonly editorColumn: vscode.ViewColumn;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Renders finish out of order; only the latest one is posted. */
  private generation = 0;
  private closed = false;

  private readonly client: () => LanguageClient | undefined;

  constructor(document: vscode.TextDocument, editorColumn: vscode.ViewColumn, client: () => LanguageClient | undefined) {
    this.client = client;
    this.document = document;
    this.editorColumn = editorColumn;
    this.panel = vscode.window.createWebviewPanel('sptls.diagram', title(document), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [],
    });
    void this.load();
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((raw: unknown) => this.received(raw)),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.document === this.document) this.schedule(); }),
      vscode.window.onDidChangeActiveTextEditor((e) => { if (e && e.document.languageId === 'sptls') this.follow(e.document); }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  /** The page carries the diagram's stylesheet, which the server sends with each drawing: the page is made after the first. */
  private async load(): Promise<void> {
    const css = await this.draw().then((d) => d.css, () => '');
    if (!this.closed) this.panel.webview.html = diagramPage({ cspSource: this.panel.webview.cspSource, nonce: randomBytes(18).toString('base64url'), diagramCss: css });
  }

  private async draw(): Promise<DiagramResult> {
    const params: DiagramParams = { textDocument: { uri: this.document.uri.toString() } };
    const drawn = await this.client()?.sendRequest<DiagramResult | null>(DIAGRAM_REQUEST, params);
    if (!drawn) throw new Error('the language server has not opened this document');
    return drawn;
  }

  onDispose(listener: () => void): void {
    this.disposables.push({ dispose: listener });
  }

  follow(document: vscode.TextDocument): void {
    this.document = document;
    this.panel.title = title(document);
    this.panel.reveal(undefined, true);
    void this.render();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.render(), DEBOUNCE_MS);
  }

  private async render(): Promise<void> {
    const generation = ++this.generation;
    let message: HostMessage;
    try {
      message = { type: 'render', svg: (await this.draw()).svg };
    } catch (e) {
      message = { type: 'error', message: `The diagram could not be drawn: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (generation === this.generation && !this.closed) void this.panel.webview.postMessage(message);
  }

  private received(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) return;
    if (message.type === 'ready') { void this.render(); return; }
    const doc = this.document;
    // The editor the document is visible in, else the column it was opened from.
    const column = vscode.window.visibleTextEditors.find((e) => e.document === doc)?.viewColumn ?? this.editorColumn;
    reveal(message, {
      textLength: doc.getText().length,
      select: (start, end) => {
        const selection = new vscode.Range(doc.positionAt(start), doc.positionAt(end));
        void vscode.window.showTextDocument(doc, { viewColumn: column, selection });
      },
    });
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function title(document: vscode.TextDocument): string {
  return `Topology: ${document.uri.path.split('/').pop() ?? 'untitled'}`;
}
