// One view over every key-material file sptls reads: CMS .kdb, PKCS#12, PEM/ARM/DER certificates.
// The CLI's `inspect` and the language server use this; it only reads through the given functions.
import { basename, dirname, extname, join } from 'node:path';
import { readKdb, looksLikeKdb } from '../keydb/kdb/read.ts';
import { readStash } from '../keydb/kdb/stash.ts';
import { looksLikePkcs12, readPkcs12 } from '../keydb/pkcs12/read.ts';
import { readCertificateFile, type CertificateFacts } from '../../codec/x509/read.ts';

export type FileFormat = 'cms-kdb' | 'pkcs12' | 'certificates';

export interface InspectEntry {
  label?: string;
  /** personal = certificate with its private key; trusted = a trust anchor; certificate = a plain certificate. */
  kind: 'personal' | 'trusted' | 'certificate' | 'request' | 'secret-key';
  certificate?: CertificateFacts;
}

export interface InspectReport {
  file: string;
  format: FileFormat;
  /** Where the password came from, for the reader of the report. */
  passwordSource?: string;
  details: string[];
  entries: InspectEntry[];
}

export interface InspectFailure {
  kind: 'unreadable' | 'no-password' | 'wrong-password' | 'unsupported' | 'corrupt';
  /** One line naming the file, what is wrong and the fix. */
  message: string;
}

export type InspectResult = { ok: true; report: InspectReport } | { ok: false; failure: InspectFailure };

export interface PasswordSource {
  /** A password given directly (e.g. from --password-env). */
  password?: { value: string; from: string };
  /** An explicit stash file for a .kdb. */
  stashPath?: string;
}

/** What is read: the key store (or certificate file) itself, a .kdb's stash, a PKCS#12's .pw file. */
export type InspectFileKind = 'key-store' | 'stash' | 'password';

/** A file's bytes, or why it was not read ('missing' when it does not exist). */
export type FileRead = { ok: true; bytes: Uint8Array } | { ok: false; refusal: string; reason: string };

export interface FileReader {
  /** Never rejects; a reader bounds each kind's size (server/src/workspace/bounded-read.ts). */
  read(path: string, kind: InspectFileKind): Promise<FileRead>;
}

/** Files tried, in order, for a PKCS#12 password when none is given. */
export const pkcs12PasswordFiles = (path: string): string[] => [`${path}.pw`, `${path}.password`];
/** The stash GSKit puts next to a .kdb: same basename, .sth. */
export const defaultStashPath = (path: string): string => join(dirname(path), `${basename(path, extname(path))}.sth`);

export async function inspectFile(path: string, source: PasswordSource, reader: FileReader): Promise<InspectResult> {
  const read = await reader.read(path, 'key-store');
  const fail = (kind: InspectFailure['kind'], message: string): InspectResult => ({ ok: false, failure: { kind, message: `${path}: ${message}` } });
  if (!read.ok) {
    const fix = read.refusal === 'missing' || read.refusal === 'unreadable' ? '; check the path and permissions' : '';
    return fail('unreadable', `cannot read the file (${read.reason}${fix})`);
  }
  const bytes = read.bytes;

  if (looksLikeKdb(bytes)) {
    let password = source.password;
    if (!password) {
      const stashPath = source.stashPath ?? defaultStashPath(path);
      const stash = await reader.read(stashPath, 'stash');
      if (!stash.ok && stash.refusal === 'missing') return fail('no-password', `no password: stash file ${stashPath} not found (pass --stash FILE or --password-env VAR)`);
      if (!stash.ok) return fail('no-password', `no password: stash file ${stashPath}: ${stash.reason} (pass --stash FILE or --password-env VAR)`);
      const decoded = readStash(stash.bytes);
      if (!decoded.ok) return fail('no-password', `${stashPath}: ${decoded.error.message} (pass the right --stash FILE or --password-env VAR)`);
      password = { value: decoded.password, from: `stash ${stashPath} (${decoded.version})` };
    }
    const r = readKdb(bytes, password.value);
    if (!r.ok) {
      const fix = r.error.kind === 'wrong-password' ? ` (password from ${password.from}; pass the right --stash FILE or --password-env VAR)` : '';
      return fail(r.error.kind === 'not-kdb' ? 'corrupt' : r.error.kind, r.error.message + fix);
    }
    return {
      ok: true,
      report: {
        file: path, format: 'cms-kdb', passwordSource: password.from,
        details: [`CMS container version ${r.kdb.version}, ${r.kdb.entries.length} records of ${r.kdb.slotSize} bytes`],
        entries: r.kdb.entries.map((e) => ({ label: e.label, kind: e.kind, certificate: e.certificate })),
      },
    };
  }

  if (looksLikePkcs12(bytes)) {
    let password = source.password;
    if (!password) {
      for (const candidate of pkcs12PasswordFiles(path)) {
        const text = await reader.read(candidate, 'password');
        if (!text.ok && text.refusal !== 'missing') return fail('no-password', `password file ${candidate}: ${text.reason} (pass --password-env VAR)`);
        if (text.ok) { password = { value: Buffer.from(text.bytes).toString('utf8').replace(/\r?\n$/, ''), from: candidate }; break; }
      }
    }
    if (!password) return fail('no-password', `PKCS#12 needs a password: pass --password-env VAR or put it in ${pkcs12PasswordFiles(path)[0]}`);
    const r = readPkcs12(bytes, password.value);
    if (!r.ok) {
      const fix = r.error.kind === 'wrong-password' ? ` (password from ${password.from}; pass the right one with --password-env VAR)` : '';
      return fail(r.error.kind === 'not-pkcs12' ? 'corrupt' : r.error.kind, r.error.message + fix);
    }
    const details = [`MAC: ${r.file.mac}`, ...r.file.protection];
    if (r.file.orphanKeys > 0) details.push(`${r.file.orphanKeys} private key(s) without a matching certificate`);
    return {
      ok: true,
      report: { file: path, format: 'pkcs12', passwordSource: password.from, details, entries: r.file.entries.map((e) => ({ label: e.label, kind: e.kind, certificate: e.certificate })) },
    };
  }

  const certs = readCertificateFile(bytes);
  if (!certs.ok) return fail('corrupt', `not a CMS key database, PKCS#12 or certificate file: ${certs.error.message}`);
  return {
    ok: true,
    report: {
      file: path, format: 'certificates', details: [],
      entries: certs.certificates.map((c) => ({ kind: 'certificate', certificate: c })),
    },
  };
}
