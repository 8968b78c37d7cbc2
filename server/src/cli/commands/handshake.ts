// `sptls handshake HOST:PORT`: one live TLS handshake, judged check by check.
import { resolve } from 'node:path';
import {
  nodeHandshakeProber, readTrustFile, renderJson, renderText, TrustInputError, TLS_VERSIONS, DEFAULT_TIMEOUT_MS,
  type HandshakeProber, type ProbeOptions, type TlsVersion,
} from '../../handshake/index.ts';
import { issuedPki, planTopologyProbe, probeFromTopology, TopologyProbeError } from '../../simulate/topology-probe.ts';
import type { HandshakeReport, ProbeTarget } from '../../handshake/report.ts';
import { splitTarget } from '../../handshake/target.ts';
import { analyzeTopology } from '../../workspace/topology.ts';
import { readBoundedFile, type FileKind } from '../../workspace/bounded-read.ts';
import { flag, parseArgs, timeoutFlag, UsageError, type CliIO, type Command } from '../io.ts';

const help = `Usage: sptls handshake HOST:PORT [options]

Connects to a TLS server the way a Spectrum Protect client would, completes one
handshake and judges what the server presented. Every check is computed on its
own, so an expired certificate that also names the wrong host shows both findings.

Reports
  TCP connect and handshake time; negotiated version, cipher (IANA name) and
  key-exchange group; the certificate chain in the order the server sent it
  (subject, issuer, validity and days left, key type and size, signature
  algorithm, SANs, SHA-256 fingerprint); whether the server asks for or
  requires a client certificate.

Checks
  chain       as GSKit judges it: the server's certificate is itself in the
              trust set, or the chain leads to a trusted self-signed root; a
              trusted intermediate alone is not enough (root not trusted,
              unknown issuer, self-signed not trusted, incomplete chain)
  hostname    the certificate is valid for --servername or HOST (name or IP)
  validity    every certificate is inside its validity window
              (expired, not yet valid; warns under 30 days left)
  key         RSA/DSA keys have at least 2048 bits, EC keys 224
  signature   no certificate is signed with MD5 or SHA-1
  client-cert the server accepts the client as configured

Options
  --trust FILE          trust anchors: PEM, IBM .arm or DER certificate file;
                        repeat for several. Without it, Node's public roots.
  --servername NAME     SNI name and the name the certificate must match
                        (default: HOST; no SNI is sent for an IP address)
  --starttls ldap       start plain LDAP, send the StartTLS extended request
                        (1.3.6.1.4.1.1466.20037) and upgrade. LDAPS (636) needs
                        no option: it is TLS from the first byte. An answer
                        over 64 KiB is refused (the peer is not LDAP).
  --tls 1.2|1.3|all     pin the handshake to one version (also 1.0, 1.1), or
                        negotiate and then probe 1.0, 1.1, 1.2, 1.3 one by one.
                        This machine's OpenSSL may refuse to offer 1.0/1.1;
                        such versions are reported as "untestable".
  --cert FILE --key FILE  client certificate and key (PEM) to offer
  --timeout MS          limit for each phase: DNS, TCP connect, StartTLS,
                        handshake (default ${DEFAULT_TIMEOUT_MS})
  --format text|json    output format (default text); JSON is the
                        HandshakeReport documented in docs/handshake.md

As a topology component (instead of --trust)
  --from COMPONENT      connect as COMPONENT of --topology: trust what its
                        'trusts' names (a CA's certificate, or a component's
                        own) from the issued PKI, offer its TLS versions, and
                        check that the server presented the certificate the
                        topology issued for the responder at HOST:PORT
                        (the 'topology' check: issuer, SANs, SHA-256). The
                        verdict is the one 'check' gives that connection; a
                        component that trusts nothing trusts no server.
  --topology FILE       the .sptls file COMPONENT is declared in
  --pki DIR             the output of 'sptls issue FILE' (default: pki/
                        beside FILE)
  The responder is the component whose 'address' and port match HOST:PORT,
  else the one --servername names (its address or a SAN), else the one a
  connection from COMPONENT reaches at HOST.

Exit status
  0  TLS session established and every check passed (warnings allowed)
  1  findings: at least one check failed (untrusted chain, name mismatch,
     expired, weak key or signature, client certificate required/refused)
  2  no TLS session: DNS failure, connection refused, timeout, reset, peer
     speaks no TLS (plain TCP, HTTP), handshake alert, StartTLS refused;
     also bad usage

Examples
  sptls handshake spserver.example.com:1500 --trust cert256.arm
  sptls handshake 10.1.2.3:1500 --servername spserver.example.com --trust ca.pem --tls all
  sptls handshake ldap.example.com:389 --starttls ldap --trust corp-root.pem --format json
  sptls handshake sphub.dca.example.com:1500 --from OC --topology production.sptls
`;

