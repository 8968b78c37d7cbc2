// Rehearsals from Java: the client in client-source.ts is compiled once per source
// version into a private cache folder (~/.cache/sptls, else sptls-cache-<uid> in the temp
// folder; see private-cache.ts), and each handshake runs it — after checking its hash —
// with a PKCS#12 truststore written by the PKI module, as the Operations Center's Liberty
// server would hold it.
import { execFile, spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NODE_VERSION } from '../../handshake/prober.ts';
import type { ProbeTarget } from '../../handshake/report.ts';
import { randomPassword } from '../../pki/keydb/passwords.ts';
import { writeJavaTruststore } from '../../pki/keydb/pkcs12/java-truststore.ts';
import { TLS_VERSIONS } from '../../analysis/product.ts';
import type { VersionRange } from '../plan.ts';
import { certificatesFromPem } from '../../handshake/trust.ts';
import { JAVA_CLIENT_CLASS, JAVA_CLIENT_SOURCE } from './client-source.ts';
import { privateDir, recordClasses, UnsafeCacheError, verifyClasses } from './private-cache.ts';

/** What one Java handshake showed. */
export interface JavaHandshake {
  protocol?: string;
  cipher?: string;
  /** SHA-256 fingerprints (AB:CD:… form) of the certificates the server presented, in order. */
  peers: string[];
  /** PKIX's verdict on the chain; absent when the handshake did not get that far. */
  trust?: { ok: true } | { ok: false; reason: string };
  /** Why the handshake failed (exception class and message chain). */
  error?: string;
}

export interface JavaClient {
  /** e.g. "Java 21.0.5 (JSSE)". */
  description: string;
  handshake(target: ProbeTarget, trust: Array<{ name: string; pem: string }>, range: VersionRange, timeoutMs: number): Promise<JavaHandshake>;
}

export class JavaUnavailableError extends Error {}

const sourceHash = createHash('sha256').update(JAVA_CLIENT_SOURCE).digest('hex').slice(0, 16);

/** The user's cache, then a per-user folder in the temp folder (TMPDIR of `env`). */
function cacheRoots(env: NodeJS.ProcessEnv, uid: number): string[] {
  const xdg = env['XDG_CACHE_HOME'];
  const tmp = env['TMPDIR'] && env['TMPDIR'].startsWith('/') ? env['TMPDIR'] : tmpdir();
  return [join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'sptls'), join(tmp, `sptls-cache-${uid}`)];
}

/**
 * The private folder holding the compiled client, compiling it the first time or when what
 * is there fails its check (changed, added to, not ours); concurrent runs each compile
 * aside and rename. `uid` is whose folder it must be (tests pretend to be someone else).
 */
