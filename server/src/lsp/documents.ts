// Open documents and their analyses. Each document keeps its parse across edits (the
// incremental layer, analysis/incremental.ts, re-parses only the statements an edit
// touches); each version is analyzed at most once, on first use, and every request and
// the diagnostics of that version share the result. A new version or new settings
// simply make the cached analysis stale.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CertificateFiles } from '../analysis/certificate-files.ts';
import type { Analysis } from '../analysis/engine.ts';
import { IncrementalDocument } from '../analysis/incremental.ts';
import { DiskCertificateFiles } from '../workspace/disk-certificates.ts';

export interface AnalysisSettings {
  expiryWarningDays: number;
  /** Documents larger than this (UTF-8 bytes) are kept in sync but not analyzed. */
  maxDocumentSize: number;
  /** Set in an untrusted workspace: certificate files are read only inside these folders. */
  confineFilesTo?: readonly string[];
}

/** Certificate files of a document that is not on disk cannot be found. */
const unsaved: CertificateFiles = { read: () => ({ ok: false, problem: 'unreadable', reason: 'the document is not saved in a folder; save it to read certificate files' }) };

export function certificateFilesFor(uri: string, confineTo?: readonly string[]): CertificateFiles {
  if (!uri.startsWith('file:')) return unsaved;
  try {
    return new DiskCertificateFiles(dirname(fileURLToPath(uri)), { confineTo });
  } catch {
    return unsaved;
  }
}

interface Entry {
  document: TextDocument;
  /** Made on the first analysis, so a document over the size limit is never parsed; dropped when it grows past it. */
  incremental: IncrementalDocument | null;
  analysis: Analysis | null;
}

export class DocumentStore {
  private readonly entries = new Map<string, Entry>();
  private settings: AnalysisSettings;
  /** The instant an analysis is made at (the analysis itself reads no clock). */
  private readonly clock: () => Date;

  constructor(settings: AnalysisSettings, clock: () => Date = () => new Date()) {
    this.settings = settings;
    this.clock = clock;
  }

  open(uri: string, version: number, text: string): void {
    this.entries.set(uri, { document: TextDocument.create(uri, 'sptls', version, text), incremental: null, analysis: null });
  }

  /** Applies incremental or full changes; false when the document was never opened. */
  change(uri: string, version: number, changes: Parameters<typeof TextDocument.update>[1]): boolean {
    const entry = this.entries.get(uri);
    if (!entry) return false;
    // One change at a time: each range is in the text the changes before it made.
    for (const change of changes) {
      if ('range' in change) {
        const a = entry.document.offsetAt(change.range.start);
        const b = entry.document.offsetAt(change.range.end);
        const [start, end] = a <= b ? [a, b] : [b, a];
        entry.document = TextDocument.update(entry.document, [change], version);
        entry.incremental?.edit({ start, end, text: change.text });
      } else {
        entry.document = TextDocument.update(entry.document, [change], version);
        entry.incremental?.reset(change.text);
      }
    }
    entry.analysis = null;
    if (this.oversize(uri) !== undefined) entry.incremental = null;
    return true;
  }

  close(uri: string): void {
    this.entries.delete(uri);
  }

  has(uri: string): boolean {
    return this.entries.has(uri);
  }

  /** The current text of an open document (unsaved edits included). */
  text(uri: string): string | undefined {
    return this.entries.get(uri)?.document.getText();
  }

  version(uri: string): number | undefined {
    return this.entries.get(uri)?.document.version;
  }

  uris(): string[] {
    return [...this.entries.keys()];
  }

  /** Changing the settings makes every analysis stale. */
  updateSettings(settings: AnalysisSettings): void {
    this.settings = settings;
    for (const entry of this.entries.values()) entry.analysis = null;
  }

  /** The document's size in UTF-8 bytes when it is over the limit, else undefined. */
  oversize(uri: string): number | undefined {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    const text = entry.document.getText();
    const max = this.settings.maxDocumentSize;
    // A UTF-16 unit is 1 to 3 UTF-8 bytes: count only when the length leaves it open.
    if (text.length * 3 <= max) return undefined;
    const bytes = text.length > max ? text.length : Buffer.byteLength(text, 'utf8');
    return bytes > max ? bytes : undefined;
  }

  /** The analysis of the document's current version; null for a document that is not open or too large. */
  analysis(uri: string): Analysis | null {
    const entry = this.entries.get(uri);
    if (!entry || this.oversize(uri) !== undefined) return null;
    entry.incremental ??= new IncrementalDocument(entry.document.getText());
    entry.analysis ??= entry.incremental.analyze({
      certificateFiles: certificateFilesFor(uri, this.settings.confineFilesTo),
      now: this.clock(),
      expiryWarningDays: this.settings.expiryWarningDays,
    });
    return entry.analysis;
  }

  /** Every open document with its analysis (documents over the size limit have none), for workspace-wide requests. */
  *all(): Iterable<{ uri: string; analysis: Analysis }> {
    for (const uri of this.entries.keys()) {
      const analysis = this.analysis(uri);
      if (analysis) yield { uri, analysis };
    }
  }
}
