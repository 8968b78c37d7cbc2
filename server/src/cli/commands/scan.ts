// `sptls scan FILE`: the live hosts of a topology against the topology. A thin wrapper:
// arguments → scanTopology → text, JSON, SARIF or GitHub annotations.
import { resolve } from 'node:path';
import { DEFAULT_TIMEOUT_MS, nodeHandshakeProber, type HandshakeProber } from '../../handshake/index.ts';
import {
  countScan, DEFAULT_CONCURRENCY, endpointBudgetMs, MAX_CONCURRENCY, renderScanJson, renderScanText, scanFindings, scanTopology, summaryLine,
} from '../../scan/index.ts';
import { isCiFormat, renderCi } from '../ci-format.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, flag, parseArgs, UsageError, type CliIO, type Command } from '../io.ts';
import { readTopologyArg } from '../topology-input.ts';
import { parseNow } from './check.ts';

const help = `Usage: sptls scan FILE [--concurrency N] [--timeout MS] [--format text|json|sarif|github]
                  [--pki DIR] [--now ISO-DATE]

Connects to every responder of a TLS connection that has an 'address' in FILE
(servers, storage agents, LDAP directories), each HOST:PORT once, and compares
what it presents with the topology. Nothing else is contacted.

The port is the connection's 'port', else the responder's 'ssl-port' when its
level takes TLS only there (below 8.1.2; 7.1.8 for V7), else its 'port', else the
product default (1500; LDAP 636). LDAP on port 389 is asked for StartTLS first.

Findings, in the form of 'sptls check' (rule ids scan-*):
  scan-unreachable            nothing answers, or it speaks no TLS
  scan-certificate-mismatch   the certificate is not the topology's (its 'file',
                              or the one 'sptls issue' wrote in pki/ beside FILE)
  scan-chain-differs          an intermediate of the topology's chain is not sent,
                              or a certificate off that chain is
  scan-certificate-expired    a certificate sent is expired or not yet valid
  scan-certificate-expiring   one expires within 30 days
  scan-hostname-mismatch      the certificate does not name the address
  scan-tls-version-accepted   a TLS version outside the declared range (tls-min,
                              tls-max, or the level's defaults) is accepted
  scan-tls-version-refused    a version inside the range is refused
  scan-untrusted              an initiator would not trust the chain it is sent
                              (judged with that initiator's 'trusts')
  scan-handshake-failed       an initiator's handshake fails (e.g. its range)
  scan-not-judged             something could not be compared, and why
  scan-not-scanned            a connection whose responder has no address

Options
  --concurrency N     endpoints probed at once (default ${DEFAULT_CONCURRENCY}, at most ${MAX_CONCURRENCY})
  --timeout MS        limit of each phase of each handshake: DNS, connect,
                      StartTLS, handshake (default ${DEFAULT_TIMEOUT_MS}). An endpoint gets at
                      most ${endpointBudgetMs(1)} × MS in all; the scan takes at most
                      ceil(endpoints / N) × ${endpointBudgetMs(1)} × MS
  --format FORMAT     text (default): findings as path:line:col: severity rule:
                      message, then one line per endpoint; json: {schema
                      "sptls.scan/1", counts, endpoints, findings}; sarif: a
                      SARIF 2.1.0 log; github: workflow annotations (docs/ci.md)
  --pki DIR           the issued PKI to compare with (default: pki/ beside FILE)
  --now ISO-DATE      the instant validity is judged at

A progress line is drawn on stderr when it is a terminal.

Exit status: 0 no error finding, 1 at least one, 2 usage or I/O error.

Examples
  sptls scan production.sptls
  sptls scan production.sptls --concurrency 64 --timeout 3000 --format sarif > scan.sarif
`;

const OPTIONS = { concurrency: 'string', timeout: 'string', format: 'string', pki: 'string', now: 'string' } as const;

function wholeNumber(text: string | undefined, option: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${option} takes a whole number from 1 to ${max}, not '${text}'`);
  return n;
}

export function makeScanCommand(prober: HandshakeProber): Command {
  return {
    help,
    async run(argv: string[], io: CliIO): Promise<number> {
      const args = parseArgs(argv, OPTIONS);
      const format = flag(args, 'format') ?? 'text';
      if (!isCiFormat(format) && format !== 'text' && format !== 'json') throw new UsageError(`--format must be text, json, sarif or github, not '${format}'`);
      const concurrency = wholeNumber(flag(args, 'concurrency'), 'concurrency', MAX_CONCURRENCY);
      const timeoutMs = wholeNumber(flag(args, 'timeout'), 'timeout', 600_000);
      const now = parseNow(flag(args, 'now'));
      const pki = flag(args, 'pki');
      const input = readTopologyArg(args, io, 'scan');
      if (!input) return EXIT_USAGE;
      const file = args.positional[0]!;
      const result = await scanTopology(input, {
        prober,
        ...(concurrency ? { concurrency } : {}), ...(timeoutMs ? { timeoutMs } : {}), ...(now ? { now } : {}),
        ...(pki !== undefined ? { pkiDir: resolve(io.cwd, pki) } : {}),
      }, io.status ? { progress: (p) => io.status!(`scanning: ${p.done}/${p.total} endpoint(s) done`) } : {});
      io.status?.(null);
      if (format === 'json') io.out(renderScanJson(file, result));
      else if (isCiFormat(format)) io.out(renderCi(format, [scanFindings(file, result)], 'scan'));
      else {
        io.out(renderScanText(file, result));
        io.err(`${summaryLine(result)}\n`);
      }
      return countScan(result).errors > 0 ? EXIT_FINDINGS : EXIT_OK;
    },
  };
}

export const scanCommand: Command = makeScanCommand(nodeHandshakeProber);
