// `sptls issue FILE`: issues the CAs and component certificates a topology declares.
import { resolve } from 'node:path';
import { formatPlan, resultNotes, runIssue, summarize } from '../../pki/issue/run.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, flag, parseArgs, type CliIO, type Command } from '../io.ts';
import { readTopologyArg, secretFromEnv } from '../topology-input.ts';

const help = `Usage: sptls issue FILE [--out DIR] [--only NAME...] [--dry-run] [--renew] [--force]
                   [--ca-passphrase-env VAR]

Issues every CA the topology declares (roots, then intermediates) and every component
certificate that is 'self-signed' or 'signed-by' a CA of the file, with the spec's defaults
(CA: RSA 4096, 10 years, CN=<name>; component: RSA 2048, 825 days, SAN = its address,
CN=<name> or for a server CN=<name>,OU=TSM Network,O=TSM,C=US). 'file' certificates and CAs
known only by their file are not issued. A certificate never outlives its issuer: one whose
'valid' would reach past its issuer's end ends with the issuer (a 'note:' line on stderr says so).
Intermediate CAs get a path length constraint: 0 when they sign only component certificates,
otherwise the number of CA levels declared below them.

Output (default: pki/ beside FILE):
  ca/<Name>.crt.pem, ca/<Name>.key.pem (0600)
  components/<Name>/cert.pem, key.pem (0600), chain.pem (issuers, nearest first),
                    <label>.arm (a server's self-signed certificate: cert256.arm)
  manifest.json     what was issued from which spec

A second run changes nothing. Existing keys are never overwritten without --force.

Options:
  --out DIR                 output directory
  --only NAME               issue only these (repeatable); missing issuers are added
  --dry-run                 print the plan (create/keep/renew/skip and why); write nothing
  --renew                   re-issue certificates whose spec changed or that expire within
                            30 days, keeping their keys
  --force                   new keys too; each replaced key is kept as KEY.bak-YYYYMMDD-HHMMSS
  --ca-passphrase-env VAR   encrypt CA keys at rest with the passphrase in environment
                            variable VAR (needed again to sign with them later); without
                            it new CA keys are written in clear and a warning says so

Refuses (exit 1, nothing written) when the topology has errors that affect the PKI:
syntax errors, ca-cycle, unknown or wrong signed-by, invalid key/valid values.
Exit status: 0 done, 1 refused or some certificate could not be issued, 2 usage or I/O error.
`;

export const issueCommand: Command = {
  help,
  async run(args: string[], io: CliIO): Promise<number> {
    const parsed = parseArgs(args, { out: 'string', only: 'multi', 'dry-run': 'boolean', renew: 'boolean', force: 'boolean', 'ca-passphrase-env': 'string' });
    const topology = readTopologyArg(parsed, io, 'issue');
    const secret = secretFromEnv(parsed, 'ca-passphrase-env', io, 'issue', 'the CA key passphrase');
    if (!topology || !secret) return EXIT_USAGE;
    const out = flag(parsed, 'out');
    const dryRun = parsed.flags.has('dry-run');
    const outcome = await runIssue({
      topologyPath: topology.path, text: topology.text, dryRun,
      renew: parsed.flags.has('renew'), force: parsed.flags.has('force'),
      ...(out ? { outDir: resolve(io.cwd, out) } : {}),
      ...(parsed.flags.has('only') ? { only: parsed.flags.get('only')! } : {}),
      ...(secret.value !== undefined ? { caPassphrase: secret.value } : {}),
    });
    if (outcome.kind === 'refused') {
      io.err(`sptls issue: not issuing anything; fix these first:\n${outcome.problems.map((p) => `  ${p}\n`).join('')}`);
      return EXIT_FINDINGS;
    }
    io.out(formatPlan(outcome.actions, outcome.notIssued, dryRun));
    const blocked = outcome.actions.some((a) => a.blocked);
    if (outcome.kind === 'planned') {
      for (const n of outcome.notes) io.err(`note: ${n}\n`);
      io.err(`dry run: nothing written (${summarize(outcome.actions).replace(/(\d+) (created|renewed)/g, '$1 to be $2')}) in ${outcome.outDir}\n`);
      return blocked ? EXIT_FINDINGS : EXIT_OK;
    }
    const { result } = outcome;
    for (const n of resultNotes(result)) io.err(`${n}\n`);
    for (const b of result.backups) io.err(`backup kept: ${b}\n`);
    for (const e of result.errors) io.err(`sptls issue: ${e}\n`);
    io.err(`${summarize(outcome.actions)}; ${result.written.length} file(s) written in ${outcome.outDir}\n`);
    return result.ok && !blocked ? EXIT_OK : EXIT_FINDINGS;
  },
};
