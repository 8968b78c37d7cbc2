// Where `sptls issue` puts things, and the manifest that remembers what was issued from
// which spec (so a later run knows whether to keep or renew). Paths in the manifest are
// relative to the output directory, so the directory can be moved.
import { join } from 'node:path';
import type { IssueSpec } from './spec.ts';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'sptls-pki/1';

export interface EntryFiles {
  certificate: string;
  key: string;
  /** Issuer certificates, nearest first (signed-by components only). */
  chain?: string;
  /** GSKit-style ASCII export (components only). */
  arm?: string;
}

export interface ManifestEntry {
  role: IssueSpec['role'];
  specHash: string;
  spec: IssueSpec;
  files: EntryFiles;
  fingerprintSha256: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  /** Fingerprint of the issuer certificate it was signed with; a re-issued issuer means re-issuing this too. */
  issuerFingerprint: string | null;
  keyEncrypted: boolean;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  /** The topology file, relative to the output directory. */
  topology: string;
  entries: Record<string, ManifestEntry>;
}

export function filesFor(spec: IssueSpec): EntryFiles {
  if (spec.role === 'ca') return { certificate: join('ca', `${spec.name}.crt.pem`), key: join('ca', `${spec.name}.key.pem`) };
  const dir = join('components', spec.name);
  return {
    certificate: join(dir, 'cert.pem'),
    key: join(dir, 'key.pem'),
    ...(spec.issuer ? { chain: join(dir, 'chain.pem') } : {}),
    arm: join(dir, spec.armFile!),
  };
}

export function emptyManifest(topology: string): Manifest {
  return { format: MANIFEST_FORMAT, topology, entries: {} };
}

export type ManifestReadResult = { ok: true; manifest: Manifest } | { ok: false; message: string };

export function parseManifest(text: string): ManifestReadResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `not JSON (${(e as Error).message})` };
  }
  const m = data as Partial<Manifest> | null;
  if (!m || typeof m !== 'object' || m.format !== MANIFEST_FORMAT || typeof m.entries !== 'object' || m.entries === null) {
    return { ok: false, message: `not an sptls manifest (expected "format": "${MANIFEST_FORMAT}")` };
  }
  return { ok: true, manifest: m as Manifest };
}

export function formatManifest(m: Manifest): string {
  const entries = Object.fromEntries(Object.keys(m.entries).sort().map((k) => [k, m.entries[k]!]));
  return `${JSON.stringify({ ...m, entries }, null, 2)}\n`;
}
