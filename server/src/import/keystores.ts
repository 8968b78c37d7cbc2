// Opens a collected key database with what the collection holds beside it: a .kdb with the stash
// of the same basename, a PKCS#12 truststore with the Operations Center's tsm.truststore.pswd
// (plain or {xor}) or a FILE.pw. What is missing is said in terms of the file that would unlock it.
import { readKdb } from '../pki/keydb/kdb/read.ts';
import { readStash } from '../pki/keydb/kdb/stash.ts';
import { libertyXorDecode } from '../pki/keydb/pkcs12/java-truststore.ts';
import { readPkcs12 } from '../pki/keydb/pkcs12/read.ts';
import type { CertificateFacts } from '../codec/x509/read.ts';
import { baseName, type CollectedFile } from './recognise.ts';

export interface StoreEntry { label: string; kind: 'personal' | 'trusted' | 'other'; certificate: CertificateFacts }

export type KeyStoreRead =
  | { ok: true; entries: StoreEntry[]; unlockedBy: string }
  | { ok: false; reason: string; unlock: string };

/** Looks a sibling file up by its path on the same host. */
export type Sibling = (path: string) => CollectedFile | undefined;

export function readCollectedKdb(file: CollectedFile, sibling: Sibling): KeyStoreRead {
  const stashPath = file.path.replace(/\.kdb$/i, '.sth');
  const stash = sibling(stashPath);
  const stashName = baseName(stashPath);
  if (!stash) return { ok: false, reason: `its stash ${stashName} was not collected`, unlock: `collect ${stashName} beside it (sptls collect-script --include-stash)` };
  const decoded = readStash(stash.bytes);
  if (!decoded.ok) return { ok: false, reason: `${stash.display}: ${decoded.error.message}`, unlock: `collect the ${stashName} that belongs to this key database` };
  const r = readKdb(file.bytes, decoded.password);
  if (!r.ok) return { ok: false, reason: r.error.message, unlock: r.error.kind === 'wrong-password' ? `collect the ${stashName} that belongs to this key database` : 'a readable copy of the file' };
  const entries: StoreEntry[] = [];
  for (const e of r.kdb.entries) {
    if (e.certificate) entries.push({ label: e.label, kind: e.kind === 'personal' || e.kind === 'trusted' ? e.kind : 'other', certificate: e.certificate });
  }
  return { ok: true, entries, unlockedBy: stash.display };
}

export function readCollectedPkcs12(file: CollectedFile, sibling: Sibling, bootstrapPassword: { value: string; from: string } | undefined): KeyStoreRead {
  const candidates: { value: string; from: string }[] = [];
  if (bootstrapPassword) candidates.push({ value: libertyXorDecode(bootstrapPassword.value) ?? bootstrapPassword.value, from: bootstrapPassword.from });
  for (const p of [`${file.path}.pw`, `${file.path}.password`]) {
    const f = sibling(p);
    if (f) candidates.push({ value: Buffer.from(f.bytes).toString('utf8').replace(/\r?\n$/, ''), from: f.display });
  }
  if (candidates.length === 0) {
    return { ok: false, reason: 'no password was collected for it', unlock: 'collect bootstrap.properties (tsm.truststore.pswd) beside it (sptls collect-script --include-stash)' };
  }
  let last = '';
  for (const c of candidates) {
    const r = readPkcs12(file.bytes, c.value);
    if (r.ok) {
      return { ok: true, unlockedBy: c.from, entries: r.file.entries.map((e) => ({ label: e.label ?? '', kind: e.kind === 'certificate' ? 'other' : e.kind, certificate: e.certificate })) };
    }
    last = r.error.message;
  }
  return { ok: false, reason: last, unlock: 'the truststore password that belongs to this file' };
}
