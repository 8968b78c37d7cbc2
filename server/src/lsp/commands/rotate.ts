// `sptls.planRotation [uri, { name, kind? }]` ("Plan rotation"): plans the rotation of a CA
// or a component's certificate of an open document, writes its folder beside the document
// (over an earlier plan's files), and answers with the phase files in order (`written`), for
// the client to open side by side; opened, each phase's diagnostics show its state.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CommandResult } from '../../../../protocol/index.ts';
import { planRotationFolder } from '../../rotate/write.ts';
import { ArgumentError, optionsArgument, refusal, uriArgument, type CommandContext, type ServerCommand } from './registry.ts';

const NOT_PLANNED = 'no rotation planned';

export const planRotationCommand: ServerCommand = {
  async run(args: unknown[], ctx: CommandContext): Promise<CommandResult> {
    const uri = uriArgument(args);
    const { name, kind: given } = optionsArgument(args);
    if (typeof name !== 'string') throw new ArgumentError('the options must name the CA or component: { name, kind? }');
    const analysis = ctx.documents.analysis(uri);
    if (!analysis) return refusal(NOT_PLANNED, [`${uri} is not open`]);
    if (!uri.startsWith('file:')) return refusal(NOT_PLANNED, ['save the topology in a folder first: the rotation is written beside it']);
    const entity = analysis.model.byName.get(name);
    const kind = given === 'ca' || given === 'certificate' ? given : entity?.kind === 'ca' ? 'ca' : 'certificate';
    ctx.progress('planning and proving the phases');
    const r = await planRotationFolder(fileURLToPath(uri), analysis.text, { target: { kind, name }, now: new Date(), force: true });
    if (!r.ok) return refusal(NOT_PLANNED, [r.message]);
    const { rotation } = r;
    const summary = rotation.proven
      ? `${rotation.plan.phases.length} phase(s) in ${r.outDir}; every phase keeps every connection that worked. Run its STEPS.txt in order.`
      : `The phases in ${r.outDir} would break connections: see their diagnostics.`;
    const phases = rotation.plan.phases.map((p, i) => `  ${p.id}: ${p.title}${rotation.proofs[i]!.broken.length ? ` (breaks ${rotation.proofs[i]!.broken.length})` : ''}`);
    return {
      ok: rotation.proven,
      summary,
      text: [`rotation of ${name} planned in ${r.outDir} (${rotation.proven ? 'proven' : 'NOT safe'})`, ...phases, summary].join('\n') + '\n',
      written: rotation.plan.phases.map((p) => pathToFileURL(join(r.outDir, `${p.id}.sptls`)).href),
    };
  },
};
