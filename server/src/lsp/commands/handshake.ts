// `sptls.testHandshake [uri, { line, initiator, responder, host?, port?, target? }]`: the
// code lens above each TLS connection. One probe as the lens's initiator (the same code
// as `sptls handshake --from`), the text the verdict first. `target` ("HOST:PORT", typed
// by the user) stands in for an address or port the topology lacks.
import { basename } from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { CommandResult, TestHandshakeOptions } from '../../../../protocol/index.ts';
import { nodeHandshakeProber } from '../../handshake/prober.ts';
import { renderText } from '../../handshake/render.ts';
import type { HandshakeProber, HandshakeReport } from '../../handshake/report.ts';
import { splitTarget } from '../../handshake/target.ts';
import { issuedPki, planTopologyProbe, probeFromTopology, TopologyProbeError } from '../../simulate/topology-probe.ts';
import { analyzeTopology } from '../../workspace/topology.ts';
import { ArgumentError, optionsArgument, refusal, uriArgument, type CommandContext, type ServerCommand } from './registry.ts';
import { savedTopology } from './topology.ts';

/** The lens's options, checked (a command can be sent by any client with anything). */
export function lensArguments(raw: Record<string, unknown>): TestHandshakeOptions | null {
  const a = raw;
  if (typeof a['initiator'] !== 'string' || typeof a['responder'] !== 'string' || typeof a['line'] !== 'number') return null;
  if (a['host'] !== undefined && typeof a['host'] !== 'string') return null;
  if (a['port'] !== undefined && (typeof a['port'] !== 'number' || !Number.isInteger(a['port']) || a['port'] < 1 || a['port'] > 65535)) return null;
  return {
    line: a['line'], initiator: a['initiator'], responder: a['responder'],
    ...(a['host'] !== undefined ? { host: a['host'] as string } : {}), ...(a['port'] !== undefined ? { port: a['port'] as number } : {}),
  };
}

/** HOST:PORT from the topology, else null (the user must say where the responder listens). */
export function knownTarget(args: TestHandshakeOptions): { host: string; port: number } | null {
  return args.host !== undefined && args.port !== undefined ? { host: args.host, port: args.port } : null;
}

interface TestHandshakeRequest {
  /** The saved topology file (the issued PKI is found beside it). */
  topologyPath: string;
  text: string;
  args: TestHandshakeOptions;
  target: { host: string; port: number };
  prober: HandshakeProber;
  timeoutMs?: number;
  now?: Date;
}

type TestHandshakeResult =
  | { kind: 'report'; report: HandshakeReport; text: string }
  /** Nothing was probed: the message says why and what to do. */
  | { kind: 'refused'; message: string };

/** One probe as the lens's initiator; the text is the report with a heading naming the connection. */
export async function testHandshake(req: TestHandshakeRequest): Promise<TestHandshakeResult> {
  const now = req.now ?? new Date();
  const analysis = analyzeTopology(req.topologyPath, req.text, now);
  let plan;
  try {
    const pki = issuedPki(req.topologyPath, analysis, undefined, basename(req.topologyPath));
    plan = planTopologyProbe(analysis, pki, req.args.initiator, req.target, now);
  } catch (e) {
    if (e instanceof TopologyProbeError) return { kind: 'refused', message: e.message };
    throw e;
  }
  const report = await probeFromTopology(req.prober, req.target, plan, req.timeoutMs ? { timeoutMs: req.timeoutMs } : {});
  const heading = `${req.args.initiator} -> ${req.args.responder}  (${basename(req.topologyPath)}, line ${req.args.line + 1}), tested as ${req.args.initiator} at ${now.toISOString()}`;
  return { kind: 'report', report, text: `${renderText(report)}\n${heading}\n` };
}

/** Resolves with the work's result, or with null as soon as `signal` aborts (the work winds down on its own timeouts). */
export function unlessCancelled<T>(work: Promise<T>, signal: AbortSignal): Promise<T | null> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) resolve(null);
    signal.addEventListener('abort', () => resolve(null), { once: true });
    work.then(resolve, reject);
  });
}

const NOT_TESTED = 'not tested';

/** A handshake that was not trusted, as a diagnostic on the connection's line (null when it was). */
export function handshakeFinding(args: TestHandshakeOptions, target: { host: string; port: number }, report: HandshakeReport): Diagnostic | null {
  if (report.outcome === 'trusted') return null;
  const failed = report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.reason}`);
  return {
    range: { start: { line: args.line, character: 0 }, end: { line: args.line + 1, character: 0 } },
    severity: failed.length > 0 || report.exitCode === 2 ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: 'sptls handshake',
    code: 'handshake',
    message: [`the live handshake ${args.initiator} -> ${args.responder} at ${target.host}:${target.port}: ${report.summary}`, ...failed].join('\n'),
  };
}

/** The server command, with the prober it probes through (tests give a fake). */
export function makeTestHandshake(prober: HandshakeProber): ServerCommand {
  return {
    async run(raw: unknown[], ctx: CommandContext): Promise<CommandResult> {
      const uri = uriArgument(raw);
      const options = optionsArgument(raw);
      const args = lensArguments(options);
      if (!args) throw new ArgumentError('the options must be the lens\'s { line, initiator, responder, host?, port? }');
      let target = knownTarget(args);
      if (options['target'] !== undefined) {
        const typed = typeof options['target'] === 'string' ? splitTarget(options['target'].trim()) : 'target must be a string';
        if (typeof typed === 'string') return refusal(NOT_TESTED, [typed]);
        target = typed;
      }
      if (!target) return refusal(NOT_TESTED, [`${args.responder} has no ${args.host === undefined ? 'address' : 'port'} in the topology: give the target "HOST:PORT" in the options`]);
      const topology = await savedTopology(uri, ctx.documents);
      if (typeof topology === 'string') return refusal(NOT_TESTED, [topology]);
      ctx.progress(`handshake with ${args.responder} (${target.host}:${target.port}) as ${args.initiator}`);
      const result = await unlessCancelled(testHandshake({ topologyPath: topology.path, text: topology.text, args, target, prober }), ctx.signal);
      if (result === null) return { ok: false, summary: 'cancelled', text: '', written: [] };
      if (result.kind === 'refused') return refusal(NOT_TESTED, [result.message]);
      ctx.finding(uri, `handshake ${args.initiator} -> ${args.responder}`, handshakeFinding(args, target, result.report));
      return { ok: result.report.outcome === 'trusted', summary: result.text.split('\n')[0]!, text: result.text, written: [] };
    },
  };
}

export const testHandshakeCommand: ServerCommand = makeTestHandshake(nodeHandshakeProber);
