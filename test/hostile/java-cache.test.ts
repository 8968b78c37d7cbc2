// The compiled Java client of `simulate --java` runs only from a private folder and only as
// the bytes this user's javac wrote. A folder planted in the temp folder under the
// predictable name — writable by others, or another user's — is refused; a changed or
// added class is rebuilt; a class changed after the client was set up is not run.
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JAVA_CLIENT_CLASS } from '../../server/src/simulate/java/client-source.ts';
import { compiledClient, JavaUnavailableError, jsseClient } from '../../server/src/simulate/java/jsse-client.ts';
import { verifyClasses } from '../../server/src/simulate/java/private-cache.ts';
import { ensureCommand } from '../support/system.ts';

const uid = process.getuid!();
const PLANTED = Buffer.from('planted by another local user');
let base: string;

before(() => {
  ensureCommand('javac', 'default-jdk-headless');
  base = mkdtempSync(join(tmpdir(), 'sptls-javacache-'));
});
after(() => rmSync(base, { recursive: true, force: true }));

let n = 0;
/** A fresh pair of roots: the user cache (XDG_CACHE_HOME) and the temp folder (TMPDIR). */
function roots(): { env: NodeJS.ProcessEnv; userRoot: string; tmpRoot: string } {
  const at = join(base, String(++n));
  mkdirSync(join(at, 'tmp'), { recursive: true });
  return { env: { XDG_CACHE_HOME: join(at, 'cache'), TMPDIR: join(at, 'tmp') }, userRoot: join(at, 'cache', 'sptls'), tmpRoot: join(at, 'tmp', `sptls-cache-${uid}`) };
}

/** The user cache made unusable (a file where the folder should be), so the temp folder is next. */
function blockUserCache(env: NodeJS.ProcessEnv): void {
  writeFileSync(env['XDG_CACHE_HOME']!, 'not a folder');
}

/** A folder with a class under the predictable name, as another user would plant it. */
function plant(root: string, mode: number): string {
  mkdirSync(root, { recursive: true });
  const client = join(root, 'java-client-planted');
  mkdirSync(client);
  writeFileSync(join(client, `${JAVA_CLIENT_CLASS}.class`), PLANTED);
  chmodSync(root, mode);
  return client;
}

const mode = (p: string) => lstatSync(p).mode & 0o777;

describe('the Java client cache is private and checked', () => {
  it('compiles into a folder created 0700 and records the classes\' hashes', () => {
    const { env, userRoot } = roots();
    const dir = compiledClient(env, uid);
    assert.ok(dir.startsWith(userRoot), dir);
    assert.equal(mode(userRoot), 0o700);
    assert.equal(mode(dir), 0o700);
    assert.match(readFileSync(join(dir, 'classes.sha256'), 'utf8'), new RegExp(`^[0-9a-f]{64}  ${JAVA_CLIENT_CLASS}\\.class$`, 'm'));
    verifyClasses(dir, uid);
    assert.equal(compiledClient(env, uid), dir, 'the second run uses the checked copy');
  });

  it('refuses a group- and world-writable folder planted in the temp folder', () => {
    const { env, tmpRoot } = roots();
    blockUserCache(env);
    const planted = plant(tmpRoot, 0o777);
    assert.throws(() => compiledClient(env, uid), (e: Error) => e instanceof JavaUnavailableError && /sptls-cache-\d+ is writable by its group or by others \(mode 777\)/.test(e.message));
    assert.deepEqual(readFileSync(join(planted, `${JAVA_CLIENT_CLASS}.class`)), PLANTED, 'left alone, and never run');
  });

  it('refuses a folder that belongs to another user', () => {
    const { env, tmpRoot } = roots();
    blockUserCache(env);
    plant(tmpRoot, 0o700);
    // The folder is this process's; judged as user uid+4242 it is someone else's.
    assert.throws(() => compiledClient(env, uid + 4242), (e: Error) => e instanceof JavaUnavailableError && new RegExp(`belongs to uid ${uid}, not to this user \\(uid ${uid + 4242}\\)`).test(e.message));
  });

  it('refuses a symbolic link in place of the folder', () => {
    const { env, tmpRoot } = roots();
    blockUserCache(env);
    const elsewhere = join(base, `elsewhere-${n}`);
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, tmpRoot);
    assert.throws(() => compiledClient(env, uid), /is not a directory \(a symbolic link/);
  });

  it('closes a folder of its own that an older sptls left readable (0755) to 0700', () => {
    const { env, userRoot } = roots();
    mkdirSync(userRoot, { recursive: true, mode: 0o755 });
    chmodSync(userRoot, 0o755);
    compiledClient(env, uid);
    assert.equal(mode(userRoot), 0o700);
  });

  it('rebuilds a class that was changed, and a folder a file was added to', () => {
    const { env } = roots();
    const dir = compiledClient(env, uid);
    const classFile = join(dir, `${JAVA_CLIENT_CLASS}.class`);
    const good = readFileSync(classFile);
    writeFileSync(classFile, PLANTED);
    assert.throws(() => verifyClasses(dir, uid), /SHA-256 differs from the one recorded/);
    assert.equal(compiledClient(env, uid), dir);
    assert.deepEqual(readFileSync(classFile), good, 'recompiled');
    mkdirSync(join(dir, 'META-INF'));
    assert.throws(() => verifyClasses(dir, uid), /META-INF was not written by the compile/);
    compiledClient(env, uid);
    verifyClasses(dir, uid);
  });

  it('does not run a class changed after the client was set up', async () => {
    const { env } = roots();
    const client = jsseClient(env);
    const dir = compiledClient(env, uid);
    writeFileSync(join(dir, `${JAVA_CLIENT_CLASS}.class`), PLANTED);
    const shown = await client.handshake({ host: '127.0.0.1', port: 9 }, [], { min: '1.2', max: '1.3' }, 1000);
    assert.match(shown.error ?? '', /the compiled Java client was not run: .*SHA-256 differs/);
    assert.equal(shown.protocol, undefined);
  });
});
