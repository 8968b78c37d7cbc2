// `sptls.inspectKeyDatabase [uri, { password? }]`: what `sptls inspect FILE` prints. A
// PKCS#12 without a password file beside it answers `needs: 'password'`; the client asks
// the user and runs the command again with the password (never stored).
import { fileURLToPath } from 'node:url';
import type { CommandResult, InspectOptions } from '../../../../protocol/index.ts';
import { inspectFile, type PasswordSource } from '../../pki/inspect/inspect-file.ts';
import { inspectText } from '../../pki/inspect/render.ts';
import { boundedFileReader } from '../../workspace/bounded-read.ts';
import { ArgumentError, optionsArgument, refusal, uriArgument, type CommandContext, type ServerCommand } from './registry.ts';

export const inspectKeyDatabase: ServerCommand = {
  async run(args: unknown[], ctx: CommandContext): Promise<CommandResult> {
    const uri = uriArgument(args);
    const { password } = optionsArgument(args) as { [K in keyof InspectOptions]?: unknown };
    if (password !== undefined && typeof password !== 'string') throw new ArgumentError('password must be a string');
    if (!uri.startsWith('file:')) return refusal('not inspected', [`${uri} is not a file`]);
    const path = fileURLToPath(uri);
    const source: PasswordSource = password === undefined ? {} : { password: { value: password, from: 'the password prompt' } };
    ctx.progress('reading');
    const r = await inspectFile(path, source, boundedFileReader);
    if (!r.ok) {
      return { ok: false, summary: r.failure.message, text: `sptls inspect: ${r.failure.message}\n`, written: [], ...(r.failure.kind === 'no-password' ? { needs: 'password' as const } : {}) };
    }
    const text = inspectText(r.report);
    return { ok: true, summary: text.split('\n')[0]!, text, written: [] };
  },
};
