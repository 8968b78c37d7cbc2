// `sptls keydb FILE`: key databases per component from the PKI `sptls issue` wrote.
import { resolve } from 'node:path';
import { formatKeydbOutcome, runKeydb } from '../../pki/provision/run.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, flag, parseArgs, type CliIO, type Command } from '../io.ts';
import { readTopologyArg, secretFromEnv } from '../topology-input.ts';

const help = `Usage: sptls keydb FILE [--out DIR] [--only NAME...] [--native-kdb] [--force]
                   [--password-env VAR]

Builds, for every server, storage agent, client, Operations Center and reporting agent of
the topology, the files its key database is made from, in DIR/keydb/<Name>/. DIR is the
PKI directory 'sptls issue' wrote (default: pki/ beside FILE); run 'sptls issue' first.

  server, storage agent   <Name>.p12 (key + chain, the PKCS#12 form GSKit imports) + .pw,
                          <label>.arm (its certificate), one .arm per trusted certificate,
                          create-keydb.sh / create-keydb.cmd (gsk8capicmd_64: -keydb -create
                          -stash, -cert -add, -cert -import, -cert -setdefault, -cert -list),
                          cert.kdb.pw, dsmserv.opt.txt / dsmsta.opt.txt
  client                  one .arm per trusted certificate, create-keydb.sh / .cmd making
                          dsmcert.kdb with gsk8capicmd_64 (or 'create-keydb.sh dsmcert' with
                          dsmcert -add -server NAME -file ...), dsm.sys.txt, dsm.opt.txt
  operations center,      the Java PKCS#12 truststore (gui-truststore.p12 / truststore.p12 or
  reporting agent         the declared keydb) + .pw, bootstrap.properties.txt ({xor} password)

Passwords are random per key store, written 0600 beside it as FILE.pw and never printed.
Client stanzas follow the server's level: below 8.1.2 (7.1.8) TLS goes to its ssl-port
(TCPPORT <ssl-port>, SSL YES); without one no stanza is written and the output says why.
Output names never collide: an export whose name is taken gets -2, -3... (the output says
so); a keydb named like a generated file, or two entries with one label, are refused.

Options:
  --out DIR             the PKI directory (default pki/ beside FILE)
  --only NAME           only these components (repeatable)
  --native-kdb          also write the .kdb + 129-byte v1 .sth directly, with sptls'
                        EXPERIMENTAL CMS writer (not yet verified against a real GSKit)
  --force               rebuild folders that exist, keeping dated backups of key stores
  --password-env VAR    use the password in environment variable VAR for every key store
                        (no .pw files; the scripts read VAR; VAR is letters, digits, _)

Exit status: 0 every folder built, 1 some component could not be built or the topology
has errors that affect the PKI, 2 usage or I/O error.
`;

export const keydbCommand: Command = {
  help,
  async run(args: string[], io: CliIO): Promise<number> {
    const parsed = parseArgs(args, { out: 'string', only: 'multi', 'native-kdb': 'boolean', force: 'boolean', 'password-env': 'string' });
    const topology = readTopologyArg(parsed, io, 'keydb');
    const secret = secretFromEnv(parsed, 'password-env', io, 'keydb', 'the key store password');
    if (!topology || !secret) return EXIT_USAGE;
    const out = flag(parsed, 'out');
    const outcome = await runKeydb({
      topologyPath: topology.path, text: topology.text,
      nativeKdb: parsed.flags.has('native-kdb'), force: parsed.flags.has('force'),
      ...(out ? { pkiDir: resolve(io.cwd, out) } : {}),
      ...(parsed.flags.has('only') ? { only: parsed.flags.get('only')! } : {}),
      ...(secret.env && secret.value ? { password: { env: secret.env, value: secret.value } } : {}),
    });
    if (outcome.kind === 'refused') {
      io.err(`sptls keydb: not building anything:\n${outcome.problems.map((p) => `  ${p}\n`).join('')}`);
      return EXIT_FINDINGS;
    }
    io.out(formatKeydbOutcome(outcome.components));
    const failed = outcome.components.filter((c) => c.problem).length;
    io.err(`${outcome.components.length - failed} of ${outcome.components.length} key database folder(s) built in ${resolve(outcome.pkiDir, 'keydb')}\n`);
    return failed ? EXIT_FINDINGS : EXIT_OK;
  },
};
