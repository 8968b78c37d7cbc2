// The one way sptls reads a file that came from outside (topologies, certificates, key
// databases, stash and password files): only a regular file, only up to a size limit per
// kind, both decided before a byte is read. A FIFO would block forever and a link to
// /dev/zero or a sparse file would fill memory; both are refused with a reason instead.
// docs/limits.md lists the limits; keep the two in step.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { MAX_CERTIFICATE_FILE_BYTES } from '../analysis/certificate-files.ts';

export type FileKind = 'topology' | 'certificate' | 'key-store' | 'stash' | 'password' | 'manifest' | 'scan-report';

const MiB = 1024 * 1024;

/** The largest file of each kind sptls reads, in bytes. */
export const FILE_SIZE_LIMITS: Readonly<Record<FileKind, number>> = {
  // About 170,000 lines, over three times the 50,000-line benchmark topology (2.3 MB).
  topology: 8 * MiB,
  // Spec §5 `file-not-found`: "larger than 1 MiB".
  certificate: MAX_CERTIFICATE_FILE_BYTES,
  // A cert.kdb of 1,000 entries is about 5 MB (5,000-byte records); PKCS#12 files are smaller.
  'key-store': 16 * MiB,
  // A v8 stash is 193 bytes, a v1 stash 129.
  stash: 4096,
  // The first line of a `.pw` file beside a PKCS#12.
  password: 4096,
  // sptls-manifest.json of an issued PKI: a few hundred bytes per certificate.
  manifest: 8 * MiB,
  // A saved `sptls scan --format json`: well under 1 KB per endpoint.
  'scan-report': 16 * MiB,
};

export type BoundedReadRefusal = 'missing' | 'not-regular' | 'too-large' | 'unreadable';

export type BoundedRead =
  | { ok: true; bytes: Buffer }
  | { ok: false; refusal: BoundedReadRefusal; reason: string };

export interface BoundedReadOptions {
  kind: FileKind;
  /** Overrides the kind's limit (the language server's document limit is a setting). */
  maxBytes?: number;
}

/** Human size: 1 MiB, 1.5 GiB, 512 bytes. */
export function formatSize(bytes: number): string {
  const units = [['GiB', 1024 * MiB], ['MiB', MiB], ['KiB', 1024]] as const;
  for (const [unit, size] of units) if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  return `${bytes} bytes`;
}

/** What a file that is not regular is, for messages: "a FIFO (named pipe)", "a character device"… */
export function fileType(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads `path` if it is a regular file no larger than the kind's limit. Symbolic links are
 * followed; what counts is the file they lead to, checked on the open descriptor (so a swap
 * between the check and the read cannot slip a device in). Never throws.
 */
export function readBoundedFile(path: string, options: BoundedReadOptions): BoundedRead {
  const max = options.maxBytes ?? FILE_SIZE_LIMITS[options.kind];
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, refusal: 'missing', reason: 'no such file' };
    return { ok: false, refusal: 'unreadable', reason: `cannot read it (${code ?? (e as Error).message})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, refusal: 'not-regular', reason: `it is ${fileType(st)}, not a regular file` };
    if (st.size > max) return { ok: false, refusal: 'too-large', reason: tooLarge(st.size, max, options.kind) };
    // The file may grow while it is read: read at most one byte past the limit to notice.
    let buffer = Buffer.allocUnsafe(Math.min(st.size, max) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > max) return { ok: false, refusal: 'too-large', reason: tooLarge(length, max, options.kind) };
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, max + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > max) return { ok: false, refusal: 'too-large', reason: tooLarge(length, max, options.kind) };
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, refusal: 'unreadable', reason: `cannot read it (${code ?? (e as Error).message})` };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(size: number, max: number, kind: FileKind): string {
  return `it is ${formatSize(size)}, over the ${formatSize(max)} limit for ${kind === 'key-store' ? 'key store' : kind} files`;
}

/** The bounded reader in the asynchronous shape `inspect` and `check --keydbs` take (FileReader). */
export const boundedFileReader = {
  read: (path: string, kind: FileKind): Promise<BoundedRead> => Promise.resolve(readBoundedFile(path, { kind })),
};
