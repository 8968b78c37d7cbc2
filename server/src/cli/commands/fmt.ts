// `sptls fmt FILE... [--check] [--write]`: the canonical layout (server/src/format).
import { statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { LineIndex } from '../../analysis/positions.ts';
import { format } from '../../format/format.ts';
import { nodeFileSink } from '../../pki/fs/file-sink.ts';
import { readBoundedFile } from '../../workspace/bounded-read.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, parseArgs, UsageError, type CliIO, type Command } from '../io.ts';

const help = `Usage: sptls fmt FILE... [--check | --write]

Lays out .sptls files in the one canonical form: one statement per line, properties
one per line indented two spaces (a block written on one line stays so if it has no
comment, no multi-line block inside and fits in 100 columns), no ';', single spaces,
comments and blank lines kept. A file with syntax errors is never changed.

Modes:
  (none)    print the formatted text of one FILE to standard output
            (control characters in it are shown escaped, e.g. \u001b, as
            in every sptls output; --write keeps them as they are)
  --check   list the files that are not formatted; change nothing
  --write   rewrite the files that are not formatted, in place (atomically)

Exit status: 0 nothing to report, 1 --check found files to format,
2 usage or I/O error, or a file with syntax errors (its first error is printed as
path:line:col).
`;

interface Outcome {
  path: string;
  formatted: string;
  changed: boolean;
}

/** Formats one file; null (with the reason printed) when it cannot be read or has syntax errors. */
function formatFile(path: string, io: CliIO): Outcome | null {
  const full = resolve(io.cwd, path);
  const read = readBoundedFile(full, { kind: 'topology' });
  if (!read.ok) {
    io.err(`sptls fmt: ${path}: ${read.reason}${read.refusal === 'not-regular' ? '; name the .sptls files' : ''}\n`);
    return null;
  }
  const text = read.bytes.toString('utf8');
  const result = format(text);
  if (result.refused) {
    const at = new LineIndex(text).position(result.refused.start);
    io.err(`${path}:${at.line + 1}:${at.character + 1}: syntax error: ${result.refused.message} (not formatted; fix the syntax first)\n`);
    return null;
  }
  return { path, formatted: result.text, changed: result.changed };
}

/**
 * The closing line: files that could not be formatted (syntax errors, unreadable) are
 * counted apart, so a file with errors never reads as "0 of 0 file(s)".
 */
function summary(done: string, formatted: number, named: number): string {
  const skipped = named - formatted;
  if (skipped === 0) return done;
  const notDone = `${skipped} file(s) not formatted: fix the errors above`;
  return formatted === 0 ? notDone : `${done}; ${notDone}`;
}

/** Replaces `path` by `text` through a temporary file in the same folder, keeping its permissions. */
async function replaceFile(full: string, text: string): Promise<void> {
  const temp = join(dirname(full), `.${basename(full)}.fmt-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await nodeFileSink.writeNew(temp, Buffer.from(text, 'utf8'), statSync(full).mode & 0o7777);
    await nodeFileSink.rename(temp, full);
    await nodeFileSink.syncDir(dirname(full));
  } catch (e) {
    await nodeFileSink.remove(temp).catch(() => undefined);
    throw e;
  }
}

export const fmtCommand: Command = {
  help,
  async run(args: string[], io: CliIO): Promise<number> {
    const parsed = parseArgs(args, { check: 'boolean', write: 'boolean' });
    const check = parsed.flags.has('check');
    const write = parsed.flags.has('write');
    if (check && write) throw new UsageError('--check and --write exclude each other');
    if (parsed.positional.length === 0) throw new UsageError('name at least one .sptls file');
    if (!check && !write && parsed.positional.length > 1) throw new UsageError('printing formats one file; use --write or --check for several');

    let failed = false;
    const outcomes: Outcome[] = [];
    for (const path of parsed.positional) {
      const outcome = formatFile(path, io);
      if (outcome) outcomes.push(outcome);
      else failed = true;
    }
    if (!check && !write) {
      if (outcomes[0]) io.out(outcomes[0].formatted);
      return failed ? EXIT_USAGE : EXIT_OK;
    }
    const changed = outcomes.filter((o) => o.changed);
    if (check) {
      for (const o of changed) io.out(`${o.path}\n`);
      io.err(`${summary(`${changed.length} of ${outcomes.length} file(s) would be reformatted`, outcomes.length, parsed.positional.length)}\n`);
      return failed ? EXIT_USAGE : changed.length > 0 ? EXIT_FINDINGS : EXIT_OK;
    }
    let written = 0;
    for (const o of changed) {
      try {
        await replaceFile(resolve(io.cwd, o.path), o.formatted);
        written++;
        io.out(`${o.path}\n`);
      } catch (e) {
        io.err(`sptls fmt: ${o.path}: could not write (${(e as Error).message}); the file is unchanged\n`);
        failed = true;
      }
    }
    io.err(`${summary(`${written} of ${outcomes.length} file(s) reformatted`, outcomes.length, parsed.positional.length)}\n`);
    return failed ? EXIT_USAGE : EXIT_OK;
  },
};
