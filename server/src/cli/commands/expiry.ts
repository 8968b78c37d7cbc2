// `sptls expiry FILE`: args -> the expiry report (rotate/expiry-run.ts) -> text, JSON or iCalendar.
import { resolve } from 'node:path';
import { renderExpiry, topologyExpiry } from '../../rotate/expiry-run.ts';
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
    const pkiFlag = flag(args, 'pki');
    const keydbs = flag(args, 'keydbs');
    const r = await topologyExpiry(input.path, input.text, {
      now, topologyArg: file,
      ...(pkiFlag !== undefined ? { pki: { dir: resolve(io.cwd, pkiFlag), label: pkiFlag } } : {}),
      ...(keydbs !== undefined ? { keydbs: resolve(io.cwd, keydbs) } : {}),
      ...(withinDays !== undefined ? { withinDays } : {}),
    });
    if (!r.ok) { io.err(`sptls expiry: ${r.message}\n`); return EXIT_USAGE; }
    io.out(renderExpiry(r.entries, format, { now, ...(withinDays !== undefined ? { withinDays } : {}) }));
    return EXIT_OK;
  },
};
