// Reads what an output directory already holds, for the plan: the manifest, and per name
// whether the key exists, what key it is, and the certificate's expiry and fingerprint.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readPrivateKey } from '../../codec/x509/private-key-file.ts';
import { readCertificateFile } from '../../codec/x509/read.ts';
import { describeKey } from '../../codec/x509/keys.ts';
import { readBoundedFile } from '../../workspace/bounded-read.ts';
import { emptyManifest, filesFor, MANIFEST_FILE, parseManifest, type Manifest } from './layout.ts';
import type { ExistingEntry } from './plan.ts';
import type { IssueSpec } from './spec.ts';

export type ExistingState =
  | { ok: true; manifest: Manifest; entries: Map<string, ExistingEntry> }
  | { ok: false; message: string };

export function readExisting(outDir: string, topology: string, specs: IssueSpec[], caPassphrase?: string): ExistingState {
  const manifestPath = join(outDir, MANIFEST_FILE);
  let manifest = emptyManifest(topology);
  if (existsSync(manifestPath)) {
    const file = readBoundedFile(manifestPath, { kind: 'manifest' });
    const r = file.ok ? parseManifest(file.bytes.toString('utf8')) : { ok: false as const, message: file.reason };
    if (!r.ok) return { ok: false, message: `${manifestPath}: ${r.message}. Move it away or give another --out directory.` };
    manifest = r.manifest;
  }
  const entries = new Map<string, ExistingEntry>();
  for (const spec of specs) {
    const recorded = manifest.entries[spec.name];
    const files = recorded?.files ?? filesFor(spec);
    const entry: ExistingEntry = { keyExists: existsSync(join(outDir, files.key)), ...(recorded ? { manifest: recorded } : {}) };
    const certPath = join(outDir, files.certificate);
    if (existsSync(certPath)) {
      const file = readBoundedFile(certPath, { kind: 'certificate' });
      if (!file.ok) return { ok: false, message: `${certPath}: ${file.reason}. Move it away or give another --out directory.` };
      const r = readCertificateFile(file.bytes);
      if (r.ok) {
        const c = r.certificates[0]!;
        entry.certificate = { notAfter: c.notAfter, fingerprintSha256: c.fingerprintSha256 };
        entry.key = c.key;
      }
    }
    if (entry.keyExists && !entry.key) {
      const keyPath = join(outDir, files.key);
      const file = readBoundedFile(keyPath, { kind: 'certificate' });
      if (!file.ok) return { ok: false, message: `${keyPath}: ${file.reason}. Move it away or give another --out directory.` };
      const k = readPrivateKey(file.bytes, caPassphrase);
      if (k.ok) entry.key = describeKey(k.key);
    }
    entries.set(spec.name, entry);
  }
  return { ok: true, manifest, entries };
}
