// Waiting on the real extension by its events (activation, published diagnostics)
// rather than by fixed sleeps, and finding positions by the text they point at.
import * as vscode from 'vscode';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eEnv } from './env.ts';

export const EXTENSION_ID = 'sptls.sptls';
/** How long an event may take before a wait fails with what it saw last. */
const EVENT_TIMEOUT_MS = 30_000;

export async function activatedExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in the extension host (extensions: ${vscode.extensions.all.map((e) => e.id).join(', ')})`);
  await ext.activate();
  return ext;
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test workbench has no folder open');
  return folder.uri.fsPath;
}

/** Opens a copy of a workspace file under a new name, so edits in one test do not leak into the next. */
export async function openCopy(source: string, copyName: string): Promise<vscode.TextDocument> {
  copyFileSync(join(workspaceDir(), source), join(workspaceDir(), copyName));
  return open(copyName);
}

export async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(join(workspaceDir(), name)));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Resolves with the document's diagnostics once `ready` holds for them, on the diagnostics-changed event. */
export function diagnosticsWhen(uri: vscode.Uri, ready: (d: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const now = vscode.languages.getDiagnostics(uri);
      if (!ready(now)) return false;
      cleanup();
      resolve(now);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => { if (e.uris.some((u) => u.toString() === uri.toString())) check(); });
    const timer = setTimeout(() => {
      cleanup();
      const seen = vscode.languages.getDiagnostics(uri).map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${ruleOf(d)}`);
      reject(new Error(`no diagnostics with ${what} for ${uri.fsPath} within ${EVENT_TIMEOUT_MS / 1000} s; last seen: ${seen.join('; ') || 'none'}`));
    }, EVENT_TIMEOUT_MS);
    const cleanup = () => { clearTimeout(timer); sub.dispose(); };
    check();
  });
}

/** The rule id a diagnostic carries (a string, or `{ value, target }` when it links to docs). */
export function ruleOf(d: vscode.Diagnostic): string {
  const code = d.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

/** The position of the `occurrence`-th `needle` in the document, plus `delta` characters. */
export function positionOf(doc: vscode.TextDocument, needle: string, delta = 0, occurrence = 1): vscode.Position {
  let offset = -1;
  for (let i = 0; i < occurrence; i++) {
    offset = doc.getText().indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`"${needle}" (occurrence ${occurrence}) is not in ${doc.uri.fsPath}`);
  }
  return doc.positionAt(offset + delta);
}

/** The 0-based line holding `needle`. */
export function lineOf(doc: vscode.TextDocument, needle: string): number {
  return positionOf(doc, needle).line;
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

export { e2eEnv };
