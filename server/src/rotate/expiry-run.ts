// `expiry` of a topology file: the certificates it knows (its `file` properties, the manifest
// of the PKI folder 'sptls issue' wrote, key databases collected from the hosts), soonest end
// first, and the text, JSON and iCalendar forms. `sptls expiry` and the server's "List
// certificate expiry" command both call it, so they list the same.
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyze } from '../analysis/engine.ts';
import { DiskKeyDbSource } from '../pki/audit/disk-source.ts';
import { MANIFEST_FILE, parseManifest } from '../pki/issue/layout.ts';
import { shArg } from '../pki/provision/escape.ts';
import { DiskCertificateFiles } from '../workspace/disk-certificates.ts';
import { readBoundedFile } from '../workspace/bounded-read.ts';
import { expiryReport, fileCertificates, issuedCertificates, keyDbCertificates, type ExpiryEntry, type KnownCertificate } from './expiry.ts';
import { renderIcs } from './ics.ts';

export type ExpiryFormat = 'text' | 'json' | 'ics';

export interface TopologyExpiryOptions {
  now: Date;
  /** The PKI folder (absolute) and how the rotate commands name it; default pki/ beside the topology. */
  pki?: { dir: string; label: string };
  /** A folder (absolute) of key databases collected from the hosts. */
  keydbs?: string;
  withinDays?: number;
  /** How the rotate commands name the topology file. */
  topologyArg: string;
}

/** The entries, or a one-line reason the inputs cannot be read. */
export async function topologyExpiry(path: string, text: string, options: TopologyExpiryOptions): Promise<{ ok: true; entries: ExpiryEntry[] } | { ok: false; message: string }> {
  const { now } = options;
  const analysis = analyze(text, { certificateFiles: new DiskCertificateFiles(dirname(path)), now });
  const known: KnownCertificate[] = [...fileCertificates(analysis)];
  const pki = options.pki ?? { dir: join(dirname(path), 'pki'), label: 'pki' };
  const manifestPath = join(pki.dir, MANIFEST_FILE);
  if (existsSync(manifestPath)) {
    const file = readBoundedFile(manifestPath, { kind: 'manifest' });
    const m = file.ok ? parseManifest(file.bytes.toString('utf8')) : { ok: false as const, message: file.reason };
    if (!m.ok) return { ok: false, message: `${manifestPath}: ${m.message}` };
    known.push(...issuedCertificates(m.manifest, pki.label));
  } else if (options.pki) return { ok: false, message: `${pki.label}: no ${MANIFEST_FILE} there (run 'sptls issue ${options.topologyArg} --out ${pki.label}' first)` };
  if (options.keydbs !== undefined) {
    if (!existsSync(options.keydbs) || !statSync(options.keydbs).isDirectory()) return { ok: false, message: `${options.keydbs}: no such directory` };
    known.push(...await keyDbCertificates(analysis, new DiskKeyDbSource(options.keydbs)));
  }
  return { ok: true, entries: expiryReport(analysis, known, { now, topologyArg: options.topologyArg, ...(options.withinDays !== undefined ? { withinDays: options.withinDays } : {}) }) };
}

/** A rotate command as a shell line: plain words as they are, the rest quoted. */
const shellCommand = (argv: string[]) => argv.map((a) => (/^[A-Za-z0-9_./=:-]+$/.test(a) ? a : shArg(a))).join(' ');

export function renderExpiry(entries: readonly ExpiryEntry[], format: ExpiryFormat, options: { now: Date; withinDays?: number }): string {
  if (format === 'ics') return renderIcs(entries, { now: options.now, shellCommand });
  if (format === 'json') return `${JSON.stringify({ schema: 'sptls.expiry/1', now: options.now.toISOString(), certificates: entries.map((e) => ({ ...e, notAfter: e.notAfter.toISOString(), rotate: shellCommand(e.rotate) })) }, null, 2)}\n`;
  return renderText(entries, options.withinDays);
}

function renderText(entries: readonly ExpiryEntry[], within: number | undefined): string {
  if (entries.length === 0) return within === undefined ? 'No certificate with a known end date: run sptls issue, or give --keydbs.\n' : `No certificate ends within ${within} days.\n`;
  const lines: string[] = [];
  for (const e of entries) {
    const left = e.daysLeft < 0 ? `expired ${-e.daysLeft} day(s) ago` : `expires in ${e.daysLeft} day(s)`;
    lines.push(`${e.notAfter.toISOString().slice(0, 10)}  ${e.kind === 'ca' ? 'CA' : 'certificate'} ${e.name}: ${left} (${e.source}: ${e.where})`);
    lines.push(`    presented by: ${e.presentedBy.join(', ') || 'none'}; trusted by: ${e.trustedBy.join(', ') || 'none'}`);
    lines.push(`    rotate: ${shellCommand(e.rotate)}`);
  }
  return `${lines.join('\n')}\n`;
}
