// Certificate files read from disk, relative to the topology file's folder. Results
// are cached by path, size and modification time, so the language server re-reads a
// certificate only when it changed.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeCertificates, MAX_CERTIFICATE_FILE_BYTES, type CertificateFileResult, type CertificateFiles } from '../analysis/certificate-files.ts';

const cache = new Map<string, { stamp: string; result: CertificateFileResult }>();

export class DiskCertificateFiles implements CertificateFiles {
  readonly baseDir: string;

  constructor(baseDir: string) {
    this.baseDir = baseDir;
  }

  read(path: string): CertificateFileResult {
    const full = resolve(this.baseDir, path);
    let stamp: string;
    try {
      // Stat before reading a byte: a FIFO or device would block, a huge file would fill memory.
      const st = statSync(full);
      if (!st.isFile()) return { ok: false, problem: 'not-regular', reason: 'it is not a regular file' };
      if (st.size > MAX_CERTIFICATE_FILE_BYTES) {
        return { ok: false, problem: 'too-large', reason: `it holds ${st.size} bytes, more than a certificate file's limit of 1 MiB` };
      }
      stamp = `${st.size}:${st.mtimeMs}`;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return code === 'ENOENT'
        ? { ok: false, problem: 'not-found', reason: `no such file (looked for ${full})` }
        : { ok: false, problem: 'unreadable', reason: `cannot read it (${code ?? (e as Error).message})` };
    }
    const hit = cache.get(full);
    if (hit && hit.stamp === stamp) return hit.result;
    let result: CertificateFileResult;
    try {
      result = decodeCertificates(readFileSync(full));
    } catch (e) {
      result = { ok: false, problem: 'unreadable', reason: `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
    }
    cache.set(full, { stamp, result });
    return result;
  }
}
