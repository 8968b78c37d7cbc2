// `sptls.importEnvironment [uri, { out?, force? }]` ("Import environment"): what
// 'sptls collect-script' gathered in the folder (or file) at `uri` becomes a .sptls topology,
// written as `sptls import` writes it (import/save.ts), and shown to the user.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CommandResult, ImportEnvironmentOptions } from '../../../../protocol/index.ts';
import { importSummary, saveImport } from '../../import/save.ts';
import { safeText } from '../../import/text.ts';
import { ArgumentError, optionsArgument, refusal, uriArgument, type CommandContext, type ServerCommand } from './registry.ts';

const NOT_IMPORTED = 'nothing imported';

export const importEnvironmentCommand: ServerCommand = {
  async run(args: unknown[], ctx: CommandContext): Promise<CommandResult> {
    const uri = uriArgument(args);
    const { out, force }: { [K in keyof ImportEnvironmentOptions]?: unknown } = optionsArgument(args);
    if (out !== undefined && (typeof out !== 'string' || !out.startsWith('file:'))) throw new ArgumentError('the option out must be a file: URI');
    if (force !== undefined && typeof force !== 'boolean') throw new ArgumentError('the option force must be true or false');
    if (!uri.startsWith('file:')) return refusal(NOT_IMPORTED, [`${uri} is not a file or folder on disk`]);
    const input = fileURLToPath(uri);
    const target = out === undefined ? join(dirname(input), 'imported.sptls') : fileURLToPath(out);
    const saved = await saveImport([input], dirname(input), { out: target, force: force === true }, { progress: (m) => ctx.progress(m), signal: ctx.signal });
    const skipped = saved.skipped.map((s) => `skipped ${safeText(s.file)}: ${safeText(s.reason)}`);
    if (!saved.ok) return refusal(NOT_IMPORTED, [saved.reason === 'exists' ? `${saved.message} (set force, or another out)` : saved.message, ...skipped]);
    const m = saved.result.model;
    const summary = importSummary(saved.result, target);
    const notes = [...skipped, ...m.conflicts.map((c) => `conflict: ${c}`), ...m.unread.map((u) => `unread: ${u}`)];
    const written = saved.written.map((p) => pathToFileURL(p).href);
    await ctx.showDocument(pathToFileURL(target).href);
    return { ok: true, summary, text: [summary, ...notes].join('\n') + '\n', written: [written.at(-1)!, ...written.slice(0, -1)] };
  },
};
