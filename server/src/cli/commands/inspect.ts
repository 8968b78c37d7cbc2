// `sptls inspect FILE`: lists the entries of a key database, PKCS#12 or certificate file.
import { isAbsolute, resolve } from 'node:path';
import { inspectFile, type InspectEntry, type InspectReport } from '../../pki/inspect/inspect-file.ts';
import { day, inspectText } from '../../pki/inspect/render.ts';
import { boundedFileReader } from '../../workspace/bounded-read.ts';
import { EXIT_OK, EXIT_USAGE, UsageError, flag, parseArgs, type CliIO, type Command } from '../io.ts';

const help = `Usage: sptls inspect FILE [--password-env VAR | --stash FILE] [--format text|json]

Lists every entry of a key store or certificate file: label, personal (certificate
with its private key) or trusted, subject, issuer, validity, key type and size, and
the SHA-256 fingerprint.

FILE may be:
  a GSKit CMS key database (.kdb)   password from the stash beside it (same basename,
                                    .sth: cert.kdb -> cert.sth), v1 (129 B) or v8 (193 B)
  a PKCS#12 file (.p12, .pfx)       password from --password-env, else from the first
                                    line of FILE.pw or FILE.password beside it
  PEM / ARM / DER certificates      (cert256.arm, ca.pem, ...) no password needed

Options:
  --password-env VAR   read the password from environment variable VAR (never on the
                       command line, where other users could see it in ps)
  --stash FILE         the .sth stash holding a .kdb's password
  --format text|json   output format (default text)

Only regular files are read: a key store up to 16 MiB, a stash or password file up to
4 KiB; a key derivation may ask for up to 100,000 iterations, all of a file's together
for 1,000,000 (docs/limits.md). Beyond that the file is refused before it is read.

Exit status: 0 listed; 2 the file is unreadable or over a limit, the password is missing
or wrong, or the options are wrong (one line on stderr names the file and the fix).

Examples:
  sptls inspect /opt/tivoli/tsm/server/bin/cert.kdb
  sptls inspect dsmcert.kdb --stash /secure/dsmcert.sth
  P12PW=... sptls inspect server.p12 --password-env P12PW --format json
  sptls inspect cert256.arm
`;

export const inspectCommand: Command = {
  help,
  async run(args: string[], io: CliIO): Promise<number> {
    const parsed = parseArgs(args, { 'password-env': 'string', stash: 'string', format: 'string' });
    if (parsed.positional.length !== 1) throw new UsageError('expected exactly one FILE');
    const format = flag(parsed, 'format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
    const envName = flag(parsed, 'password-env');
    const stash = flag(parsed, 'stash');
    if (envName !== undefined && stash !== undefined) throw new UsageError('give either --password-env or --stash, not both');
    const abs = (p: string) => (isAbsolute(p) ? p : resolve(io.cwd, p));
    let password: { value: string; from: string } | undefined;
    if (envName !== undefined) {
      const value = io.env[envName];
      if (value === undefined) {
        io.err(`sptls inspect: environment variable ${envName} is not set (export it with the password, or drop --password-env)\n`);
        return EXIT_USAGE;
      }
      password = { value, from: `$${envName}` };
    }
    const file = parsed.positional[0]!;
    const result = await inspectFile(abs(file), { password, stashPath: stash === undefined ? undefined : abs(stash) }, boundedFileReader);
    if (!result.ok) {
      io.err(`sptls inspect: ${result.failure.message}\n`);
      return EXIT_USAGE;
    }
    io.out(format === 'json' ? JSON.stringify(toJson(result.report), null, 2) + '\n' : inspectText(result.report));
    return EXIT_OK;
  },
};

function toJson(r: InspectReport): unknown {
  return {
    file: r.file, format: r.format, passwordSource: r.passwordSource, details: r.details,
    entries: r.entries.map((e: InspectEntry) => ({
      label: e.label ?? null,
      kind: e.kind,
      certificate: e.certificate && {
        subject: e.certificate.subjectText,
        issuer: e.certificate.issuerText,
        serial: e.certificate.serialHex,
        notBefore: day(e.certificate.notBefore),
        notAfter: day(e.certificate.notAfter),
        key: e.certificate.key,
        signatureAlgorithm: e.certificate.signatureAlgorithm,
        isCA: e.certificate.isCA,
        sans: e.certificate.sans,
        sha256: e.certificate.fingerprintSha256,
      },
    })),
  };
}