const OPTIONS = {
  trust: 'multi', servername: 'string', starttls: 'string', tls: 'string', cert: 'string', key: 'string', timeout: 'string', format: 'string',
  from: 'string', topology: 'string', pki: 'string',
} as const;

/** HOST:PORT from the command line, accepting [IPv6]:PORT. */
export function parseTarget(text: string | undefined): { host: string; port: number } {
  if (!text) throw new UsageError('missing HOST:PORT');
  const target = splitTarget(text);
  if (typeof target === 'string') throw new UsageError(target);
  return target;
}

function readText(io: CliIO, path: string, what: string, kind: FileKind): string {
  const read = readBoundedFile(resolve(io.cwd, path), { kind });
  if (!read.ok) throw new UsageError(`cannot read ${what} ${path}: ${read.reason}`);
  return read.bytes.toString('utf8');
}

function optionsFrom(args: ReturnType<typeof parseArgs>, io: CliIO): ProbeOptions {
  const options: ProbeOptions = {};
  const trust = args.flags.get('trust') ?? [];
  if (trust.length > 0) {
    try {
      options.trustPem = trust.map((f) => readTrustFile(resolve(io.cwd, f)));
    } catch (e) {
      if (e instanceof TrustInputError) throw new UsageError(e.message);
      throw e;
    }
    options.trustLabels = trust;
  }
  const servername = flag(args, 'servername');
  if (servername !== undefined) options.servername = servername;
  const starttls = flag(args, 'starttls');
  if (starttls !== undefined) {
    if (starttls !== 'ldap') throw new UsageError(`--starttls supports only 'ldap', not '${starttls}'`);
    options.starttls = 'ldap';
  }
  const tls = flag(args, 'tls');
  if (tls !== undefined) {
    if (tls !== 'all' && !TLS_VERSIONS.includes(tls as TlsVersion)) throw new UsageError(`--tls must be one of ${TLS_VERSIONS.join(', ')}, all`);
    options.tls = tls as TlsVersion | 'all';
  }
  const cert = flag(args, 'cert'), key = flag(args, 'key');
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--cert and --key go together');
  if (cert !== undefined && key !== undefined) options.clientCert = { certPem: readText(io, cert, 'client certificate', 'certificate'), keyPem: readText(io, key, 'client key', 'certificate') };
  const timeoutMs = timeoutFlag(args);
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  return options;
}

/** `--from COMPONENT --topology FILE`: the component's trust, range and expected responder certificate. */
async function probeAs(prober: HandshakeProber, target: ProbeTarget, options: ProbeOptions, args: ReturnType<typeof parseArgs>, io: CliIO): Promise<HandshakeReport> {
  const from = flag(args, 'from');
  const topology = flag(args, 'topology');
  if (from === undefined) throw new UsageError('--topology goes with --from COMPONENT (the component to connect as)');
  if (topology === undefined) throw new UsageError('--from goes with --topology FILE (the .sptls file that declares it)');
  if (options.trustPem) throw new UsageError('--trust and --from exclude each other: with --from the trust set is what the component trusts in the topology');
  const path = resolve(io.cwd, topology);
  const text = readText(io, topology, 'topology', 'topology');
  const pkiFlag = flag(args, 'pki');
  try {
    const analysis = analyzeTopology(path, text, options.now);
    const pki = issuedPki(path, analysis, pkiFlag === undefined ? undefined : resolve(io.cwd, pkiFlag), topology);
    const { servername, ...rest } = options;
    const plan = planTopologyProbe(analysis, pki, from, { ...target, ...(servername ? { servername } : {}) });
    return await probeFromTopology(prober, { ...target, ...(servername ? { servername } : {}) }, plan, rest);
  } catch (e) {
    if (e instanceof TopologyProbeError) throw new UsageError(`${topology}: ${e.message}`);
    throw e;
  }
}

/** The command over any prober; tests give it a fake. */
export function makeHandshakeCommand(prober: HandshakeProber): Command {
  return {
    help,
    async run(argv, io) {
      const args = parseArgs(argv, OPTIONS);
      if (args.positional.length > 1) throw new UsageError(`one HOST:PORT expected, got ${args.positional.length}`);
      const target = parseTarget(args.positional[0]);
      const format = flag(args, 'format') ?? 'text';
      if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
      const options = optionsFrom(args, io);
      const from = flag(args, 'from');
      const report = from === undefined && flag(args, 'topology') === undefined
        ? await prober.probe(target, options)
        : await probeAs(prober, target, options, args, io);
      io.out(format === 'json' ? renderJson(report) : renderText(report));
      return report.exitCode;
    },
  };
}

export const handshakeCommand: Command = makeHandshakeCommand(nodeHandshakeProber);
