// The I/O edge of `sptls import`: walks the given folders (or takes loose files) and reads each
// regular file once, bounded in size and count. A folder holding sptls-collect.txt is one host;
// DIR/<host>/… below a collection root are hosts; loose files belong to the folder they lie in.
import { lstat, readdir } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { readBoundedFile } from '../workspace/bounded-read.ts';
import { MAX_COLLECTED_FILE_BYTES } from './locations.ts';
import type { CollectedFile } from './recognise.ts';

export const MAX_FILES = 200_000;
/** Files read at once: enough to keep a disk busy, few enough for any file-descriptor limit. */
const READ_CONCURRENCY = 32;
const MANIFEST = 'sptls-collect.txt';

export interface ReadReport { files: CollectedFile[]; skipped: { file: string; reason: string }[] }

/** Reads one regular file of at most `max` bytes; symbolic links and special files are refused. */
export async function readBounded(path: string, max: number): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; reason: string }> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return { ok: false, reason: 'cannot be read' };
  if (st.isSymbolicLink()) return { ok: false, reason: 'a symbolic link (not followed)' };
  if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
  if (st.size > max) return { ok: false, reason: `${st.size} bytes, more than ${max}` };
  // Read through the bounded reader: the file may have been swapped for a FIFO or a device
  // since the lstat, and reading one of those would block or never end.
  const read = readBoundedFile(path, { kind: 'key-store', maxBytes: max });
  if (read.ok) return { ok: true, bytes: new Uint8Array(read.bytes) };
  return { ok: false, reason: read.refusal === 'too-large' ? `grew past ${max} bytes while read` : read.refusal === 'not-regular' ? 'not a regular file' : 'cannot be read' };
}

interface Found { path: string; host: string; hostPath: string; display: string }

export async function readCollections(inputs: string[], cwd: string, signal?: AbortSignal): Promise<ReadReport> {
  const report: ReadReport = { files: [], skipped: [] };
  const found: Found[] = [];
  for (const input of inputs) {
    const abs = resolve(cwd, input);
    const st = await lstat(abs).catch(() => undefined);
    if (!st) { report.skipped.push({ file: input, reason: 'does not exist' }); continue; }
    if (st.isDirectory()) await walk(abs, undefined, abs, input, found, report, signal);
    else found.push({ path: abs, host: basename(resolve(abs, '..')), hostPath: `/${basename(abs)}`, display: input });
  }
  for (const f of found.slice(MAX_FILES)) report.skipped.push({ file: f.display, reason: `more than ${MAX_FILES} files` });
  const wanted = found.slice(0, MAX_FILES);
  const read: (CollectedFile | undefined)[] = new Array(wanted.length);
  let next = 0;
  const worker = async () => {
    while (next < wanted.length) {
      signal?.throwIfAborted();
      const i = next++;
      const f = wanted[i]!;
      const r = await readBounded(f.path, MAX_COLLECTED_FILE_BYTES);
      if (r.ok) read[i] = { host: f.host, path: f.hostPath, display: f.display, bytes: r.bytes };
      else report.skipped.push({ file: f.display, reason: r.reason });
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
  report.files = read.filter((f): f is CollectedFile => f !== undefined);
  return report;
}

interface HostRoot { root: string; host: string }

async function walk(dir: string, host: HostRoot | undefined, top: string, label: string, found: Found[], report: ReadReport, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  // A folder holding the collect script's manifest is a host, wherever it lies.
  if (entries.some((e) => e.isFile() && e.name === MANIFEST)) host = { root: dir, host: basename(dir) };
  for (const e of entries) {
    const path = join(dir, e.name);
    const display = join(label, relative(top, path)).split(sep).join('/');
    if (e.isSymbolicLink()) { report.skipped.push({ file: display, reason: 'a symbolic link (not followed)' }); continue; }
    if (e.isDirectory()) {
      // Directly below a collection root, each folder is a host.
      const h = host ?? (dir === top ? { root: path, host: e.name } : undefined);
      await walk(path, h, top, label, found, report, signal);
      continue;
    }
    if (!e.isFile()) { report.skipped.push({ file: display, reason: 'not a regular file' }); continue; }
    const owner = host ?? { root: dir, host: basename(dir) };
    found.push({ path, host: owner.host, hostPath: '/' + relative(owner.root, path).split(sep).join('/'), display });
  }
}