export function compiledClient(env: NodeJS.ProcessEnv, uid: number = process.getuid?.() ?? 0): string {
  const problems: string[] = [];
  for (const root of cacheRoots(env, uid)) {
    const dir = join(root, `java-client-${sourceHash}`);
    let work: string | undefined;
    try {
      mkdirSync(dirname(root), { recursive: true });
      privateDir(root, uid);
      if (existsSync(dir)) {
        try {
          verifyClasses(dir, uid);
          return dir;
        } catch (e) {
          if (!(e instanceof UnsafeCacheError)) throw e;
          rmSync(dir, { recursive: true, force: true }); // only this user can write in root: rebuild
        }
      }
      work = mkdtempSync(join(root, '.java-client-'));
      const source = join(work, `${JAVA_CLIENT_CLASS}.java`);
      writeFileSync(source, JAVA_CLIENT_SOURCE);
      const r = spawnSync('javac', ['-nowarn', '-d', work, source], { encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) throw new JavaUnavailableError(`javac failed: ${(r.error?.message ?? r.stderr ?? '').trim().slice(0, 500)}`);
      rmSync(source);
      recordClasses(work);
      try {
        renameSync(work, dir);
      } catch {
        // Another run got there first; its copy must pass the same check.
        rmSync(work, { recursive: true, force: true });
        verifyClasses(dir, uid);
      }
      return dir;
    } catch (e) {
      if (work) rmSync(work, { recursive: true, force: true });
      if (e instanceof JavaUnavailableError) throw e;
      problems.push(e instanceof UnsafeCacheError ? e.message : `${root}: ${(e as Error).message}`);
    }
  }
  throw new JavaUnavailableError(`no private cache folder for the Java client (${problems.join('; ')})`);
}

/** The Java version, or null without a JDK (`java` and `javac` on PATH). */
export function findJdk(): string | null {
  const javac = spawnSync('javac', ['-version'], { encoding: 'utf8', timeout: 30_000 });
  const java = spawnSync('java', ['-XshowSettings:properties', '-version'], { encoding: 'utf8', timeout: 30_000 });
  if (javac.status !== 0 || java.status !== 0) return null;
  return /java\.version = (\S+)/.exec(java.stderr)?.[1] ?? 'unknown';
}

function protocolsOf(range: VersionRange): string[] {
  return TLS_VERSIONS.filter((v) => v >= range.min && v <= range.max).map((v) => NODE_VERSION[v]);
}

const colonHex = (hex: string) => hex.match(/../g)!.join(':');

/** Parses the client's one-fact-a-line output. */
export function parseJavaOutput(stdout: string): JavaHandshake {
  const out: JavaHandshake = { peers: [] };
  for (const line of stdout.split('\n')) {
    const [word, ...rest] = line.trim().split(' ');
    const value = rest.join(' ');
    if (word === 'protocol') out.protocol = value;
    else if (word === 'cipher') out.cipher = value;
    else if (word === 'peer') out.peers.push(colonHex(value));
    else if (word === 'trust') out.trust = value === 'ok' ? { ok: true } : { ok: false, reason: value.replace(/^fail /, '') };
    else if (word === 'error') out.error = value;
  }
  if (!out.protocol && !out.error) out.error = `the Java client printed no result: ${stdout.trim().slice(0, 300) || '(nothing)'}`;
  return out;
}

/** A JavaClient over the JDK on PATH; throws JavaUnavailableError without one. `env` only places the cache (XDG_CACHE_HOME). */
export function jsseClient(env: NodeJS.ProcessEnv = process.env): JavaClient {
  const version = findJdk();
  if (version === null) throw new JavaUnavailableError('no JDK found: --java needs javac and java on PATH (Debian: apt-get install default-jdk-headless)');
  const uid = process.getuid?.() ?? 0;
  const classDir = compiledClient(env, uid);
  return {
    description: `Java ${version} (JSSE)`,
    async handshake(target, trust, range, timeoutMs) {
      // Checked before every run: the folder outlives this process's first look at it.
      try {
        verifyClasses(classDir, uid);
      } catch (e) {
        if (e instanceof UnsafeCacheError) return { peers: [], error: `the compiled Java client was not run: ${e.message}` };
        throw e;
      }
      const work = mkdtempSync(join(tmpdir(), 'sptls-java-'));
      try {
        const password = randomPassword();
        let store = '-';
        const certificates = trust.flatMap((t) => certificatesFromPem(t.pem, `trust ${t.name}`).map((c, i, all) => ({ alias: all.length > 1 ? `${t.name}-${i + 1}` : t.name, certificate: (c as X509Certificate).raw })));
        if (certificates.length > 0) {
          store = join(work, 'truststore.p12');
          writeFileSync(store, writeJavaTruststore(certificates, password), { mode: 0o600 });
        }
        const args = ['-XX:TieredStopAtLevel=1', '-cp', classDir, JAVA_CLIENT_CLASS, target.host, String(target.port), store, protocolsOf(range).join(','), String(timeoutMs)];
        const stdout = await new Promise<string>((resolve) => {
          execFile('java', args, { env: { ...process.env, SPTLS_TRUSTSTORE_PASSWORD: password }, timeout: timeoutMs * 2 + 30_000, encoding: 'utf8' }, (error, out, err) => {
            resolve(out || (error ? `error ${error.message} ${err}` : ''));
          });
        });
        return parseJavaOutput(stdout);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
  };
}
