// Inputs the commands share: a topology FILE read with one error form, and a secret named
// by an environment variable (secrets never come from the command line, where ps shows them).
import { resolve } from 'node:path';
import { readBoundedFile } from '../workspace/bounded-read.ts';
import { flag, UsageError, type CliIO, type ParsedArgs } from './io.ts';

/** The topology FILE (the one positional argument): its absolute path and text, or undefined as readTopologyFile. */
export function readTopologyArg(parsed: ParsedArgs, io: CliIO, command: string): { path: string; text: string } | undefined {
  if (parsed.positional.length !== 1) throw new UsageError('expected exactly one topology FILE');
  return readTopologyFile(parsed.positional[0]!, io, command);
}

/** A topology file's absolute path and text; a one-line message on stderr and undefined when unreadable. */
export function readTopologyFile(file: string, io: CliIO, command: string): { path: string; text: string } | undefined {
  const path = resolve(io.cwd, file);
  const r = readBoundedFile(path, { kind: 'topology' });
  if (r.ok) return { path, text: r.bytes.toString('utf8') };
  io.err(`sptls ${command}: ${file}: ${r.reason}\n`);
  return undefined;
}

/** `{}` without the option; `{ env, value }` with it; null (after a message) when the variable is unset or empty. */
export function secretFromEnv(parsed: ParsedArgs, option: string, io: CliIO, command: string, what: string): { env?: string; value?: string } | null {
  const env = flag(parsed, option);
  if (env === undefined) return {};
  const value = io.env[env];
  if (!value) {
    io.err(`sptls ${command}: environment variable ${env} is not set or empty (export it with ${what})\n`);
    return null;
  }
  return { env, value };
}
