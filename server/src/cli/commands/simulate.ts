// `sptls simulate FILE`: rehearses every TLS connection of a topology on 127.0.0.1 and
// sets what the handshakes show against what the rules predict.
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { nodeHandshakeProber, type HandshakeProber } from '../../handshake/index.ts';
import { analyzeTopology, defaultPkiDir } from '../../workspace/topology.ts';
import {
  countRows, pkiFromDir, renderSimulationJson, renderSimulationText, simulate, temporaryPki, type RehearsalPki,
} from '../../simulate/index.ts';
import { jsseClient, JavaUnavailableError, type JavaClient } from '../../simulate/java/jsse-client.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, flag, parseArgs, timeoutFlag, UsageError, type CliIO, type Command } from '../io.ts';
import { readTopologyFile } from '../topology-input.ts';
import { parseNow } from './check.ts';

const help = `Usage: sptls simulate FILE [--pki DIR] [--java] [--format text|json] [--timeout MS] [--now ISO-DATE]

Rehearses the whole topology on this machine. Every responder of a TLS connection
gets a TLS listener on 127.0.0.1 (a free port) with its issued key and chain and
its TLS version range (tls-min/tls-max, or the defaults of its level). Every TLS
connection then runs one real handshake, as its initiator would: with the
initiator's trust set (its 'trusts' entries: a CA's certificate, or a component's
own) and its version range. The chain and the negotiated version are judged; host
names are not (the rules do not check them per connection either).

The matrix lists, per connection: its line, the verdict the rules predict
(trusted, untrusted, no-common-version, missing-certificate), what the handshake
showed (handshake ok and chain trusted / chain untrusted / protocol-version
refusal / failed), the negotiated version and, where it matters, why.
Both must agree on every rehearsed connection; they must also settle on the
highest version both ranges share.

Connections that cannot be rehearsed are listed with the reason: plain
connections, pairs the product does not support, a responder without a
certificate, a 'certificate file' whose private key is not here, a chain that
cannot be built, a certificate not issued in the PKI.

PKI
  --pki DIR         the output of 'sptls issue' to use (default: pki/ beside FILE
                    when it exists). Without one, everything the topology declares
                    is issued into a temporary folder (EC P-256 keys: the key does
                    not change trust or version verdicts), removed afterwards.

Java
  --java            also rehearse the connections of the Operations Center and
                    the reporting agent (Java/JSSE clients) from Java: a small
                    TLS client compiled once into ~/.cache/sptls (else
                    $TMPDIR/sptls-cache-UID; a folder not private to this user
                    is refused, and the class's SHA-256 is checked before each
                    run), trusting a PKCS#12 truststore of the initiator's
                    'trusts'. Their rows appear twice, with client 'node' and
                    'java'. Needs a JDK (javac and java on PATH).

Options
  --format text|json  text (default), or JSON: {schema "sptls.simulate/1", file,
                      pki, counts, rows} with the same rows as the text
  --timeout MS        limit for each phase of each handshake (default 5000)
  --now ISO-DATE      the instant the rules and the handshake checks use

Exit status: 0 every rehearsed connection agrees with the rules, 1 at least one
disagrees, 2 usage or I/O error.

Examples
  sptls issue examples/production.sptls && sptls simulate examples/production.sptls
  sptls simulate topology.sptls --pki /secure/pki --format json
`;

const OPTIONS = { pki: 'string', format: 'string', timeout: 'string', now: 'string', java: 'boolean' } as const;

export function makeSimulateCommand(prober: HandshakeProber): Command {
  return {
    help,
    async run(argv: string[], io: CliIO): Promise<number> {
      const args = parseArgs(argv, OPTIONS);
      if (args.positional.length !== 1) throw new UsageError(`one topology FILE expected, got ${args.positional.length}`);
      const format = flag(args, 'format') ?? 'text';
      if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
      const now = parseNow(flag(args, 'now'));
      const timeoutMs = timeoutFlag(args);

      let java: JavaClient | undefined;
      if (args.flags.has('java')) {
        try {
          java = jsseClient(io.env);
        } catch (e) {
          if (e instanceof JavaUnavailableError) throw new UsageError(e.message);
          throw e;
        }
      }

      const file = args.positional[0]!;
      const input = readTopologyFile(file, io, 'simulate');
      if (!input) return EXIT_USAGE;
      const { path } = input;
      const analysis = analyzeTopology(path, input.text, now);
      const pkiFlag = flag(args, 'pki');
      let pki: RehearsalPki;
      if (pkiFlag !== undefined) {
        const dir = resolve(io.cwd, pkiFlag);
        if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--pki ${pkiFlag}: no such directory (run 'sptls issue ${file} --out ${pkiFlag}' first)`);
        pki = pkiFromDir(dir, analysis, pkiFlag);
      } else if (existsSync(defaultPkiDir(path))) {
        pki = pkiFromDir(defaultPkiDir(path), analysis, `${defaultPkiDir(file)} (issued)`);
      } else {
        pki = await temporaryPki(analysis, { now: now ?? new Date(), topologyName: basename(path) });
      }
      try {
        const rows = await simulate(analysis, pki, { prober, ...(timeoutMs ? { timeoutMs } : {}), ...(now ? { now } : {}), ...(java ? { java } : {}) });
        const result = { file, pki: pki.description, rows };
        io.out(format === 'json' ? renderSimulationJson(result) : renderSimulationText(result));
        return countRows(rows).disagree > 0 ? EXIT_FINDINGS : EXIT_OK;
      } finally {
        await pki.dispose();
      }
    },
  };
}

export const simulateCommand: Command = makeSimulateCommand(nodeHandshakeProber);
