// `sptls.buildKeyDatabases [uri]`: what `sptls keydb FILE` does, from the PKI issued beside it.
import { join } from 'node:path';
import type { CommandResult } from '../../../../protocol/index.ts';
import { formatKeydbOutcome, runKeydb } from '../../pki/provision/run.ts';
import { refusal, uriArgument, type CommandContext, type ServerCommand } from './registry.ts';
import { fileUri, savedTopology } from './topology.ts';

const NOT_BUILDING = 'not building anything';

export const buildKeyDatabases: ServerCommand = {
  async run(args: unknown[], ctx: CommandContext): Promise<CommandResult> {
    const topology = await savedTopology(uriArgument(args), ctx.documents);
    if (typeof topology === 'string') return refusal(NOT_BUILDING, [topology]);
    ctx.progress('building key databases');
    const outcome = await runKeydb({ topologyPath: topology.path, text: topology.text });
    if (outcome.kind === 'refused') return refusal(NOT_BUILDING, outcome.problems);
    const failed = outcome.components.filter((c) => c.problem).length;
    const built = outcome.components.length - failed;
    return {
      ok: failed === 0,
      summary: failed ? `${failed} key database folder(s) not built; see the log` : `${built} key database folder(s) built in ${join(outcome.pkiDir, 'keydb')}`,
      text: formatKeydbOutcome(outcome.components),
      written: outcome.components.flatMap((c) => c.written.map((f) => fileUri(join(outcome.pkiDir, c.dir, f)))),
    };
  },
};
