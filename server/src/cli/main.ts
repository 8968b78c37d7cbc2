// Process entry of the `sptls` command (bundled, split per command, to dist/cli/main.mjs).
import { main } from './cli.ts';
import { EXIT_USAGE, type CliIO } from './io.ts';
import { terminalText } from './terminal.ts';

const stdio: CliIO = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  env: process.env,
  // \r and "erase line" are ours; the line itself is escaped like every other output.
  ...(process.stderr.isTTY ? { status: (line: string | null) => { process.stderr.write(`\r\x1b[2K${line === null ? '' : terminalText(line)}`); } } : {}),
};

main(process.argv.slice(2), stdio).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    process.stderr.write(terminalText(`sptls: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
    process.exitCode = EXIT_USAGE;
  },
);
