// The `sptls` command line: one dispatcher over the commands in ./commands.
import { commands } from './commands/index.ts';
import { EXIT_USAGE, UsageError, type CliIO } from './io.ts';
import { terminalText } from './terminal.ts';
import { VERSION } from './version.ts';

export async function main(argv: string[], stdio: CliIO): Promise<number> {
  // The one rule for what reaches a terminal: every command's output, escaped on the way out.
  const io: CliIO = {
    ...stdio, out: (t) => stdio.out(terminalText(t)), err: (t) => stdio.err(terminalText(t)),
    ...(stdio.status ? { status: (line: string | null) => stdio.status!(line === null ? null : terminalText(line)) } : {}),
  };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(topHelp());
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === '--version') { io.out(`sptls ${VERSION}\n`); return 0; }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.err(`sptls: unknown command '${name}'. Run 'sptls --help' for the list.\n`);
    return EXIT_USAGE;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) { io.out(command.help); return 0; }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`sptls ${name}: ${e.message}. Run 'sptls ${name} --help'.\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

function topHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'sptls — SSL/TLS topology of IBM Spectrum Protect environments',
    '',
    'Usage: sptls <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'sptls <command> --help' for a command's options.",
    '',
  ].join('\n');
}
