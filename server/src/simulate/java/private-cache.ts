// Where the compiled Java client is kept, and the checks before it runs. The class is code
// this process executes, so it must sit in a folder only this user can write — created
// 0700, or found owned by this user and writable by no one else — and be the very bytes
// this user's javac wrote: their SHA-256 is recorded beside them when compiled and
// compared before every run. A shared temp folder is where another local user could
// otherwise plant a class under the predictable name.
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A cache folder or class that must not be used; the message says why and what to do. */
export class UnsafeCacheError extends Error {}

const MANIFEST = 'classes.sha256';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function ownedAndClosed(path: string, uid: number, what: 'directory' | 'file'): void {
  const st = lstatSync(path);
  if (what === 'directory' ? !st.isDirectory() : !st.isFile()) {
    throw new UnsafeCacheError(`${path} is not a ${what} (a symbolic link or another kind of file): remove it`);
  }
  if (st.uid !== uid) throw new UnsafeCacheError(`${path} belongs to uid ${st.uid}, not to this user (uid ${uid}): another user may have planted it; remove it`);
  if (st.mode & 0o022) {
    throw new UnsafeCacheError(`${path} is writable by its group or by others (mode ${(st.mode & 0o777).toString(8)}): what it holds cannot be trusted; remove it`);
  }
}

/**
 * Creates `dir` with mode 0700, or accepts an existing one that is a real directory owned
 * by `uid` and writable by no one else (one an older sptls left readable is closed to 0700).
 */
export function privateDir(dir: string, uid: number): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  ownedAndClosed(dir, uid, 'directory');
  if (lstatSync(dir).mode & 0o077) chmodSync(dir, 0o700);
}

/** Records the SHA-256 of every class javac wrote into `dir`. */
export function recordClasses(dir: string): void {
  const lines = readdirSync(dir).filter((f) => f.endsWith('.class')).sort().map((f) => `${sha256(readFileSync(join(dir, f)))}  ${f}`);
  writeFileSync(join(dir, MANIFEST), `${lines.join('\n')}\n`, { mode: 0o600 });
}

/**
 * Throws UnsafeCacheError unless `dir` is this user's closed folder holding exactly the
 * classes recorded, with the recorded hashes, and nothing else (the folder is a class
 * path: a resource such as META-INF/services would be read from it too).
 */
export function verifyClasses(dir: string, uid: number): void {
  ownedAndClosed(dir, uid, 'directory');
  let manifest: string;
  try {
    ownedAndClosed(join(dir, MANIFEST), uid, 'file');
    manifest = readFileSync(join(dir, MANIFEST), 'utf8');
  } catch (e) {
    if (e instanceof UnsafeCacheError) throw e;
    throw new UnsafeCacheError(`${dir} has no record of its classes' hashes`);
  }
  const recorded = new Map(manifest.split('\n').filter(Boolean).map((l) => { const [hash, name] = l.split('  '); return [name!, hash!]; }));
  const entries = readdirSync(dir).filter((f) => f !== MANIFEST);
  for (const name of new Set([...entries, ...recorded.keys()])) {
    const want = recorded.get(name);
    if (want === undefined) throw new UnsafeCacheError(`${join(dir, name)} was not written by the compile this folder records`);
    const path = join(dir, name);
    try {
      ownedAndClosed(path, uid, 'file');
    } catch (e) {
      if (e instanceof UnsafeCacheError) throw e;
      throw new UnsafeCacheError(`${path} is missing`);
    }
    if (sha256(readFileSync(path)) !== want) throw new UnsafeCacheError(`${path} is not the class compiled here (its SHA-256 differs from the one recorded)`);
  }
}
