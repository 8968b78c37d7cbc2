// `sptls.collectScript [{ platform, includeStash? }]` ("Collection script"): the script
// `sptls collect-script --platform P` prints, as text for the client to show or save.
import type { CollectScriptOptions, CommandResult } from '../../../../protocol/index.ts';
import { collectScript, STASH_WARNING } from '../../import/collect-script.ts';
import { PLATFORMS, type Platform } from '../../import/locations.ts';
import { ArgumentError, type CommandContext, type ServerCommand } from './registry.ts';

export const collectScriptCommand: ServerCommand = {
  async run(args: unknown[], _ctx: CommandContext): Promise<CommandResult> {
    const options = args[0];
    if (typeof options !== 'object' || options === null) throw new ArgumentError('the argument must be { platform, includeStash? }');
    const { platform, includeStash }: { [K in keyof CollectScriptOptions]?: unknown } = options;
    if (!PLATFORMS.includes(platform as Platform)) throw new ArgumentError(`platform must be ${PLATFORMS.join(', ')}`);
    const stash = includeStash === true;
    const summary = `the collection script for ${String(platform)}${stash ? `; ${STASH_WARNING}` : ''}`;
    return { ok: true, summary, text: collectScript(platform as Platform, { includeStash: stash }), written: [] };
  },
};
