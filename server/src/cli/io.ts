// What a CLI command may touch of the outside world. Tests pass an in-memory one.
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
  /**
   * A one-line status redrawn in place on stderr (null clears it), for the progress of
   * long commands. Present only when stderr is a terminal; logs and pipes get none.
   */
  status?(line: string | null): void;
}

export interface Command {
  help: string;
  run(args: string[], io: CliIO): Promise<number>;
}

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string[]>;
}

/**
 * Parses `--flag value`, `--flag=value` and boolean `--flag` options against a table.
 * Unknown options are a UsageError: a typo must not silently change what a command does.
 */
export function parseArgs(args: string[], spec: Record<string, 'boolean' | 'string' | 'multi'>): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { positional.push(...args.slice(i + 1)); break; }
    if (!a.startsWith('--') || a === '-') { positional.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option --${name}`);
    let value: string;
    if (kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
      value = 'true';
    } else if (eq >= 0) value = a.slice(eq + 1);
    else {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`option --${name} needs a value`);
      value = next;
      i++;
    }
    const list = flags.get(name) ?? [];
    if (kind !== 'multi' && list.length > 0) throw new UsageError(`option --${name} given twice`);
    list.push(value);
    flags.set(name, list);
  }
  return { positional, flags };
}

export function flag(p: ParsedArgs, name: string): string | undefined {
  return p.flags.get(name)?.[0];
}

/** `--timeout MS` of the commands that open connections: a whole number of milliseconds, if given. */
export function timeoutFlag(p: ParsedArgs): number | undefined {
  const timeout = flag(p, 'timeout');
  if (timeout === undefined) return undefined;
  const ms = Number(timeout);
  if (!Number.isInteger(ms) || ms < 1) throw new UsageError(`--timeout takes a whole number of milliseconds, not '${timeout}'`);
  return ms;
}
