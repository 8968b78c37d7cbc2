// `sptls.issueCertificates [uri]`: what `sptls issue FILE` does, planned first so a cancel
// before the writes leaves the PKI directory as it was. Shows the manifest it wrote.
import { join } from 'node:path';
import type { CommandResult } from '../../../../protocol/index.ts';
import { MANIFEST_FILE } from '../../pki/issue/layout.ts';
import { formatPlan, resultNotes, runIssue, summarize } from '../../pki/issue/run.ts';
import { refusal, uriArgument, type CommandContext, type ServerCommand } from './registry.ts';
import { fileUri, savedTopology } from './topology.ts';

const NOT_ISSUING = 'not issuing anything';

export const issueCertificates: ServerCommand = {
  async run(args: unknown[], ctx: CommandContext): Promise<CommandResult> {
    const topology = await savedTopology(uriArgument(args), ctx.documents);
    if (typeof topology === 'string') return refusal(NOT_ISSUING, [topology]);
    const request = { topologyPath: topology.path, text: topology.text };
    ctx.progress('planning');
    const plan = await runIssue({ ...request, dryRun: true });
    if (plan.kind === 'refused') return refusal(NOT_ISSUING, plan.problems);
    if (ctx.signal.aborted) return { ok: false, summary: 'cancelled before anything was written', text: '', written: [] };
    ctx.progress('generating keys and signing');
    const done = await runIssue(request);
    if (done.kind !== 'done') return refusal(NOT_ISSUING, done.kind === 'refused' ? done.problems : []);
    const lines = [formatPlan(done.actions, done.notIssued, false).trimEnd(), ...resultNotes(done.result)];
    for (const b of done.result.backups) lines.push(`backup kept: ${b}`);
    for (const e of done.result.errors) lines.push(`error: ${e}`);
    const summary = `${summarize(done.actions)}; ${done.result.written.length} file(s) written in ${done.outDir}`;
    lines.push(summary);
    const written = done.result.written.map((rel) => fileUri(join(done.outDir, rel)));
    if (written.length > 0) await ctx.showDocument(fileUri(join(done.outDir, MANIFEST_FILE)));
    return {
      ok: done.result.ok,
      summary: done.result.ok ? summary : `some certificates could not be issued: ${done.result.errors[0] ?? ''}`,
      text: lines.join('\n') + '\n',
      written,
    };
  },
};
