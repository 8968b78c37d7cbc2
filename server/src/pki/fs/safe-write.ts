// Writes that never leave a half-written file and never silently replace a key:
// write a temp file in the same directory, fsync, then link/rename it into place.
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { nodeFileSink, type FileSink } from './file-sink.ts';

export type ExistingFilePolicy =
  /** Fail if the target exists (the default: keys are never overwritten by accident). */
  | 'refuse'
  /** Keep the old file as `<name>.bak-YYYYMMDD-HHMMSS` (hard link; `-2`, `-3`… when taken), then replace it. */
  | 'backup'
  /** Replace it atomically without a backup (public files that are derived again on demand). */
  | 'replace';

export interface SafeWriteOptions {
  /** 0o600 for keys, passwords and key databases; 0o644 for certificates. */
  mode: number;
  existing?: ExistingFilePolicy;
  sink?: FileSink;
  /** Clock for the backup name (tests). */
  now?: Date;
}

export type SafeWriteResult =
  | { ok: true; path: string; backup?: string }
  | { ok: false; error: { kind: 'exists' | 'io'; message: string } };

export const KEY_FILE_MODE = 0o600;
export const PUBLIC_FILE_MODE = 0o644;

/** Backups made within one second get `-2`, `-3`… up to this many before the write gives up. */
const MAX_BACKUPS_PER_SECOND = 1000;

/** The `n`th candidate backup name (1: no suffix). */
export function backupName(path: string, now: Date, n = 1): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${path}.bak-${stamp}${n > 1 ? `-${n}` : ''}`;
}

/** Hard-links `path` to the first free backup name; link() never replaces, so a taken name is skipped. */
async function linkBackup(sink: FileSink, path: string, now: Date): Promise<string> {
  for (let n = 1; ; n++) {
    const name = backupName(path, now, n);
    try {
      await sink.link(path, name);
      return name;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n >= MAX_BACKUPS_PER_SECOND) throw e;
    }
  }
}

export async function writeFileSafely(path: string, data: Uint8Array | string, options: SafeWriteOptions): Promise<SafeWriteResult> {
  const sink = options.sink ?? nodeFileSink;
  const policy = options.existing ?? 'refuse';
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  let backup: string | undefined;
  try {
    const exists = await sink.exists(path);
    if (exists && policy === 'refuse') {
      return { ok: false, error: { kind: 'exists', message: `${path} already exists; not overwriting it (use --force to replace it and keep a dated backup)` } };
    }
    await sink.writeNew(temp, bytes, options.mode);
    if (exists) {
      if (policy === 'backup') {
        backup = await linkBackup(sink, path, options.now ?? new Date());
      }
      await sink.rename(temp, path);
    } else {
      // link() fails if someone created the target meanwhile, where rename() would replace it.
      await sink.link(temp, path);
      await sink.remove(temp);
    }
    await sink.syncDir(dir);
    return { ok: true, path, ...(backup ? { backup } : {}) };
  } catch (e) {
    await sink.remove(temp).catch(() => undefined);
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EEXIST') return { ok: false, error: { kind: 'exists', message: `${path} already exists; not overwriting it` } };
    return { ok: false, error: { kind: 'io', message: `could not write ${path}: ${err.message}` } };
  }
}
