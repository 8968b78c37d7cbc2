// An import written to disk: the collected files read, the topology and its certificate files
// written beside it without replacing what exists (unless told to). `sptls import` and the
// server's "Import environment" command both call it, so they write the same files.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PUBLIC_FILE_MODE, writeFileSafely } from '../pki/fs/safe-write.ts';
import { importEnvironment, type ImportResult } from './engine.ts';
import { readCollections, type ReadReport } from './read-collection.ts';

export interface SaveImportOptions {
  /** Absolute path of the topology to write; its certificate files go to certs/ beside it. */
  out: string;
  /** Replace the topology and certificate files that exist. */
  force: boolean;
}

export type SavedImport =
  | { ok: true; result: ImportResult; skipped: ReadReport['skipped']; written: string[] }
  /** `exists`: a file is in the way (another out, or force, helps); `empty`: nothing usable read. */
  | { ok: false; reason: 'empty' | 'exists'; message: string; skipped: ReadReport['skipped'] };

/** Reads `inputs` (folders or files, relative to `cwd`), imports them and writes the result. */
export async function saveImport(inputs: string[], cwd: string, options: SaveImportOptions, context: { progress?(message: string): void; signal?: AbortSignal } = {}): Promise<SavedImport> {
  context.progress?.('reading the collected files');
  const read = await readCollections(inputs, cwd, context.signal);
  if (read.files.length === 0) return { ok: false, reason: 'empty', message: 'no files to read', skipped: read.skipped };
  context.progress?.(`recognising ${read.files.length} file(s)`);
  const result = importEnvironment(read.files, { inputs });
  const dir = dirname(options.out);
  const existing = options.force ? 'replace' : 'refuse';
  const written: string[] = [];
  await mkdir(join(dir, 'certs'), { recursive: true });
  for (const f of result.files) {
    const path = join(dir, f.path);
    // The same certificate from an earlier import is no conflict: it stays as it is.
    const same = await readFile(path, 'utf8').then((t) => t === f.content, () => false);
    if (same) continue;
    const w = await writeFileSafely(path, f.content, { mode: PUBLIC_FILE_MODE, existing });
    if (!w.ok) return { ok: false, reason: 'exists', message: w.error.message, skipped: read.skipped };
    written.push(path);
  }
  const w = await writeFileSafely(options.out, result.text, { mode: PUBLIC_FILE_MODE, existing });
  if (!w.ok) return { ok: false, reason: 'exists', message: w.error.message, skipped: read.skipped };
  written.push(options.out);
  return { ok: true, result, skipped: read.skipped, written };
}

/** One line: what the import found, for the CLI and the server alike. */
export function importSummary(result: ImportResult, where: string): string {
  const m = result.model;
  const count = (k: string) => m.components.filter((c) => c.kind === k).length;
  return `${where}: ${count('server')} servers, ${count('storage-agent')} storage agents, ${count('client')} clients, ` +
    `${count('operations-center')} Operations Centers, ${count('ldap')} LDAP, ${m.connections.length} connections, ${result.files.length} certificates ` +
    `from ${m.filesRead} files (${m.conflicts.length} conflicts, ${m.unread.length} unread key databases, ${m.unknowns.length} unknowns)`;
}
