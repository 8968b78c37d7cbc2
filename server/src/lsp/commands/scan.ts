// `sptls.scanEnvironment [uri]`: `sptls scan` of a saved topology from the server, so every
// editor can run it: progress per endpoint, cancellation, and the findings shown with the
// document's diagnostics (until its next edit) as well as in the text result.
import { basename } from 'node:path';
import type { CommandResult } from '../../../../protocol/index.ts';
import { nodeHandshakeProber } from '../../handshake/prober.ts';
import type { HandshakeProber } from '../../handshake/report.ts';
import { countScan, renderScanText, scanTopology, summaryLine } from '../../scan/index.ts';
import { toLspDiagnostic } from '../convert.ts';
import { refusal, uriArgument, type CommandContext, type ServerCommand } from './registry.ts';
import { savedTopology } from './topology.ts';

/** How many findings the last scan left on each document, so the next scan replaces them all. */
const shown = new Map<string, number>();

export function makeScanEnvironment(prober: HandshakeProber): ServerCommand {
  return {
    async run(args: unknown[], ctx: CommandContext): Promise<CommandResult> {
      const topology = await savedTopology(uriArgument(args), ctx.documents);
      if (typeof topology === 'string') return refusal('not scanned', [topology]);
      const result = await scanTopology({ path: topology.path, text: topology.text }, { prober }, {
        progress: (p) => ctx.progress(`${p.done}/${p.total} endpoint(s) done`, p.total ? Math.floor((100 * p.done) / p.total) : 100),
        signal: ctx.signal,
      });
      for (let i = 0; i < (shown.get(topology.uri) ?? 0); i++) ctx.finding(topology.uri, `scan-${i}`, null);
      result.findings.forEach((f, i) => ctx.finding(topology.uri, `scan-${i}`, { ...toLspDiagnostic(f, result.analysis.lines), source: 'sptls scan' }));
      shown.set(topology.uri, result.findings.length);
      return { ok: countScan(result).errors === 0, summary: `scanned ${basename(topology.path)}: ${summaryLine(result)}`, text: renderScanText(basename(topology.path), result), written: [] };
    },
  };
}

export const scanEnvironmentCommand: ServerCommand = makeScanEnvironment(nodeHandshakeProber);
