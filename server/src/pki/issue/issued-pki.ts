// The end dates of what `sptls issue` wrote beside a topology (pki/manifest.json), for the
// editor's "expires in N days" lenses. Read from disk at most once per change of the
// manifest (size and mtime), through the bounded reader (regular file, 8 MiB).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE, parseManifest } from './layout.ts';
import { FILE_SIZE_LIMITS, readBoundedFile } from '../../workspace/bounded-read.ts';
const cache = new Map<string, { stamp: string; dates: ReadonlyMap<string, Date> }>();
const NONE: ReadonlyMap<string, Date> = new Map();

/** Name → notAfter of every CA and certificate in `dir/pki/manifest.json`; empty when there is none. */
export function issuedEndDates(topologyDir: string): ReadonlyMap<string, Date> {
  const path = join(topologyDir, 'pki', MANIFEST_FILE);
  let stamp: string;
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > FILE_SIZE_LIMITS.manifest) return NONE;
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    return NONE;
  }
  const hit = cache.get(path);
  if (hit?.stamp === stamp) return hit.dates;
  let dates: ReadonlyMap<string, Date> = NONE;
  const file = readBoundedFile(path, { kind: 'manifest' });
  // Unreadable: no lenses from it.
  const m = file.ok ? parseManifest(file.bytes.toString('utf8')) : undefined;
  if (m?.ok) dates = new Map(Object.entries(m.manifest.entries).map(([name, e]) => [name, new Date(e.notAfter)] as const).filter(([, d]) => !Number.isNaN(d.getTime())));
  cache.set(path, { stamp, dates });
  return dates;
}
