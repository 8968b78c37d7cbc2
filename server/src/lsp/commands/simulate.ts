// `sptls.simulate [uri]`: the `sptls simulate` matrix of a saved topology, rehearsed with
// its issued PKI (pki/ beside it), else with a temporary one.
import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { CommandResult } from '../../../../protocol/index.ts';
import { nodeHandshakeProber } from '../../handshake/prober.ts';
import type { HandshakeProber } from '../../handshake/report.ts';
import { pkiFromDir, renderSimulationText, simulate, temporaryPki, type RehearseOptions } from '../../simulate/index.ts';
import { analyzeTopology, defaultPkiDir } from '../../workspace/topology.ts';
import { refusal, uriArgument, type CommandContext, type ServerCommand } from './registry.ts';
import { savedTopology } from './topology.ts';
import { unlessCancelled } from './handshake.ts';

/** The matrix as `sptls simulate FILE` prints it. */
export async function simulationText(topologyPath: string, text: string, options: RehearseOptions): Promise<string> {
  const now = options.now ?? new Date();
  const analysis = analyzeTopology(topologyPath, text, now);
  const dir = defaultPkiDir(topologyPath);
  const pki = existsSync(dir)
    ? pkiFromDir(dir, analysis, `${basename(dirname(dir))}/pki (issued)`)
    : await temporaryPki(analysis, { now, topologyName: basename(topologyPath) });
  try {
    const rows = await simulate(analysis, pki, { ...options, now });
    return renderSimulationText({ file: basename(topologyPath), pki: pki.description, rows });
  } finally {
    await pki.dispose();
  }
}

function makeSimulate(prober: HandshakeProber): ServerCommand {
  return {
    async run(args: unknown[], ctx: CommandContext): Promise<CommandResult> {
      const topology = await savedTopology(uriArgument(args), ctx.documents);
      if (typeof topology === 'string') return refusal('not simulated', [topology]);
      ctx.progress('rehearsing every TLS connection on 127.0.0.1');
      const text = await unlessCancelled(simulationText(topology.path, topology.text, { prober }), ctx.signal);
      if (text === null) return { ok: false, summary: 'cancelled', text: '', written: [] };
      return { ok: true, summary: `simulated ${basename(topology.path)}: ${text.split('\n')[2]?.trim() ?? ''}`, text, written: [] };
    },
  };
}

export const simulateCommand: ServerCommand = makeSimulate(nodeHandshakeProber);
