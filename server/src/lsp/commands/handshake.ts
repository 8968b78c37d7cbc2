// What the editor's "Test handshake" and "Simulate topology" commands do, without
// VS Code: the lens arguments checked, the target completed, the probe made as the
// initiator (the same code as `sptls handshake --from`), and the result as text with
// the verdict first. handshake.ts only adds prompts, progress and the result view.
import { basename, dirname } from 'node:path';
import { existsSync } from 'node:fs';
import type { Analysis } from '../../../server/src/analysis/engine.ts';
import { parseTarget } from '../../../server/src/cli/commands/handshake.ts';
import { UsageError } from '../../../server/src/cli/io.ts';
import { renderText } from '../../../server/src/handshake/render.ts';
import type { HandshakeProber, HandshakeReport } from '../../../server/src/handshake/report.ts';
import { issuedPki, planTopologyProbe, probeFromTopology, TopologyProbeError } from '../../../server/src/handshake/topology.ts';
import type { TestHandshakeArgs } from '../../../server/src/lsp/features/code-lens.ts';
import { analyzeTopology, defaultPkiDir } from '../../../server/src/pki/issue/run.ts';
import { pkiFromDir, renderSimulationText, simulate, temporaryPki, type RehearseOptions } from '../../../server/src/simulate/index.ts';

export type { TestHandshakeArgs } from '../../../server/src/lsp/features/code-lens.ts';

/** The lens's argument object, checked (a command can be run by hand with anything). */
export function lensArguments(raw: unknown): TestHandshakeArgs | null {
  if (!raw || typeof raw !== 'object') return null;
  const a = raw as Record<string, unknown>;
  if (typeof a['uri'] !== 'string' || typeof a['initiator'] !== 'string' || typeof a['responder'] !== 'string' || typeof a['line'] !== 'number') return null;
  if (a['host'] !== undefined && typeof a['host'] !== 'string') return null;
  if (a['port'] !== undefined && (typeof a['port'] !== 'number' || !Number.isInteger(a['port']) || a['port'] < 1 || a['port'] > 65535)) return null;
  return {
    uri: a['uri'], line: a['line'], initiator: a['initiator'], responder: a['responder'],
    ...(a['host'] !== undefined ? { host: a['host'] as string } : {}), ...(a['port'] !== undefined ? { port: a['port'] as number } : {}),
  };
}

/** HOST:PORT from the topology, or null when the user must be asked. */
export function knownTarget(args: TestHandshakeArgs): { host: string; port: number } | null {
  return args.host !== undefined && args.port !== undefined ? { host: args.host, port: args.port } : null;
}

/** What the input box starts with when the topology lacks the address or the port. */
export function targetPrompt(args: TestHandshakeArgs): { value: string; prompt: string } {
  const missing = [args.host === undefined ? 'address' : null, args.port === undefined ? 'port' : null].filter((m) => m !== null);
  return {
    value: `${args.host ?? ''}:${args.port ?? ''}`,
    prompt: `${args.responder} has no ${missing.join(' or ')} in the topology: where does it listen? (HOST:PORT)`,
  };
}

/** Null when the text is HOST:PORT, else why not (for the input box's validation). */
export function targetProblem(text: string): string | null {
  try {
    parseTarget(text.trim());
    return null;
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
}

export function parseTargetText(text: string): { host: string; port: number } {
  return parseTarget(text.trim());
}

export interface TestHandshakeRequest {
  /** The saved topology file (the issued PKI is found beside it). */
  topologyPath: string;
  text: string;
  args: TestHandshakeArgs;
  target: { host: string; port: number };
  prober: HandshakeProber;
  timeoutMs?: number;
}

export type TestHandshakeResult =
  | { kind: 'report'; report: HandshakeReport; text: string }
  /** Nothing was probed: the message says why and what to do. */
  | { kind: 'refused'; message: string };

/** One probe as the lens's initiator; the text is the report with a heading naming the connection. */
export async function testHandshake(req: TestHandshakeRequest): Promise<TestHandshakeResult> {
  const analysis = analyzeTopology(req.topologyPath, req.text);
  let plan;
  try {
    const pki = issuedPki(req.topologyPath, analysis, undefined, basename(req.topologyPath));
    plan = planTopologyProbe(analysis, pki, req.args.initiator, req.target);
  } catch (e) {
    if (e instanceof TopologyProbeError) return { kind: 'refused', message: e.message };
    throw e;
  }
  const report = await probeFromTopology(req.prober, req.target, plan, req.timeoutMs ? { timeoutMs: req.timeoutMs } : {});
  const heading = `${req.args.initiator} -> ${req.args.responder}  (${basename(req.topologyPath)}, line ${req.args.line + 1}), tested as ${req.args.initiator} at ${new Date().toISOString()}`;
  return { kind: 'report', report, text: `${renderText(report)}\n${heading}\n` };
}

/** The `sptls simulate` matrix of a saved topology: its issued PKI, else a temporary one. */
export async function simulationText(topologyPath: string, text: string, options: RehearseOptions): Promise<string> {
  const analysis: Analysis = analyzeTopology(topologyPath, text);
  const dir = defaultPkiDir(topologyPath);
  const pki = existsSync(dir)
    ? pkiFromDir(dir, analysis, `${basename(dirname(dir))}/pki (issued)`)
    : await temporaryPki(analysis, { now: new Date(), topologyName: basename(topologyPath) });
  try {
    const rows = await simulate(analysis, pki, options);
    return renderSimulationText({ file: basename(topologyPath), pki: pki.description, rows });
  } finally {
    await pki.dispose();
  }
}

/** Resolves with the work's result, or with null as soon as `onCancel` fires (the work winds down on its own timeouts). */
export function unlessCancelled<T>(work: Promise<T>, onCancel: (listener: () => void) => void): Promise<T | null> {
  return new Promise((resolve, reject) => {
    onCancel(() => resolve(null));
    work.then(resolve, reject);
  });
}
