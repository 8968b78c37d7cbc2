// `sptls.server.scanEnvironment` (workspace/executeCommand): `sptls scan` of an open topology,
// run by the server so every editor can offer it. Progress goes out as work-done
// progress, cancellation aborts the scan, and the result carries the findings as LSP
// diagnostics for the client to show beside (not instead of) the topology's own.
import { fileURLToPath } from 'node:url';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { nodeHandshakeProber, type HandshakeProber } from '../handshake/index.ts';
import { scanTopology, summaryLine, type EndpointResult } from '../scan/index.ts';
import { toLspDiagnostic } from './convert.ts';
import type { ServerCommand } from './extensions.ts';

// The language client registers each server command as a VS Code command of the same id, so the
// editor's "Scan environment" (sptls.scanEnvironment, with trust, progress and the Problems panel) needs another.
export const SCAN_COMMAND = 'sptls.server.scanEnvironment';

export interface ScanCommandResult {
  uri: string;
  /** One line: endpoints, answered, unreachable, errors, warnings. */
  summary: string;
  /** The findings, source `sptls scan`. */
  diagnostics: LspDiagnostic[];
  endpoints: EndpointResult[];
}

export function scanServerCommand(prober: HandshakeProber = nodeHandshakeProber): ServerCommand {
  return {
    id: SCAN_COMMAND,
    needsTrust: true,
    async run(args, ctx): Promise<ScanCommandResult> {
      const uri = args[0];
      if (typeof uri !== 'string' || !uri.startsWith('file:')) throw new Error(`${SCAN_COMMAND} takes the file: URI of a saved topology as its first argument`);
      const analysis = ctx.documents.analysis(uri);
      if (!analysis) throw new Error(`${uri} is not open: open the topology to scan it`);
      const result = await scanTopology({ path: fileURLToPath(uri), text: analysis.text }, { prober }, {
        progress: (p) => ctx.progress?.(`${p.done}/${p.total} endpoint(s) done`, p.total ? Math.floor((100 * p.done) / p.total) : 100),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      return {
        uri,
        summary: summaryLine(result),
        diagnostics: result.findings.map((f) => ({ ...toLspDiagnostic(f, result.analysis.lines), source: 'sptls scan' })),
        endpoints: result.endpoints,
      };
    },
  };
}
