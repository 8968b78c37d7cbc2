// `sptls expiry FILE`: args -> the expiry report (rotate/expiry.ts) -> text, JSON or iCalendar.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { analyze } from '../../analysis/engine.ts';
import { DiskKeyDbSource } from '../../pki/audit/disk-source.ts';
import { MANIFEST_FILE, parseManifest } from '../../pki/issue/layout.ts';
import { expiryReport, fileCertificates, issuedCertificates, keyDbCertificates, type ExpiryEntry, type KnownCertificate } from '../../rotate/expiry.ts';
import { renderIcs } from '../../rotate/ics.ts';
import { shArg } from '../../pki/provision/escape.ts';
import { DiskCertificateFiles } from '../../workspace/disk-certificates.ts';
import { readBoundedFile } from '../../workspace/bounded-read.ts';
import { EXIT_OK, EXIT_USAGE, flag, parseArgs, UsageError, type CliIO, type Command } from '../io.ts';
import { readTopologyFile } from '../topology-input.ts';
import { parseNow } from './check.ts';

const help = `Usage: sptls expiry FILE [--within DAYS] [--format text|json|ics] [--pki DIR] [--keydbs DIR]
                    [--now ISO-DATE]

Lists every certificate the topology knows, soonest end first: the CAs and certificates
'sptls issue' wrote (the manifest of the PKI folder, default pki/ beside FILE), the
certificates of 'file' properties, and with --keydbs the certificates in key databases
collected from the hosts (DIR/<Name>/cert.kdb and the like, as 'sptls check --keydbs').
For each: its end date and days left, where it was read, who presents it (the owner, or
every component whose chain holds the CA) and who trusts it, and the 'sptls rotate'
command that replaces it. Certificates the topology declares but nobody issued yet have
no end date and are not listed.

Options
  --within DAYS   only those that end within DAYS days (expired ones included)
  --format        text (default); json {schema "sptls.expiry/1", now, certificates};
                  ics: an iCalendar file (RFC 5545) with one all-day event per
                  certificate on its last valid day, an alarm 30 days before, and the
                  rotate command in the description, to import into a calendar
  --pki DIR       the PKI folder 'sptls issue' wrote (default: pki/ beside FILE)
  --keydbs DIR    also read the key databases collected from the hosts
  --now ISO-DATE  the instant days are counted from (and the events' DTSTAMP)

Exit status: 0 listed (whatever the dates), 2 usage or I/O error.

Examples
  sptls expiry production.sptls --within 90
  sptls expiry production.sptls --format ics > certificates.ics
`;

const OPTIONS = { within: 'string', format: 'string', pki: 'string', keydbs: 'string', now: 'string' } as const;

export const expiryCommand: Command = {
  help,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, OPTIONS);
    if (args.positional.length !== 1) throw new UsageError(`one topology FILE expected, got ${args.positional.length}`);
    const format = flag(args, 'format') ?? 'text';
    if (format !== 'text' && format !== 'json' && format !== 'ics') throw new UsageError(`--format must be text, json or ics, not '${format}'`);
    const within = flag(args, 'within');
    const withinDays = within === undefined ? undefined : Number(within);
    if (withinDays !== undefined && (!Number.isInteger(withinDays) || withinDays < 0)) throw new UsageError(`--within takes a whole number of days, not '${within}'`);
    const now = parseNow(flag(args, 'now')) ?? new Date();
    const file = args.positional[0]!;
    const input = readTopologyFile(file, io, 'expiry');
    if (!input) return EXIT_USAGE;
    const analysis = analyze(input.text, { certificateFiles: new DiskCertificateFiles(dirname(input.path)), now });

    const known: KnownCertificate[] = [...fileCertificates(analysis)];
    const pkiFlag = flag(args, 'pki');
    const pkiDir = pkiFlag !== undefined ? resolve(io.cwd, pkiFlag) : join(dirname(input.path), 'pki');
    const manifestPath = join(pkiDir, MANIFEST_FILE);
    if (existsSync(manifestPath)) {
      const file = readBoundedFile(manifestPath, { kind: 'manifest' });
      const m = file.ok ? parseManifest(file.bytes.toString('utf8')) : { ok: false as const, message: file.reason };
      if (!m.ok) { io.err(`sptls expiry: ${manifestPath}: ${m.message}\n`); return EXIT_USAGE; }
      known.push(...issuedCertificates(m.manifest, pkiFlag ?? 'pki'));
    } else if (pkiFlag !== undefined) throw new UsageError(`--pki ${pkiFlag}: no ${MANIFEST_FILE} there (run 'sptls issue ${file} --out ${pkiFlag}' first)`);
    const keydbs = flag(args, 'keydbs');
    if (keydbs !== undefined) {
      const dir = resolve(io.cwd, keydbs);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--keydbs ${keydbs}: no such directory`);
      known.push(...await keyDbCertificates(analysis, new DiskKeyDbSource(dir)));
    }

    const entries = expiryReport(analysis, known, { now, topologyArg: file, ...(withinDays !== undefined ? { withinDays } : {}) });
    const command = (argv: string[]) => argv.map((a) => (/^[A-Za-z0-9_./=:-]+$/.test(a) ? a : shArg(a))).join(' ');
    if (format === 'ics') io.out(renderIcs(entries, { now, shellCommand: command }));
    else if (format === 'json') io.out(`${JSON.stringify({ schema: 'sptls.expiry/1', now: now.toISOString(), certificates: entries.map((e) => ({ ...e, notAfter: e.notAfter.toISOString(), rotate: command(e.rotate) })) }, null, 2)}\n`);
    else io.out(renderText(entries, command, withinDays));
    return EXIT_OK;
  },
};

function renderText(entries: ExpiryEntry[], command: (argv: string[]) => string, within: number | undefined): string {
  if (entries.length === 0) return within === undefined ? 'No certificate with a known end date: run sptls issue, or give --keydbs.\n' : `No certificate ends within ${within} days.\n`;
  const lines: string[] = [];
  for (const e of entries) {
    const left = e.daysLeft < 0 ? `expired ${-e.daysLeft} day(s) ago` : `expires in ${e.daysLeft} day(s)`;
    lines.push(`${e.notAfter.toISOString().slice(0, 10)}  ${e.kind === 'ca' ? 'CA' : 'certificate'} ${e.name}: ${left} (${e.source}: ${e.where})`);
    lines.push(`    presented by: ${e.presentedBy.join(', ') || 'none'}; trusted by: ${e.trustedBy.join(', ') || 'none'}`);
    lines.push(`    rotate: ${command(e.rotate)}`);
  }
  return `${lines.join('\n')}\n`;
}
