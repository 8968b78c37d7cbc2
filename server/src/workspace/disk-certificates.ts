// Certificate files read from disk, relative to the topology file's folder. Results
// are cached by path, size and modification time, so the language server re-reads a
// certificate only when it changed. Reads go through the bounded reader: a FIFO, a
// device or a file over 1 MiB is `file-not-found` (spec §5) with the reason.
import { realpathSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { decodeCertificates, type CertificateFileResult, type CertificateFiles } from '../analysis/certificate-files.ts';
import { fileType, readBoundedFile } from './bounded-read.ts';

const cache = new Map<string, { stamp: string; result: CertificateFileResult }>();

export interface DiskCertificateOptions {
  /**
   * Set in an untrusted workspace: only files inside these folders (after following links)
   * are read, so a topology from elsewhere cannot make the editor read the user's files.
   */
  confineTo?: readonly string[];
}

export class DiskCertificateFiles implements CertificateFiles {
  readonly baseDir: string;
  private readonly confineTo: readonly string[] | undefined;

  constructor(baseDir: string, options: DiskCertificateOptions = {}) {
    this.baseDir = baseDir;
    this.confineTo = options.confineTo?.map(realOrSelf);
  }

  read(path: string): CertificateFileResult {
    const full = resolve(this.baseDir, path);
    let stamp: string;
    try {
      const st = statSync(full);
      if (!st.isFile()) return { ok: false, reason: `it is ${fileType(st)}, not a regular file` };
      stamp = `${st.size}:${st.mtimeMs}`;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { ok: false, reason: code === 'ENOENT' ? `no such file (looked for ${full})` : `cannot read it (${code ?? (e as Error).message})` };
    }
    if (this.confineTo && !this.confineTo.some((root) => inside(realOrSelf(full), root))) {
      return { ok: false, reason: 'not read: the workspace is not trusted and the file is outside its folders (trust the workspace to read it)' };
    }
    const hit = cache.get(full);
    if (hit && hit.stamp === stamp) return hit.result;
    const bytes = readBoundedFile(full, { kind: 'certificate' });
    const result: CertificateFileResult = bytes.ok ? decodeCertificates(bytes.bytes) : { ok: false, reason: bytes.reason };
    cache.set(full, { stamp, result });
    return result;
  }
}

function realOrSelf(path: string): string {
  try { return realpathSync(path); } catch { return resolve(path); }
}

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}
