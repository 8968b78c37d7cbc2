// Shared by the issue/keydb/audit tests: a CertificateIssuer that hands out pre-generated
// keys (RSA 4096 generation takes seconds), the CLI with in-memory output, and file snapshots.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { main } from '../../server/src/cli/cli.ts';
import type { CliIO } from '../../server/src/cli/io.ts';
import type { CertificateIssuer } from '../../server/src/pki/issue/issuer.ts';
import { buildCertificate } from '../../server/src/codec/x509/build.ts';
import type { KeyPair, KeySpec } from '../../server/src/codec/x509/keys.ts';

const KEY_DIR = join(import.meta.dirname, '..', 'fixtures', 'keys');
export const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'production.sptls');

const poolName = (s: KeySpec) => (s.kind === 'rsa' ? `rsa${s.bits}` : `ec-${s.curve.toLowerCase().replace('-', '')}`);

/** Keys from test/fixtures/keys, round-robin per kind and size; `generated` counts requests. */
export function fakeIssuer(): CertificateIssuer & { generated: string[] } {
  const files = readdirSync(KEY_DIR).filter((f) => f.endsWith('.pem')).sort();
  const next = new Map<string, number>();
  const generated: string[] = [];
  return {
    generated,
    async generateKey(spec: KeySpec): Promise<KeyPair> {
      const pool = poolName(spec);
      const matching = files.filter((f) => f.startsWith(`${pool}-`));
      if (matching.length === 0) throw new Error(`no fixture key for ${pool}`);
      const i = next.get(pool) ?? 0;
      next.set(pool, i + 1);
      generated.push(pool);
      const privateKey = createPrivateKey(readFileSync(join(KEY_DIR, matching[i % matching.length]!)));
      return { privateKey, publicKey: createPublicKey(privateKey) };
    },
    sign: buildCertificate,
  };
}

export async function cli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd, env };
  const code = await main(args, io);
  return { code, out, err };
}

/** A topology file in a scratch directory: the example (pass EXAMPLE) or the given text. */
export function topologyIn(dir: string, text: string, name = 'topology.sptls'): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  if (text === EXAMPLE) copyFileSync(EXAMPLE, path);
  else writeFileSync(path, text);
  return path;
}

/** path (relative) → bytes + mtime of every file under dir. */
export function snapshot(dir: string): Map<string, { bytes: string; mtimeMs: number; mode: number }> {
  const out = new Map<string, { bytes: string; mtimeMs: number; mode: number }>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out.set(relative(dir, p), { bytes: readFileSync(p).toString('base64'), mtimeMs: st.mtimeMs, mode: st.mode & 0o777 });
    }
  };
  walk(dir);
  return out;
}
