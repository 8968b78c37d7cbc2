// Push diagnostics, debounced per document: a burst of edits is analyzed once, after
// the last one, and an edit that arrives while a publication is pending replaces it.
import type { Diagnostic } from 'vscode-languageserver';
import { toLspDiagnostic } from './convert.ts';
import type { DocumentStore } from './documents.ts';

export type Publish = (uri: string, version: number | undefined, diagnostics: Diagnostic[]) => void;

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
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
    this.timers.set(uri, setTimeout(() => this.publishNow(uri), this.delayMs));
  }

  publishNow(uri: string): void {
    this.timers.delete(uri);
    try {
      const analysis = this.store.analysis(uri);
      if (!analysis) return;
      this.publish(uri, this.store.version(uri), analysis.diagnostics.map((d) => toLspDiagnostic(d, analysis.lines)));
    } catch (e) {
      this.onError(uri, e);
    }
  }

  /** Drops pending work and clears what the editor shows. */
  clear(uri: string): void {
    this.cancel(uri);
    this.publish(uri, undefined, []);
  }

  private cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(uri);
  }
}
