// The server side of "Plan rotation": plans the rotation of a CA or a component's
// certificate of an open document, writes its folder beside the document (over an earlier
// plan's files), and answers with the phase files for the client to open side by side.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { planRotationFolder } from '../rotate/write.ts';
import type { ServerCommand } from './extensions.ts';

export const PLAN_ROTATION_SERVER_COMMAND = 'sptls.server.planRotation';

export interface PlanRotationResult {
  ok: boolean;
  message: string;
  folder?: string;
  proven?: boolean;
  phases?: Array<{ id: string; title: string; uri: string; broken: number }>;
}

export const planRotationCommand: ServerCommand = {
  id: PLAN_ROTATION_SERVER_COMMAND,
  async run(args, ctx): Promise<PlanRotationResult> {
    const a = (args[0] ?? {}) as { uri?: unknown; kind?: unknown; name?: unknown };
    if (typeof a.uri !== 'string' || typeof a.name !== 'string') return { ok: false, message: 'Plan rotation needs the document and a CA or component name' };
    const analysis = ctx.documents.analysis(a.uri);
    if (!analysis) return { ok: false, message: `${a.uri} is not open` };
    if (!a.uri.startsWith('file:')) return { ok: false, message: 'save the topology in a folder first: the rotation is written beside it' };
    const entity = analysis.model.byName.get(a.name);
    const kind = a.kind === 'ca' || a.kind === 'certificate' ? a.kind : entity?.kind === 'ca' ? 'ca' : 'certificate';
    const path = fileURLToPath(a.uri);
    const r = await planRotationFolder(path, analysis.text, { target: { kind, name: a.name }, now: new Date(), force: true });
    if (!r.ok) return { ok: false, message: r.message };
    const { rotation } = r;
    ctx.log(`sptls: rotation of ${a.name} planned in ${r.outDir} (${rotation.proven ? 'proven' : 'NOT safe'})`);
    return {
      ok: true,
      proven: rotation.proven,
      folder: r.outDir,
      message: rotation.proven
        ? `${rotation.plan.phases.length} phase(s) in ${r.outDir}; every phase keeps every connection that worked. Run its STEPS.txt in order.`
        : `The phases in ${r.outDir} would break connections: see their diagnostics.`,
      phases: rotation.plan.phases.map((p, i) => ({
        id: p.id, title: p.title, uri: pathToFileURL(join(r.outDir, `${p.id}.sptls`)).href,
        broken: rotation.proofs[i]!.broken.length,
      })),
    };
  },
};
