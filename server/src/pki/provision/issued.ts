// The PKI `sptls issue` left in a directory, as key databases and the audit need it:
// each name's certificate (facts + DER), its issuer chain and where its key is.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readBoundedFile } from '../../workspace/bounded-read.ts';
import { MANIFEST_FILE, parseManifest, type Manifest, type ManifestEntry } from '../issue/layout.ts';
import { readCertificateFile, type CertificateFacts } from '../../codec/x509/read.ts';

export interface IssuedCertificate {
  entry: ManifestEntry;
  certificate: CertificateFacts;
  /** Issuer certificates, nearest first (empty for self-signed ones). */
  chain: CertificateFacts[];
  keyPath: string;
}

/** What the audit and the key-database builder ask of an issued PKI. */
export interface IssuedCertificates {
  get(name: string): IssuedCertificate | undefined;
}

export type IssuedPkiResult = { ok: true; manifest: Manifest; issued: IssuedCertificates } | { ok: false; message: string };

export function loadIssuedPki(pkiDir: string): IssuedPkiResult {
  const manifestPath = join(pkiDir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) return { ok: false, message: `no issued PKI in ${pkiDir} (${MANIFEST_FILE} not found): run 'sptls issue' first` };
  const manifestFile = readBoundedFile(manifestPath, { kind: 'manifest' });
  if (!manifestFile.ok) return { ok: false, message: `${manifestPath}: ${manifestFile.reason}` };
  const parsed = parseManifest(manifestFile.bytes.toString('utf8'));
  if (!parsed.ok) return { ok: false, message: `${manifestPath}: ${parsed.message}` };
  const cache = new Map<string, IssuedCertificate | undefined>();
  const read = (rel: string): CertificateFacts[] => {
    const path = join(pkiDir, rel);
    // Missing, not a regular file or over 1 MiB: not an issued certificate.
    const file = readBoundedFile(path, { kind: 'certificate' });
    const r = file.ok ? readCertificateFile(file.bytes) : undefined;
    return r?.ok ? r.certificates : [];
  };
  const issued: IssuedCertificates = {
    get(name) {
      if (cache.has(name)) return cache.get(name);
      const entry = parsed.manifest.entries[name];
      const certificate = entry ? read(entry.files.certificate)[0] : undefined;
      const value = entry && certificate
        ? { entry, certificate, chain: entry.files.chain ? read(entry.files.chain) : [], keyPath: join(pkiDir, entry.files.key) }
        : undefined;
      cache.set(name, value);
      return value;
    },
  };
  return { ok: true, manifest: parsed.manifest, issued };
}
