// Certificate files read from disk, relative to the topology file's folder. Results
// are cached by path, size and modification time, so the language server re-reads a
// certificate only when it changed. Reads go through the bounded reader: a FIFO, a
// device or a file over 1 MiB is `file-not-found` (spec §5) with the reason.
import { realpathSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import {
  decodeCertificates, MAX_CERTIFICATE_FILE_BYTES, type CertificateFileProblem, type CertificateFileResult, type CertificateFiles,
} from '../analysis/certificate-files.ts';
import { fileType, formatSize, readBoundedFile, type BoundedReadRefusal } from './bounded-read.ts';

const PROBLEM: Record<BoundedReadRefusal, CertificateFileProblem> = {
  missing: 'not-found', 'not-regular': 'not-regular', 'too-large': 'too-large', unreadable: 'unreadable',
};

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
      // Stat before reading a byte: a FIFO or device would block, a huge file would fill memory.
      const st = statSync(full);
      if (!st.isFile()) return { ok: false, problem: 'not-regular', reason: `it is ${fileType(st)}, not a regular file` };
      if (st.size > MAX_CERTIFICATE_FILE_BYTES) {
        return { ok: false, problem: 'too-large', reason: `it holds ${formatSize(st.size)}, more than a certificate file's limit of 1 MiB` };
      }
      stamp = `${st.size}:${st.mtimeMs}`;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return code === 'ENOENT'
        ? { ok: false, problem: 'not-found', reason: `no such file (looked for ${full})` }
        : { ok: false, problem: 'unreadable', reason: `cannot read it (${code ?? (e as Error).message})` };
    }
    if (this.confineTo && !this.confineTo.some((root) => inside(realOrSelf(full), root))) {
      return { ok: false, problem: 'not-trusted', reason: 'not read: the workspace is not trusted and the file is outside its folders' };
    }
    const hit = cache.get(full);
    if (hit && hit.stamp === stamp) return hit.result;
    // Read bounded as well: the file may have changed since the stat.
    const bytes = readBoundedFile(full, { kind: 'certificate' });
    const result: CertificateFileResult = bytes.ok ? decodeCertificates(bytes.bytes) : { ok: false, problem: PROBLEM[bytes.refusal], reason: bytes.reason };
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
