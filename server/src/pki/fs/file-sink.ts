// The few file-system steps a safe write needs, behind an interface so tests can make any
// one of them fail (a simulated crash) and check what is left on disk.
import { constants } from 'node:fs';
import { link, open, rename, stat, unlink } from 'node:fs/promises';

export interface FileSink {
  exists(path: string): Promise<boolean>;
  /** Creates `path` (must not exist), writes all of `data` with `mode`, fsyncs and closes. */
  writeNew(path: string, data: Uint8Array, mode: number): Promise<void>;
  /** Atomically replaces `to` with `from`. */
  rename(from: string, to: string): Promise<void>;
  /** Hard link; fails if `to` exists. Used to publish without overwriting, and for backups. */
  link(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** Makes the directory entry changes durable. */
  syncDir(dir: string): Promise<void>;
}

export const nodeFileSink: FileSink = {
  async exists(path) {
    try { await stat(path); return true; } catch { return false; }
  },
  async writeNew(path, data, mode) {
    const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    try {
      await fh.writeFile(data);
      await fh.chmod(mode); // the umask may have narrowed or widened nothing, but be explicit
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
  rename: (from, to) => rename(from, to),
  link: (from, to) => link(from, to),
  remove: (path) => unlink(path),
  async syncDir(dir) {
    const fh = await open(dir, constants.O_RDONLY);
    try { await fh.sync(); } finally { await fh.close(); }
  },
};
