// Push diagnostics, debounced per document: a burst of edits is analyzed once, after
// the last one, and an edit that arrives while a publication is pending replaces it.
// Commands add findings of their own (a failed handshake on its connection's line); they
// belong to the text that was tested, so the next edit drops them.
import type { Diagnostic } from 'vscode-languageserver';
import { toLspDiagnostic } from './convert.ts';
import type { DocumentStore } from './documents.ts';

export type Publish = (uri: string, version: number | undefined, diagnostics: Diagnostic[]) => void;

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Command findings per document, by a key the command chooses (one per connection). */
  private readonly findings = new Map<string, Map<string, Diagnostic>>();
  private readonly store: DocumentStore;
  private readonly publish: Publish;
  private readonly onError: (uri: string, error: unknown) => void;
  delayMs: number;

  constructor(store: DocumentStore, publish: Publish, onError: (uri: string, error: unknown) => void, delayMs: number) {
    this.store = store;
    this.publish = publish;
    this.onError = onError;
    this.delayMs = delayMs;
  }

  /** (Re)starts the document's timer: only the last edit of a burst is analyzed. */
  schedule(uri: string): void {
    this.cancel(uri);
    this.findings.delete(uri);
    this.timers.set(uri, setTimeout(() => this.publishNow(uri), this.delayMs));
  }

  publishNow(uri: string): void {
    this.timers.delete(uri);
    try {
      const analysis = this.store.analysis(uri);
      // A document over the size limit has no analysis: clear what an earlier version showed.
      if (!analysis) {
        if (this.store.has(uri)) this.publish(uri, this.store.version(uri), []);
        return;
      }
      const own = [...(this.findings.get(uri)?.values() ?? [])];
      this.publish(uri, this.store.version(uri), [...analysis.diagnostics.map((d) => toLspDiagnostic(d, analysis.lines)), ...own]);
    } catch (e) {
      this.onError(uri, e);
    }
  }

  /** Sets (or, with null, removes) a command's finding on an open document and publishes at once. */
  setFinding(uri: string, key: string, diagnostic: Diagnostic | null): void {
    if (!this.store.has(uri)) return;
    let own = this.findings.get(uri);
    if (!own) this.findings.set(uri, (own = new Map()));
    if (diagnostic) own.set(key, diagnostic);
    else own.delete(key);
    this.cancel(uri);
    this.publishNow(uri);
  }

  /** Drops pending work and clears what the editor shows. */
  clear(uri: string): void {
    this.cancel(uri);
    this.findings.delete(uri);
    this.publish(uri, undefined, []);
  }

  private cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(uri);
  }
}
